"""The cross-fan path: the HNSW index with iterative scan, on thousands of random unit vectors in a
database of its own (random 384-dimensional vectors are the hard case for HNSW: no clusters).

The rows are copied in as the admin with the index dropped, then the index is built again from
its own definition (pg_get_indexdef): the same index, built in one go instead of row by row.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector
from psycopg import sql

from auth.operator import app_connection
from db import migrate
from db.connect import DatabaseTarget, creator_scope
from memory import search, store
from memory.settings import MemorySettings
from tests.memory.helpers import new_creator
from tests.pg import fresh_database

DIMENSIONS = 384
ROWS = 3000  # the creator searched
OTHER_ROWS = 1000  # another creator's, in the same index
SMALL_ROWS = 5  # a creator with a handful of memories among all the others
K = 10
# Exact: ordered by an expression the index cannot serve.
EXACT = """
SELECT id FROM fan_memories WHERE superseded_by IS NULL AND embedding IS NOT NULL
ORDER BY 1 - (embedding <=> %s) DESC, id LIMIT %s
"""


def unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    vectors = rng.normal(size=(n, DIMENSIONS)).astype(np.float32)
    normalised: np.ndarray[Any, np.dtype[np.float32]] = vectors / np.linalg.norm(
        vectors, axis=1, keepdims=True
    )
    return normalised


@dataclass(frozen=True)
class Corpus:
    target: DatabaseTarget
    creators: dict[str, UUID]


@pytest.fixture(scope="module")
def corpus() -> Iterator[Corpus]:
    rng = np.random.default_rng(20250601)
    with fresh_database("hnsw") as target:
        migrate.migrate(target.admin_url)
        creators = {}
        with psycopg.connect(target.admin_url, autocommit=True) as admin:
            register_vector(admin)
            row = admin.execute(
                "SELECT pg_get_indexdef('fan_memory_texts_embedding'::regclass)"
            ).fetchone()
            assert row is not None
            admin.execute("DROP INDEX fan_memory_texts_embedding")
            for name, rows, fans in (
                ("big", ROWS, 30),
                ("other", OTHER_ROWS, 10),
                ("small", SMALL_ROWS, 1),
            ):
                creator, fan_ids = new_creator(target, fans)
                creators[name] = creator
                _copy(admin, creator, fan_ids, unit_vectors(rng, rows))
            admin.execute(row[0])
            admin.execute("ANALYZE fan_memories")
        yield Corpus(target, creators)


def _copy(
    admin: psycopg.Connection[Any],
    creator: UUID,
    fans: list[UUID],
    vectors: np.ndarray[Any, np.dtype[np.float32]],
) -> None:
    columns = "creator_id, fan_id, kind, body, embedding"
    with admin.cursor().copy(
        f"COPY fan_memories ({columns}) FROM STDIN WITH (FORMAT BINARY)"
    ) as copy:
        copy.set_types(["uuid", "uuid", "text", "text", "vector"])
        for i, vector in enumerate(vectors):
            copy.write_row((creator, fans[i % len(fans)], "conversation_fact", f"m{i}", vector))


def test_hnsw_recall_against_exact_search_is_at_least_095(corpus: Corpus) -> None:
    settings = MemorySettings.model_construct()
    queries = unit_vectors(np.random.default_rng(7), 30)
    recalls = []
    with app_connection(corpus.target) as conn:
        for query in queries:
            with creator_scope(conn, corpus.creators["big"]):
                force_the_index(conn)
                approximate = {m.id for m, _ in search.nearest(conn, query, settings, limit=K)}
                exact = {row[0] for row in conn.execute(EXACT, [store.as_vector(query), K])}
            recalls.append(len(approximate & exact) / K)
        with creator_scope(conn, corpus.creators["big"]):
            force_the_index(conn)
            plan = _plan(conn, queries[0], settings)
    assert "fan_memory_texts_embedding" in plan, plan  # the index answered, not a sequential scan
    assert float(np.mean(recalls)) >= 0.95, f"recall@{K} {np.mean(recalls):.3f}"


def test_a_small_creator_gets_all_its_rows_from_the_index_among_thousands(
    corpus: Corpus,
) -> None:
    """The trap: the index returns ef_search candidates of all creators, and row-level security
    drops the others'; without iterative scan few or none would be left."""
    settings = MemorySettings.model_construct()
    query = unit_vectors(np.random.default_rng(11), 1)[0]
    with app_connection(corpus.target) as conn, creator_scope(conn, corpus.creators["small"]):
        force_the_index(conn)
        plan = _plan(conn, query, settings)
        found = search.nearest(conn, query, settings, limit=K)
    assert "fan_memory_texts_embedding" in plan
    assert len(found) == SMALL_ROWS
    similarities = [similarity for _, similarity in found]
    assert similarities == sorted(similarities, reverse=True)


def test_across_fans_returns_each_fan_once_and_only_the_scope_creators(corpus: Corpus) -> None:
    settings = MemorySettings.model_construct(cross_fan_min_similarity=-1.0)
    query = unit_vectors(np.random.default_rng(3), 1)[0]
    with app_connection(corpus.target) as conn, creator_scope(conn, corpus.creators["other"]):
        matches = search.across_fans(conn, query, settings, limit=10)
        fans = {
            row[0]
            for row in conn.execute(
                "SELECT id FROM fan_profiles WHERE creator_id = %s", [corpus.creators["other"]]
            )
        }
    assert len(matches) == 10
    assert len({m.fan_id for m in matches}) == 10
    assert {m.fan_id for m in matches} == fans


def force_the_index(conn: psycopg.Connection[Any]) -> None:
    """At this size the planner may prefer an exact scan and sort; the HNSW path is under test."""
    conn.execute("SET LOCAL enable_seqscan = off")
    conn.execute("SET LOCAL enable_sort = off")


def _plan(conn: psycopg.Connection[Any], query: Any, settings: MemorySettings) -> str:
    conn.execute(search.HNSW_SETTINGS, [str(settings.ef_search)])
    params = {"query": store.as_vector(query), "limit": K, "with_personal": True}
    rows = conn.execute(sql.SQL("EXPLAIN ") + search.NEAREST, params)
    return "\n".join(row[0] for row in rows)
