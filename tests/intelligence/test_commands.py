"""`fanagent scores|segments|inbox|alerts|price` end to end: the real parser and database."""

import argparse
from typing import Any

import psycopg
import pytest

from auth.operator import run_command
from crm.intelligence import commands
from crm.intelligence.refresh_queue import queue_refresh
from db.connect import DatabaseTarget
from tests.intelligence.world import (
    AS_OF,
    Supporters,
    World,
    ago,
    build_supporters,
    new_creator,
)

WHEN = ("--as-of", AS_OF.isoformat())


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="fanagent")
    commands.register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return run_command(args.handler, args)


@pytest.fixture(autouse=True)
def use_the_test_database(database: DatabaseTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database.admin_url)


@pytest.fixture(scope="module")
def cast(conn: psycopg.Connection[Any]) -> tuple[World, Supporters]:
    world = new_creator(conn)
    return world, build_supporters(world)


def test_recompute_then_read_the_inbox_alerts_segments_and_a_price(
    cast: tuple[World, Supporters], capsys: pytest.CaptureFixture[str]
) -> None:
    world, fans = cast
    creator = str(world.creator)
    assert run("scores", "recompute", "--full", "--creator", creator, *WHEN) == 0
    assert "8 fans" in capsys.readouterr().out

    assert run("inbox", "--creator", creator, "--tab", "hot_leads", *WHEN) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "hot_leads: 2 fans" and "Hank [hot_lead online]" in lines[1]

    assert run("alerts", "--creator", creator, *WHEN) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 new alert(s)") and "[high] hot_lead_active: Hot lead Hank" in out

    assert run("segments", "list", "--creator", creator) == 0
    assert "Top loyalty quartile  (preset; not materialised)" in capsys.readouterr().out
    assert run("segments", "materialise", "--creator", creator, "Top loyalty quartile", *WHEN) == 0
    assert capsys.readouterr().out.startswith("2 members stored (2 added, 0 removed)")
    rules = '{"field": "price_range", "op": "eq", "value": "whale"}'
    assert run("segments", "evaluate", "--creator", creator, "--rules", rules, *WHEN) == 0
    assert capsys.readouterr().out.splitlines()[:2][0] == "1 fans match"

    assert run("price", "--fan", str(fans.whale), "--media", str(fans.media), *WHEN) == 0
    assert "already bought Red set" in capsys.readouterr().out
    assert run("scores", "refresh", "--fan", str(fans.newbie), *WHEN) == 0
    assert "fan " + str(fans.newbie) in capsys.readouterr().out


def test_recompute_with_alerts_generates_the_alerts_due(
    conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    world = new_creator(conn)
    build_supporters(world)
    creator = str(world.creator)
    assert run("scores", "recompute", "--full", "--alerts", "--creator", creator, *WHEN) == 0
    assert "; 6 new alert(s)" in capsys.readouterr().out
    assert run("alerts", "--creator", creator, *WHEN) == 0
    assert capsys.readouterr().out.startswith("0 new alert(s)")  # all generated already


def test_bad_input_is_a_clear_error(
    cast: tuple[World, Supporters], capsys: pytest.CaptureFixture[str]
) -> None:
    world, fans = cast
    creator = str(world.creator)
    bad = '{"all": [{"field": "churn_risk", "op": "gt", "value": "high"}]}'
    assert run("segments", "evaluate", "--creator", creator, "--rules", bad) == 1
    assert "all.0.field: Value error, churn_risk is a number, not 'high'" in capsys.readouterr().err
    assert run("segments", "create", "--creator", creator, "--name", "x", "--rules", "{") == 2
    assert "--rules is not JSON" in capsys.readouterr().err
    assert run("segments", "evaluate", "--creator", creator, "--rules", "[]") == 2
    assert "--rules must be a JSON object" in capsys.readouterr().err
    assert run("segments", "evaluate", "--creator", creator) == 2
    assert "give a segment (id or name) or --rules" in capsys.readouterr().err
    assert run("segments", "show", "--creator", creator, "No such segment") == 1
    assert "no segment No such segment" in capsys.readouterr().err
    assert run("price", "--fan", str(fans.whale), "--media", creator) == 1
    assert "no media" in capsys.readouterr().err


def test_refresh_queued_recomputes_the_fans_events_queued(
    conn: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    world = new_creator(conn)
    fan = world.fan("Quinn", joined=ago(30))
    world.tx(fan, "tip", "9.00", ago(1))
    with world.scope():
        queue_refresh(conn, fan)
    assert run("scores", "refresh", "--queued", *WHEN) == 0
    assert "queued fan(s) refreshed" in capsys.readouterr().out
    assert world.query("SELECT purchase_count FROM fan_profiles WHERE id = %s", fan) == [(1,)]
    assert world.query("SELECT fan_id FROM fan_refresh_queue") == []
    with pytest.raises(SystemExit):
        run("scores", "refresh", "--queued", "--fan", str(fan))  # one or the other
