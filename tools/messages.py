"""The conversation (crm/conversation.py): reading the recent messages, and queueing outbound
ones.

An outbound message is written with status 'queued': the outbox a platform connector delivers
from. It answers the inbound message of the run (ctx.message_id) and names who drafted it. Its
text passes the outbound guard first (crm/outbound_guard.py): the send tools' check runs before a
call is queued for approval and again before every run, so nothing the guard blocks is written.
"""

from typing import Any
from uuid import UUID

import psycopg

from crm.conversation import INSERT_OUTBOUND, SELECT_BY_ACTION, recent_messages
from crm.outbound_guard import Attempt, Path, inspect
from tools.base import RunContext, Tool, ToolArgs, ToolResult
from tools.fields import Limit, MessageText, Price
from tools.media import MediaId, require_offerable
from tools.once import insert_once


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
    return {"messages": recent_messages(conn, ctx.fan_id, args.limit)}


def send_message(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendMessageArgs
) -> ToolResult:
    return _queue(conn, ctx, args.text, media_id=None, price=None)


def send_ppv_offer(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendPpvOfferArgs
) -> ToolResult:
    media = require_offerable(conn, ctx.fan_id, args.media_id)
    return {**_queue(conn, ctx, args.message, args.media_id, args.price), "title": media["title"]}


def guard_text(ctx: RunContext, text: str) -> None:
    """Raises OutboundBlocked when the outbound guard blocks `text` (the caller logs it)."""
    path: Path = "execution" if ctx.action_id is not None else "agent"
    inspect(Attempt(ctx.fan_id, text, path, ctx.user_id, ctx.action_id))


def check_send_message(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendMessageArgs
) -> None:
    guard_text(ctx, args.text)


def check_send_ppv_offer(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SendPpvOfferArgs
) -> None:
    guard_text(ctx, args.message)


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
    check=check_send_message,
)
SEND_PPV_OFFER_TOOL = Tool(
    name="send_ppv_offer",
    description="Send the fan a pay-per-view media item at a price, with a message. Check "
    "with check_already_purchased first: an item the fan owns cannot be offered.",
    args=SendPpvOfferArgs,
    kind="write",
    run=send_ppv_offer,
    check=check_send_ppv_offer,
)
