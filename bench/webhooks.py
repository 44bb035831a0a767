"""Webhook ingestion benchmark: signed events through the real HTTP path, events/s and latency.

    .venv/bin/python -m bench.webhooks [--events 5000] [--clients 2] [--concurrency 16]
                                       [--workers 1] [--no-refresh]

A throwaway database on the test server (migrated; creators with secrets, made through the
application role); the real app (`server:create_app`) under uvicorn on a local port, in its own
process(es); client processes, each with one httpx.AsyncClient sending events, signed as they
go, from `--concurrency` tasks over keep-alive connections. The mix: tips, PPV unlocks,
transactions, subscription events and messages from a few hundred fans per creator (the first
event of a fan creates it).

Phases after a warm-up: the timed ingestion of unique events; deliveries signed with the wrong
secret (a 401 after reading the secret, nothing written: near the floor of the path); a sample
of the ingested events sent again, each of which must answer "duplicate" with no table growing.
For each phase: events/s, latency percentiles, and CPU per event of the server, the PostgreSQL
backends of this database and the clients, with the rate those allow on this machine's cores
(what bounds it), and how much CPU other processes took meanwhile; after the ingestion, how long
the server's refresher took to recompute the fans the events queued (every second, in batches:
its CPU meanwhile is in the ingestion's figures). --no-refresh queues no fan
(FANAGENT_WEBHOOK_REFRESH_FANS=false).
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg

from auth.operator import app_connection
from bench.process import free_port, serving
from crm.webhooks import store
from crm.webhooks.signature import new_secret, sign
from db import migrate
from db.connect import DatabaseTarget, creator_scope
from tests.pg import fresh_database

CREATORS = 4
FANS_PER_CREATOR = 300
# Weights of the event types in the stream.
MIX = {"tip": 35, "ppv_unlock": 20, "transaction": 10, "subscription": 15, "message": 20}
COUNTED = ("webhook_events", "fan_transactions", "fan_subscription_events", "fan_messages")
PATH = "/v1/webhooks/onlyfans"

Delivery = tuple[str, str, bytes]  # creator id, secret, body: signed when sent


@dataclass
class Run:
    """One phase: each delivery's (HTTP status, "processed"/"duplicate"/"", seconds), the wall
    time from the clients' common start to the last answer, and CPU seconds by who used them."""

    results: list[tuple[int, str, float]]
    elapsed: float
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.results) / self.elapsed


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    with fresh_database("bench") as target:
        migrate.migrate(target.admin_url)
        creators = _creators(target)
        rng = random.Random(7)  # noqa: S311 - a reproducible load, not a secret
        port = free_port()
        with _server(target, port, args.workers, refresh=not args.no_refresh) as server:
            clients = _Clients(f"http://127.0.0.1:{port}", args.clients, server.pid, target)
            clients.run(_deliveries(creators, args.warmup, rng), args.concurrency)
            timed = _deliveries(creators, args.events, rng)
            ingestion = clients.run(timed, args.concurrency)
            lag = _refresh_lag(target)
            rows = _counts(target)
            forged = {creator: new_secret() for creator in creators}  # wrong secrets
            refused = clients.run(_deliveries(forged, args.refused, rng), args.concurrency)
            sample = rng.sample(timed, min(len(timed), args.replay))
            replayed = clients.run(sample, args.concurrency)  # signed anew, as a retry is
            rows_after_replay = _counts(target)
    _report(args, ingestion, lag, refused, replayed, rows, rows_after_replay)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__)
    parser.add_argument("--events", type=int, default=5_000, help="events in the timed run")
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--replay", type=int, default=1_000, help="events sent again after")
    parser.add_argument("--refused", type=int, default=3_000, help="badly signed deliveries")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight each")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="FANAGENT_WEBHOOK_REFRESH_FANS=false: events queue no refresh of their fans",
    )
    return parser.parse_args(argv)


def _creators(target: DatabaseTarget) -> dict[UUID, str]:
    """Creators with an onlyfans secret each."""
    creators: dict[UUID, str] = {}
    with app_connection(target) as conn:
        for _ in range(CREATORS):
            creator, secret = uuid.uuid4(), new_secret()
            with creator_scope(conn, creator):
                conn.execute(
                    "INSERT INTO creator_profiles (creator_id, handle, display_name)"
                    " VALUES (%s, %s, 'Bench')",
                    [creator, f"b{creator.hex[:12]}"],
                )
                store.create_secret(conn, "onlyfans", secret)
            creators[creator] = secret
    return creators


def _deliveries(creators: dict[UUID, str], count: int, rng: random.Random) -> list[Delivery]:
    """`count` deliveries of unique events from the creators (id: secret) given."""
    types = list(MIX)
    weights = list(MIX.values())
    ids = list(creators)
    deliveries = []
    for _ in range(count):
        creator = rng.choice(ids)
        body = _event(rng.choices(types, weights)[0], rng)
        deliveries.append((str(creator), creators[creator], json.dumps(body).encode()))
    return deliveries


def _event(kind: str, rng: random.Random) -> dict[str, Any]:
    fan = rng.randrange(FANS_PER_CREATOR)
    event: dict[str, Any] = {
        "id": f"evt_{uuid.UUID(int=rng.getrandbits(128)).hex}",
        "type": kind,
        "occurred_at": f"2025-06-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
        "fan": {"id": f"of-{100_000 + fan}", "username": f"fan{fan}"},
    }
    amount = f"{rng.choice([3, 5, 9.99, 12, 20, 50])}"
    if kind in ("tip", "ppv_unlock"):
        event["amount"] = amount
    elif kind == "transaction":
        event |= {"kind": rng.choice(["paid_message", "custom", "refund"]), "amount": amount}
    elif kind == "subscription":
        action = rng.choice(["new", "renewed", "renewed", "cancelled", "expired"])
        event["action"] = action
        if action in ("new", "renewed"):
            event["price"] = "9.99"
    else:
        event["body"] = rng.choice(["hey you", "did you see my tip?", "what's new today? 😘"])
    return event


def _headers(creator: str, secret: str, body: bytes) -> dict[str, str]:
    now = int(time.time())
    return {
        "Content-Type": "application/json",
        "X-Fanagent-Creator": creator,
        "X-Fanagent-Timestamp": str(now),
        "X-Fanagent-Signature": sign(secret, now, body),
    }


@contextmanager
def _server(
    target: DatabaseTarget, port: int, workers: int, *, refresh: bool
) -> Iterator["subprocess.Popen[bytes]"]:
    """The real app under uvicorn, on the scratch database, until it answers /health."""
    env = {
        **os.environ,
        "DATABASE_URL": target.admin_url,
        "HF_HUB_OFFLINE": "1",
        "FANAGENT_WEBHOOK_REFRESH_FANS": str(refresh).lower(),
    }
    command = [
        sys.executable, "-m", "uvicorn", "server:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    # Its log (a warning per refused delivery) goes to a file, shown if it fails to start.
    with (
        tempfile.TemporaryFile() as log,
        serving(command, env, port, timeout_s=180, log=log) as server,
    ):
        yield server


class _Clients:
    """Client processes (spawned once per phase) sending deliveries to the server."""

    def __init__(self, base: str, processes: int, server_pid: int, target: DatabaseTarget):
        self.base = base
        self.processes = processes
        self.server_pid = server_pid
        self.target = target

    def run(self, deliveries: list[Delivery], concurrency: int) -> Run:
        shares = [deliveries[i :: self.processes] for i in range(self.processes)]
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.processes) as pool:
            pool.map(_ready, range(self.processes))  # imported and waiting
            before = self._cpu()
            start_at = time.time() + 0.5
            parts = pool.starmap(_client, [(self.base, s, concurrency, start_at) for s in shares])
            after = self._cpu()
        cpu = {key: after[key] - before.get(key, 0.0) for key in after}
        cpu["clients"] = sum(used for _, used, _ in parts)
        cpu["others"] = cpu.pop("machine") - cpu["server"] - cpu["postgres"] - cpu["clients"]
        finished = max(end for end, _, _ in parts)
        return Run([r for _, _, part in parts for r in part], finished - start_at, cpu)

    def _cpu(self) -> dict[str, float]:
        """CPU seconds so far of the server's processes, the PostgreSQL backends serving this
        database, and the whole machine (from /proc: Linux)."""
        with psycopg.connect(self.target.admin_url) as conn:
            backends = [
                row[0]
                for row in conn.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ]
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
                parents[int(entry.name)] = int(stat[1])
        server = [p for p in parents if self._descends(p, parents)]
        with open("/proc/stat") as stat_file:
            jiffies = sum(int(v) for v in stat_file.readline().split()[1:8])
        return {
            "server": sum(_cpu_of(p) for p in server),
            "postgres": sum(_cpu_of(p) for p in backends),
            "machine": jiffies / os.sysconf("SC_CLK_TCK"),
        }

    def _descends(self, pid: int, parents: dict[int, int]) -> bool:
        while pid > 1:
            if pid == self.server_pid:
                return True
            pid = parents.get(pid, 0)
        return False


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _cpu_of(pid: int) -> float:
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ready(_: int) -> None:
    return None


def _client(
    base: str, deliveries: list[Delivery], concurrency: int, start_at: float
) -> tuple[float, float, list[tuple[int, str, float]]]:
    """(when the last answer came, this process's CPU seconds, the results)."""
    time.sleep(max(0.0, start_at - time.time()))
    began = time.process_time()
    results = asyncio.run(_send_all(base, deliveries, concurrency))
    return time.time(), time.process_time() - began, results


async def _send_all(
    base: str, deliveries: list[Delivery], concurrency: int
) -> list[tuple[int, str, float]]:
    queue = iter(deliveries)
    results: list[tuple[int, str, float]] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            for creator, secret, body in queue:
                started = time.perf_counter()
                headers = _headers(creator, secret, body)
                response = await client.post(PATH, content=body, headers=headers)
                seconds = time.perf_counter() - started
                status = response.json().get("status", "") if response.status_code == 200 else ""
                results.append((response.status_code, status, seconds))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def _counts(target: DatabaseTarget) -> dict[str, int]:
    with psycopg.connect(target.admin_url) as conn:
        found = {}
        for table in COUNTED:
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
            assert row is not None
            found[table] = int(row[0])
        return found


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _refresh_lag(target: DatabaseTarget, limit: float = 600.0) -> float:
    """Seconds from the last answer until the server's refresher has emptied the queue."""
    started = time.monotonic()
    with psycopg.connect(target.admin_url, autocommit=True) as conn:
        while time.monotonic() - started < limit:
            row = conn.execute("SELECT count(*) FROM fan_refresh_queue").fetchone()
            if row is not None and row[0] == 0:
                break
            time.sleep(0.05)
    return time.monotonic() - started


def _report(
    args: argparse.Namespace,
    ingestion: Run,
    lag: float,
    refused: Run,
    replayed: Run,
    rows: dict[str, int],
    rows_after_replay: dict[str, int],
) -> None:
    print(
        f"webhook ingestion: {len(ingestion.results)} events, {args.clients} client process(es)"
        f" x {args.concurrency} in flight, uvicorn {args.workers} worker(s), {os.cpu_count()}"
        f" cores, fan refresh {'off' if args.no_refresh else 'queued'}"
    )
    _phase("ingested", ingestion)
    if not args.no_refresh:
        print(f"  {'':<28} the queued fans' figures refreshed {lag:.2f} s after the last answer")
    _phase("refused (wrong secret: 401)", refused)
    _phase("replayed (duplicates)", replayed)
    duplicates = sum(1 for code, status, _ in replayed.results if status == "duplicate")
    unchanged = "unchanged" if rows == rows_after_replay else f"CHANGED to {rows_after_replay}"
    print(f"  replay: {duplicates} of {len(replayed.results)} answered duplicate; rows {unchanged}")
    print(f"  rows: {rows}")


def _phase(name: str, run: Run) -> None:
    latencies = [seconds * 1000 for _, _, seconds in run.results]
    answers: dict[str, int] = {}
    for code, status, _ in run.results:
        answers[status or str(code)] = answers.get(status or str(code), 0) + 1
    per_event = {key: used / len(run.results) * 1000 for key, used in run.cpu.items()}
    ours = per_event["server"] + per_event["postgres"] + per_event["clients"]
    print(
        f"  {name:<28} {run.rate:6.0f} events/s   p50 {statistics.median(latencies):6.1f} ms"
        f"   p95 {_percentile(latencies, 0.95):6.1f} ms   p99 {_percentile(latencies, 0.99):6.1f}"
        f" ms   {answers}"
    )
    print(
        f"  {'':<28} cpu per event: server {per_event['server']:.2f} ms, postgres"
        f" {per_event['postgres']:.2f} ms, clients {per_event['clients']:.2f} ms (ceiling on"
        f" {os.cpu_count()} cores {(os.cpu_count() or 1) * 1000 / ours:.0f}/s); other"
        f" processes used {run.cpu['others'] / run.elapsed:.2f} cores meanwhile"
    )


if __name__ == "__main__":
    main()
