"""What the model may propose, through the graph with scripted models and real PostgreSQL: a
gated call is queued only when the database accepts its arguments, a custom request is opened
before it is decided, and a decision ends the question for the thread."""

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from agent.gate.queue import CreatorDecision
from agent.llm.types import ChatResult
from agent.service import Decided, Decision, DraftOutcome, DraftRequest
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from prompts.messages import ChatMessage
from tests.agent.conftest import running
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import fan_writes, rows
from tests.tools.world import Creator

AHEAD = (datetime.now(UTC) + timedelta(days=7)).isoformat()
CUSTOM = "could you make me a custom video saying my name? I'd pay $200 for it"
INVENTED = "6d2f3c4e-0000-4000-8000-000000000000"


def draft(database: DatabaseTarget, creator: Creator, text: str) -> DraftRequest:
    message_id = fan_writes(database, creator.id, creator.fan, text)
    return DraftRequest(creator.id, creator.fan, message_id=message_id, user_id=creator.user)


def queued(database: DatabaseTarget, creator: Creator) -> list[tuple[Any, ...]]:
    return rows(database, creator.id, "SELECT action, args FROM hitl_action_queue")


def custom_request(database: DatabaseTarget, creator: Creator, request_id: str) -> tuple[Any, ...]:
    [row] = rows(
        database,
        creator.id,
        "SELECT status, description, proposed_price, agreed_price, source_message_id"
        " FROM fan_custom_requests WHERE id = %s",
        UUID(request_id),
    )
    return row


def no_pending_requests(database: DatabaseTarget, creator: Creator) -> None:
    """The world's pending request of the fan, declined."""
    rows(
        database,
        creator.id,
        "UPDATE fan_custom_requests SET status = 'declined' WHERE id = %s RETURNING id",
        creator.pending_request,
    )


def offered_request(database: DatabaseTarget, creator: Creator, price: float) -> str:
    """The fan's only pending request, for which he offered `price`."""
    no_pending_requests(database, creator)
    [(request_id,)] = rows(
        database,
        creator.id,
        "INSERT INTO fan_custom_requests (creator_id, fan_id, description, proposed_price)"
        " VALUES (app_current_creator(), %s, 'a video saying my name', %s) RETURNING id",
        creator.fan,
        price,
    )
    return str(request_id)


def accept(
    request_id: str, price: float = 200, deadline: str = AHEAD
) -> tuple[str, dict[str, Any]]:
    return "accept_custom_request", {"request_id": request_id, "price": price, "deadline": deadline}


def test_invented_ids_past_deadlines_and_prices_out_of_range_are_refused_and_never_queued(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    real = offered_request(database, creator_a, 200)
    shower = str(creator_a.media["Shower video"])
    model = ScriptedChatModel(
        [
            calls(
                accept(INVENTED),
                accept(real, deadline="2020-01-01T00:00:00Z"),
                accept(real, price=1),
                accept(real, price=1234.12),
                ("decline_custom_request", {"request_id": INVENTED, "reason": "busy"}),
                ("send_ppv_offer", {"media_id": shower, "price": 1, "message": "for you"}),
                ("send_ppv_offer", {"media_id": INVENTED, "price": 20, "message": "for you"}),
                ("offer_discount", {"percent": 10, "expires_at": "2020-01-01T00:00:00Z"}),
            ),
            says("let me think about it babe"),
        ]
    )

    async def scenario() -> DraftOutcome:
        async with running(database, model, embedder) as service:
            return await service.draft(draft(database, creator_a, CUSTOM))

    outcome = asyncio.run(scenario())
    assert queued(database, creator_a) == []
    assert (outcome.outcome, outcome.draft, outcome.pending) == (
        "drafted",
        "let me think about it babe",
        [],
    )
    assert [call["status"] for call in outcome.tool_calls] == ["failed"] * 8
    told = model.tool_messages(1)
    assert all(message.startswith("Error: ") for message in told)
    assert f"unknown custom request {INVENTED}" in told[0]
    assert f"pending review: {real} ('a video saying my name', offered $200.00)" in told[0]
    assert "in the past" in told[1]
    assert "outside $100.00 to $400.00" in told[2] and "outside $100.00 to $400.00" in told[3]
    assert f"unknown custom request {INVENTED}" in told[4]
    assert "outside the range for Shower video" in told[5]
    assert f"unknown media id {INVENTED}" in told[6]
    assert "in the next 30 days" in told[7]
    assert custom_request(database, creator_a, real)[0] == "pending_review"


def _accept_what_was_opened(messages: Sequence[ChatMessage]) -> ChatResult:
    """The model's second turn: accept the request its first turn opened, by the id it got."""
    opened = json.loads(messages[-1].content)
    return calls(accept(opened["request_id"], price=opened["proposed_price"]))


def test_a_custom_request_is_opened_without_approval_and_only_then_accepted(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    no_pending_requests(database, creator_a)
    opening = {"description": "a video saying my name", "offered_price": 200}
    model = ScriptedChatModel(
        [
            calls(("open_custom_request", opening)),
            _accept_what_was_opened,
            says("deal babe, it's yours by next week"),
        ]
    )
    request = draft(database, creator_a, CUSTOM)

    async def scenario() -> tuple[DraftOutcome, Decided]:
        async with running(database, model, embedder) as service:
            first = await service.draft(request)
            [pending] = first.pending
            approve = Decision("approved", user_id=creator_a.user)
            return first, await service.decide(creator_a.id, UUID(pending["id"]), approve)

    first, decided = asyncio.run(scenario())
    assert "wants_custom" in {intent["signal"] for intent in first.intents}
    assert model.requests[0].tools == ("open_custom_request",)  # nothing to decide yet
    opened = first.tool_calls[0]
    assert (opened["name"], opened["status"], opened["action_id"]) == (
        "open_custom_request",
        "ran",
        None,
    )
    request_id = opened["result"]["request_id"]
    assert set(model.requests[1].tools) == {
        "get_custom_requests",
        "accept_custom_request",
        "decline_custom_request",
    }
    [(action, args)] = queued(database, creator_a)
    assert (action, args["request_id"], args["price"]) == ("accept_custom_request", request_id, 200)
    assert decided.action.status == "executed"
    assert decided.reply is not None and decided.reply.draft == "deal babe, it's yours by next week"
    status, description, offered, agreed, source = custom_request(database, creator_a, request_id)
    assert (status, description, float(offered), float(agreed), source) == (
        "accepted",
        "a video saying my name",
        200.0,
        200.0,
        request.message_id,
    )
    assert model.requests[2].tools == ()  # opened, and no request left pending


@pytest.mark.parametrize(
    ("status", "settled"),
    [("approved", "executed"), ("edited", "executed"), ("rejected", "rejected")],
)
def test_a_decision_ends_the_question_for_the_thread(
    database: DatabaseTarget,
    creator_a: Creator,
    embedder: LocalEmbedder,
    status: CreatorDecision,
    settled: str,
) -> None:
    """The model keeps proposing the same acceptance after the creator decided it."""
    real = offered_request(database, creator_a, 200)
    decision = Decision(
        status,
        edited_args=accept(real, price=250)[1] if status == "edited" else None,
        note="already accepted it on another app" if status == "rejected" else None,
    )
    again = calls(accept(real))
    model = ScriptedChatModel([again, again, again, says("talk soon babe")])

    async def scenario() -> Decided:
        async with running(database, model, embedder) as service:
            first = await service.draft(draft(database, creator_a, CUSTOM))
            [pending] = first.pending
            return await service.decide(creator_a.id, UUID(pending["id"]), decision)

    decided = asyncio.run(scenario())
    assert len(queued(database, creator_a)) == 1  # the first proposal only
    assert decided.action.status == settled
    assert decided.reply is not None
    assert (decided.reply.outcome, decided.reply.draft) == ("drafted", "talk soon babe")
    assert len(model.requests) == 4
    told_after_decision = model.tool_messages(1)[-1]
    if settled == "rejected":
        assert "already accepted it on another app" in told_after_decision
    assert "do not propose it again" in told_after_decision
    for later in (2, 3):
        assert model.tool_messages(later)[-1] == (
            "Error: accept_custom_request was already decided in this conversation: "
            f"{settled}. Do not propose it again; reply to the fan with what was decided."
        )
    for later in (1, 2):  # the last turn is offered no tools anyway
        assert "accept_custom_request" not in model.requests[later].tools
        assert ("decline_custom_request" in model.requests[later].tools) == (
            settled == "rejected"  # still pending: it may yet be declined
        )
    assert [call["status"] for call in decided.reply.tool_calls] == [settled, "failed", "failed"]


def test_an_action_without_a_target_is_not_offered_again_once_decided(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    discount = calls(("offer_discount", {"percent": 10, "days": 2}))
    model = ScriptedChatModel([discount, discount, says("maybe next time")])

    async def scenario() -> Decided:
        async with running(database, model, embedder) as service:
            first = await service.draft(draft(database, creator_a, "any chance of a discount?"))
            [pending] = first.pending
            rejected = Decision("rejected", note="no discounts this month")
            return await service.decide(creator_a.id, UUID(pending["id"]), rejected)

    decided = asyncio.run(scenario())
    assert "offer_discount" in model.requests[0].tools
    assert "offer_discount" not in model.requests[1].tools
    assert "already decided in this conversation: rejected" in model.tool_messages(2)[-1]
    assert len(queued(database, creator_a)) == 1
    assert decided.reply is not None and decided.reply.draft == "maybe next time"
