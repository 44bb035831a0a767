"""fan_memory_texts (migration 0011): one vector per distinct memory text of a creator, kept in
step with fan_memories by triggers, under the writer's row-level security; and cross-fan search
through it when hundreds of fans share each text (the case a per-memory HNSW graph failed)."""

import threading
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory import search, store
from memory.settings import MemorySettings
from memory.types import Fact
from tests.memory.helpers import new_creator
from tests.memory.test_hnsw import unit_vectors

TEXT_ROWS = "SELECT body_md5, embedding FROM fan_memory_texts WHERE body_md5 = md5(%s)"


def _texts(conn: psycopg.Connection[Any], body: str) -> list[tuple[str, Any]]:
    return [(row[0], row[1]) for row in conn.execute(TEXT_ROWS, [body])]


def test_a_text_is_kept_once_while_any_memory_has_it_and_goes_with_the_last(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fans = new_creator(database, 2)
    vector = unit_vectors(np.random.default_rng(1), 1)[0]
    fact = Fact("personal_detail", "Works as a nurse")
    with creator_scope(conn, creator):
        first = store.add(conn, fans[0], fact, vector)
        second = store.add(conn, fans[1], fact, vector)
        assert len(_texts(conn, fact.body)) == 1
        store.delete(conn, first.id)
        assert len(_texts(conn, fact.body)) == 1  # the other fan still has it
        store.delete(conn, second.id)
        assert _texts(conn, fact.body) == []


def test_a_memory_adds_its_text_with_its_vector_and_a_new_vector_replaces_it(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    creator, fans = new_creator(database, 1)
    vectors = unit_vectors(np.random.default_rng(2), 2)
    with creator_scope(conn, creator):
        memory = store.add(conn, fans[0], Fact("preference", "Loves hiking"), vectors[0].tolist())
        ((_, stored),) = _texts(conn, "Loves hiking")
        assert np.allclose(stored.to_numpy(), vectors[0])
        store.set_embeddings(conn, [(memory.id, vectors[1].tolist())])  # embedded again
        ((_, stored),) = _texts(conn, "Loves hiking")
        assert np.allclose(stored.to_numpy(), vectors[1])


def test_each_creator_has_its_own_texts_and_sees_only_them(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    (creator_a, fans_a), (creator_b, fans_b) = new_creator(database, 1), new_creator(database, 1)
    vector = unit_vectors(np.random.default_rng(3), 1)[0]
    fact = Fact("preference", "Likes red lingerie sets")
    for creator, fans in ((creator_a, fans_a), (creator_b, fans_b)):
        with creator_scope(conn, creator):
            store.add(conn, fans[0], fact, vector)
    with creator_scope(conn, creator_a):
        assert len(_texts(conn, fact.body)) == 1
        store.delete(conn, store.list_current(conn, fans_a[0])[0].id)
        assert _texts(conn, fact.body) == []
    with creator_scope(conn, creator_b):
        assert len(_texts(conn, fact.body)) == 1  # B's text did not go with A's memory
    with creator_scope(conn, creator_a), pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO fan_memory_texts (creator_id, body_md5, embedding)"
            " VALUES (%s, md5('planted'), %s)",
            [creator_b, store.as_vector(vector)],
        )


SHARED_TEXTS = 30
FANS_PER_TEXT = 400  # more than a per-memory graph survives (bench/README.md)
K = 80


def test_cross_fan_search_finds_the_nearest_when_hundreds_of_fans_share_each_text(
    database: DatabaseTarget,
) -> None:
    creator, fans = new_creator(database, FANS_PER_TEXT)
    vectors = unit_vectors(np.random.default_rng(4), SHARED_TEXTS)
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        register_vector(admin)
        with admin.cursor().copy(
            "COPY fan_memories (creator_id, fan_id, kind, body, embedding)"
            " FROM STDIN WITH (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["uuid", "uuid", "text", "text", "vector"])
            for t, vector in enumerate(vectors):
                for fan in fans:
                    copy.write_row((creator, fan, "conversation_fact", f"text {t}", vector))
    settings = MemorySettings.model_construct()
    queries = unit_vectors(np.random.default_rng(5), 10)
    with app_connection(database) as conn:
        for query in queries:
            with creator_scope(conn, creator):
                conn.execute("SET LOCAL enable_seqscan = off")  # the HNSW path is under test
                found = search.nearest(conn, query, settings, limit=K)
            exact = _exact(conn, creator, query)
            assert [m.id for m, _ in found] == exact
        with creator_scope(conn, creator):
            matches = search.across_fans(
                conn, queries[0], MemorySettings.model_construct(cross_fan_min_similarity=-1.0)
            )
    assert len({m.fan_id for m in matches}) == 20


def _exact(conn: psycopg.Connection[Any], creator: UUID, query: Any) -> list[UUID]:
    """The K nearest current memories by a full scan, ties by id."""
    with creator_scope(conn, creator):
        rows = conn.execute(
            "SELECT id FROM fan_memories WHERE superseded_by IS NULL"
            " ORDER BY round((embedding <=> %s)::numeric, 6), id LIMIT %s",
            [store.as_vector(query), K],
        )
        return [row[0] for row in rows]


def test_writers_of_shared_texts_in_opposite_orders_never_wait_on_each_other(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    """Two fans' writers each add a memory of text X and of text Y, in opposite orders, with
    vectors a little off the kept ones (as int8 batches give): neither waits for the other.
    An exclusive lock on each text row made this a deadlock."""
    creator, fans = new_creator(database, 3)
    kept = unit_vectors(np.random.default_rng(7), 2)
    texts = [Fact("preference", "Loves hiking"), Fact("personal_detail", "Has a dog named Max")]
    with creator_scope(conn, creator):
        for fact, vector in zip(texts, kept, strict=True):
            store.add(conn, fans[0], fact, vector.tolist())
    nudged = [v + 0.05 * u for v, u in zip(kept, kept[::-1], strict=True)]
    nearby = [v / np.linalg.norm(v) for v in nudged]
    with (
        app_connection(database) as first,
        app_connection(database) as second,
        creator_scope(first, creator),
        creator_scope(second, creator),
    ):
        store.add(first, fans[1], texts[0], nearby[0].tolist())
        store.add(second, fans[2], texts[1], nearby[1].tolist())
        crossing = threading.Thread(
            target=store.add, args=(first, fans[1], texts[1], nearby[1].tolist())
        )
        crossing.start()
        crossing.join(timeout=5.0)
        assert not crossing.is_alive()  # no wait on the second writer's open transaction
        store.add(second, fans[2], texts[0], nearby[0].tolist())
    with creator_scope(conn, creator):
        for fact, vector in zip(texts, kept, strict=True):
            ((_, stored),) = _texts(conn, fact.body)
            assert np.allclose(stored.to_numpy(), vector)  # the same model's vector: kept


def test_a_text_survives_a_delete_that_races_an_insert_of_the_same_text(
    database: DatabaseTarget, conn: psycopg.Connection[Any]
) -> None:
    """The insert share-locks the text row; the delete of the text's last other memory waits
    for it and then sees the new memory, so the text stays."""
    creator, fans = new_creator(database, 2)
    vector = unit_vectors(np.random.default_rng(6), 1)[0]
    fact = Fact("preference", "Likes rainy days")
    with creator_scope(conn, creator):
        old = store.add(conn, fans[0], fact, vector)
    with app_connection(database) as inserter, app_connection(database) as deleter:

        def delete_old() -> None:
            with creator_scope(deleter, creator):
                store.delete(deleter, old.id)

        racing = threading.Thread(target=delete_old)
        with creator_scope(inserter, creator):  # not yet committed
            store.add(inserter, fans[1], fact, vector)
            racing.start()
            racing.join(timeout=1.0)
            assert racing.is_alive()  # the delete waits for the insert's lock on the text
        racing.join(timeout=30)
    assert not racing.is_alive()
    with creator_scope(conn, creator):
        assert len(_texts(conn, fact.body)) == 1
        assert [m.fan_id for m in store.list_current(conn, fans[1])] == [fans[1]]
