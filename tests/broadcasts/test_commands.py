"""`fanagent templates` and `fanagent broadcasts` on the real database: create a template (an
unknown variable fails the command), a broadcast, dry-run it, approve it once."""

import argparse
import json
from typing import Any

import psycopg
import pytest

import cli
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


def test_a_broadcast_waits_in_fanagent_approvals_and_is_decided_there_once(
    conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    cast: Cast = build_cast(conn)
    creator = str(cast.world.creator)
    new = {
        "name": "Drop",
        "template_id": str(cast.template),
        "segment_id": str(cast.segment),
        "media_id": str(cast.fans.media),
    }
    assert run("broadcasts", "create", "--creator", creator, "--json", json.dumps(new)) == 0
    approval = json.loads(capsys.readouterr().out)["hitl_action_id"]
    assert cli.main(["approvals", "list", "--creator", creator, "--status", "pending"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{approval}  pending    send_broadcast")
    assert line.endswith(
        "Send the broadcast 'Drop' to 3 fans of 'everyone', offering 'Red set' at $25"
    )
    edit = ["approvals", "edit", approval, "--args", "{}"]
    assert cli.main(edit) == 1
    assert "cannot be edited" in capsys.readouterr().err
    assert cli.main(["approvals", "approve", approval]) == 0
    assert capsys.readouterr().out.startswith(f"action {approval} send_broadcast: approved: ")
    assert cli.main(["approvals", "reject", approval, "--reason", "too late"]) == 1
    assert "nothing changed" in capsys.readouterr().err
