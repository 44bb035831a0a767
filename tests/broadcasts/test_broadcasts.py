"""Broadcasts on the real PostgreSQL: the dry run, the exclusions, one approval through the gate,
one delivery per fan however often the job runs, the outbound guard's blocks, conversions, and
nothing of it visible to another creator."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from psycopg import errors

from agent.broadcast_jobs import send_due
from agent.broadcasts import BroadcastDecided, decide_broadcast
from crm.broadcasts import store
from crm.broadcasts.dry_run import dry_run_broadcast
from tests.broadcasts.world import Cast, build_cast, new_broadcast
from tests.intelligence.world import new_creator


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def cast(conn: psycopg.Connection[Any]) -> Cast:
    return build_cast(conn)


def sent_broadcast(conn: psycopg.Connection[Any], cast: Cast) -> store.Broadcast:
    """A new broadcast, approved and sent by the job."""
    broadcast = new_broadcast(conn, cast)
    with cast.world.scope():
        decide_broadcast(conn, broadcast.id, "approved", None)
    send_due(conn, now)
    return broadcast


EXCLUDED = {
    "bought the offered media": 1,
    "in distress": 1,
    "messaged recently": 1,
    "opted out": 1,
}


def test_the_dry_run_counts_excludes_and_samples_without_writing(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    broadcast = new_broadcast(conn, cast)
    with cast.world.scope():
        run = dry_run_broadcast(conn, broadcast.id, now())
    assert run.recipients == 8
    assert run.excluded == EXCLUDED
    assert run.blocked == 1  # Rex's memory asks for venmo
    assert run.would_queue == 3
    assert [s.status for s in run.samples] == ["queued"] * 3 + ["blocked"]
    hank = next(s for s in run.samples if s.fan_id == cast.fans.hot)
    assert hank.body == "hey Hank, loves the beach 💕 Red set is yours for $25.00"
    lena = next(s for s in run.samples if s.fan_id == cast.fans.lapsed)
    assert lena.body == "hey Lena, thinking of you 💕 Red set is yours for $25.00"
    assert cast.world.query("SELECT count(*) FROM message_broadcast_deliveries") == [(0,)]


def test_an_approved_broadcast_writes_one_delivery_per_fan_and_settles_its_approval(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    broadcast = new_broadcast(conn, cast)
    assert broadcast.status == "awaiting_approval"
    assert send_due(conn, now) == 0  # nothing goes out before the approval
    with cast.world.scope():
        decide_broadcast(conn, broadcast.id, "approved", None)
    assert send_due(conn, now) == 1
    assert send_due(conn, now) == 0  # sent once
    rows = cast.world.query(
        "SELECT status, count(*), count(DISTINCT fan_id), count(message_id)"
        " FROM message_broadcast_deliveries WHERE broadcast_id = %s GROUP BY status",
        broadcast.id,
    )
    assert {r[0]: r[1:] for r in rows} == {
        "queued": (3, 3, 3),
        "excluded": (4, 4, 0),
        "blocked": (1, 1, 0),
    }
    queued = cast.world.query(
        "SELECT count(*) FROM fan_messages m JOIN message_broadcast_deliveries d"
        " ON d.message_id = m.id WHERE m.status = 'queued' AND m.media_id = %s AND m.price = 25",
        cast.fans.media,
    )
    assert queued == [(3,)]
    with cast.world.scope():
        sent = store.get_broadcast(conn, broadcast.id)
    assert (sent.status, sent.recipients, sent.queued, sent.excluded, sent.blocked) == (
        "sent",
        8,
        3,
        4,
        1,
    )
    assert cast.world.query(
        "SELECT status, result ->> 'queued' FROM hitl_action_queue WHERE id = %s",
        sent.hitl_action_id,
    ) == [("executed", "3")]


def test_the_guard_blocks_an_off_platform_payment_request_and_logs_it(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    broadcast = sent_broadcast(conn, cast)
    assert cast.world.query(
        "SELECT reason, message_id FROM message_broadcast_deliveries WHERE fan_id = %s",
        cast.fans.returning,
    ) == [('outbound guard: asks for payment outside the platform ("venmo")', None)]
    assert cast.world.query(
        "SELECT path, category, matched, action_id FROM outbound_guard_blocks WHERE fan_id = %s",
        cast.fans.returning,
    ) == [("broadcast", "off_platform_payment", "venmo", broadcast.hitl_action_id)]
    assert cast.world.query(
        "SELECT count(*) FROM fan_messages WHERE fan_id = %s AND body LIKE '%%venmo%%'",
        cast.fans.returning,
    ) == [(0,)]


def test_one_approval_only_and_a_rejected_broadcast_sends_nothing(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    broadcast = new_broadcast(conn, cast)
    with cast.world.scope():
        decide_broadcast(conn, broadcast.id, "rejected", None, "not tonight")
    with pytest.raises(BroadcastDecided), cast.world.scope():
        decide_broadcast(conn, broadcast.id, "approved", None)
    send_due(conn, now)
    assert cast.world.query("SELECT count(*) FROM message_broadcast_deliveries") == [(0,)]


def test_a_purchase_of_the_offered_media_within_the_window_converts(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    broadcast = sent_broadcast(conn, cast)
    purchase = cast.world.tx(cast.fans.hot, "ppv", "25", now(), cast.fans.media)
    cast.world.tx(cast.fans.lapsed, "tip", "5", now())  # not the media: no conversion
    send_due(conn, now)
    send_due(conn, now)  # attributed once
    assert cast.world.query(
        "SELECT fan_id, purchase_id FROM message_broadcast_deliveries"
        " WHERE converted_at IS NOT NULL"
    ) == [(cast.fans.hot, purchase)]
    with cast.world.scope():
        sent = store.get_broadcast(conn, broadcast.id)
    assert (sent.converted, sent.revenue) == (1, Decimal("25.00"))


def test_a_delivery_is_written_once(conn: psycopg.Connection[Any], cast: Cast) -> None:
    sent_broadcast(conn, cast)
    with pytest.raises(errors.InsufficientPrivilege, match="written once"), cast.world.scope():
        conn.execute("UPDATE message_broadcast_deliveries SET status = 'queued', reason = NULL")
    with pytest.raises(errors.InsufficientPrivilege), cast.world.scope():
        conn.execute("DELETE FROM message_broadcast_deliveries")


def test_another_creator_sees_none_of_it(conn: psycopg.Connection[Any], cast: Cast) -> None:
    broadcast = sent_broadcast(conn, cast)
    other = new_creator(conn)
    for table in ("message_broadcasts", "message_broadcast_deliveries", "message_templates"):
        assert other.query(f"SELECT count(*) FROM {table}") == [(0,)]
    with pytest.raises(store.BroadcastNotFound), other.scope():
        store.get_broadcast(conn, broadcast.id)


def test_a_scheduled_broadcast_waits_for_its_time(
    conn: psycopg.Connection[Any], cast: Cast
) -> None:
    later = now() + timedelta(hours=2)
    broadcast = new_broadcast(conn, cast, scheduled_at=later)
    with cast.world.scope():
        decide_broadcast(conn, broadcast.id, "approved", None)
    assert send_due(conn, now) == 0
    assert cast.world.query("SELECT count(*) FROM message_broadcast_deliveries") == [(0,)]
    assert send_due(conn, lambda: later + timedelta(minutes=1)) == 1
