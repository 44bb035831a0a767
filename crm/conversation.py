"""The conversation with a fan (fan_messages): the fan's inbound message, the draft reply
(status 'draft', linked to the message it answers), the recent conversation as the fan saw it,
and the outbox (outbound messages with status 'queued' that a platform connector delivers).

A new inbound message supersedes the fan's open drafts, and whatever else answered the
conversation that has moved on (the caller's `on_fan_message`: the agent's pending actions).
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from db.rows import fetch_all

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
SELECT_INBOUND = """
SELECT body FROM fan_messages WHERE id = %(id)s AND fan_id = %(fan_id)s AND direction = 'inbound'
"""
INSERT_DRAFT = """
INSERT INTO fan_messages
    (creator_id, fan_id, direction, status, body, in_reply_to_id, drafted_by_user_id)
VALUES (app_current_creator(), %(fan_id)s, 'outbound', 'draft', %(body)s, %(in_reply_to)s,
        %(user_id)s)
RETURNING id
"""
SUPERSEDE_DRAFTS = """
UPDATE fan_messages SET status = 'superseded'
WHERE fan_id = %(fan_id)s AND status = 'draft'
"""


# Runs in the transaction that stores a fan's message: what else the message makes stale.
FanMessageHook = Callable[[psycopg.Connection[Any], UUID], None]


class MessageNotFound(LookupError):
    """No inbound message with that id for this fan."""


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


def inbound_text(conn: psycopg.Connection[Any], fan_id: UUID, message_id: UUID) -> str:
    row = conn.execute(SELECT_INBOUND, {"id": message_id, "fan_id": fan_id}).fetchone()
    if row is None:
        raise MessageNotFound(f"no message {message_id} from this fan")
    return str(row[0])


def store_draft(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    body: str,
    in_reply_to: UUID | None,
    user_id: UUID | None,
) -> UUID:
    params = {"fan_id": fan_id, "body": body, "in_reply_to": in_reply_to, "user_id": user_id}
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
