"""A decision settles its action at once; a newer fan message cancels what has not run; the
sweep writes the reply a crash left unwritten."""

import asyncio
from uuid import UUID

from agent.gate import queue
from agent.gate.execution import execute_decided
from agent.graph.state import AgentContext
from agent.service import Decided, Decision, DraftOutcome
from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.conftest import FIXED_NOW, running
from tests.agent.fakes import ScriptedChatModel, calls, says
from tests.agent.rows import action_status, executed, fan_writes, outbox
from tests.agent.test_gate import only_pending, ppv_offer, request
from tests.tools.world import Creator
from tools.base import RunContext
from tools.registry import ALL_TOOLS


def _claim(database: DatabaseTarget, creator: Creator, action_id: UUID) -> queue.QueuedAction:
    """Records an approval and nothing else (what a crash right after the claim leaves)."""
    with app_connection(database) as conn, creator_scope(conn, creator.id):
        claimed = queue.decide(conn, action_id, "approved", now=FIXED_NOW, decided_by=None)
    assert claimed is not None
    return claimed


def test_an_approved_action_runs_at_once_while_its_sibling_waits(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    """Approving one of two proposals of a turn sends it now; the fan then withdraws, which
    cancels the sibling, and nothing else ever goes out."""
    model = ScriptedChatModel(
        [calls(ppv_offer(creator_a), ("send_message", {"text": "want a bundle too?"}))],
        otherwise=says("ok"),
    )

    async def scenario() -> tuple[DraftOutcome, Decided]:
        async with running(database, model, embedder) as service:
            drafted = await service.draft(request(database, creator_a))
            ppv = next(p for p in drafted.pending if p["action"] == "send_ppv_offer")
            decided = await service.decide(creator_a.id, UUID(ppv["id"]), Decision("approved"))
            fan_writes(database, creator_a.id, creator_a.fan, "actually forget it, i'm broke")
            await service.sweep()  # finishes nothing of this thread (and other tests' threads)
            return drafted, decided

    drafted, decided = asyncio.run(scenario())
    assert decided.action.status == "executed"
    assert decided.reply is not None and decided.reply.outcome == "awaiting_approval"
    assert [p["action"] for p in decided.reply.pending] == ["send_message"]
    [(body, _, _)] = outbox(database, creator_a.id)
    assert body == "just for you"
    sibling = next(p for p in drafted.pending if p["action"] == "send_message")
    assert action_status(database, creator_a.id, sibling["id"]) == "superseded"
    assert len(outbox(database, creator_a.id)) == 1
    assert len(executed(database, creator_a.id)) == 1


def test_a_newer_fan_message_cancels_an_approval_that_has_not_run(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([calls(ppv_offer(creator_a))], otherwise=says("ok"))

    async def drafted() -> UUID:
        async with running(database, model, embedder) as service:
            return only_pending(await service.draft(request(database, creator_a)))

    async def after_restart() -> None:
        async with running(database, model, embedder) as service:
            await service.sweep()

    action_id = asyncio.run(drafted())
    _claim(database, creator_a, action_id)
    fan_writes(database, creator_a.id, creator_a.fan, "actually forget it, i'm broke")
    assert action_status(database, creator_a.id, str(action_id)) == "superseded"
    asyncio.run(after_restart())
    assert outbox(database, creator_a.id) == []
    assert executed(database, creator_a.id) == []


def test_the_sweep_writes_the_reply_a_crash_left_after_the_execution(
    database: DatabaseTarget, creator_a: Creator, embedder: LocalEmbedder
) -> None:
    model = ScriptedChatModel([calls(ppv_offer(creator_a)), says("enjoy it babe")])

    async def drafted() -> DraftOutcome:
        async with running(database, model, embedder) as service:
            return await service.draft(request(database, creator_a))

    async def after_restart() -> tuple[int, int, DraftOutcome]:
        async with running(database, model, embedder) as service:
            first, second = await service.sweep(), await service.sweep()
            context = AgentContext(creator_a.id, creator_a.fan, outcome.thread_id)
            return first, second, await service.outcome(context)

    outcome = asyncio.run(drafted())
    action_id = only_pending(outcome)
    _claim(database, creator_a, action_id)
    # The action ran, then the process died before the thread resumed.
    run = RunContext(creator_a.id, creator_a.fan, outcome.thread_id, embedder=embedder)
    with app_connection(database) as conn:
        assert execute_decided(conn, run, action_id, ALL_TOOLS).outcome == "executed"

    first, second, replied = asyncio.run(after_restart())
    assert first >= 1 and second == 0
    assert replied.outcome == "drafted"
    assert replied.draft == "enjoy it babe"
    assert replied.draft_id is not None
    assert len(outbox(database, creator_a.id)) == 1
    assert len(executed(database, creator_a.id)) == 1
