"""Deciding a fan's custom content request (fan_custom_requests): accept at a price and a
deadline, or decline with a reason. Only a request of the run's fan still pending review can
be decided."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.abc import QueryNoTemplate
from pydantic import AwareDatetime, Field, StringConstraints

from db.rows import fetch_one
from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.fields import Price

# Only a request still pending review is decided; the status trigger allows nothing else anyway.
DECIDE = sql.SQL("""
UPDATE fan_custom_requests
SET {decision}, decided_at = now()
WHERE id = %(request_id)s AND fan_id = %(fan_id)s AND status = 'pending_review'
RETURNING id AS request_id, status, agreed_price, deadline, decline_reason, decided_at
""")
ACCEPT = DECIDE.format(
    decision=sql.SQL("status = 'accepted', agreed_price = %(price)s, deadline = %(deadline)s")
)
DECLINE = DECIDE.format(decision=sql.SQL("status = 'declined', decline_reason = %(reason)s"))
SELECT_STATUS = (
    "SELECT status FROM fan_custom_requests WHERE id = %(request_id)s AND fan_id = %(fan_id)s"
)

RequestId = Annotated[UUID, Field(description="The custom request's id.")]


class AcceptCustomArgs(ToolArgs):
    request_id: RequestId
    price: Price
    deadline: AwareDatetime = Field(
        description="When the content is delivered by: ISO 8601 with a time zone, "
        "e.g. 2025-07-01T18:00:00Z."
    )


class DeclineCustomArgs(ToolArgs):
    request_id: RequestId
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = Field(description="Why it is declined (kept on the request; not sent to the fan).")


def accept_custom_request(
    conn: psycopg.Connection[Any], ctx: RunContext, args: AcceptCustomArgs
) -> ToolResult:
    if args.deadline <= datetime.now(UTC):
        raise ToolError(f"the deadline {args.deadline.isoformat()} is in the past")
    params = {**_params(ctx, args.request_id), "price": args.price, "deadline": args.deadline}
    return _decide(conn, ACCEPT, params)


def decline_custom_request(
    conn: psycopg.Connection[Any], ctx: RunContext, args: DeclineCustomArgs
) -> ToolResult:
    return _decide(conn, DECLINE, {**_params(ctx, args.request_id), "reason": args.reason})


def _params(ctx: RunContext, request_id: UUID) -> dict[str, Any]:
    return {"request_id": request_id, "fan_id": ctx.fan_id}


def _decide(
    conn: psycopg.Connection[Any], update: QueryNoTemplate, params: dict[str, Any]
) -> ToolResult:
    decided = fetch_one(conn, update, params)
    if decided is not None:
        return decided
    current = fetch_one(conn, SELECT_STATUS, params)
    if current is None:
        raise ToolError(f"unknown custom request {params['request_id']} for this fan")
    raise ToolError(
        f"custom request {params['request_id']} is {current['status']}, not pending review"
    )


ACCEPT_CUSTOM_TOOL = Tool(
    name="accept_custom_request",
    description="Accept the fan's pending custom content request at a price, to be delivered "
    "by a deadline.",
    args=AcceptCustomArgs,
    kind="write",
    run=accept_custom_request,
)
DECLINE_CUSTOM_TOOL = Tool(
    name="decline_custom_request",
    description="Decline the fan's pending custom content request, with the reason.",
    args=DeclineCustomArgs,
    kind="write",
    run=decline_custom_request,
)
