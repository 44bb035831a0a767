"""Reply suggestions by meaning: with the message's vector, the team's reply to a fan message
that means the same ranks above one whose fan message only shares a word (on the demo data,
"happy hump day!" was offered "good night ..." for sharing "day")."""

from typing import Any

import psycopg
import pytest

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
        found = suggest_replies(conn, creator.fan, MESSAGE, ["none"], query=query, limit=3)
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
