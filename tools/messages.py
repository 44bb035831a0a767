"""The conversation (fan_messages): reading the recent messages, and queueing outbound ones.

An outbound message is written with status 'queued': the outbox a platform connector delivers
from. It answers the inbound message of the run (ctx.message_id) and names who drafted it.
"""

from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from tools.base import RunContext, Tool, ToolArgs, ToolResult
from tools.fields import Limit, MessageText, Price
from tools.media import MediaId, require_offerable
from tools.once import insert_once
from tools.rows import fetch_all

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


class RecentMessagesArgs(ToolArgs):
    limit: Limit = 20


class SendMessageArgs(ToolArgs):
    text: MessageText


class SendPpvOfferArgs(ToolArgs):
    media_id: MediaId
    price: Price
    message: MessageText


def get_recent_messages(
    conn: psycopg.Connection[Any], ctx: RunContext, args: RecentMessagesArgs
) -> ToolResult:
    params = {"fan_id": ctx.fan_id, "limit": args.limit, "max_chars": MAX_BODY_CHARS}
    return {"messages": fetch_all(conn, SELECT_RECENT, params)}


def send_message(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendMessageArgs
) -> ToolResult:
    return _queue(conn, ctx, args.text, media_id=None, price=None)


def send_ppv_offer(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendPpvOfferArgs
) -> ToolResult:
    media = require_offerable(conn, ctx.fan_id, args.media_id)
    return {**_queue(conn, ctx, args.message, args.media_id, args.price), "title": media["title"]}


def _queue(
    conn: psycopg.Connection[Any],
    ctx: RunContext,
    body: str,
    media_id: UUID | None,
    price: float | None,
) -> dict[str, Any]:
    params = {
        "fan_id": ctx.fan_id,
        "body": body,
        "in_reply_to_id": ctx.message_id,
        "user_id": ctx.user_id,
        "media_id": media_id,
        "price": price,
        "action_id": ctx.action_id,
    }
    return insert_once(conn, INSERT_OUTBOUND, SELECT_BY_ACTION, params)


RECENT_MESSAGES_TOOL = Tool(
    name="get_recent_messages",
    description="The latest messages between the fan and the creator, oldest first: direction "
    "(inbound is from the fan), text, any PPV media and price.",
    args=RecentMessagesArgs,
    kind="read",
    run=get_recent_messages,
)
SEND_MESSAGE_TOOL = Tool(
    name="send_message",
    description="Send the fan a text message.",
    args=SendMessageArgs,
    kind="write",
    run=send_message,
)
SEND_PPV_OFFER_TOOL = Tool(
    name="send_ppv_offer",
    description="Send the fan a pay-per-view media item at a price, with a message. Check "
    "with check_already_purchased first: an item the fan owns cannot be offered.",
    args=SendPpvOfferArgs,
    kind="write",
    run=send_ppv_offer,
)
