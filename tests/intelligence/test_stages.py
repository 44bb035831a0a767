"""The relationship stage machine: its transitions, time decay, and the append-only history."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import errors

from crm.intelligence import recompute_creator, refresh_fan
from crm.intelligence.stages import TRANSITIONS, StageChange, history
from tests.intelligence.conftest import Trio
from tests.intelligence.world import AS_OF, World, ago


def stage_of(world: World, fan: UUID) -> tuple[str, datetime]:
    rows = world.query(
        "SELECT relationship_stage, stage_updated_at FROM fan_profiles WHERE id = %s", fan
    )
    return rows[0][0], rows[0][1]


def changes(conn: psycopg.Connection[Any], world: World, fan: UUID) -> list[StageChange]:
    with world.scope():
        return history(conn, fan)


def evaluate(conn: psycopg.Connection[Any], world: World, fan: UUID, at: datetime) -> str:
    with world.scope():
        return refresh_fan(conn, fan, as_of=at, with_alerts=False).stage


def subscriber(world: World, name: str, *, joined: datetime, stage: str = "new") -> UUID:
    fan = world.fan(name, joined=joined, stage=stage)
    world.subscription(
        fan, status="active", started=joined, events=(("subscribed", joined, "9.99"),)
    )
    return fan


def test_the_lapsed_fan_churned_when_the_subscription_ended(
    conn: psycopg.Connection[Any], trio: Trio
) -> None:
    assert stage_of(trio.world, trio.lapsed) == ("churned", ago(40))
    (change,) = changes(conn, trio.world, trio.lapsed)
    assert (change.from_stage, change.to_stage, change.reason) == (
        "active_buyer",
        "churned",
        "subscription ended",
    )
    assert change.occurred_at == ago(40)  # when the access ran out, not when it was noticed


def test_a_new_fan_warms_up_after_three_messages_or_a_week(
    conn: psycopg.Connection[Any], world: World
) -> None:
    chatty = subscriber(world, "Chatty", joined=ago(2))
    quiet = subscriber(world, "Quiet", joined=ago(2))
    for hours in (5, 3, 1):
        world.message(chatty, "inbound", ago(0, hours=hours))
    world.message(quiet, "inbound", ago(0, hours=1))
    assert evaluate(conn, world, chatty, AS_OF) == "warming"
    assert changes(conn, world, chatty)[0].reason == "3 messages"
    assert evaluate(conn, world, quiet, AS_OF) == "new"
    assert evaluate(conn, world, quiet, ago(-5) + timedelta(hours=1)) == "warming"
    assert changes(conn, world, quiet)[0].occurred_at == ago(-5)  # 7 days after joining


def test_a_buy_makes_an_active_buyer_who_cools_off_and_then_is_at_risk(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = subscriber(world, "Buyer", joined=ago(20), stage="warming")
    world.tx(fan, "ppv", "15", ago(1))
    assert evaluate(conn, world, fan, AS_OF) == "active_buyer"
    assert evaluate(conn, world, fan, ago(-12)) == "active_buyer"  # 13 days without engagement
    assert evaluate(conn, world, fan, ago(-14)) == "cooling_off"  # 15 days
    assert evaluate(conn, world, fan, ago(-28)) == "cooling_off"
    assert evaluate(conn, world, fan, ago(-30)) == "at_risk"  # 31 days
    steps = [(c.from_stage, c.to_stage, c.occurred_at) for c in changes(conn, world, fan)]
    assert steps == [
        ("warming", "active_buyer", ago(1)),
        ("active_buyer", "cooling_off", ago(1) + timedelta(days=14)),
        ("cooling_off", "at_risk", ago(1) + timedelta(days=30)),
    ]


def test_a_fan_idle_for_months_decays_through_every_stage_in_one_run(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = subscriber(world, "Gone", joined=ago(100), stage="new")
    world.message(fan, "inbound", ago(99))
    with world.scope():
        report = recompute_creator(conn, world.creator, as_of=AS_OF)
    assert report.stage_changes == 2
    steps = [(c.to_stage, c.occurred_at) for c in changes(conn, world, fan)]
    assert steps == [("warming", ago(93)), ("at_risk", ago(69))]  # joined+7d, idle+30d


def test_a_cooling_fan_who_buys_again_is_an_active_buyer_again(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = subscriber(world, "Back", joined=ago(90), stage="cooling_off")
    world.tx(fan, "tip", "10", ago(40))  # before the stage began: not a comeback
    assert evaluate(conn, world, fan, AS_OF) == "at_risk"
    world.tx(fan, "tip", "10", ago(0, hours=2))
    assert evaluate(conn, world, fan, AS_OF) == "active_buyer"
    assert changes(conn, world, fan)[-1].reason == f"bought again on {AS_OF:%Y-%m-%d}"


def test_churned_then_reactivated_by_a_new_subscription_then_active_on_a_buy(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = world.fan("Ria", joined=ago(120), stage="at_risk", stage_since=ago(60))
    old = world.subscription(fan, status="expired", started=ago(120), ended_at=ago(30))
    world.subscription_event(fan, old, "expired", ago(30), None)
    assert evaluate(conn, world, fan, AS_OF) == "churned"
    with world.scope() as scoped:
        scoped.execute(
            "UPDATE fan_subscriptions SET status = 'active', started_at = %s, ended_at = NULL"
            " WHERE id = %s",
            [ago(0, hours=5), old],
        )
    world.subscription_event(fan, old, "resubscribed", ago(0, hours=5), "9.99")
    assert evaluate(conn, world, fan, AS_OF) == "reactivated"
    world.tx(fan, "ppv", "20", ago(0, hours=1))
    assert evaluate(conn, world, fan, AS_OF) == "active_buyer"
    steps = [(c.from_stage, c.to_stage) for c in changes(conn, world, fan)]
    assert steps == [
        ("at_risk", "churned"),
        ("churned", "reactivated"),
        ("reactivated", "active_buyer"),
    ]


def test_every_recorded_change_is_an_allowed_edge_and_rerunning_records_nothing(
    conn: psycopg.Connection[Any], trio: Trio, world: World
) -> None:
    for days in range(0, 200, 25):
        fan = subscriber(world, f"F{days}", joined=ago(days + 10))
        world.message(fan, "inbound", ago(days))
        if days % 50 == 0:
            world.tx(fan, "tip", "5", ago(days))
    with world.scope():
        first = recompute_creator(conn, world.creator, as_of=AS_OF)
        again = recompute_creator(conn, world.creator, as_of=AS_OF)
    assert first.stage_changes > 0 and again.stage_changes == 0
    rows = world.query(
        "SELECT from_stage, to_stage FROM fan_lifecycle_events WHERE kind = 'stage_change'"
    )
    assert len(rows) == first.stage_changes
    assert all(to in TRANSITIONS[frm] for frm, to in rows), rows


def test_the_stage_history_cannot_be_rewritten(conn: psycopg.Connection[Any], trio: Trio) -> None:
    with trio.world.scope(), pytest.raises(errors.InsufficientPrivilege):
        conn.execute("DELETE FROM fan_lifecycle_events WHERE fan_id = %s", [trio.lapsed])
