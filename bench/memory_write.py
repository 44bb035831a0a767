"""Memory writes as the product makes them, embedding included, into the 1 M-memory database:

one at a time  a fact heard in a fan message: memory.remember with one fact (MiniLM embedding,
               the fan's lock, the look for the same fact, the insert, the commit)
batched        many facts of many fans (a backfill, an import): memory.remember with a fan's
               facts at once, a fan per transaction; facts per second over the whole run

The facts are the bench's generated texts, each made new with a counter (so each is a real
insert and a new point in the creator's HNSW graph of texts). They go to fans created for the
run under the first creator, deleted with their memories afterwards.
"""

import time
import uuid
from typing import Any
from uuid import UUID

from auth.operator import app_connection
from bench import texts
from bench.data import BenchData
from bench.stats import percentiles
from crm.jobs import INGEST_LANES
from db.connect import creator_scope
from db.lanes import Lane, in_lanes
from memory.embedders import Embedder
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import Fact

FANS = 50
DELETE_FANS = "DELETE FROM fan_profiles WHERE creator_id = %s AND id = ANY(%s)"


def measure_writes(
    data: BenchData, embedder: Embedder, singles: int, batched: int
) -> dict[str, Any]:
    settings = MemorySettings()
    creator = data.fans[0].creator_id
    fans = [uuid.uuid4() for _ in range(FANS)]
    templates = texts.memory_texts(singles + batched, 31)
    bodies = [f"{templates[n % len(templates)]} ({n})" for n in range(singles + batched)]
    embedder.embed(["warm up"])
    with app_connection(data.target) as conn:
        with creator_scope(conn, creator):
            for fan in fans:
                conn.execute(
                    "INSERT INTO fan_profiles (id, creator_id, display_name) VALUES (%s, %s, %s)",
                    [fan, creator, "bench writer"],
                )
        try:
            per_fan = batched // FANS

            def write_lane(lane: Lane) -> int:
                mine = range(lane.index, FANS, lane.count)
                with app_connection(data.target) as lane_conn:
                    for n in mine:
                        facts = [_fact(b) for b in bodies[n * per_fan : (n + 1) * per_fan]]
                        with creator_scope(lane_conn, creator):
                            remember(lane_conn, embedder, fans[n], facts, settings)
                return per_fan * len(mine)

            started = time.perf_counter()
            written = in_lanes(write_lane, INGEST_LANES)
            batch_s = time.perf_counter() - started
            timings: list[float] = []
            for n, body in enumerate(bodies[batched : batched + singles]):
                started = time.perf_counter()
                with creator_scope(conn, creator):
                    remember(conn, embedder, fans[n % FANS], [_fact(body)], settings)
                timings.append((time.perf_counter() - started) * 1000)
        finally:
            _delete(data, creator, fans)
    return {
        "one_at_a_time": percentiles(timings),
        "batched": {
            "facts": written,
            "lanes": INGEST_LANES,
            "seconds": round(batch_s, 2),
            "per_second": round(written / batch_s, 1),
        },
    }


def _fact(body: str) -> Fact:
    return Fact(texts.kind_of(body), body, importance=0.5)  # type: ignore[arg-type]


def _delete(data: BenchData, creator: UUID, fans: list[UUID]) -> None:
    with app_connection(data.target) as conn, creator_scope(conn, creator):
        conn.execute(DELETE_FANS, [creator, fans])
