"""The refresh queue: an event queues its fan once, a batch recomputes the queued fans, a fan
whose refresh fails cannot block the others, and an event committed while a batch waits for it
is in that batch's figures."""

import threading
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest

from auth.operator import app_connection
from crm.intelligence import refresh_queue
from crm.intelligence.refresh import refresh_fans
from db.connect import DatabaseTarget, creator_scope
from tests.intelligence.world import AS_OF, World, ago


def spend(world: World, fan: UUID) -> tuple[int, Decimal]:
    [(count, total)] = world.query(
        "SELECT purchase_count, lifetime_spend FROM fan_profiles WHERE id = %s", fan
    )
    return int(count), Decimal(total)


def queued_fans(world: World) -> list[UUID]:
    return [UUID(str(row[0])) for row in world.query("SELECT fan_id FROM fan_refresh_queue")]


def test_a_fan_is_queued_once_however_many_events_and_a_drain_applies_them(
    conn: psycopg.Connection[Any], world: World
) -> None:
    fan = world.fan("Ray", joined=ago(30))
    for amount in ("5.00", "7.50"):
        world.tx(fan, "tip", amount, ago(1))
        with world.scope():
            refresh_queue.queue_refresh(conn, fan)
    assert queued_fans(world) == [fan]
    assert spend(world, fan) == (0, Decimal("0"))
    assert refresh_queue.drain(conn, as_of=AS_OF) >= 1
    assert spend(world, fan) == (2, Decimal("12.50"))
    assert queued_fans(world) == []


def test_a_fan_whose_refresh_fails_leaves_the_queue_and_the_others_are_refreshed(
    conn: psycopg.Connection[Any],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    good, broken = world.fan("Good", joined=ago(30)), world.fan("Broken", joined=ago(30))
    for fan in (good, broken):
        world.tx(fan, "tip", "5.00", ago(1))
        with world.scope():
            refresh_queue.queue_refresh(conn, fan)
    original = refresh_fans

    def failing_for_broken(conn: psycopg.Connection[Any], fans: list[UUID], **options: Any) -> int:
        if broken in fans:
            conn.execute("UPDATE fan_profiles SET purchase_count = 99 WHERE id = %s", [broken])
            raise RuntimeError("scores are broken today")
        return original(conn, fans, **options)

    monkeypatch.setattr(refresh_queue, "refresh_fans", failing_for_broken)
    refresh_queue.drain(conn, as_of=AS_OF)
    assert spend(world, good) == (1, Decimal("5.00"))
    assert spend(world, broken) == (0, Decimal("0"))  # the failed refresh's writes rolled back
    assert queued_fans(world) == []
    assert f"refreshing fan {broken} failed; its figures are stale" in caplog.text


def test_an_event_committed_while_a_batch_waits_for_its_fan_is_in_the_figures(
    database: DatabaseTarget, conn: psycopg.Connection[Any], world: World
) -> None:
    fan = world.fan("Racer", joined=ago(30))
    world.tx(fan, "tip", "5.00", ago(2))
    with world.scope():
        refresh_queue.queue_refresh(conn, fan)
    with app_connection(database) as webhook, app_connection(database) as refresher:
        batch = threading.Thread(target=refresh_queue.drain, args=(refresher,))
        with creator_scope(webhook, world.creator):  # a delivery, not yet committed
            webhook.execute(
                "INSERT INTO fan_transactions (creator_id, fan_id, kind, amount, occurred_at)"
                " VALUES (app_current_creator(), %s, 'tip', 20, %s)",
                [fan, ago(1)],
            )
            refresh_queue.queue_refresh(webhook, fan)  # already queued: this locks its row
            batch.start()
            batch.join(timeout=1.0)
            assert batch.is_alive()  # the batch waits for the delivery's commit
        batch.join(timeout=30)
    assert not batch.is_alive()
    assert spend(world, fan) == (2, Decimal("25.00"))
    assert queued_fans(world) == []
