"""fan_memories through the store: provenance, supersession with history, deletion, the vector
every memory is written with, and creator isolation, all as the application role."""

from typing import Any

import psycopg
import pytest

from db.connect import DatabaseTarget, creator_scope
from memory import store
from memory.embedders import LocalEmbedder
from memory.types import Fact
from tests.memory.helpers import new_creator, new_message


def test_a_memory_keeps_its_provenance(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    fact_text = "Has a dog named Max"
    with creator_scope(conn, creator):
        message = new_message(conn, fan, "my dog's name is Max")
        fact = Fact("personal_detail", fact_text, "pet:dog", 0.9, 0.6, message)
        added = store.add(conn, fan, fact, embedder.embed([fact_text])[0])
        row = conn.execute(
            "SELECT creator_id, source_message_id, confidence, importance, subject,"
            " vector_dims(embedding) FROM fan_memories WHERE id = %s",
            [added.id],
        ).fetchone()
    assert row == (creator, message, pytest.approx(0.9), pytest.approx(0.6), "pet:dog", 384)
    assert added.fan_id == fan and added.superseded_by is None


def test_supersession_keeps_the_history_in_order(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    bodies = ["Lives in Columbus", "Moved to Denver", "Moved to Austin"]
    vectors = embedder.embed(bodies)
    with creator_scope(conn, creator):
        first = store.add(conn, fan, Fact("personal_detail", bodies[0], "city"), vectors[0])
        second = store.supersede(conn, first.id, Fact("personal_detail", bodies[1]), vectors[1])
        third = store.supersede(conn, second.id, Fact("personal_detail", bodies[2]), vectors[2])
        current = store.list_current(conn, fan)
        chains = [store.history(conn, m.id) for m in (first, second, third)]
        old = store.get(conn, first.id)
    assert [m.body for m in current] == ["Moved to Austin"]
    for chain in chains:
        assert [m.id for m in chain] == [first.id, second.id, third.id]
    assert old is not None and old.superseded_by == second.id
    assert chains[0][1].superseded_by == third.id and chains[0][2].superseded_by is None


def test_only_a_current_memory_can_be_superseded(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    vector = embedder.embed(["Works as a chef"])[0]
    with creator_scope(conn, creator):
        old = store.add(conn, fan, Fact("personal_detail", "Works as a cook"), vector)
        store.supersede(conn, old.id, Fact("personal_detail", "Works as a chef"), vector)
        with pytest.raises(store.NotCurrent):
            store.supersede(conn, old.id, Fact("personal_detail", "Works as a baker"), vector)
        bodies = [m.body for m in store.history(conn, old.id)]
    assert bodies == ["Works as a cook", "Works as a chef"]  # the failed call left nothing


def test_delete_forgets_every_version_of_a_fact_and_nothing_else(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    vector = embedder.embed(["Lives in Leeds"])[0]
    with creator_scope(conn, creator):
        old = store.add(conn, fan, Fact("personal_detail", "Lives in Leeds", "city"), vector)
        new = store.supersede(conn, old.id, Fact("personal_detail", "Moved to York"), vector)
        other = store.add(conn, fan, Fact("preference", "Loves sushi"), vector)
        deleted = store.delete(conn, new.id)
        left = store.list_current(conn, fan)
    assert deleted == 2
    assert [m.id for m in left] == [other.id]  # the old city did not come back as current


def test_reinforcing_raises_confidence_and_importance_never_lowers_them(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    vector = embedder.embed(["Drinks whiskey"])[0]
    with creator_scope(conn, creator):
        memory = store.add(conn, fan, Fact("preference", "Drinks whiskey", None, 0.5, 0.8), vector)
        again = Fact("preference", "Drinks whiskey", "drink", confidence=0.9, importance=0.3)
        kept = store.reinforce(conn, memory.id, again)
    assert kept.confidence == pytest.approx(0.9) and kept.importance == pytest.approx(0.8)
    assert kept.subject == "drink"


def test_another_creator_can_neither_see_nor_change_the_memories(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    owner, (fan,) = new_creator(database, 1)
    other, _ = new_creator(database, 1)
    vector = embedder.embed(["Birthday is May 21"])[0]
    with creator_scope(conn, owner):
        memory = store.add(conn, fan, Fact("key_date", "Birthday is May 21", "birthday"), vector)
    with creator_scope(conn, other):
        assert store.get(conn, memory.id) is None
        assert store.list_current(conn, fan) == []
        assert store.history(conn, memory.id) == []
        assert store.delete(conn, memory.id) == 0
        with pytest.raises(store.NotCurrent):
            store.supersede(conn, memory.id, Fact("key_date", "Birthday is May 22"), vector)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):  # not their fan
            store.add(conn, fan, Fact("key_date", "Birthday is May 23"), vector)
    with creator_scope(conn, owner):
        assert [m.id for m in store.list_current(conn, fan)] == [memory.id]


def test_writing_outside_a_creator_scope_fails(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    _, (fan,) = new_creator(database, 1)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no creator to write for
        store.add(conn, fan, Fact("preference", "Loves tacos"), embedder.embed(["tacos"])[0])


def test_a_memory_without_its_vector_is_refused_and_nothing_is_written(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    fact = Fact("personal_detail", "Has a dog named Max", "pet:dog")
    with creator_scope(conn, creator):
        none: list[float] = []
        for missing in (None, none):
            with pytest.raises(store.MissingEmbedding, match="Has a dog named Max"):
                store.add(conn, fan, fact, missing)  # type: ignore[arg-type]
        kept = store.add(conn, fan, fact, embedder.embed([fact.body])[0])
        with pytest.raises(store.MissingEmbedding, match="no embedding"):
            store.supersede(conn, kept.id, Fact("personal_detail", "Has a dog named Rex"), [])
        with pytest.raises(store.MissingEmbedding):
            store.set_embeddings(conn, [(kept.id, None)])  # type: ignore[list-item]
        # Past the store too: the database refuses the row (migration 0019).
        refused = psycopg.errors.CheckViolation
        with pytest.raises(refused, match="embedding_required"), conn.transaction():
            conn.execute(
                "INSERT INTO fan_memories (creator_id, fan_id, kind, body)"
                " VALUES (app_current_creator(), %s, 'preference', 'Loves tacos')",
                [fan],
            )
        with pytest.raises(refused, match="embedding_required"), conn.transaction():
            conn.execute("UPDATE fan_memories SET embedding = NULL WHERE id = %s", [kept.id])
        current = store.list_current(conn, fan)
        unembedded = conn.execute(
            "SELECT count(*) FROM fan_memories WHERE embedding IS NULL"
        ).fetchone()
    assert [m.id for m in current] == [kept.id] and unembedded == (0,)
