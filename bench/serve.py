"""The real app (server.create_app: routes, auth, graph, Postgres checkpointer) with the instant
chat model, under uvicorn on a local port: what the round-trip benchmark talks to.

    FANAGENT_BENCH_ADMIN_URL=... FANAGENT_BENCH_APP_URL=... python -m bench.serve --port 8123

Experiments (--variants of the round trip), off by default: the default is the product as it
ships.
    --durability async    a checkpoint after every step (LangGraph's default; the product
                          writes one when the run stops: agent/service.py DURABILITY)
    --saver unlocked      the async saver without the lock that queues all of a process's
                          checkpoint I/O one behind another (safe over a pool: each operation
                          takes a connection of its own)
"""

import argparse
import contextlib
import datetime as dt
import os
from typing import Any

import uvicorn

import agent.runtime
import agent.service
from bench.instant import HashEmbedder, instant_chat_model, intents_for
from db.connect import DatabaseTarget
from memory.embedders import Embedder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--embedder", choices=("minilm", "hash"), default="minilm")
    parser.add_argument("--anchor", type=dt.datetime.fromisoformat, required=True)
    parser.add_argument("--saver", choices=("locked", "unlocked"), default="locked")
    parser.add_argument("--durability", choices=("exit", "async", "sync"), default="exit")
    args = parser.parse_args(argv)
    target = DatabaseTarget(
        os.environ["FANAGENT_BENCH_ADMIN_URL"], os.environ["FANAGENT_BENCH_APP_URL"], True
    )
    embedder: Embedder
    if args.embedder == "minilm":
        from memory.embedders import LocalEmbedder

        embedder = LocalEmbedder()
    else:
        embedder = HashEmbedder()
    _experiments(args.saver, args.durability)
    from server import create_app

    anchor: dt.datetime = args.anchor
    app = create_app(
        target,
        chat_model=instant_chat_model(),
        embedder=embedder,
        intents=intents_for(embedder),
        clock=lambda: anchor,
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


def _experiments(saver: str, durability: str) -> None:
    runtime: Any = agent.runtime  # the names open_service builds with
    if saver == "unlocked":
        base = runtime.AsyncPostgresSaver

        class Unlocked(base):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.lock = contextlib.nullcontext()

        runtime.AsyncPostgresSaver = Unlocked
    service: Any = agent.service
    service.DURABILITY = durability


if __name__ == "__main__":
    main()
