"""`fanagent templates` and `fanagent broadcasts` on the real database: create a template (an
unknown variable fails the command), a broadcast, dry-run it, approve it once."""

import argparse
import json
from typing import Any

import psycopg
import pytest

from agent import broadcast_commands
from auth.operator import run_command
from db.connect import DatabaseTarget
from tests.broadcasts.world import Cast, build_cast


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fanagent")
    broadcast_commands.register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return run_command(args.handler, args)


@pytest.fixture(autouse=True)
def use_the_test_database(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)


def test_templates_and_a_broadcast_from_the_command_line(
    conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    cast: Cast = build_cast(conn)
    creator = str(cast.world.creator)
    assert run("templates", "create", "--creator", creator, "--name", "x", "--body", "{cash}") == 1
    assert "unknown variable {cash}" in capsys.readouterr().err
    assert run("templates", "create", "--creator", creator, "--name", "hi", "--body", "hi!") == 0
    new = {
        "name": "Drop",
        "template_id": str(cast.template),
        "segment_id": str(cast.segment),
        "media_id": str(cast.fans.media),
    }
    capsys.readouterr()
    assert run("broadcasts", "create", "--creator", creator, "--json", json.dumps(new)) == 0
    broadcast = json.loads(capsys.readouterr().out)["id"]
    assert run("broadcasts", "dry-run", "--creator", creator, broadcast) == 0
    out = capsys.readouterr().out
    assert out.startswith("recipients 8, would queue 3, blocked 1, skipped 0")
    assert "[queued] Hank: hey Hank, loves the beach" in out
    assert run("broadcasts", "approve", "--creator", creator, broadcast) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "approved"
    assert run("broadcasts", "approve", "--creator", creator, broadcast) == 1
    assert "already approved" in capsys.readouterr().err
