"""The checks a write tool's arguments pass before a call is queued or run (Tool.verify), and
the custom request flow: opened (pending_review, with the fan's words and offer), listed, then
decided within the bounds of the fan's offer."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest

from crm.intelligence.pricing import custom_price_range
from db.connect import creator_scope
from tests.tools.world import Creator, call
from tools.base import RunContext, ToolError
from tools.policy import requires_approval
from tools.registry import ALL_TOOLS

AHEAD = (datetime.now(UTC) + timedelta(days=7)).isoformat()


def verify(conn: psycopg.Connection[Any], ctx: RunContext, name: str, **arguments: Any) -> None:
    """What run_tools does before queueing a gated call."""
    tool = ALL_TOOLS[name]
    with creator_scope(conn, ctx.creator_id):
        tool.verify(conn, ctx, tool.parse(arguments))


def opened(conn: psycopg.Connection[Any], creator: Creator, offered: float | None) -> str:
    """A new pending request of the fan, opened by the agent; its id."""
    arguments: dict[str, Any] = {"description": "a video saying my name"}
    if offered is not None:
        arguments["offered_price"] = offered
    return str(call(conn, creator.ctx(), "open_custom_request", **arguments)["request_id"])


def test_open_custom_request_records_the_fans_words_and_offer_for_review(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    result = call(
        conn,
        creator_a.ctx(),
        "open_custom_request",
        description="  a birthday video saying my name, Max  ",
        offered_price=200,
    )
    with creator_scope(conn, creator_a.id):
        row = conn.execute(
            "SELECT fan_id, status, description, proposed_price, source_message_id, agreed_price"
            " FROM fan_custom_requests WHERE id = %s",
            [result["request_id"]],
        ).fetchone()
        gated = requires_approval(conn, "open_custom_request")
    assert row == (
        creator_a.fan,
        "pending_review",
        "a birthday video saying my name, Max",
        Decimal("200.00"),
        creator_a.inbound,
        None,
    )
    assert (result["status"], result["proposed_price"]) == ("pending_review", 200.0)
    assert gated is False
    listed = call(conn, creator_a.ctx(), "get_custom_requests")["requests"]
    assert listed[0]["request_id"] == result["request_id"]  # newest first
    assert sorted(r["status"] for r in listed) == ["declined", "pending_review", "pending_review"]
    assert str(creator_a.other_fans_request) not in {r["request_id"] for r in listed}


@pytest.mark.parametrize(
    ("price", "allowed"),
    [(1, False), (99.99, False), (100, True), (200, True), (400, True), (1234.12, False)],
)
def test_an_accepted_price_stays_within_half_and_twice_the_fans_offer(
    conn: psycopg.Connection[Any], creator_a: Creator, price: float, allowed: bool
) -> None:
    request = opened(conn, creator_a, offered=200)
    arguments = {"request_id": request, "price": price, "deadline": AHEAD}
    if allowed:
        verify(conn, creator_a.ctx(), "accept_custom_request", **arguments)
        return
    with pytest.raises(
        ToolError,
        match=r"outside \$100.00 to \$400.00 \(half to twice the fan's offer of \$200.00\)",
    ):
        verify(conn, creator_a.ctx(), "accept_custom_request", **arguments)


def test_without_an_offer_the_creators_usual_custom_price_is_the_base(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    unanchored = {"request_id": str(creator_a.pending_request), "deadline": AHEAD}
    verify(conn, creator_a.ctx(), "accept_custom_request", **unanchored, price=5000)
    with pytest.raises(ToolError, match=r"outside \$3.00 to \$10000.00 \(no offer"):
        verify(conn, creator_a.ctx(), "accept_custom_request", **unanchored, price=1)
    earlier = opened(conn, creator_a, offered=None)
    call(
        conn, creator_a.ctx(), "accept_custom_request", request_id=earlier, price=80, deadline=AHEAD
    )
    with pytest.raises(
        ToolError,
        match=r"outside \$40.00 to \$160.00 \(half to twice the creator's usual custom price "
        r"\$80.00\)",
    ):
        verify(conn, creator_a.ctx(), "accept_custom_request", **unanchored, price=5000)


@pytest.mark.parametrize("name", ["accept_custom_request", "decline_custom_request"])
def test_an_invented_request_id_is_refused_with_the_fans_pending_requests(
    conn: psycopg.Connection[Any], creator_a: Creator, name: str
) -> None:
    invented = "6d2f3c4e-0000-4000-8000-000000000000"
    arguments: dict[str, Any] = (
        {"price": 50, "deadline": AHEAD} if name == "accept_custom_request" else {"reason": "no"}
    )
    real = opened(conn, creator_a, offered=60)
    with pytest.raises(ToolError) as refused:
        verify(conn, creator_a.ctx(), name, request_id=invented, **arguments)
    message = str(refused.value)
    assert message.startswith(f"unknown custom request {invented} for this fan")
    assert f"{real} ('a video saying my name', offered $60.00)" in message
    assert str(creator_a.pending_request) in message
    assert str(creator_a.declined_request) not in message  # not pending: not offered
    assert str(creator_a.other_fans_request) not in message


def test_a_fan_with_no_pending_request_is_told_so(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    call(
        conn,
        creator_a.ctx(),
        "decline_custom_request",
        request_id=str(creator_a.pending_request),
        reason="not my thing",
    )
    with pytest.raises(ToolError, match="is declined, not pending review; the fan has no request"):
        verify(
            conn,
            creator_a.ctx(),
            "accept_custom_request",
            request_id=str(creator_a.declined_request),
            price=50,
            deadline=AHEAD,
        )


@pytest.mark.parametrize(("price", "allowed"), [(1, False), (12.5, True), (50, True), (51, False)])
def test_a_ppv_offer_is_priced_inside_the_pricing_engines_range(
    conn: psycopg.Connection[Any], creator_a: Creator, price: float, allowed: bool
) -> None:
    arguments = {"media_id": str(creator_a.media["Shower video"]), "price": price, "message": "x"}
    if allowed:
        verify(conn, creator_a.ctx(), "send_ppv_offer", **arguments)
        return
    with pytest.raises(
        ToolError, match=r"outside the range for Shower video, \$12.50 to \$50.00; suggest_ppv"
    ):
        verify(conn, creator_a.ctx(), "send_ppv_offer", **arguments)


def test_checks_run_before_every_run_so_edited_arguments_are_checked_too(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    request = opened(conn, creator_a, offered=200)
    with pytest.raises(ToolError, match="outside"):
        call(
            conn,
            creator_a.ctx(),
            "accept_custom_request",
            request_id=request,
            price=1,
            deadline=AHEAD,
        )
    with pytest.raises(ToolError, match="outside the range"):
        call(
            conn,
            creator_a.ctx(),
            "send_ppv_offer",
            media_id=str(creator_a.media["Shower video"]),
            price=1,
            message="x",
        )
    with creator_scope(conn, creator_a.id):
        [(status,)] = conn.execute(
            "SELECT status FROM fan_custom_requests WHERE id = %s", [UUID(request)]
        ).fetchall()
    assert status == "pending_review"


@pytest.mark.parametrize(
    ("offered", "usual", "expected"),
    [
        (Decimal(200), Decimal(80), (Decimal(100), Decimal(400))),
        (Decimal(4), None, (Decimal(3), Decimal(8))),
        (None, Decimal(80), (Decimal(40), Decimal(160))),
        (None, None, (Decimal(3), Decimal(10_000))),
        (Decimal(8000), None, (Decimal(4000), Decimal(10_000))),
    ],
)
def test_the_custom_price_range_rule(
    offered: Decimal | None, usual: Decimal | None, expected: tuple[Decimal, Decimal]
) -> None:
    low, high, _ = custom_price_range(offered, usual)
    assert (low, high) == expected
