"""Which memories are personal (fan_memories.personal, migration 0017): the ones saying where the
fan lives or comes from, their job, their real name or how to reach them. Set on every write and
for the rows that existed before; the reads chatters get leave them out."""

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from db import migrate
from db.connect import DatabaseTarget, creator_scope
from memory import search, store
from memory.embedders import LocalEmbedder
from memory.settings import MemorySettings
from memory.types import Fact
from tests.memory.helpers import new_creator

CASES: list[tuple[str | None, str, bool]] = [
    ("city", "Lives in Denver", True),
    ("city", "Denver", True),  # by its subject alone
    ("hometown", "Is from Ohio", True),
    (None, "Moved to Berlin last spring", True),
    (None, "Grew up in a small town near Porto", True),
    ("job", "Works as a nurse", True),
    (None, "Works at Harbour Clinic", True),
    ("employer", "Acme", True),
    (None, "His employer is a bank", True),
    ("real_name", "Maximilian", True),
    (None, "Real name is Maximilian Secret", True),
    (None, "Gave his email max.s@example.org", True),
    ("email", "max at example dot org", True),
    (None, "Texted from +49 151 2345 6789", True),
    ("phone", "Shared it once", True),
    (None, "Phone number is 555-0100", True),
    (None, "Instagram is @maxx_insta", True),
    ("contact:snapchat", "maxx99", True),
    (None, "Lives at 12 Elm Street", True),
    (None, "Sent his home address for the gift", True),
    ("pet:dog", "Has a dog named Biscuit", False),
    ("age", "Is 34 years old", False),
    ("birthday", "Birthday is March 14", False),
    ("anniversary", "Subscription anniversary is 2024-05-01", False),
    (None, "Mentioned a work trip to Denver next week", False),
    (None, "Loves beach photo sets", False),
    ("nickname", "Goes by 'Maxi'", False),
    ("pet_name", "Likes being called 'baby'", False),
    (None, "Got promoted", False),
    (None, "Big fan of Real Madrid", False),
    (None, "Tipped 20 after the new set", False),
]


@pytest.mark.parametrize(("subject", "body", "personal"), CASES, ids=[c[1] for c in CASES])
def test_a_memory_is_personal_by_its_subject_or_its_text(
    conn: psycopg.Connection[Any], subject: str | None, body: str, personal: bool
) -> None:
    row = conn.execute("SELECT fanagent_memory_is_personal(%s, %s)", [subject, body]).fetchone()
    assert row == (personal,)


def test_the_store_marks_a_memory_and_its_new_versions(
    database: DatabaseTarget, conn: psycopg.Connection[Any], embedder: LocalEmbedder
) -> None:
    creator, (fan,) = new_creator(database, 1)
    vector = embedder.embed(["Has a cat"])[0]
    with creator_scope(conn, creator):
        cat = store.add(conn, fan, Fact("personal_detail", "Has a cat named Tom"), vector)
        city = store.add(conn, fan, Fact("personal_detail", "Lives in Denver", "city"), vector)
        moved = store.supersede(conn, city.id, Fact("personal_detail", "Denver", "city"), vector)
        kept = store.reinforce(conn, cat.id, Fact("personal_detail", "Has a cat", "city"))
    assert (cat.personal, city.personal, moved.personal) == (False, True, True)
    assert kept.subject == "city" and kept.personal  # it took a personal subject


def test_reads_without_personal_memories_leave_them_out(
    database: DatabaseTarget,
    conn: psycopg.Connection[Any],
    embedder: LocalEmbedder,
    settings: MemorySettings,
) -> None:
    creator, (fan,) = new_creator(database, 1)
    bodies = ["Lives in Denver", "Has a dog named Biscuit"]
    vectors = embedder.embed(bodies)
    query = embedder.embed(["Denver dog"])[0]
    wide = settings.model_copy(update={"cross_fan_min_similarity": -1})
    with creator_scope(conn, creator):
        city, dog = (
            store.add(conn, fan, Fact("personal_detail", b), v)
            for b, v in zip(bodies, vectors, strict=True)
        )
        moved = store.supersede(
            conn, city.id, Fact("personal_detail", "Moved to Austin"), vectors[0]
        )
        every = {
            "current": store.list_current(conn, fan),
            "history": store.history(conn, moved.id),
            "within": [m.memory for m in search.within_fan(conn, fan, query, settings)],
            "across": [m.memory for m in search.across_fans(conn, query, wide)],
        }
        shown = {
            "current": store.list_current(conn, fan, with_personal=False),
            "history": store.history(conn, moved.id, with_personal=False),
            "within": [
                m.memory for m in search.within_fan(conn, fan, query, settings, with_personal=False)
            ],
            "across": [
                m.memory for m in search.across_fans(conn, query, wide, with_personal=False)
            ],
        }
        personal = store.personal_ids(conn, [city.id, dog.id, moved.id])
    assert {m.body for m in every["current"]} == {"Moved to Austin", "Has a dog named Biscuit"}
    assert [m.body for m in every["history"]] == ["Lives in Denver", "Moved to Austin"]
    assert {m.body for m in every["within"]} == {"Moved to Austin", "Has a dog named Biscuit"}
    assert every["across"] and every["across"][0].fan_id == fan
    assert [m.body for m in shown["current"]] == ["Has a dog named Biscuit"]
    assert shown["history"] == []
    assert [m.body for m in shown["within"]] == ["Has a dog named Biscuit"]
    assert [m.body for m in shown["across"]] == ["Has a dog named Biscuit"]
    assert personal == {city.id, moved.id}


def test_the_migration_marks_the_memories_written_before_it(
    empty_database: DatabaseTarget, tmp_path: Path
) -> None:
    before = tmp_path / "before"
    before.mkdir()
    for path in migrate.MIGRATIONS_DIR.glob("*.sql"):
        if int(path.name[:4]) < 17:
            shutil.copy(path, before)
    url = empty_database.admin_url
    migrate.migrate(url, directory=before)
    with psycopg.connect(url) as admin:
        admin.execute(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES ('00000000-0000-0000-0000-000000000001', 'old', 'Old')"
        )
        admin.execute(
            "INSERT INTO fan_profiles (id, creator_id, display_name) VALUES"
            " ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-000000000001',"
            " 'Fan')"
        )
        admin.execute(
            "INSERT INTO fan_memories (creator_id, fan_id, kind, subject, body)"
            " SELECT '00000000-0000-0000-0000-000000000001',"
            " '00000000-0000-0000-0000-0000000000f1', 'personal_detail', subject, body"
            " FROM (VALUES ('city', 'Lives in Denver'), (NULL, 'Works at Acme'),"
            " ('pet:dog', 'Has a dog named Biscuit')) AS fact (subject, body)"
        )
    migrate.migrate(url)
    with psycopg.connect(url) as admin:
        marked: dict[str, bool] = dict(admin.execute("SELECT body, personal FROM fan_memories"))
    assert marked == {
        "Lives in Denver": True,
        "Works at Acme": True,
        "Has a dog named Biscuit": False,
    }
