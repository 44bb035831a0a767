"""`fanagent personas ...` against the real database (DATABASE_URL points at the test one)."""

import argparse
import json

import pytest

from auth.operator import run_command
from db.connect import DatabaseTarget
from personas.commands import register
from tests.db.crm_rows import create_creator_with_everything


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return run_command(args.handler, args)


@pytest.fixture(autouse=True)
def use_test_database(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)


def test_set_show_check_and_reset_a_fans_persona(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows = create_creator_with_everything(database)
    fan = str(rows["fan_profiles"])

    assert run(["personas", "show", "--fan", fan]) == 0
    assert "persona: the creator's default" in capsys.readouterr().out

    fields = {"emoji_style": "none", "vocabulary_avoid": ["sir"], "name": "No emoji"}
    assert run(["personas", "set", "--fan", fan, json.dumps(fields)]) == 0
    shown = capsys.readouterr().out
    assert "persona: the fan's override" in shown and "- Use no emoji." in shown

    assert run(["personas", "check", "--fan", fan, "Yes sir 😘"]) == 1
    out = capsys.readouterr().out
    assert "avoided_vocabulary" in out and "emoji_forbidden" in out
    assert run(["personas", "check", "--fan", fan, "hey you, how was the trip?"]) == 0

    assert run(["personas", "reset", "--fan", fan]) == 0
    assert run(["personas", "show", "--fan", fan]) == 0
    assert "persona: the creator's default" in capsys.readouterr().out


def test_a_rejected_persona_and_unknown_fans_exit_1(
    database: DatabaseTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    creator, rows = create_creator_with_everything(database)
    _, other_rows = create_creator_with_everything(database)
    fan = str(rows["fan_profiles"])

    assert run(["personas", "set", "--fan", fan, '{"warmth": 3}']) == 1
    assert "fanagent: invalid persona" in capsys.readouterr().err
    foreign = ["--creator", str(creator), "--fan", str(other_rows["fan_profiles"])]
    assert run(["personas", "set", *foreign, '{"warmth": 0.1}']) == 1
    assert "no fan" in capsys.readouterr().err
    assert run(["personas", "show", "--fan", "00000000-0000-0000-0000-000000000000"]) == 1
    assert "fanagent: no fan 00000000-0000-0000-0000-000000000000" in capsys.readouterr().err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["personas", "show"]) == 2
    assert "fanagent: give --fan, --creator or both" in capsys.readouterr().err
    fan = "00000000-0000-0000-0000-000000000000"
    assert run(["personas", "set", "--fan", fan, '["warmth"]']) == 2
    assert "fanagent: fields must be a JSON object" in capsys.readouterr().err
