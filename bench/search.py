"""Memory search at scale, through the application role (row-level security on):

within_fan   memory.search.within_fan for fans drawn as drafts come; the query is a fan
             message: its words (the full-text part) and its MiniLM vector (embedded
             beforehand: the search is timed, not the embedding)
across_fans  memory.search.across_fans for a creator and a topic, twice: as the planner chooses
             (over a creator's few thousand distinct texts it prefers an exact scan of them to
             the HNSW index), and with the HNSW index forced (iterative scan), the path of a
             creator with many more distinct texts. Recall against the exact answer of the
             same query with index scans off. Many memories share a text (and a vector), so
             many tie: recall counts by distance, as ann-benchmarks does:
               memories  HNSW candidates no farther than the exact k-th nearest, / k
                         (k = the candidates across_fans asks for: limit 20 x 4)
               fans      fans found whose best memory is at least as similar as the exact
                         answer's last fan, / the exact answer's fans

One EXPLAIN (ANALYZE, BUFFERS) of each query is kept with the figures.
"""

import re
import time
from typing import Any, Literal
from uuid import UUID

import numpy as np
import psycopg
from psycopg import sql

from agent.runtime import app_pool
from bench import texts
from bench.data import BenchData, Fan
from bench.stats import percentiles
from db.connect import creator_scope
from memory.search import (
    CANDIDATES_PER_FAN,
    HNSW_SETTINGS,
    NEAREST,
    WITHIN_FAN,
    across_fans,
    nearest,
    within_fan,
    within_fan_params,
)
from memory.settings import MemorySettings
from memory.store import N_COLUMNS, as_vector
from memory.types import Memory

CROSS_FAN_LIMIT = 20
VECTOR_LITERAL = re.compile(r"'\[[-0-9.e,]+\]'")  # the query vector in a plan: 384 numbers
TIE = 1e-6  # similarities this close are equal (float4 vectors)
Message = tuple[str, list[float]]  # a fan message and its vector


def measure_within(
    data: BenchData, messages: list[Message], samples: int, warmup: int
) -> dict[str, Any]:
    settings = MemorySettings()
    fans = data.sample_fans(samples + warmup, seed=17)
    timings: list[float] = []
    found: list[int] = []
    with app_pool(data.target.app_url, max_size=2) as pool:
        for n, fan in enumerate(fans):
            text, query = messages[n % len(messages)]
            with pool.connection() as conn, creator_scope(conn, fan.creator_id):
                started = time.perf_counter()
                result = within_fan(
                    conn, fan.id, query, settings, text=text, limit=5, as_of=data.anchor
                )
                elapsed = (time.perf_counter() - started) * 1000
            if n >= warmup:
                timings.append(elapsed)
                found.append(len(result))
        plan = _explain_within(pool, _busiest(fans), messages[0], settings, data)
    sizes = _memories_per_fan(data, [fan.id for fan in fans[warmup:]])
    return {
        "search": percentiles(timings),
        "memories_of_searched_fans": _spread(sizes),
        "results_per_search": _spread(found),
        "plan_busiest_fan": plan,
    }


# Leaves the planner only the HNSW index to order the texts by distance.
FORCE_HNSW = (
    "SELECT set_config('enable_seqscan', 'off', true),"
    " set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)"
)
Path = Literal["planner", "hnsw"]


def measure_across(
    data: BenchData,
    queries: list[list[float]],
    samples: int,
    warmup: int,
    *,
    path: Path = "planner",
) -> dict[str, Any]:
    settings = MemorySettings()
    rng = np.random.default_rng(19)
    creators = data.creators
    pairs = [
        (creators[int(rng.integers(len(creators)))], int(rng.integers(len(queries))))
        for _ in range(samples + warmup)
    ]
    timings: list[float] = []
    memory_recall: list[float] = []
    fan_recall: list[float] = []
    with app_pool(data.target.app_url, max_size=2) as pool:
        for n, (creator, q) in enumerate(pairs):
            with pool.connection() as conn, creator_scope(conn, creator):
                started = time.perf_counter()
                _take(conn, path)
                across_fans(conn, queries[q], settings, limit=CROSS_FAN_LIMIT)
                elapsed = (time.perf_counter() - started) * 1000
            if n < warmup:
                continue
            timings.append(elapsed)
            ann, exact = _candidates(pool, creator, queries[q], settings, path)
            if exact:
                kth = exact[-1][1] - TIE
                memory_recall.append(min(sum(s >= kth for _, s in ann) / len(exact), 1.0))
                exact_fans = _fans(exact, settings)
                if exact_fans:
                    last = exact_fans[-1][1] - TIE
                    got = sum(s >= last for _, s in _fans(ann, settings))
                    fan_recall.append(min(got / len(exact_fans), 1.0))
        plan = _explain_across(pool, creators[0], queries[0], settings, path)
    return {
        "path": path,
        "search": percentiles(timings),
        "recall_memories": _recall(memory_recall),
        "recall_fans": _recall(fan_recall),
        "ef_search": settings.ef_search,
        "k": CROSS_FAN_LIMIT * CANDIDATES_PER_FAN,
        "plan": plan,
        "memories_per_creator": data.counts["fan_memories"] // max(len(creators), 1),
    }


def queries(embed: Any, count: int) -> tuple[list[Message], list[list[float]]]:
    """Fan messages with their vectors (within-fan queries) and topics' vectors (cross-fan)."""
    said = texts.fan_messages(count, seed=23)
    messages = list(zip(said, embed(said), strict=True))
    topics: list[list[float]] = embed(list(texts.CROSS_FAN_QUERIES))
    return messages, topics


def _take(conn: psycopg.Connection[Any], path: Path) -> None:
    if path == "hnsw":
        conn.execute(FORCE_HNSW)


def _candidates(
    pool: Any, creator: UUID, query: list[float], settings: MemorySettings, path: Path
) -> tuple[list[tuple[Memory, float]], list[tuple[Memory, float]]]:
    """The candidates across_fans reads, and the exact nearest of the same query."""
    k = CROSS_FAN_LIMIT * CANDIDATES_PER_FAN
    with pool.connection() as conn, creator_scope(conn, creator):
        _take(conn, path)
        ann = nearest(conn, query, settings, limit=k)
    with pool.connection() as conn, creator_scope(conn, creator):
        conn.execute("SET LOCAL enable_indexscan = off")
        params = {"query": as_vector(query), "limit": k, "with_personal": True}
        rows = conn.execute(NEAREST, params)
        exact = [(Memory(*row[:N_COLUMNS]), float(row[N_COLUMNS])) for row in rows]
    return ann, exact


def _fans(
    candidates: list[tuple[Memory, float]], settings: MemorySettings
) -> list[tuple[UUID, float]]:
    """across_fans' rule on a candidate list: each fan once with its best similarity, best
    first, above the floor."""
    fans: dict[UUID, float] = {}
    for memory, similarity in candidates:
        if similarity < settings.cross_fan_min_similarity or len(fans) == CROSS_FAN_LIMIT:
            break
        fans.setdefault(memory.fan_id, similarity)
    return list(fans.items())


def _recall(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    array = np.asarray(values)
    return {
        "n": len(values),
        "mean": round(float(array.mean()), 4),
        "min": round(float(array.min()), 4),
        "p5": round(float(np.percentile(array, 5)), 4),
    }


def _spread(values: list[int]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    array = np.asarray(values)
    p50, p95 = np.percentile(array, [50, 95])
    return {"p50": round(float(p50), 1), "p95": round(float(p95), 1), "max": int(array.max())}


def _busiest(fans: list[Fan]) -> Fan:
    return max(fans, key=lambda fan: fan.messages)


def _memories_per_fan(data: BenchData, fan_ids: list[UUID]) -> list[int]:
    with psycopg.connect(data.target.admin_url) as conn:
        counts: dict[UUID, int] = dict(
            conn.execute(
                "SELECT fan_id, count(*) FROM fan_memories WHERE fan_id = ANY(%s) GROUP BY fan_id",
                [list(set(fan_ids))],
            ).fetchall()
        )
    return [int(counts.get(fan_id, 0)) for fan_id in fan_ids]


def _explain_within(
    pool: Any, fan: Fan, message: Message, settings: MemorySettings, data: BenchData
) -> list[str]:
    text, query = message
    params = within_fan_params(fan.id, query, text, settings, 5, data.anchor, True)
    with pool.connection() as conn, creator_scope(conn, fan.creator_id):
        rows = conn.execute(sql.SQL("EXPLAIN (ANALYZE, BUFFERS) ") + WITHIN_FAN, params)
        return [VECTOR_LITERAL.sub("'[query]'", str(row[0])) for row in rows]


def _explain_across(
    pool: Any, creator: UUID, query: list[float], settings: MemorySettings, path: Path
) -> list[str]:
    with pool.connection() as conn, creator_scope(conn, creator):
        _take(conn, path)
        conn.execute(HNSW_SETTINGS, [str(settings.ef_search)])
        params = {
            "query": as_vector(query),
            "limit": CROSS_FAN_LIMIT * CANDIDATES_PER_FAN,
            "with_personal": True,
        }
        rows = conn.execute(sql.SQL("EXPLAIN (ANALYZE, BUFFERS) ") + NEAREST, params)
        return [VECTOR_LITERAL.sub("'[query]'", str(row[0])) for row in rows]
