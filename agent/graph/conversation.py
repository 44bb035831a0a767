"""The fan_messages the agent writes around a draft: the fan's inbound message and the draft
reply (status 'draft', linked to the message it answers); the recent conversation is read
through tools/messages.py.

A new inbound message supersedes the fan's open drafts and pending actions: they answered a
conversation that has moved on.
"""

from typing import Any
from uuid import UUID

import psycopg

from agent.gate import queue

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


class MessageNotFound(LookupError):
    """No inbound message with that id for this fan."""


def receive(
    conn: psycopg.Connection[Any], fan_id: UUID, body: str, external_id: str | None = None
) -> UUID:
    """Stores the fan's message (with the platform's id of it, when known) and supersedes the
    fan's open drafts and pending actions."""
    conn.execute(SUPERSEDE_DRAFTS, {"fan_id": fan_id})
    queue.supersede_pending(conn, fan_id, "a newer message from the fan arrived")
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
