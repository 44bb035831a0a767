"""The conversation with a fan (fan_messages): the fan's inbound message, the draft reply
(status 'draft', linked to the message it answers and the agent run that wrote it), the recent
conversation as the fan saw it, and the outbox (outbound messages with status 'queued' that a
platform connector delivers; the platform's delivery receipt marks it 'sent').

A new inbound message supersedes the fan's open drafts (a draft already sent is not open), and
whatever else answered the conversation that has moved on (the caller's `on_fan_message`: the
agent's pending actions, a send waiting for approval among them).

A draft's state is derived, not stored: `open` or `stale` from its own row until it is sent;
then the state of the send_message action that carries it (awaiting_approval, sending, sent,
failed, rejected, expired, or stale when the fan wrote again before anyone approved it).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, LiteralString
from uuid import UUID

import psycopg
from psycopg import sql

from db.rows import fetch_all, fetch_one

MAX_BODY_CHARS = 2_000  # a longer message is cut for the model

# The conversation as the fan saw it: received and sent or queued, not drafts or failures.
SELECT_RECENT = """
SELECT message_id, direction, status, body, media_id, price, created_at
FROM (
    SELECT id AS message_id, direction, status, left(body, %(max_chars)s) AS body,
           media_id, price, created_at
    FROM fan_messages
    WHERE fan_id = %(fan_id)s AND status IN ('received', 'queued', 'sent')
    ORDER BY created_at DESC, id DESC
    LIMIT %(limit)s
) AS recent
ORDER BY created_at, message_id
"""
# The conversation's last message as the fan saw it (received, queued or sent) up to {until},
# for the fan {fan} (a column): joined as `latest`; the fan waits for a reply (AWAITING_REPLY)
# when it is theirs.
LATEST_MESSAGE = sql.SQL("""
LEFT JOIN LATERAL (
    SELECT m.direction, m.body, m.created_at FROM fan_messages m
    WHERE m.fan_id = {fan} AND m.status IN ('received', 'queued', 'sent')
      AND m.created_at <= {until}
    ORDER BY m.created_at DESC, m.id DESC
    LIMIT 1
) AS latest ON true
""")
AWAITING_REPLY = sql.SQL("coalesce(latest.direction = 'inbound', false)")
OUTBOX_COLUMNS = sql.SQL("id AS message_id, status, body, media_id, price, created_at")
INSERT_OUTBOUND = sql.SQL("""
INSERT INTO fan_messages
    (creator_id, fan_id, direction, status, body, in_reply_to_id, drafted_by_user_id,
     media_id, price, hitl_action_id)
VALUES (app_current_creator(), %(fan_id)s, 'outbound', 'queued', %(body)s, %(in_reply_to_id)s,
        %(user_id)s, %(media_id)s, %(price)s, %(action_id)s)
ON CONFLICT (hitl_action_id) DO NOTHING
RETURNING {columns}
""").format(columns=OUTBOX_COLUMNS)
SELECT_BY_ACTION = sql.SQL(
    "SELECT {columns} FROM fan_messages WHERE hitl_action_id = %(action_id)s"
).format(columns=OUTBOX_COLUMNS)
INSERT_INBOUND = """
INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, external_id)
VALUES (app_current_creator(), %(fan_id)s, 'inbound', 'received', %(body)s, %(external_id)s)
RETURNING id
"""
# The platform's delivery receipt: a queued outbound message reached the fan.
MARK_SENT = """
UPDATE fan_messages SET status = 'sent', sent_at = %(sent_at)s,
    external_id = COALESCE(external_id, %(external_id)s)
WHERE id = %(id)s AND fan_id = %(fan_id)s AND direction = 'outbound' AND status = 'queued'
RETURNING id
"""
SELECT_INBOUND = """
SELECT body FROM fan_messages WHERE id = %(id)s AND fan_id = %(fan_id)s AND direction = 'inbound'
"""
SELECT_LATEST_INBOUND = """
SELECT id, body FROM fan_messages
WHERE fan_id = %(fan_id)s AND direction = 'inbound'
ORDER BY created_at DESC, id DESC
LIMIT 1
"""
INSERT_DRAFT = """
INSERT INTO fan_messages
    (creator_id, fan_id, direction, status, body, in_reply_to_id, drafted_by_user_id, thread_id)
VALUES (app_current_creator(), %(fan_id)s, 'outbound', 'draft', %(body)s, %(in_reply_to)s,
        %(user_id)s, %(thread_id)s)
RETURNING id
"""
SUPERSEDE_DRAFTS = """
UPDATE fan_messages AS d SET status = 'superseded'
WHERE d.fan_id = %(fan_id)s AND d.status = 'draft'
  AND NOT EXISTS (SELECT 1 FROM hitl_action_queue q WHERE q.draft_message_id = d.id)
"""
# The conversation for people, newest first, a page at a time: the cursor is the last message
# of the previous page. Who wrote an outbound message and who approved it come along.
SELECT_PAGE = """
SELECT m.id, m.direction, m.status, m.body, m.media_id, m.price, m.in_reply_to_id,
       m.drafted_by_user_id AS drafted_by, q.decided_by AS approved_by,
       m.hitl_action_id AS action_id, m.created_at, m.sent_at
FROM fan_messages m
LEFT JOIN hitl_action_queue q ON q.id = m.hitl_action_id
WHERE m.fan_id = %(fan_id)s
  AND (%(status)s::text IS NULL AND m.status <> 'superseded'
       AND NOT (m.status = 'draft'  -- a sent draft is in the conversation as what was sent
                AND EXISTS (SELECT 1 FROM hitl_action_queue s WHERE s.draft_message_id = m.id))
       OR m.status = %(status)s)
  AND (%(before)s::uuid IS NULL
       OR (m.created_at, m.id) < (SELECT c.created_at, c.id FROM fan_messages c
                                  WHERE c.id = %(before)s AND c.fan_id = %(fan_id)s))
ORDER BY m.created_at DESC, m.id DESC
LIMIT %(limit)s
"""
SELECT_MESSAGE_OF_FAN = "SELECT 1 FROM fan_messages WHERE id = %(id)s AND fan_id = %(fan_id)s"
DRAFT_STATE = """
CASE WHEN q.id IS NULL THEN CASE d.status WHEN 'draft' THEN 'open' ELSE 'stale' END
     WHEN q.status = 'pending' THEN 'awaiting_approval'
     WHEN q.status IN ('approved', 'edited') THEN 'sending'
     WHEN q.status = 'executed' THEN 'sent'
     WHEN q.status = 'superseded' THEN 'stale'
     ELSE q.status END
"""
SELECT_DRAFTS = f"""
SELECT d.id, d.fan_id, d.body AS text, {DRAFT_STATE} AS state, d.in_reply_to_id,
       i.body AS fan_message, d.thread_id, d.drafted_by_user_id AS drafted_by, d.created_at,
       q.id AS send_action_id,
       sent.args ->> CASE q.action WHEN 'send_ppv_offer' THEN 'message' ELSE 'text' END
           AS send_text,
       (sent.args ->> 'price')::numeric AS send_price,
       o.id AS sent_message_id, q.decision_note
FROM fan_messages d
LEFT JOIN fan_messages i ON i.id = d.in_reply_to_id
LEFT JOIN hitl_action_queue q ON q.draft_message_id = d.id
CROSS JOIN LATERAL (SELECT coalesce(q.edited_args, q.args) AS args) sent
LEFT JOIN fan_messages o ON o.hitl_action_id = q.id
WHERE d.direction = 'outbound' AND d.status IN ('draft', 'superseded')
  AND (%(fan_id)s::uuid IS NULL OR d.fan_id = %(fan_id)s)
  AND (%(id)s::uuid IS NULL OR d.id = %(id)s)
ORDER BY d.created_at DESC, d.id DESC
LIMIT %(limit)s
"""  # noqa: S608
LOCK_DRAFT = "SELECT 1 FROM fan_messages WHERE id = %(id)s FOR UPDATE"
# The creator of a draft, for finding which of a caller's creators holds it.
DRAFT_EXISTS: LiteralString = (
    "SELECT 1 FROM fan_messages WHERE id = %s AND direction = 'outbound'"
    " AND status IN ('draft', 'superseded')"
)


# Runs in the transaction that stores a fan's message: what else the message makes stale.
FanMessageHook = Callable[[psycopg.Connection[Any], UUID], None]


class MessageNotFound(LookupError):
    """No inbound message with that id for this fan."""


class NothingToAnswer(LookupError):
    """The fan has not written yet."""


def receive(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    body: str,
    *,
    on_fan_message: FanMessageHook,
    external_id: str | None = None,
) -> UUID:
    """Stores the fan's message (with the platform's id of it, when known), supersedes the
    fan's open drafts and runs `on_fan_message`."""
    conn.execute(SUPERSEDE_DRAFTS, {"fan_id": fan_id})
    on_fan_message(conn, fan_id)
    params = {"fan_id": fan_id, "body": body, "external_id": external_id}
    row = conn.execute(INSERT_INBOUND, params).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def mark_sent(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    message_id: UUID,
    sent_at: datetime,
    external_id: str,
) -> bool:
    """The outbox message delivered (False: no queued message of this fan with that id)."""
    params = {"id": message_id, "fan_id": fan_id, "sent_at": sent_at, "external_id": external_id}
    return conn.execute(MARK_SENT, params).fetchone() is not None


def inbound_text(conn: psycopg.Connection[Any], fan_id: UUID, message_id: UUID) -> str:
    row = conn.execute(SELECT_INBOUND, {"id": message_id, "fan_id": fan_id}).fetchone()
    if row is None:
        raise MessageNotFound(f"no message {message_id} from this fan")
    return str(row[0])


def latest_inbound(conn: psycopg.Connection[Any], fan_id: UUID) -> tuple[UUID, str]:
    """The fan's latest message: its id and text."""
    row = conn.execute(SELECT_LATEST_INBOUND, {"fan_id": fan_id}).fetchone()
    if row is None:
        raise NothingToAnswer("the fan has not written yet: there is no message to answer")
    return UUID(str(row[0])), str(row[1])


def store_draft(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    body: str,
    *,
    in_reply_to: UUID,
    user_id: UUID | None,
    thread_id: str | None,  # the agent run that wrote it; None for a person's own reply
) -> UUID:
    params = {
        "fan_id": fan_id,
        "body": body,
        "in_reply_to": in_reply_to,
        "user_id": user_id,
        "thread_id": thread_id,
    }
    row = conn.execute(INSERT_DRAFT, params).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def recent_messages(
    conn: psycopg.Connection[Any], fan_id: UUID, limit: int
) -> list[dict[str, Any]]:
    """The latest messages as the fan saw them (received, queued, sent), oldest first, each body
    cut to MAX_BODY_CHARS."""
    params = {"fan_id": fan_id, "limit": limit, "max_chars": MAX_BODY_CHARS}
    return fetch_all(conn, SELECT_RECENT, params)


def message_page(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    *,
    before: UUID | None,
    status: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Up to `limit` messages older than `before` (all: None), newest first; superseded drafts,
    and drafts that were sent, only when asked for by `status`. MessageNotFound when `before` is
    not this fan's."""
    if (
        before is not None
        and conn.execute(SELECT_MESSAGE_OF_FAN, {"id": before, "fan_id": fan_id}).fetchone() is None
    ):
        raise MessageNotFound(f"no message {before} of this fan to page from")
    params = {"fan_id": fan_id, "before": before, "status": status, "limit": limit}
    return fetch_all(conn, SELECT_PAGE, params)


def list_drafts(conn: psycopg.Connection[Any], fan_id: UUID, limit: int) -> list[dict[str, Any]]:
    """The fan's drafts, newest first, each with its state and what was sent of it."""
    return fetch_all(conn, SELECT_DRAFTS, {"fan_id": fan_id, "id": None, "limit": limit})


def lock_draft(conn: psycopg.Connection[Any], draft_id: UUID) -> None:
    """Holds the draft's row until the transaction ends (one send of a draft at a time)."""
    conn.execute(LOCK_DRAFT, {"id": draft_id})


def get_draft(conn: psycopg.Connection[Any], draft_id: UUID) -> dict[str, Any] | None:
    return fetch_one(conn, SELECT_DRAFTS, {"fan_id": None, "id": draft_id, "limit": 1})
