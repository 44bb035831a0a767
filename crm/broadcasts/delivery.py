"""Sending an approved broadcast, as the job does it (agent/broadcast_jobs.py), in transactions
of the creator's scope: first the segment snapshot (approved -> sending: the fans the segment's
rules match now), then batch after batch of the snapshot's fans without a delivery, each planned
(audience.py), written with its outbox message and its guard log row in one transaction that
holds the broadcast's row, then sending -> sent (with `on_sent` in that last transaction).

Killed anywhere and run again, it goes on from the first fan without a delivery: every fan ends
with exactly one delivery and at most one message.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.broadcasts import store
from crm.broadcasts.audience import Offer, Plan, audience, audience_query, plan_fan
from crm.intelligence.errors import NotFound
from crm.intelligence.segments import get_segment, matching_fans, rules_of
from crm.outbound_guard import Attempt, OutboundBlocked, record
from crm.templates.store import get_template
from db.connect import creator_scope

BATCH = 500
NOBODY = sql.SQL("SELECT NULL::uuid AS fan_id WHERE false")
MEDIA = "SELECT title, price FROM media_assets WHERE id = %s"
Clock = Callable[[], datetime]
# Runs in the transaction that marks the broadcast sent, with its final counters.
OnSent = Callable[[psycopg.Connection[Any], store.Broadcast, dict[str, Any]], None]


def plan_of(conn: psycopg.Connection[Any], broadcast: store.Broadcast) -> Plan:
    """What the broadcast says (its template, its media at its price) and whom it leaves out."""
    offer = None
    if broadcast.media_id is not None:
        row = conn.execute(MEDIA, [broadcast.media_id]).fetchone()
        assert row is not None, "a broadcast's media stays (foreign key)"
        offer = Offer(broadcast.media_id, row[0], broadcast.price or row[1])
    return Plan(
        template=get_template(conn, broadcast.template_id),
        offer=offer,
        exclude_buyers=broadcast.exclude_buyers,
        exclude_distress=broadcast.exclude_distress,
        exclude_messaged_hours=broadcast.exclude_messaged_hours,
    )


def segment_members(
    conn: psycopg.Connection[Any], segment_id: UUID | None, now: datetime
) -> tuple[sql.Composed, dict[str, Any], dict[str, Any]]:
    """The query of the segment's fans now, its parameters, and the rules (a deleted segment
    matches nobody)."""
    try:
        segment = get_segment(conn, segment_id) if segment_id is not None else None
    except NotFound:
        segment = None
    if segment is None:
        return sql.Composed([NOBODY]), {}, {}
    members, params = matching_fans(rules_of(segment), now)
    return members, params, segment.rules


def send(
    conn: psycopg.Connection[Any],
    creator_id: UUID,
    broadcast_id: UUID,
    clock: Clock,
    on_sent: OnSent,
    batch: int = BATCH,
) -> dict[str, Any] | None:
    """Sends the broadcast if it is approved or sending; its final counters once sent (None when
    it was not this call that finished it)."""
    with creator_scope(conn, creator_id):
        broadcast = store.get_broadcast(conn, broadcast_id)
        if broadcast.status == "approved":
            now = clock()
            members, params, rules = segment_members(conn, broadcast.segment_id, now)
            store.take_snapshot(conn, broadcast_id, members, params, rules, now)
    while True:
        with creator_scope(conn, creator_id):
            if not store.lock_sending(conn, broadcast_id):
                return None
            broadcast = store.get_broadcast(conn, broadcast_id)
            if not _write_next(conn, broadcast, clock(), batch):
                counters = store.finish(conn, broadcast_id, clock())
                if counters is not None:
                    on_sent(conn, broadcast, counters)
                return counters


def _write_next(
    conn: psycopg.Connection[Any], broadcast: store.Broadcast, now: datetime, batch: int
) -> bool:
    """Writes the next batch of deliveries; False when every fan has one."""
    plan = plan_of(conn, broadcast)
    query, params = audience_query(
        plan, store.SNAPSHOT_MEMBERS, now, where=store.NOT_DELIVERED, limit=batch
    )
    rows = audience(conn, query, {**params, "broadcast_id": broadcast.id})
    if not rows:
        return False
    planned = [plan_fan(plan, row) for row in rows]
    written = store.write_batch(conn, broadcast, planned, plan.offer.price if plan.offer else None)
    for fan in planned:
        if fan.block is not None and fan.body is not None and fan.fan_id in written:
            attempt = Attempt(
                fan.fan_id, fan.body, "broadcast", broadcast.created_by, broadcast.hitl_action_id
            )
            record(conn, OutboundBlocked(fan.block, attempt))
    return True
