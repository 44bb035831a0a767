"""Remembering facts: near-identical facts are not stored twice, a changed fact supersedes the
old one, which stays as history."""

import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory import store
from memory.embedders import EmbeddingError, LocalEmbedder
from memory.extract import extract_facts
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import Fact
from tests.memory.helpers import assert_own_vectors, new_creator

WRITERS = 4
SAID_ON = date(2026, 12, 2)


def test_a_near_identical_fact_is_not_stored_twice_but_reinforced(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    first = Fact("personal_detail", "Has a dog named Max", "pet:dog", confidence=0.6)
    again = Fact("personal_detail", "Has a dog called Max", "pet:dog", confidence=0.95)
    with creator_scope(conn, creator):
        (added,) = remember(conn, embedder, fan, [first], settings)
        (duplicate,) = remember(conn, embedder, fan, [again], settings)
        current = store.list_current(conn, fan)
    assert added.outcome == "added" and duplicate.outcome == "duplicate"
    assert duplicate.memory.id == added.memory.id
    assert [m.body for m in current] == ["Has a dog named Max"]
    assert current[0].confidence > 0.9


def test_a_changed_fact_supersedes_the_old_one_which_stays_as_history(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    with creator_scope(conn, creator):
        (old,) = remember(
            conn, embedder, fan, [Fact("personal_detail", "Lives in Columbus", "city")], settings
        )
        (new,) = remember(
            conn, embedder, fan, [Fact("personal_detail", "Moved to Denver", "city")], settings
        )
        current = store.list_current(conn, fan)
        chain = store.history(conn, new.memory.id)
    assert new.outcome == "superseded" and new.replaced == old.memory
    assert [m.body for m in current] == ["Moved to Denver"]
    assert [m.body for m in chain] == ["Lives in Columbus", "Moved to Denver"]
    assert chain[0].superseded_by == new.memory.id


def test_a_changed_number_is_a_changed_fact_however_similar_the_text(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    before, after = "Birthday is March 14", "Birthday is March 15"
    similarity = sum(a * b for a, b in zip(*embedder.embed([before, after]), strict=True))
    with creator_scope(conn, creator):
        remember(conn, embedder, fan, [Fact("key_date", before, "birthday")], settings)
        (corrected,) = remember(
            conn, embedder, fan, [Fact("key_date", after, "birthday")], settings
        )
        current = store.list_current(conn, fan)
    assert similarity > 0.9  # near the dedupe threshold: the number decides
    assert corrected.outcome == "superseded"
    assert [m.body for m in current] == [after]


def test_facts_about_different_subjects_kinds_or_fans_are_all_kept(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan, other_fan) = new_creator(database, 2)
    facts = [
        Fact("personal_detail", "Has a dog named Max", "pet:dog"),
        Fact("personal_detail", "Has a cat named Max", "pet:cat"),
        Fact("preference", "Has a dog named Max"),  # same words, another kind
    ]
    with creator_scope(conn, creator):
        outcomes = remember(conn, embedder, fan, facts, settings)
        (elsewhere,) = remember(conn, embedder, other_fan, facts[:1], settings)
        counts = [len(store.list_current(conn, f)) for f in (fan, other_fan)]
    assert [o.outcome for o in outcomes] == ["added"] * 3
    assert elsewhere.outcome == "added"
    assert counts == [3, 1]


def test_a_duplicate_within_one_batch_is_stored_once(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    facts = [Fact("preference", "Loves pizza"), Fact("preference", "Really loves pizza")]
    with creator_scope(conn, creator):
        outcomes = remember(conn, embedder, fan, facts, settings)
        current = store.list_current(conn, fan)
    assert [o.outcome for o in outcomes] == ["added", "duplicate"]
    assert len(current) == 1


def test_two_writers_of_one_fan_at_once_store_a_fact_once(
    database: DatabaseTarget, embedder: LocalEmbedder, settings: MemorySettings
) -> None:
    creator, (fan,) = new_creator(database, 1)
    fact = Fact("conversation_fact", "Sent the creator a gift from the wishlist")
    start = threading.Barrier(WRITERS)
    outcomes: list[str] = []

    def write() -> None:
        with app_connection(database) as conn, creator_scope(conn, creator):
            start.wait()
            outcomes.extend(o.outcome for o in remember(conn, embedder, fan, [fact], settings))

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] + ["duplicate"] * (WRITERS - 1)
    assert _count(database, creator, fan) == 1


def _count(database: DatabaseTarget, creator: UUID, fan: UUID) -> int:
    with app_connection(database) as conn, creator_scope(conn, creator):
        return len(store.list_current(conn, fan))


def test_every_memory_remember_writes_carries_its_texts_vector(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    facts = [Fact("personal_detail", "Lives in Columbus", "city"), Fact("preference", "Loves jazz")]
    with creator_scope(conn, creator):
        remembered = remember(conn, embedder, fan, facts, settings)
        moved = remember(
            conn, embedder, fan, [Fact("personal_detail", "Moved to Denver", "city")], settings
        )
        stored = dict(conn.execute("SELECT body, embedding FROM fan_memories").fetchall())
    assert [r.outcome for r in [*remembered, *moved]] == ["added", "added", "superseded"]
    bodies = ["Lives in Columbus", "Loves jazz", "Moved to Denver"]
    assert sorted(stored) == sorted(bodies)
    assert all(stored[body] is not None for body in bodies)
    assert_own_vectors(embedder, {body: stored[body].to_numpy() for body in bodies})


class _Broken:
    name, dimensions = "broken:none", 384

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        raise EmbeddingError("the embedding backend is down")


def test_a_fact_that_cannot_be_embedded_is_not_written(
    database: DatabaseTarget, conn: psycopg.Connection[Any], settings: MemorySettings
) -> None:
    creator, (fan,) = new_creator(database, 1)
    with pytest.raises(EmbeddingError), creator_scope(conn, creator):
        remember(conn, _Broken(), fan, [Fact("preference", "Loves jazz")], settings)
    with creator_scope(conn, creator):
        assert store.list_current(conn, fan) == []


def _told(
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    fan: UUID,
    settings: MemorySettings,
    *messages: str,
) -> list[str]:
    """Remembers what the messages say, in order; the fan's current memories after them."""
    for message in messages:
        remember(conn, embedder, fan, extract_facts(message, said_on=SAID_ON), settings)
    return sorted(m.body for m in store.list_current(conn, fan))


def test_a_change_of_heart_replaces_the_taste_and_keeps_the_old_one_as_history(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    with creator_scope(conn, creator):
        current = _told(
            conn, embedder, fan, settings, "i love sushi omg", "ngl i hate sushi now, bad night"
        )
        (now,) = store.list_current(conn, fan)
        versions = [m.body for m in store.history(conn, now.id)]
    assert current == ["Dislikes sushi"]
    assert versions == ["Loves sushi", "Dislikes sushi"]


def test_a_second_pet_is_another_pet_and_a_pets_death_ends_having_it(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    with creator_scope(conn, creator):
        pets = _told(
            conn, embedder, fan, settings, "my dog max is snoring", "we adopted a dog named bella!!"
        )
        after = _told(conn, embedder, fan, settings, "my dog max passed away this morning 💔")
    assert pets == ["Has a dog named Bella", "Has a dog named Max"]
    assert after == ["Has a dog named Bella", "Their dog Max died"]


def test_coming_back_from_a_trip_ends_the_plan(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    with creator_scope(conn, creator):
        planned = _told(conn, embedder, fan, settings, "flying to Denver next week for work")
        back = _told(conn, embedder, fan, settings, "just got back from denver, so tired")
    assert planned == ["Mentioned a work trip to Denver next week"]
    assert back == ["Back from Denver"]


def test_a_fact_said_before_the_current_one_joins_its_history(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    june, july = datetime(2026, 6, 9, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    electrician = Fact("personal_detail", "Works as an electrician", "job", said_at=july)
    driver = Fact("personal_detail", "Works as a delivery driver", "job", said_at=june)
    with creator_scope(conn, creator):
        (now_,) = remember(conn, embedder, fan, [electrician], settings)
        (before,) = remember(conn, embedder, fan, [driver], settings)
        current = store.list_current(conn, fan)
        history = store.history(conn, now_.memory.id)
    assert now_.outcome == "added" and now_.memory.created_at == july
    assert before.outcome == "history" and before.memory.superseded_by == now_.memory.id
    assert [m.body for m in current] == ["Works as an electrician"]
    assert [m.body for m in history] == ["Works as a delivery driver", "Works as an electrician"]
