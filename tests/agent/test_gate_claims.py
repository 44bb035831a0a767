"""The gate's keys and claims: an expired action cannot be claimed; a model reusing a tool-call
id loses no proposal."""

import asyncio
import datetime as dt
from uuid import UUID

import pytest

from agent.llm.types import ChatResult, Usage
from agent.service import AlreadyDecided, Decision, DraftOutcome
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from prompts.messages import ToolCall
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import action_status, executed, outbox, rows
from tests.agent.test_gate import only_pending, ppv_offer, request
from tests.tools.world import Creator


def reusing_call_0(*proposals: tuple[str, dict[str, object]]) -> ChatResult:
    """One model turn whose every call has the id "call_0"."""
    made = tuple(ToolCall("call_0", name, dict(args)) for name, args in proposals)
    return ChatResult("", made, Usage(100, 10), "scripted", "tool_calls")


def test_an_action_past_its_expiry_is_expired_by_the_claim_and_never_runs(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([calls(ppv_offer(creator_a))], otherwise=says("ok"))
    overdue = FIXED_NOW - dt.timedelta(hours=2)

    async def scenario() -> UUID:
        async with running(database, model, embedder) as service:
            action_id = only_pending(await service.draft(request(database, creator_a)))
            rows(
                database,
                creator_a.id,
                "UPDATE hitl_action_queue SET expires_at = %s WHERE id = %s RETURNING id",
                overdue,
                action_id,
            )
            with pytest.raises(AlreadyDecided, match="expired"):
                await service.decide(creator_a.id, action_id, Decision("approved"))
            return action_id

    action_id = asyncio.run(scenario())
    assert action_status(database, creator_a.id, str(action_id)) == "expired"
    assert outbox(database, creator_a.id) == []
    assert executed(database, creator_a.id) == []


def test_a_reused_tool_call_id_queues_every_proposal_in_a_turn_and_across_turns(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel(
        [
            reusing_call_0(
                ppv_offer(creator_a, 15), ("send_message", {"text": "a little preview first"})
            ),
            reusing_call_0(("offer_discount", {"percent": 10, "days": 2})),
        ],
        otherwise=says("enjoy"),
    )

    async def scenario() -> tuple[DraftOutcome, DraftOutcome | None]:
        async with running(database, model, embedder) as service:
            first = await service.draft(request(database, creator_a))
            approve = Decision("approved", user_id=creator_a.user)
            for pending in first.pending:
                decided = await service.decide(creator_a.id, UUID(pending["id"]), approve)
            return first, decided.reply

    first, after = asyncio.run(scenario())
    assert sorted(p["action"] for p in first.pending) == ["send_message", "send_ppv_offer"]
    assert after is not None and after.outcome == "awaiting_approval"
    [again] = after.pending
    assert again["action"] == "offer_discount"
    assert again["id"] not in {p["id"] for p in first.pending}
    assert len(outbox(database, creator_a.id)) == 2
    assert len(executed(database, creator_a.id)) == 2
