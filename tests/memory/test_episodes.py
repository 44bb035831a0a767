"""Episodic memory: every inbound fan message gets its vector (the background embedder, or the
draft that answers it), and recall finds the fan's own past messages that matter for the new
one, with the reply they got, beside the facts."""

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

import psycopg

from agent.service import DraftRequest
from crm.episodes import ingest_new_messages, recall_episodes, stored_vector
from crm.intelligence import recompute_creator
from crm.intelligence.alerts import open_alerts
from crm.intelligence.refresh_queue import drain
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from memory.settings import MemorySettings
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel, says
from tests.agent.rows import rows
from tests.memory.helpers import assert_own_vectors, stored_memory
from tests.tools.world import Creator

WEDDING = "I have to give a speech at my sister's wedding next month and I'm so nervous"


def said(
    conn: psycopg.Connection[Any], creator: Creator, body: str, days_ago: float, **extra: Any
) -> UUID:
    """A message of Max's (or `direction`/`fan` in `extra`), `days_ago` before FIXED_NOW."""
    with creator_scope(conn, creator.id):
        [(message_id,)] = conn.execute(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at,"
            " in_reply_to_id) VALUES (app_current_creator(), %(fan)s, %(direction)s,"
            " %(status)s, %(body)s, %(at)s, %(reply_to)s) RETURNING id",
            {
                "fan": extra.get("fan", creator.fan),
                "direction": extra.get("direction", "inbound"),
                "status": extra.get("status", "received"),
                "body": body,
                "at": FIXED_NOW - timedelta(days=days_ago),
                "reply_to": extra.get("reply_to"),
            },
        ).fetchall()
    return UUID(str(message_id))


def test_every_inbound_message_is_embedded_once_and_only_inbound_ones(
    conn: psycopg.Connection[Any],
    creator_a: Creator,
    creator_b: Creator,
    embedder: LocalEmbedder,
) -> None:
    mine = said(conn, creator_a, WEDDING, 30)
    ours = said(conn, creator_a, "good luck babe", 29, direction="outbound", status="sent")
    theirs = said(conn, creator_b, "my cat knocked my coffee over again", 1)

    assert ingest_new_messages(conn, embedder) >= 3  # both creators' (and the worlds' own)
    assert ingest_new_messages(conn, embedder) == 0
    with creator_scope(conn, creator_a.id):
        vector = stored_vector(conn, mine)
        assert vector is not None and len(vector) == 384
        assert_own_vectors(embedder, {WEDDING: vector})
        assert stored_vector(conn, ours) is None  # outbound: not the fan's memory
    with creator_scope(conn, creator_b.id):
        assert stored_vector(conn, theirs) is not None


def test_recall_finds_what_the_fan_said_before_with_the_reply_it_got(
    conn: psycopg.Connection[Any], creator_a: Creator, embedder: LocalEmbedder
) -> None:
    wedding = said(conn, creator_a, WEDDING, 30)
    said(conn, creator_a, "you'll smash it babe", 30, direction="outbound", status="sent",
         reply_to=wedding)  # fmt: skip
    said(conn, creator_a, "the weather has been so rainy here all week", 20)
    said(conn, creator_a, "wedding?", 10)  # too short to say anything
    shown = said(conn, creator_a, "the wedding speech is nearly written", 2)
    said(conn, creator_a, "my wedding speech is done!", 1, fan=creator_a.other_fan)
    ingest_new_messages(conn, embedder)
    [query] = embedder.embed(["the wedding is tomorrow and I still can't get the speech right"])

    with creator_scope(conn, creator_a.id):
        found = recall_episodes(
            conn,
            creator_a.fan,
            query,
            MemorySettings(),
            exclude={shown},
            limit=5,
            as_of=FIXED_NOW,
        )

    assert [e.message_id for e in found][:1] == [wedding]
    assert found[0].reply == "you'll smash it babe"
    assert {e.body for e in found}.isdisjoint(
        {"wedding?", "the wedding speech is nearly written", "my wedding speech is done!"}
    )
    assert all(e.similarity >= 0.35 for e in found)
    memory = found[0].as_memory()
    assert memory["kind"] == "message" and memory["id"] == str(wedding)
    assert memory["body"].startswith('said on Oct 2: "I have to give a speech')


class CountingEmbedder:
    def __init__(self, inner: LocalEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts += texts
        return self.inner.embed(texts)


def test_a_draft_recalls_the_fans_past_message_and_keeps_the_vector_it_computed(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder, conn: Any
) -> None:
    said(conn, creator_a, WEDDING, 30)
    for day in range(20, 0, -1):  # a conversation since, longer than the prompt's window
        said(conn, creator_a, f"day {day}: so tired after work today", day + 0.5)
        said(conn, creator_a, "aw rest up babe", day, direction="outbound", status="sent")
    ingest_new_messages(conn, embedder)
    asked = said(conn, creator_a, "the wedding is tomorrow and the speech still isn't right", 0)
    counting = CountingEmbedder(embedder)
    model = ScriptedChatModel([says("you've got this babe"), says("you've got this Max")])

    async def scenario() -> list[Any]:
        async with running(database, model, counting) as service:
            request = DraftRequest(creator_a.id, creator_a.fan, message_id=asked)
            return [await service.draft(request), await service.draft(request)]

    first, again = asyncio.run(scenario())

    [episode] = [m for m in first.memories if m["kind"] == "message"]
    assert WEDDING in episode["body"]
    assert episode == next(m for m in again.memories if m["kind"] == "message")
    # the message was embedded once, by the first draft, and kept for the second
    assert counting.texts.count("the wedding is tomorrow and the speech still isn't right") == 1
    [(kept,)] = rows(
        database, creator_a.id, "SELECT embedding IS NOT NULL FROM fan_messages WHERE id = %s",
        asked,
    )  # fmt: skip
    assert kept


def test_a_delivered_message_leaves_the_facts_it_states_though_no_draft_answers_it(
    conn: psycopg.Connection[Any], creator_a: Creator, embedder: LocalEmbedder
) -> None:
    birthday = said(conn, creator_a, "omg my birthday is on tuesday 🎂 getting old lol", 0.01)
    said(conn, creator_a, "anyway how was ur day", 0.005)  # the one a draft would answer
    cited = said(conn, creator_a, "my anniversary is on june 2", 0.02)
    with creator_scope(conn, creator_a.id):  # an imported memory cites it already
        stored_memory(
            conn, creator_a.fan, "key_date", "Anniversary: June 2", source_message_id=cited
        )
    ingest_new_messages(conn, embedder)
    ingest_new_messages(conn, embedder)  # nothing new: nothing remembered twice
    with creator_scope(conn, creator_a.id):
        found = conn.execute(
            "SELECT body, source_message_id, recurs_on, created_at FROM fan_memories"
            " WHERE fan_id = %s AND kind = 'key_date' ORDER BY body DESC",
            [creator_a.fan],
        ).fetchall()
    sent_at = FIXED_NOW - timedelta(days=0.01)
    tuesday = sent_at.date() + timedelta(days=(1 - sent_at.weekday()) % 7)
    assert [row[0] for row in found] == [
        f"Birthday is {tuesday:%B} {tuesday.day}",
        "Anniversary: June 2",  # its message was not read again
    ]
    assert found[0][1:] == (birthday, tuesday.replace(year=2000), sent_at)  # dated as said


def test_a_birthday_told_in_a_delivered_message_is_announced_at_once(
    conn: psycopg.Connection[Any], creator_a: Creator, embedder: LocalEmbedder
) -> None:
    with creator_scope(conn, creator_a.id):
        recompute_creator(conn, creator_a.id, full=True)  # the fan is scored, as in production
        conn.execute(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
            " VALUES (app_current_creator(), %s, 'inbound', 'received', %s)",
            [creator_a.fan, "my birthday is tomorrow!! 🎂"],
        )
    ingest_new_messages(conn, embedder)
    drain(conn)  # the refresh the job worker runs the next second
    with creator_scope(conn, creator_a.id):
        found = [a for a in open_alerts(conn) if a.type == "key_date"]
    assert [a.fan_id for a in found] == [creator_a.fan]
    assert found[0].message.endswith("(tomorrow)")
