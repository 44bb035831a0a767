"""Reply suggestions by meaning: with the message's vector, the team's reply to a fan message
that means the same ranks above one whose fan message only shares a word (on the demo data,
"happy hump day!" was offered "good night ..." for sharing "day")."""

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from crm.day_parts import suits_the_hour
from crm.episodes import ingest_new_messages
from crm.suggestions import readdressed, suggest_replies
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.test_draft_guard import a_past_reply
from tests.tools.world import Creator

MESSAGE = "happy hump day babe, halfway through the week"


def suggestions(
    conn: psycopg.Connection[Any], creator: Creator, query: list[float] | None
) -> list[str]:
    with creator_scope(conn, creator.id):
        found = suggest_replies(
            conn, creator.fan, MESSAGE, ["none"], now=datetime.now(UTC), query=query, limit=3
        )
    return [s.text for s in found]


def test_the_reply_to_a_message_that_means_the_same_comes_first(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    creator_a: Creator,
    embedder: LocalEmbedder,
) -> None:
    a_past_reply(database, creator_a, "what a long day, going to bed now", "good night Other 😘")
    a_past_reply(
        database,
        creator_a,
        "made it to wednesday, the weekend is close",
        "we're nearly there 🙌",
    )
    ingest_new_messages(conn, embedder)
    [query] = embedder.embed([MESSAGE])

    assert suggestions(conn, creator_a, None) == ["good night Max 😘"]  # by the word "day"
    by_meaning = suggestions(conn, creator_a, query)
    assert by_meaning[0] == "we're nearly there 🙌"
    assert set(by_meaning) >= {"we're nearly there 🙌", "good night Max 😘"}


@pytest.mark.parametrize(
    ("body", "names", "expected"),
    [
        (
            "i'd really miss you Brian 🥺 stay for it?",
            ["CaptainBrian", "u67021027"],
            "i'd really miss you Victor 🥺 stay for it?",
        ),  # seen on the demo data: the other fan's name reached LoverVictor's suggestions
        ("morning brian ☀️", ["brian55", "brian7642"], "morning Victor ☀️"),
        (
            "haha you're too cute Jake",
            ["Jake M.", "captain_jake", "Jake Murphy"],
            "haha you're too cute Victor",
        ),
        ("you're my favourite", ["CaptainBrian"], "you're my favourite"),
        # "good Oliver Oliver 😘" on the demo: a full name is one address
        ("good boy Kevin Smith 😘", ["Kevin S.", "Kevin Smith"], "good boy Victor 😘"),
        ("good Captain Kevin 😘", ["CaptainKevin"], "good Victor 😘"),
    ],
)
def test_another_fans_name_never_reaches_a_suggestion(
    body: str, names: list[str], expected: str
) -> None:
    assert readdressed(body, names, "Victor") == expected


@pytest.mark.parametrize(
    ("reply", "hour", "suits"),
    [
        ("morning Joshy ☀️", 20, False),  # seen on the demo: offered to Josh at 8 pm his time
        ("morning Joshy ☀️", 9, True),
        ("gm babe", 23, False),
        ("good night 😘 sleep well", 23, True),
        ("good night 😘", 10, False),
        ("gn babe", 2, True),
        ("good evening handsome", 8, False),
        ("how was your morning?", 20, True),  # asks about it, greets nothing
        ("what are you up to tonight?", 10, True),
        ("lol stop 😂", 4, True),
    ],
)
def test_a_greeting_suits_only_its_part_of_the_day(reply: str, hour: int, suits: bool) -> None:
    assert suits_the_hour(reply, hour) is suits


def test_a_good_morning_is_not_suggested_in_the_fans_evening(
    database: DatabaseTarget, conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    a_past_reply(database, creator_a, "good morning sunshine ☀️", "morning Other ☀️")

    def offered(at: datetime) -> list[str]:
        with creator_scope(conn, creator_a.id):
            found = suggest_replies(conn, creator_a.fan, "good morning!!", ["none"], now=at)
        return [s.text for s in found]

    evening = datetime(2026, 12, 7, 2, 19, tzinfo=UTC)  # 8:19 pm in Chicago
    morning = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 8 am
    assert "morning Max ☀️" in offered(evening)  # his timezone unknown: nothing is left out
    set_timezone(conn, creator_a, "America/Chicago")
    try:
        assert "morning Max ☀️" not in offered(evening)
        assert "morning Max ☀️" in offered(morning)
    finally:
        set_timezone(conn, creator_a, None)


def set_timezone(conn: psycopg.Connection[Any], creator: Creator, timezone: str | None) -> None:
    with creator_scope(conn, creator.id):
        conn.execute("UPDATE fan_profiles SET timezone = %s WHERE id = %s", [timezone, creator.fan])
