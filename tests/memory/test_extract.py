"""The pattern extractor on labelled fan messages (every MemoryKind), and extraction
feeding remember: provenance kept, a changed fact superseding the old one."""

import uuid
from datetime import date
from typing import Any

import psycopg
import pytest

from db.connect import DatabaseTarget, creator_scope
from memory import store
from memory.embedders import LocalEmbedder
from memory.extract import extract_facts
from memory.remember import remember
from memory.settings import MemorySettings
from tests.memory.helpers import new_creator, new_message

# message -> the facts in it as (kind, subject, body)
LABELLED: dict[str, set[tuple[str, str | None, str]]] = {
    "My dog's name is Max": {("personal_detail", "pet:dog:max", "Has a dog named Max")},
    "my golden retriever Biscuit is being so needy today lol": {
        ("personal_detail", "pet:dog:biscuit", "Has a golden retriever named Biscuit")
    },
    "my cat is called luna": {("personal_detail", "pet:cat:luna", "Has a cat named Luna")},
    "my parrot Kiwi won't stop talking": {
        ("personal_detail", "pet:bird:kiwi", "Has a parrot named Kiwi")
    },
    "huge Cowboys fan, sunday is game day for me": {
        ("personal_detail", "team", "Big fan of Cowboys")
    },
    "my anniversary is june 2nd": {
        ("key_date", "wedding_anniversary", "Wedding anniversary is June 2")
    },
    "my birthday is March 14, just saying 👀": {("key_date", "birthday", "Birthday is March 14")},
    "my bday is on the 2nd of july!!": set(),  # "the 2nd" is not a pattern: no guess
    "my bday is 2nd of july!!": {("key_date", "birthday", "Birthday is July 2")},
    "can't believe it's been a year since i subscribed on October 30": {
        ("key_date", "anniversary", "Subscription anniversary is October 30")
    },
    "i love it when you call me babe": {("pet_name", "pet_name", "Likes being called 'babe'")},
    "my friends call me Tank btw": {("pet_name", "nickname", "Goes by 'Tank'")},
    "I love hiking": {("preference", "taste:hiking", "Loves hiking")},
    "your voice notes are my favourite honestly": {
        ("preference", "content_format", "Prefers voice notes")
    },
    "honestly photos > videos for me": {
        ("preference", "content_format", "Prefers photos over videos")
    },
    "you look amazing in emerald green": {
        ("preference", None, "Loves seeing the creator in emerald green")
    },
    "my favourite food is sushi": {("preference", "favourite:food", "Favourite food: sushi")},
    "i hate mornings": {("preference", "taste:mornings", "Dislikes mornings")},
    "I work as a nurse at the county hospital": {("personal_detail", "job", "Works as a nurse")},
    "just finished a 12 hour shift, being a truck driver is exhausting": {
        ("personal_detail", "job", "Works as a truck driver")
    },
    "quit my old job, i'm a software engineer now 🎉": {
        ("personal_detail", "job", "Works as a software engineer")
    },
    "living in Columbus is so expensive man": {("personal_detail", "city", "Lives in Columbus")},
    "finally moved to Denver!! new place is great": {
        ("personal_detail", "city", "Moved to Denver")
    },
    "spent the whole weekend working on his car": {
        ("personal_detail", None, "Spends weekends working on his car")
    },
    "i'm 42 years old": {("personal_detail", "age", "Is 42 years old")},
    "I'm going to Paris next week": {
        ("conversation_fact", "trip:paris", "Mentioned a trip to Paris next week")
    },
    "going to Chicago next week for work ugh": {
        ("conversation_fact", "trip:chicago", "Mentioned a work trip to Chicago next week")
    },
    "sent you a little something from your wishlist 🎁": {
        ("conversation_fact", None, "Sent the creator a gift from the wishlist")
    },
    "my best friend is getting married next month": {
        ("conversation_fact", None, "Best friend is getting married next month")
    },
    "i just got promoted!": {("conversation_fact", None, "Got promoted")},
    "my dog's name is Rocky and my birthday is May 21": {
        ("personal_detail", "pet:dog:rocky", "Has a dog named Rocky"),
        ("key_date", "birthday", "Birthday is May 21"),
    },
    # Nothing durable in these.
    "hey babe how are you": set(),
    "i love you": set(),
    "i love your new pics": set(),
    "call me later ok?": set(),
    "i'm going to bed": set(),
    "going to the gym tomorrow": set(),
    "i'm 20 minutes away": set(),
    "i live in a small town": set(),
    "i'm a simple guy": set(),
    "how much for a custom vid?": set(),
}


@pytest.mark.parametrize("message", list(LABELLED))
def test_the_extractor_finds_the_labelled_facts(message: str) -> None:
    found = {(f.kind, f.subject, f.body) for f in extract_facts(message)}
    assert found == LABELLED[message]


def test_each_fact_carries_its_provenance_and_a_confidence() -> None:
    source = uuid.uuid4()
    facts = extract_facts("my cat is called luna, i love sushi", source_message_id=source)
    assert [f.body for f in facts] == ["Has a cat named Luna", "Loves sushi"]
    assert all(f.source_message_id == source for f in facts)
    assert all(0 < f.confidence <= 1 and 0 < (f.importance or 0) <= 1 for f in facts)
    assert facts[0].confidence > facts[1].confidence  # a named pet is surer than "i love X"


def test_today_and_tomorrow_resolve_against_the_day_the_fan_wrote() -> None:
    said_on = date(2025, 2, 28)
    today = extract_facts("it's my birthday today!!", said_on=said_on)
    tomorrow = extract_facts("my bday is tomorrow", said_on=said_on)
    assert [f.body for f in today] == ["Birthday is February 28"]
    assert [f.body for f in tomorrow] == ["Birthday is March 1"]
    assert extract_facts("my bday is tomorrow") == []  # unknown day: no guess


def test_impossible_dates_are_not_remembered() -> None:
    assert extract_facts("my birthday is february 30") == []
    assert [f.body for f in extract_facts("my birthday is feb 29")] == ["Birthday is February 29"]


def test_extracted_facts_from_messages_supersede_and_keep_history(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    messages = [
        "living in Columbus is so expensive man",
        "still stuck at my job as a cashier",
        "finally moved to Denver!! new place is great",
        "quit my old job, i'm a chef now 🎉",
        "denver is great, i live in Denver now",
    ]
    outcomes = []
    with creator_scope(conn, creator):
        for text in messages:
            message = new_message(conn, fan, text)
            facts = extract_facts(text, source_message_id=message)
            outcomes += [
                (o.outcome, o.memory.body, o.memory.source_message_id == message)
                for o in remember(conn, embedder, fan, facts, settings)
            ]
        current = {m.subject: m.body for m in store.list_current(conn, fan)}
        city = next(m for m in store.list_current(conn, fan) if m.subject == "city")
        city_history = [m.body for m in store.history(conn, city.id)]
    assert outcomes == [
        ("added", "Lives in Columbus", True),
        ("added", "Works as a cashier", True),
        ("superseded", "Moved to Denver", True),
        ("superseded", "Works as a chef", True),
        ("superseded", "Lives in Denver", True),
    ]
    assert current == {"city": "Lives in Denver", "job": "Works as a chef"}
    assert city_history == ["Lives in Columbus", "Moved to Denver", "Lives in Denver"]


# --- defects seen on real multi-session chat ----------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "going to Boston. Maybe we can facetime after?",
        "heading to boston next week. maybe ill bring u something",
        "trip to Boston. Maybe",
    ],
)
def test_a_place_stops_at_the_full_stop(message: str) -> None:
    bodies = [f.body for f in extract_facts(message)]
    assert len(bodies) == 1 and bodies[0].startswith("Mentioned a trip to Boston")
    assert "Maybe" not in bodies[0] and "." not in bodies[0]


def test_a_friends_trip_is_not_the_fans() -> None:
    assert extract_facts("my buddy is going to Vegas next week") == []
    assert extract_facts("my buddy's trip to Vegas got cancelled lol") == []
    both = "my buddy is going to Vegas next week and im going to Denver next month"
    assert [f.body for f in extract_facts(both)] == ["Mentioned a trip to Denver next month"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("i love to.", []),
        ("i love to lol", []),
        ("i hate not being with you", []),  # about the creator
        ("i hate not being able to sleep", ["Dislikes not being able to sleep"]),
        ("i love working with my hands", ["Loves working with their hands"]),
        ("i love working, keeps me busy", ["Loves working"]),  # the whole phrase, not a cut one
    ],
)
def test_a_kept_phrase_is_never_cut_in_the_middle(message: str, expected: list[str]) -> None:
    assert [f.body for f in extract_facts(message)] == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("huge Cowboys fan, sunday is game day", ("personal_detail", "team", "Big fan of Cowboys")),
        ("big fan of the lakers", ("personal_detail", "team", "Big fan of Lakers")),
        ("big fan of sushi", ("preference", "taste:sushi", "Big fan of sushi")),
        (
            "im a huge fan of true crime podcasts",
            ("preference", "taste:true_crime_podcasts", "Big fan of true crime podcasts"),
        ),
    ],
)
def test_only_a_sports_team_is_a_team(message: str, expected: tuple[str, str | None, str]) -> None:
    assert [(f.kind, f.subject, f.body) for f in extract_facts(message)] == [expected]
