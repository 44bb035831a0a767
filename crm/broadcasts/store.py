"""The SQL of message_broadcasts and message_broadcast_deliveries, in the caller's creator scope.

A broadcast moves awaiting_approval -> approved (or rejected) -> sending (the segment snapshot
taken) -> sent. Deliveries are written a batch at a time in the transaction that holds the
broadcast's row: a fan with a delivery already is left alone, so a batch run twice (a worker died
after it committed) writes nothing the second time. The counters move in the same statement.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import class_row, dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from crm.broadcasts.audience import Planned

BroadcastStatus = Literal["awaiting_approval", "approved", "sending", "sent", "rejected"]
BROADCAST_EXISTS = "SELECT 1 FROM message_broadcasts WHERE id = %s"
COLUMNS = """
b.id, b.name, b.template_id, t.name AS template_name, b.segment_id, b.segment_name, b.media_id,
m.title AS media_title, b.price, b.exclude_buyers, b.exclude_distress, b.exclude_messaged_hours,
b.attribution_hours, b.status, b.scheduled_at, b.hitl_action_id, b.snapshot_at,
b.recipients, b.queued, b.excluded, b.blocked, b.skipped, b.converted, b.revenue,
b.created_by, b.created_at, b.sent_at
"""
SELECT = f"""
SELECT {COLUMNS} FROM message_broadcasts b
JOIN message_templates t ON t.id = b.template_id
LEFT JOIN media_assets m ON m.id = b.media_id
"""  # noqa: S608
INSERT = """
INSERT INTO message_broadcasts
    (id, creator_id, name, template_id, segment_id, segment_name, media_id, price, exclude_buyers,
     exclude_distress, exclude_messaged_hours, attribution_hours, scheduled_at, hitl_action_id,
     created_by)
VALUES (%(id)s, app_current_creator(), %(name)s, %(template_id)s, %(segment_id)s, %(segment_name)s,
        %(media_id)s, %(price)s, %(exclude_buyers)s, %(exclude_distress)s,
        %(exclude_messaged_hours)s, %(attribution_hours)s, %(scheduled_at)s, %(hitl_action_id)s,
        %(created_by)s)
"""
MOVE = """
UPDATE message_broadcasts SET status = %(to)s
WHERE id = %(id)s AND status = %(from)s
RETURNING id
"""
# Send time: the segment's fans now, kept with the rules that chose them.
SNAPSHOT = sql.SQL("""
UPDATE message_broadcasts
SET status = 'sending', snapshot_at = %(now)s, snapshot_rules = %(rules)s,
    snapshot_fan_ids = snapshot.fan_ids, recipients = cardinality(snapshot.fan_ids)
FROM (SELECT coalesce(array_agg(fan_id ORDER BY fan_id), '{{}}') AS fan_ids
      FROM ({members}) AS members) AS snapshot
WHERE id = %(broadcast_id)s AND status = 'approved'
RETURNING id
""")
SNAPSHOT_MEMBERS = sql.SQL(
    "SELECT unnest(snapshot_fan_ids) AS fan_id FROM message_broadcasts WHERE id = %(broadcast_id)s"
)
NOT_DELIVERED = sql.SQL("""
WHERE NOT EXISTS (SELECT 1 FROM message_broadcast_deliveries d
                  WHERE d.broadcast_id = %(broadcast_id)s AND d.fan_id = p.id)
""")
LOCK_SENDING = "SELECT 1 FROM message_broadcasts WHERE id = %s AND status = 'sending' FOR UPDATE"
WRITE_BATCH = """
WITH input AS (
    SELECT * FROM unnest(%(fan_ids)s::uuid[], %(statuses)s::text[], %(reasons)s::text[],
                         %(bodies)s::text[]) AS i(fan_id, status, reason, body)
),
fresh AS (
    SELECT i.* FROM input i
    WHERE NOT EXISTS (SELECT 1 FROM message_broadcast_deliveries d
                      WHERE d.broadcast_id = %(broadcast_id)s AND d.fan_id = i.fan_id)
),
messages AS (
    INSERT INTO fan_messages
        (creator_id, fan_id, direction, status, body, drafted_by_user_id, media_id, price)
    SELECT app_current_creator(), f.fan_id, 'outbound', 'queued', f.body, %(user_id)s,
           %(media_id)s, %(price)s
    FROM fresh f WHERE f.status = 'queued'
    RETURNING id, fan_id
),
written AS (
    INSERT INTO message_broadcast_deliveries
        (creator_id, broadcast_id, fan_id, status, reason, body, message_id)
    SELECT app_current_creator(), %(broadcast_id)s, f.fan_id, f.status, f.reason, f.body, m.id
    FROM fresh f LEFT JOIN messages m ON m.fan_id = f.fan_id
    RETURNING fan_id, status
),
counted AS (
    UPDATE message_broadcasts SET
        queued = queued + (SELECT count(*) FROM written WHERE status = 'queued'),
        excluded = excluded + (SELECT count(*) FROM written WHERE status = 'excluded'),
        blocked = blocked + (SELECT count(*) FROM written WHERE status = 'blocked'),
        skipped = skipped + (SELECT count(*) FROM written WHERE status = 'skipped')
    WHERE id = %(broadcast_id)s
)
SELECT fan_id FROM written
"""
FINISH = """
UPDATE message_broadcasts SET status = 'sent', sent_at = %(now)s
WHERE id = %(broadcast_id)s AND status = 'sending'
  AND NOT EXISTS (SELECT 1 FROM unnest(snapshot_fan_ids) AS s(fan_id)
                  WHERE NOT EXISTS (SELECT 1 FROM message_broadcast_deliveries d
                                    WHERE d.broadcast_id = %(broadcast_id)s
                                      AND d.fan_id = s.fan_id))
RETURNING queued, excluded, blocked, skipped, recipients
"""
DUE = """
SELECT id FROM message_broadcasts
WHERE status IN ('approved', 'sending') AND coalesce(scheduled_at, %(now)s) <= %(now)s
ORDER BY created_at, id
"""
# A queued delivery converts when its fan buys the offered media within the window after it.
ATTRIBUTE = """
WITH matched AS (
    SELECT d.id, x.id AS purchase_id, x.occurred_at, x.amount
    FROM message_broadcast_deliveries d
    JOIN message_broadcasts b ON b.id = d.broadcast_id
    CROSS JOIN LATERAL (
        SELECT t.id, t.occurred_at, t.amount FROM fan_transactions t
        WHERE t.fan_id = d.fan_id AND t.media_id = b.media_id
          AND t.kind NOT IN ('refund', 'chargeback')
          AND t.occurred_at >= d.created_at
          AND t.occurred_at <= d.created_at + make_interval(hours => b.attribution_hours)
        ORDER BY t.occurred_at, t.id LIMIT 1
    ) AS x
    WHERE b.status = 'sent' AND b.media_id IS NOT NULL
      AND b.sent_at > %(now)s - make_interval(hours => b.attribution_hours)
      AND d.status = 'queued' AND d.converted_at IS NULL
),
converted AS (
    UPDATE message_broadcast_deliveries d
    SET converted_at = m.occurred_at, purchase_id = m.purchase_id
    FROM matched m WHERE d.id = m.id
    RETURNING d.broadcast_id, m.amount
)
UPDATE message_broadcasts b
SET converted = b.converted + c.conversions, revenue = b.revenue + c.amount
FROM (SELECT broadcast_id, count(*) AS conversions, sum(amount) AS amount
      FROM converted GROUP BY broadcast_id) AS c
WHERE b.id = c.broadcast_id
RETURNING c.conversions
"""
DELIVERIES = """
SELECT d.fan_id, p.display_name AS fan_name, d.status, d.reason, d.body, d.message_id,
       msg.status AS message_status, d.read_at, d.converted_at, d.created_at
FROM message_broadcast_deliveries d
JOIN fan_profiles p ON p.id = d.fan_id
LEFT JOIN fan_messages msg ON msg.id = d.message_id
WHERE d.broadcast_id = %(broadcast_id)s AND (%(status)s::text IS NULL OR d.status = %(status)s)
ORDER BY d.created_at, d.fan_id
LIMIT %(limit)s OFFSET %(offset)s
"""


class NewBroadcast(BaseModel):
    """A broadcast as it is stored, its references checked by the caller."""

    id: UUID
    name: str
    template_id: UUID
    segment_id: UUID
    segment_name: str
    media_id: UUID | None
    price: Decimal | None
    exclude_buyers: bool
    exclude_distress: bool
    exclude_messaged_hours: int | None
    attribution_hours: int
    scheduled_at: datetime | None
    hitl_action_id: UUID
    created_by: UUID | None


class Broadcast(BaseModel):
    id: UUID
    name: str
    template_id: UUID
    template_name: str
    segment_id: UUID | None
    segment_name: str
    media_id: UUID | None
    media_title: str | None
    price: Decimal | None
    exclude_buyers: bool
    exclude_distress: bool
    exclude_messaged_hours: int | None
    attribution_hours: int
    status: BroadcastStatus
    scheduled_at: datetime | None
    hitl_action_id: UUID
    snapshot_at: datetime | None
    recipients: int
    queued: int
    excluded: int
    blocked: int
    skipped: int
    converted: int
    revenue: Decimal
    created_by: UUID | None
    created_at: datetime
    sent_at: datetime | None


class Delivery(BaseModel):
    fan_id: UUID
    fan_name: str
    status: str
    reason: str | None
    body: str | None
    message_id: UUID | None
    message_status: str | None  # the outbox message: queued, then sent once delivered
    read_at: datetime | None
    converted_at: datetime | None
    created_at: datetime


class BroadcastNotFound(LookupError):
    """No broadcast with that id for this creator."""


def insert_broadcast(conn: psycopg.Connection[Any], new: NewBroadcast) -> None:
    conn.execute(INSERT, new.model_dump())


def get_broadcast(conn: psycopg.Connection[Any], broadcast_id: UUID) -> Broadcast:
    with conn.cursor(row_factory=class_row(Broadcast)) as cursor:
        found = cursor.execute(SELECT + " WHERE b.id = %s", [broadcast_id]).fetchone()
    if found is None:
        raise BroadcastNotFound(f"no broadcast {broadcast_id}")
    return found


def by_approval(conn: psycopg.Connection[Any], action_ids: Sequence[UUID]) -> dict[UUID, Broadcast]:
    """The broadcasts whose approvals (hitl_action_queue rows) are `action_ids`, by approval."""
    with conn.cursor(row_factory=class_row(Broadcast)) as cursor:
        found = cursor.execute(SELECT + " WHERE b.hitl_action_id = ANY(%s)", [list(action_ids)])
        return {broadcast.hitl_action_id: broadcast for broadcast in found}


def list_broadcasts(conn: psycopg.Connection[Any], limit: int) -> list[Broadcast]:
    with conn.cursor(row_factory=class_row(Broadcast)) as cursor:
        query = SELECT + " ORDER BY b.created_at DESC, b.id LIMIT %s"
        return cursor.execute(query, [limit]).fetchall()


def move(
    conn: psycopg.Connection[Any],
    broadcast_id: UUID,
    from_status: BroadcastStatus,
    to_status: BroadcastStatus,
) -> bool:
    """The broadcast moved from one status to the next; False when it was not in `from`."""
    params = {"id": broadcast_id, "from": from_status, "to": to_status}
    return conn.execute(MOVE, params).fetchone() is not None


def take_snapshot(
    conn: psycopg.Connection[Any],
    broadcast_id: UUID,
    members: sql.Composed,
    params: dict[str, Any],
    rules: dict[str, Any],
    now: datetime,
) -> bool:
    """Approved -> sending, with the fans `members` names now; False when not approved."""
    query = SNAPSHOT.format(members=members)
    values = {**params, "broadcast_id": broadcast_id, "now": now, "rules": Jsonb(rules)}
    return conn.execute(query, values).fetchone() is not None


def lock_sending(conn: psycopg.Connection[Any], broadcast_id: UUID) -> bool:
    """Holds the broadcast's row for this transaction; False unless it is sending."""
    return conn.execute(LOCK_SENDING, [broadcast_id]).fetchone() is not None


def write_batch(
    conn: psycopg.Connection[Any],
    broadcast: Broadcast,
    planned: Sequence[Planned],
    price: Decimal | None,
) -> set[UUID]:
    """One delivery per planned fan that has none yet (queued ones with their outbox message);
    the fans written now."""
    params = {
        "broadcast_id": broadcast.id,
        "fan_ids": [p.fan_id for p in planned],
        "statuses": [p.status for p in planned],
        "reasons": [p.reason for p in planned],
        "bodies": [p.body for p in planned],
        "user_id": broadcast.created_by,
        "media_id": broadcast.media_id,
        "price": price,
    }
    return {row[0] for row in conn.execute(WRITE_BATCH, params)}


def finish(
    conn: psycopg.Connection[Any], broadcast_id: UUID, now: datetime
) -> dict[str, Any] | None:
    """Sending -> sent once every fan of the snapshot has its delivery: the counters; else None."""
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(FINISH, {"broadcast_id": broadcast_id, "now": now}).fetchone()


def due(conn: psycopg.Connection[Any], now: datetime) -> list[UUID]:
    """Broadcasts approved (or sending) whose time has come, oldest first."""
    return [row[0] for row in conn.execute(DUE, {"now": now})]


def attribute_conversions(conn: psycopg.Connection[Any], now: datetime) -> int:
    """Marks the deliveries whose fan bought the offered media within the window; how many."""
    return sum(row[0] for row in conn.execute(ATTRIBUTE, {"now": now}))


def deliveries(
    conn: psycopg.Connection[Any],
    broadcast_id: UUID,
    *,
    status: str | None,
    limit: int,
    offset: int,
) -> list[Delivery]:
    params = {
        "broadcast_id": broadcast_id,
        "status": status,
        "limit": limit,
        "offset": offset,
    }
    with conn.cursor(row_factory=class_row(Delivery)) as cursor:
        return cursor.execute(DELIVERIES, params).fetchall()
