"""Memory benchmark: prints embedding latency and throughput, and search latencies.

    .venv/bin/python -m tests.memory.bench_memory

Runs on a throwaway database of the test server: one creator with 200 fans of 10 memories each
(the labelled facts, varied), then per-message timings over warm connections.
"""

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg

from db import migrate
from db.connect import creator_scope
from db.operator import app_connection
from memory import search, store
from memory.embeddings import LocalEmbedder
from memory.extract import extract_facts
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import Fact
from tests.memory.helpers import new_creator
from tests.memory.labelled import FACTS, QUERIES
from tests.pg import fresh_database

FANS = 200
MESSAGES = [message for _, message, _ in QUERIES] * 20


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{name:<44} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    start = time.perf_counter()
    embedder = LocalEmbedder()
    print(f"{'MiniLM load':<44} {time.perf_counter() - start:7.2f} s")
    embedder.embed(["warm up"])
    report("embed one message", timed(lambda: embedder.embed(["did you get my present?"]), 200))
    batch = [f"{message} #{i}" for i, message in enumerate(MESSAGES * 5)]
    start = time.perf_counter()
    embedder.embed(batch)
    rate = len(batch) / (time.perf_counter() - start)
    print(f"{'embed batched (64 per batch)':<44} {rate:7.0f} messages/s")

    settings = MemorySettings()
    facts = [fact for fan_facts in FACTS.values() for fact in fan_facts]
    vectors = embedder.embed([body for _, body, _ in facts])
    with fresh_database("bench") as target:
        migrate.migrate(target.admin_url)
        creator, fans = new_creator(target, FANS)
        with app_connection(target) as conn, creator_scope(conn, creator):
            for n, fan in enumerate(fans):
                for i in range(10):
                    kind, body, importance = facts[(n + i * 3) % len(facts)]
                    fact = Fact(kind, body, importance=importance)
                    store.add(conn, fan, fact, vectors[(n + i * 3) % len(facts)])
        with psycopg.connect(target.admin_url, autocommit=True) as admin:
            admin.execute("ANALYZE fan_memories")
        query, topic = embedder.embed(["packing my suitcase for the flight", "trip"])
        now = datetime.now(UTC)
        with app_connection(target) as conn:

            def within() -> None:
                with creator_scope(conn, creator):
                    search.within_fan(conn, fans[7], query, settings, limit=5, as_of=now)

            def across() -> None:
                with creator_scope(conn, creator):
                    search.across_fans(conn, topic, settings, limit=20)

            def extract_and_remember() -> None:
                text = "my dog's name is Rocky and i'm going to Rome next week"
                with creator_scope(conn, creator):
                    remember(conn, embedder, fans[3], extract_facts(text), settings)

            with creator_scope(conn, creator):
                found = search.within_fan(conn, fans[7], query, settings, limit=5, as_of=now)
                matched = search.across_fans(conn, topic, settings, limit=20)
            print(f"(within one fan: {len(found)} hits; across fans: {len(matched)} fans)")
            report("search within one fan (10 memories)", timed(within, 300))
            report(f"search across fans ({FANS * 10} memories)", timed(across, 100))
            report("extract + remember one message (2 facts)", timed(extract_and_remember, 50))


if __name__ == "__main__":
    main()
