"""Memory search on the real database with the real MiniLM: within one fan (ranking on a labelled
set, isolation, the recency and importance blend) and across a creator's fans."""

import math
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest

from db.connect import DatabaseTarget, creator_scope
from memory import search, store
from memory.embedders import LocalEmbedder
from memory.settings import MemorySettings
from memory.types import Fact, Memory
from tests.memory.helpers import new_creator
from tests.memory.labelled import FACTS, QUERIES

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def add_facts(
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    fan: UUID,
    facts: tuple[tuple[Any, str, float], ...],
) -> list[Memory]:
    vectors = embedder.embed([body for _, body, _ in facts])
    return [
        store.add(conn, fan, Fact(kind, body, importance=importance), vector)
        for (kind, body, importance), vector in zip(facts, vectors, strict=True)
    ]


@pytest.fixture
def labelled(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> tuple[UUID, dict[str, UUID]]:
    """A creator whose three fans have the labelled facts; returns the creator and fan ids."""
    creator, fan_ids = new_creator(database, len(FACTS))
    fans = dict(zip(FACTS, fan_ids, strict=True))
    with creator_scope(conn, creator):
        for name, facts in FACTS.items():
            add_facts(conn, embedder, fans[name], facts)
    return creator, fans


def test_the_relevant_fact_ranks_first_on_the_labelled_set(
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
    labelled: tuple[UUID, dict[str, UUID]],
) -> None:
    creator, fans = labelled
    vectors = embedder.embed([message for _, message, _ in QUERIES])
    hits = 0
    with creator_scope(conn, creator):
        for (fan, _, expected), vector in zip(QUERIES, vectors, strict=True):
            ranked = search.within_fan(conn, fans[fan], vector, settings, limit=3, as_of=NOW)
            hits += ranked[0].memory.body == expected
    assert hits / len(QUERIES) >= 0.9, f"top-1 accuracy {hits}/{len(QUERIES)}"


def test_search_returns_only_that_fans_memories(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
    labelled: tuple[UUID, dict[str, UUID]],
) -> None:
    creator, fans = labelled
    # Another creator's fan remembers exactly what the query asks about.
    other_creator, (other_fan,) = new_creator(database, 1)
    with creator_scope(conn, other_creator):
        add_facts(conn, embedder, other_fan, FACTS["tom"])
    query = embedder.embed(["my kitty knocked my coffee over lol"])[0]  # Tom's cat
    with creator_scope(conn, creator):
        mikes = {m.id for m in store.list_current(conn, fans["mike"])}
        ranked = search.within_fan(conn, fans["mike"], query, settings, limit=100, as_of=NOW)
    assert {hit.memory.id for hit in ranked} == mikes
    assert {hit.memory.fan_id for hit in ranked} == {fans["mike"]}


def test_another_creator_finds_nothing_of_this_creators_fan(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
    labelled: tuple[UUID, dict[str, UUID]],
) -> None:
    _, fans = labelled
    other_creator, _ = new_creator(database, 1)
    query = embedder.embed(["birthday"])[0]
    with creator_scope(conn, other_creator):
        assert search.within_fan(conn, fans["mike"], query, settings, as_of=NOW) == []
        assert search.across_fans(conn, query, settings) == []


def test_recency_then_importance_then_id_order_equally_similar_facts(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    body = "Loves tacos"
    (vector,) = embedder.embed([body])
    with creator_scope(conn, creator):
        rows = [
            store.add(conn, fan, Fact("conversation_fact", body, importance=imp), vector)
            for imp in (0.5, 0.5, 0.5, 0.9)
        ]
        old = rows[0]
        conn.execute(
            "UPDATE fan_memories SET created_at = %s WHERE id = %s",
            [NOW - timedelta(days=90), old.id],
        )
        conn.execute(
            "UPDATE fan_memories SET created_at = %s WHERE id <> %s AND fan_id = %s",
            [NOW, old.id, fan],
        )
        ranked = search.within_fan(conn, fan, vector, settings, limit=10, as_of=NOW)
    tied = sorted(r.id for r in rows[1:3])
    assert [hit.memory.id for hit in ranked] == [rows[3].id, *tied, old.id]
    assert ranked[-1].recency == pytest.approx(0.5)  # one half-life old
    assert ranked[0].score == pytest.approx(0.75 * ranked[0].similarity + 0.10 + 0.15 * 0.9)


def test_durable_facts_keep_their_weight_as_they_age_and_passing_ones_fade(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    (vector,) = embedder.embed(["Went to Vegas with his dog Biscuit"])
    with creator_scope(conn, creator):
        pet = store.add(conn, fan, Fact("pet_name", "Has a dog named Biscuit"), vector)
        trip = store.add(conn, fan, Fact("conversation_fact", "Went to Vegas"), vector)
        conn.execute(
            "UPDATE fan_memories SET created_at = %s WHERE fan_id = %s",
            [NOW - timedelta(days=300), fan],
        )
        ranked = {
            hit.memory.id: hit
            for hit in search.within_fan(conn, fan, vector, settings, limit=10, as_of=NOW)
        }
    assert ranked[pet.id].recency == 1  # a pet's name is still true 300 days on
    assert ranked[trip.id].recency == pytest.approx(0.5 ** (300 / 90))
    # and a pet's name weighs more than a passing fact when nothing says otherwise
    assert (pet.importance, trip.importance) == (0.8, 0.4)
    assert ranked[pet.id].score > ranked[trip.id].score


def test_a_rare_word_the_message_shares_with_a_memory_lifts_it_more_than_an_everyday_word(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    facts = (
        ("pet_name", "Has a parrot named Bella", 0.8),
        ("pet_name", "Has a dog named Max", 0.8),
        ("conversation_fact", "Works at a bakery downtown", 0.4),
    )
    message = "bella learned to say hello at work this morning"
    (vector,) = embedder.embed([message])
    with creator_scope(conn, creator):
        parrot, dog, bakery = add_facts(conn, embedder, fan, facts)
        ranked = {
            hit.memory.id: hit
            for hit in search.within_fan(
                conn, fan, vector, settings, text=message, limit=10, as_of=NOW
            )
        }
        by_meaning = {
            hit.memory.id: hit
            for hit in search.within_fan(conn, fan, vector, settings, limit=10, as_of=NOW)
        }
    # The message's stems: bella (rare), learn, say, hello, work, morn (everyday, prior 0.3);
    # idf among the 3 memories: ln(1 + (3 - df + 0.5) / (df + 0.5)), df 1 for bella and work.
    seen, unseen = math.log(1 + 2.5 / 1.5), math.log(1 + 3.5 / 0.5)
    total = seen + 0.3 * seen + 4 * 0.3 * unseen
    assert ranked[parrot.id].lexical == pytest.approx(seen / total)
    assert ranked[bakery.id].lexical == pytest.approx(0.3 * seen / total)  # "work": everyday
    assert ranked[dog.id].lexical == 0
    lift = ranked[parrot.id].score - by_meaning[parrot.id].score
    assert lift == pytest.approx(settings.weight_text * seen / total)
    assert ranked[dog.id].score == pytest.approx(by_meaning[dog.id].score)


def test_a_band_named_in_the_message_gains_on_a_look_alike_that_meaning_alone_prefers(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    facts = (
        ("conversation_fact", "Has tickets to see Metallica on November 12", 0.6),
        ("preference", "His favourite band is Khruangbin", 0.5),
        ("conversation_fact", "Got a parking ticket this week", 0.4),
    )
    message = "khruangbin tickets secured!!! front row baby"
    (vector,) = embedder.embed([message])
    with creator_scope(conn, creator):
        add_facts(conn, embedder, fan, facts)
        by_meaning = search.within_fan(conn, fan, vector, settings, as_of=NOW)
        hybrid = search.within_fan(conn, fan, vector, settings, text=message, as_of=NOW)
    metallica, khruangbin = facts[0][1], facts[1][1]
    assert [hit.memory.body for hit in by_meaning[:2]] == [metallica, khruangbin]
    # The shared name lifts Khruangbin's memory by weight_text x its share of the message's words
    # (0.27: four words no memory has dilute it); "tickets" lifts Metallica's by far less. With
    # the int8 encoder meaning prefers Metallica by 0.034, more than the 0.1 weight overturns.
    assert {hit.memory.body for hit in hybrid[:2]} == {metallica, khruangbin}
    score = {hit.memory.body: hit.score for hit in hybrid}
    meaning_score = {hit.memory.body: hit.score for hit in by_meaning}
    narrowed = (meaning_score[metallica] - meaning_score[khruangbin]) - (
        score[metallica] - score[khruangbin]
    )
    assert narrowed > 0.02


def test_superseded_memories_are_not_searched(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    old_body, new_body = "Lives in Tampa", "Moved to Phoenix"
    vectors = embedder.embed([old_body, new_body])
    with creator_scope(conn, creator):
        old = store.add(conn, fan, Fact("personal_detail", old_body, "city"), vectors[0])
        new = store.supersede(conn, old.id, Fact("personal_detail", new_body, "city"), vectors[1])
        ranked = search.within_fan(conn, fan, vectors[0], settings, as_of=NOW)
        nearest = search.nearest(conn, vectors[0], settings, limit=10)
    assert [hit.memory.id for hit in ranked] == [new.id]
    assert [memory.id for memory, _ in nearest] == [new.id]


def test_a_plan_whose_time_is_over_is_recalled_as_past_and_no_longer_found_across_fans(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    plan = Fact(
        "conversation_fact",
        "Mentioned a trip to Vegas next week",
        expires_at=datetime.now(UTC) + timedelta(days=3),
    )
    query = embedder.embed(["how was vegas??"])[0]
    with creator_scope(conn, creator):
        store.add(conn, fan, plan, embedder.embed([plan.body])[0])
        (ahead,) = search.within_fan(conn, fan, query, settings, text="how was vegas??")
        found_ahead = search.nearest(conn, query, settings, limit=5)
        conn.execute("UPDATE fan_memories SET expires_at = now() - interval '1 day'")
        (over,) = search.within_fan(conn, fan, query, settings, text="how was vegas??")
        found_over = search.nearest(conn, query, settings, limit=5)
    said = f"{ahead.memory.created_at:%b %-d}"
    assert ahead.memory.body_on(datetime.now(UTC)) == f"{plan.body} (said on {said})"
    assert over.memory.body_on(datetime.now(UTC)) == f"{plan.body} (said on {said}; past)"
    assert [m.body for m, _ in found_ahead] == [plan.body] and found_over == []


def test_across_fans_finds_the_fans_who_mentioned_a_trip_and_only_this_creators(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
    labelled: tuple[UUID, dict[str, UUID]],
) -> None:
    creator, fans = labelled  # Mike (Chicago) and Sam (London) mentioned trips, Tom did not
    paris_fan = _add_fan(conn, creator)
    other_creator, (other_fan,) = new_creator(database, 1)
    trip = (("conversation_fact", "Mentioned a trip to Paris next week", 0.5),)
    with creator_scope(conn, creator):
        add_facts(conn, embedder, paris_fan, trip)
    with creator_scope(conn, other_creator):
        add_facts(conn, embedder, other_fan, trip)
    (query,) = embedder.embed(["fans who mentioned a trip"])
    with creator_scope(conn, creator):
        matches = search.across_fans(conn, query, settings, limit=10)
        own = {m.id for f in [*fans.values(), paris_fan] for m in store.list_current(conn, f)}
    found = [match.fan_id for match in matches]
    assert set(found[:3]) == {fans["mike"], fans["sam"], paris_fan}
    assert all("trip" in m.memory.body or "vacation" in m.memory.body for m in matches[:3])
    assert len(found) == len(set(found))  # each fan once
    assert {match.memory.id for match in matches} <= own  # nothing of the other creator


def _add_fan(conn: psycopg.Connection[Any], creator: UUID) -> UUID:
    with creator_scope(conn, creator):
        row = conn.execute(
            "INSERT INTO fan_profiles (creator_id, display_name) VALUES (%s, 'Traveller')"
            " RETURNING id",
            [creator],
        ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def test_the_hnsw_settings_end_with_the_creator_scope(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, _ = new_creator(database, 1)
    with creator_scope(conn, creator):
        search.nearest(conn, embedder.embed(["trip"])[0], settings, limit=5)
        inside = conn.execute("SHOW hnsw.iterative_scan").fetchone()
    after = conn.execute("SHOW hnsw.iterative_scan").fetchone()
    assert inside == ("relaxed_order",) and after == ("off",)


def test_a_memory_said_on_the_day_the_message_points_back_to_ranks_first(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    facts = (
        ("conversation_fact", "Tried a new ramen place downtown", 0.5),
        ("conversation_fact", "Went to a concert with his brother", 0.5),
        ("conversation_fact", "Got a new puppy", 0.5),
    )
    message = "remember what i told you last friday?"  # NOW is a Sunday: Friday May 30
    (vector,) = embedder.embed([message])
    with creator_scope(conn, creator):
        ramen, concert, puppy = add_facts(conn, embedder, fan, facts)
        for memory, said in ((ramen, 27), (concert, 30), (puppy, 2)):
            conn.execute(
                "UPDATE fan_memories SET created_at = %s WHERE id = %s",
                [datetime(2025, 5, said, 20, tzinfo=UTC), memory.id],
            )
        ranked = search.within_fan(conn, fan, vector, settings, text=message, as_of=NOW)
        undated = settings.model_copy(update={"weight_said_then": 0.0})
        plain = search.within_fan(conn, fan, vector, undated, text=message, as_of=NOW)
    assert ranked[0].memory.id == concert.id
    by_id = {hit.memory.id: hit.score for hit in plain}
    assert ranked[0].score == pytest.approx(by_id[concert.id] + settings.weight_said_then)
    assert {hit.memory.id: hit.score for hit in ranked[1:]} == pytest.approx(
        {key: value for key, value in by_id.items() if key != concert.id}
    )
