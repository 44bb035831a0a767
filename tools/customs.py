"""A fan's custom content requests (fan_custom_requests): recorded (pending_review, with what the
fan asked for and offered), listed, then decided: accepted at a price and a deadline, or
declined with a reason.

Only a request of the run's fan still pending review can be decided; a deadline is ahead; an
agreed price is inside crm.intelligence.pricing.custom_price_range (around the fan's offer).
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.abc import QueryNoTemplate
from pydantic import AwareDatetime, Field, StringConstraints

from crm.fans.customs import REQUEST_COLUMNS, custom_requests
from crm.intelligence.pricing import custom_price_range
from db.rows import fetch_one
from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.fields import Limit, Price

INSERT_REQUEST = f"""
INSERT INTO fan_custom_requests (creator_id, fan_id, description, proposed_price,
                                 source_message_id)
VALUES (app_current_creator(), %(fan_id)s, %(description)s, %(price)s, %(message_id)s)
RETURNING {REQUEST_COLUMNS}
"""  # noqa: S608
SELECT_REQUEST = f"""
SELECT {REQUEST_COLUMNS} FROM fan_custom_requests
WHERE id = %(request_id)s AND fan_id = %(fan_id)s
"""  # noqa: S608
# The creator's going rate: the median agreed price of the customs they took on.
USUAL_PRICE = """
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY agreed_price)
FROM fan_custom_requests WHERE status IN ('accepted', 'fulfilled')
"""
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

PENDING = "pending_review"
LISTED_IN_ERRORS = 5  # pending requests an unknown id's error names

RequestId = Annotated[
    UUID, Field(description="The request's id, from open_custom_request or get_custom_requests.")
]


class OpenCustomArgs(ToolArgs):
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ] = Field(description="What the fan asks for, in his words (kept on the request).")
    offered_price: Price | None = Field(
        default=None, description="What the fan offered to pay (USD), if he named a price."
    )


class ListCustomsArgs(ToolArgs):
    limit: Limit = 10


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


def pending_request_ids(conn: psycopg.Connection[Any], fan_id: UUID) -> list[str]:
    """The ids of the fan's requests pending review, newest first."""
    return [row["request_id"] for row in custom_requests(conn, fan_id, status=PENDING)]


def open_custom_request(
    conn: psycopg.Connection[Any], ctx: RunContext, args: OpenCustomArgs
) -> ToolResult:
    params = {
        "fan_id": ctx.fan_id,
        "description": args.description,
        "price": args.offered_price,
        "message_id": ctx.message_id,
    }
    opened = fetch_one(conn, INSERT_REQUEST, params)
    assert opened is not None
    return opened


def get_custom_requests(
    conn: psycopg.Connection[Any], ctx: RunContext, args: ListCustomsArgs
) -> ToolResult:
    return {"requests": custom_requests(conn, ctx.fan_id, limit=args.limit)}


def check_accept(conn: psycopg.Connection[Any], ctx: RunContext, args: AcceptCustomArgs) -> None:
    """The request is the fan's and pending review, the deadline ahead, the price in range."""
    if args.deadline <= datetime.now(UTC):
        raise ToolError(f"the deadline {args.deadline.isoformat()} is in the past")
    request = _pending(conn, ctx.fan_id, args.request_id)
    offered = request["proposed_price"]
    (usual,) = conn.execute(USUAL_PRICE).fetchone() or (None,)
    low, high, basis = custom_price_range(
        Decimal(str(offered)) if offered is not None else None, usual
    )
    if not low <= Decimal(str(args.price)) <= high:
        raise ToolError(
            f"the price ${args.price:.2f} is outside ${low:.2f} to ${high:.2f} ({basis})"
        )


def check_decline(conn: psycopg.Connection[Any], ctx: RunContext, args: DeclineCustomArgs) -> None:
    """The request is the fan's and pending review."""
    _pending(conn, ctx.fan_id, args.request_id)


def accept_custom_request(
    conn: psycopg.Connection[Any], ctx: RunContext, args: AcceptCustomArgs
) -> ToolResult:
    params = {**_params(ctx, args.request_id), "price": args.price, "deadline": args.deadline}
    return _decide(conn, ACCEPT, params)


def decline_custom_request(
    conn: psycopg.Connection[Any], ctx: RunContext, args: DeclineCustomArgs
) -> ToolResult:
    return _decide(conn, DECLINE, {**_params(ctx, args.request_id), "reason": args.reason})


def _pending(conn: psycopg.Connection[Any], fan_id: UUID, request_id: UUID) -> dict[str, Any]:
    """The fan's request `request_id`, pending review; else a ToolError naming the fan's
    pending requests, so the model can pick a real one."""
    request = fetch_one(conn, SELECT_REQUEST, {"request_id": request_id, "fan_id": fan_id})
    if request is not None and request["status"] == PENDING:
        return request
    problem = (
        f"unknown custom request {request_id} for this fan"
        if request is None
        else f"custom request {request_id} is {request['status']}, not pending review"
    )
    pending = custom_requests(conn, fan_id, status=PENDING, limit=LISTED_IN_ERRORS)
    if not pending:
        raise ToolError(f"{problem}; the fan has no request pending review")
    listed = "; ".join(
        f"{r['request_id']} ({r['description'][:80]!r}"
        + (f", offered ${r['proposed_price']:.2f})" if r["proposed_price"] is not None else ")")
        for r in pending
    )
    raise ToolError(f"{problem}; the fan's requests pending review: {listed}")


def _params(ctx: RunContext, request_id: UUID) -> dict[str, Any]:
    return {"request_id": request_id, "fan_id": ctx.fan_id}


def _decide(
    conn: psycopg.Connection[Any], update: QueryNoTemplate, params: dict[str, Any]
) -> ToolResult:
    decided = fetch_one(conn, update, params)
    if decided is None:  # decided by someone else since the check
        raise ToolError(f"custom request {params['request_id']} is no longer pending review")
    return decided


OPEN_CUSTOM_TOOL = Tool(
    name="open_custom_request",
    description="Record the fan's request for custom content (made just for him) and what he "
    "offered to pay, for the creator to review. Returns the request's id.",
    args=OpenCustomArgs,
    kind="write",
    run=open_custom_request,
)
LIST_CUSTOMS_TOOL = Tool(
    name="get_custom_requests",
    description="The fan's custom content requests, newest first: id, what he asked for, "
    "status (pending_review, accepted, declined, fulfilled), his offer, the agreed price and "
    "deadline.",
    args=ListCustomsArgs,
    kind="read",
    run=get_custom_requests,
)
ACCEPT_CUSTOM_TOOL = Tool(
    name="accept_custom_request",
    description="Accept the fan's custom content request (pending review) at a price near his "
    "offer, to be delivered by a deadline.",
    args=AcceptCustomArgs,
    kind="write",
    run=accept_custom_request,
    check=check_accept,
)
DECLINE_CUSTOM_TOOL = Tool(
    name="decline_custom_request",
    description="Decline the fan's custom content request (pending review), with the reason.",
    args=DeclineCustomArgs,
    kind="write",
    run=decline_custom_request,
    check=check_decline,
)
