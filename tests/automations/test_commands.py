"""`fanagent rules ...` end to end: the real parser and database."""

import json

import pytest

import cli
from db.connect import DatabaseTarget
from tests.automations.world import Fans, build

WIN_BACK = {
    "name": "Win back",
    "trigger": {"kind": "expired", "within_days": 365},  # the world is set at FIXED_NOW
    "actions": [{"kind": "message", "text": "miss you, come back for 20% off?"}],
}


@pytest.fixture
def fans(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> Fans:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)
    monkeypatch.setenv("FANAGENT_LLM_BACKEND", "openai")  # no model is asked
    monkeypatch.setenv("FANAGENT_LLM_OPENAI_API_KEY", "unused")
    return build(database)


def test_create_run_pause_and_read_the_history(
    fans: Fans, capsys: pytest.CaptureFixture[str]
) -> None:
    creator = str(fans.creator)
    assert cli.main(["rules", "create", "--creator", creator, json.dumps(WIN_BACK)]) == 0
    rule_id = capsys.readouterr().out.split()[0]
    assert cli.main(["rules", "run", "--creator", creator, rule_id]) == 0
    assert "succeeded, fired for 1 fan(s), 0 action(s) auto-approved" in capsys.readouterr().out
    assert cli.main(["rules", "history", "--creator", creator, rule_id]) == 0
    run_id = capsys.readouterr().out.split()[0]
    assert cli.main(["rules", "history", "--creator", creator, rule_id, "--run", run_id]) == 0
    assert "expired  message  queued" in capsys.readouterr().out
    assert cli.main(["rules", "pause", "--creator", creator, rule_id]) == 0
    assert "(expired; message; paused)" in capsys.readouterr().out
    assert cli.main(["rules", "run", "--creator", creator, rule_id]) == 1
    assert "is paused" in capsys.readouterr().err
    assert cli.main(["rules", "list", "--creator", creator]) == 0
    assert "Win back" in capsys.readouterr().out


def test_a_bad_rule_is_a_usage_error(fans: Fans, capsys: pytest.CaptureFixture[str]) -> None:
    bad = json.dumps(WIN_BACK | {"trigger": {"kind": "birthday"}})
    assert cli.main(["rules", "create", "--creator", str(fans.creator), bad]) == 2
    assert "not a valid rule" in capsys.readouterr().err
