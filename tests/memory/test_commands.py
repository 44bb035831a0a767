"""`fanagent memories ...` end to end: the real parser, database and local model."""

import argparse
from uuid import UUID

import psycopg
import pytest

from auth.operator import run_command
from db.connect import DatabaseTarget, creator_scope
from memory import commands
from memory.embedders import LocalEmbedder
from tests.memory.conftest import LEGACY_UNEMBEDDED, Legacy
from tests.memory.helpers import new_creator


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fanagent")
    commands.register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return run_command(args.handler, args)


@pytest.fixture(autouse=True)
def use_the_test_database(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)
    monkeypatch.setenv("FANAGENT_EMBEDDING_BACKEND", "local")


def test_add_list_and_search_one_fans_memories(
    database: DatabaseTarget, embedder: LocalEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    _, (fan, other_fan) = new_creator(database, 2)
    facts = [
        ("personal_detail", "Has a dog named Max"),
        ("conversation_fact", "Mentioned a work trip to Denver next week"),
        ("key_date", "Birthday is May 21"),
    ]
    for kind, body in facts:
        assert run("memories", "add", "--fan", str(fan), "--kind", kind, body) == 0
    run("memories", "add", "--fan", str(other_fan), "--kind", "preference", "Loves trips")
    capsys.readouterr()

    assert run("memories", "list", "--fan", str(fan)) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == len(facts)
    assert all(body in line for (_, body), line in zip(facts, listed, strict=True))

    assert run("memories", "search", "--fan", str(fan), "trip") == 0
    found = capsys.readouterr().out.splitlines()
    assert len(found) == 3 and "Mentioned a work trip to Denver" in found[0]
    assert all("Loves trips" not in line for line in found)


def test_a_changed_fact_shows_its_history(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    creator, (fan,) = new_creator(database, 1)
    scope = ("--fan", str(fan), "--creator", str(creator))
    run(
        "memories",
        "add",
        *scope,
        "--kind",
        "personal_detail",
        "--subject",
        "city",
        "Lives in Leeds",
    )
    run(
        "memories", "add", *scope, "--kind", "personal_detail", "--subject", "city", "Moved to York"
    )
    added = capsys.readouterr().out
    assert run("memories", "list", *scope, "--history") == 0
    listed = capsys.readouterr().out.splitlines()
    assert added.startswith("added") and "superseded" in added
    assert "Moved to York" in listed[0] and listed[1].lstrip().startswith("replaced:")
    assert "Lives in Leeds" in listed[1] and len(listed) == 2


def test_extract_remembers_the_facts_of_a_message_unless_dry_run(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _, (fan,) = new_creator(database, 1)
    text = "my dog's name is Rocky and my birthday is May 21"
    assert run("memories", "extract", "--fan", str(fan), "--dry-run", text) == 0
    dry = capsys.readouterr().out
    run("memories", "list", "--fan", str(fan))
    assert "has no memories" in capsys.readouterr().out
    assert run("memories", "extract", "--fan", str(fan), text) == 0
    stored = capsys.readouterr().out.splitlines()
    assert "Has a dog named Rocky" in dry and "Birthday is May 21" in dry
    assert [line.split()[0] for line in stored] == ["added", "added"]


def test_search_across_fans_names_the_fans_who_mentioned_a_trip(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    creator, (traveller, homebody) = new_creator(database, 2)
    _, (elsewhere,) = new_creator(database, 1)
    run("memories", "add", "--fan", str(traveller), "--kind", "conversation_fact",
        "Mentioned a trip to Lisbon next month")  # fmt: skip
    run("memories", "add", "--fan", str(homebody), "--kind", "personal_detail", "Works as a chef")
    run("memories", "add", "--fan", str(elsewhere), "--kind", "conversation_fact",
        "Mentioned a trip to Lisbon next month")  # fmt: skip
    capsys.readouterr()
    assert run("memories", "search", "--creator", str(creator), "fans who mentioned a trip") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"fan {traveller}")
    assert all(str(elsewhere) not in line for line in lines)


def test_embed_missing_backfills_what_an_older_seed_left_empty(
    legacy: Legacy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", legacy.target.admin_url)
    creator, fan = str(legacy.creator), str(legacy.fan)
    assert run("memories", "search", "--fan", fan, "trip") == 0
    assert "Mentioned a trip to Oslo" not in capsys.readouterr().out  # no vector: not found
    assert run("memories", "embed-missing", "--creator", creator, "--batch-size", "2") == 0
    out = capsys.readouterr().out
    assert f"creator {creator}: embedded {len(LEGACY_UNEMBEDDED)} memories" in out
    assert "every memory has its embedding" in out
    assert _missing(legacy.target, legacy.creator) == 0
    run("memories", "search", "--fan", fan, "trip")
    assert "Mentioned a trip to Oslo" in capsys.readouterr().out.splitlines()[0]


def _missing(database: DatabaseTarget, creator: UUID) -> int:
    with psycopg.connect(database.app_url) as conn, creator_scope(conn, creator):
        row = conn.execute("SELECT count(*) FROM fan_memories WHERE embedding IS NULL").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (("memories", "search", "trip"), 2, "give --fan"),
        (("memories", "list", "--fan", "00000000-0000-0000-0000-000000000001"), 1, "no fan"),
    ],
)
def test_bad_input_is_a_clear_error(
    argv: tuple[str, ...], status: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv) == status
    assert f"fanagent: {message}" in capsys.readouterr().err


def test_extracting_from_an_unknown_message_is_refused(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _, (fan,) = new_creator(database, 1)
    message = "00000000-0000-0000-0000-0000000000aa"
    argv = ("--fan", str(fan), "--message-id", message, "my cat is called luna")
    assert run("memories", "extract", *argv) == 1
    assert f"has no message {message}" in capsys.readouterr().err


def test_adding_to_another_creators_fan_is_refused(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _, (fan,) = new_creator(database, 1)
    other, _ = new_creator(database, 1)
    argv = ("--fan", str(fan), "--creator", str(other), "--kind", "preference", "Loves jazz")
    assert run("memories", "add", *argv) == 1
    assert f"creator {other} has no fan {fan}" in capsys.readouterr().err
