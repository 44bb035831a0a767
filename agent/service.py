"""The agent as its users drive it: request a draft; decide a queued action (approve, edit,
reject), which resumes the thread; recover after a crash; expire old actions.

A decision is claimed in the database first (only a pending row moves), then the thread is
resumed under a per-thread lock. The queue row is the truth: the graph re-reads it on resume.
"""

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any, cast
from uuid import UUID

import psycopg
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, Durability

from agent.budget import within_budget
from agent.gate import queue
from agent.gate.execution import execute_decided
from agent.gate.lock import LockPool, thread_lock
from agent.graph.build import DraftGraph
from agent.graph.deps import AgentDeps
from agent.graph.fan_context import FanNotFound
from agent.graph.state import AgentContext, DraftState
from agent.llm.types import LLMError
from agent.sending import OUTBOUND, Offer, Sent, execute_send, send_draft, send_own_reply
from auth.keys import Role
from crm.conversation import inbound_text, latest_inbound
from crm.outbound_guard import Attempt, enforce
from tools.base import RunContext, ToolError

log = logging.getLogger(__name__)
# The key of a run's values (and of a streamed step) when it stopped at an interrupt.
INTERRUPT = "__interrupt__"
STEP_NAMES = {INTERRUPT: "awaiting_approval"}
# Checkpoints are written when a run stops (a draft, the approval gate, an error), not after
# every step: a crash mid-run loses only that run, which the caller retries, and a resume
# re-runs from the gate's checkpoint (execution is idempotent on the action id). A draft then
# writes one checkpoint, in 2 statements instead of 22 (bench/README.md: 8 -> 17 drafts/s at
# 16 clients; the saver's lock, which queues all checkpoint I/O, stops mattering).
DURABILITY: Durability = "exit"
GATE_WORK = "SELECT fanagent_creators_with_gate_work(%s)"
FAN_EXISTS = "SELECT 1 FROM fan_profiles WHERE id = %s"


class ActionNotFound(LookupError):
    """No queued action with that id for this creator."""


class AlreadyDecided(RuntimeError):
    def __init__(self, action: queue.QueuedAction) -> None:
        super().__init__(f"action {action.id} was already {action.status}")
        self.action = action


class InvalidEdit(ValueError):
    """Edited arguments the action's tool does not accept."""


@dataclass(frozen=True)
class DraftRequest:
    creator_id: UUID
    fan_id: UUID
    text: str | None = None  # a preview: free text, stored nowhere ...
    message_id: UUID | None = None  # ... or a stored fan message (neither: the fan's latest)
    user_id: UUID | None = None


@dataclass(frozen=True)
class DraftOutcome:
    thread_id: str
    message_id: str | None  # the fan message answered; None for a preview
    draft_id: str | None  # the stored draft; None for a preview or while actions wait
    outcome: str  # drafted | awaiting_approval | superseded | no_usable_draft
    draft: str  # "" when no candidate passed the guard
    intents: list[dict[str, Any]]
    classifier: str
    memories: list[dict[str, Any]]
    tool_calls: list[dict[str, Any]]
    pending: list[dict[str, Any]]  # queue rows waiting for the creator
    violations: list[dict[str, str]]
    refusals: list[dict[str, str]]  # why the guard refused the last candidate, if it did
    suggestions: list[dict[str, Any]]  # the creator's own past replies to similar messages
    offer: dict[str, Any] | None  # the PPV to offer with the reply, priced for this fan
    usage: dict[str, int]
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Decided:
    """A decision's result: the action as it ended (executed, failed with why, rejected), and
    the agent's reply after it: None for a chatter's send (the text sent is the reply), or when
    the model failed, with why in `reply_error`."""

    action: queue.QueuedAction
    reply: DraftOutcome | None
    reply_error: str | None = None


@dataclass(frozen=True)
class StreamEvent:
    """A server-sent event of a streamed draft: step, token, replace (the text streamed so far
    was refused by the guard: show `text` instead) or outcome (its `draft` is final)."""

    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    status: queue.CreatorDecision
    user_id: UUID | None = None
    edited_args: dict[str, Any] | None = None
    note: str | None = None


class DraftService:
    def __init__(self, deps: AgentDeps, graph: DraftGraph, locks: LockPool) -> None:
        self.deps, self.graph, self.locks = deps, graph, locks

    async def draft(self, request: DraftRequest) -> DraftOutcome:
        """Runs the graph for one fan message until a draft or the approval gate."""
        context, state = await asyncio.to_thread(self.start, request)
        started = time.perf_counter()
        async with within_budget(self.deps.limits.budget_s):
            final = await self.graph.ainvoke(
                state, _config(context.thread_id), context=context, durability=DURABILITY
            )
        return await self.outcome(context, started, final)

    async def draft_stream(
        self, context: AgentContext, state: DraftState
    ) -> AsyncIterator[StreamEvent]:
        """A run `start` prepared, as it happens: each step, the reply's tokens, the outcome."""
        context = replace(context, stream_tokens=True)
        started = time.perf_counter()
        async with within_budget(self.deps.limits.budget_s):
            async for mode, chunk in self.graph.astream(
                state,
                _config(context.thread_id),
                context=context,
                stream_mode=["updates", "custom"],
                durability=DURABILITY,
            ):
                if mode == "custom":
                    yield StreamEvent("token", {"text": cast(dict[str, str], chunk)["token"]})
                else:
                    for node, update in cast(dict[str, Any], chunk).items():
                        yield StreamEvent("step", {"step": STEP_NAMES.get(node, node)})
                        refusals = (update or {}).get("refusals") if node == "check_draft" else None
                        if refusals:  # the text streamed so far is not a reply: take it back
                            yield StreamEvent("replace", {"text": "", "refusals": refusals})
        yield StreamEvent("outcome", asdict(await self.outcome(context, started)))

    def start(self, request: DraftRequest) -> tuple[AgentContext, DraftState]:
        """The run's context and input: a stored fan message (the one given, else the fan's
        latest), or a preview of free text that is stored nowhere and supersedes nothing."""
        if request.text is not None and request.message_id is not None:
            raise ValueError("give the fan's message text or a stored message id, not both")
        with self.deps.scoped(request.creator_id) as conn:
            if conn.execute(FAN_EXISTS, [request.fan_id]).fetchone() is None:
                raise FanNotFound(f"no fan {request.fan_id} for this creator")
            message_id: UUID | None = request.message_id
            if request.text is not None:
                text = request.text
            elif message_id is not None:
                text = inbound_text(conn, request.fan_id, message_id)
            else:
                message_id, text = latest_inbound(conn, request.fan_id)
        thread_id = f"{request.creator_id}:{uuid.uuid4()}"
        context = AgentContext(request.creator_id, request.fan_id, thread_id, request.user_id)
        state: DraftState = {"message": text}
        if message_id is not None:
            state["message_id"] = str(message_id)
        return context, state

    async def decide(self, creator_id: UUID, action_id: UUID, decision: Decision) -> Decided:
        """Claims the decision (409 material when it was already made) and settles the action at
        once: a chatter's send goes out (or not); an approved proposal runs now, whatever its
        sibling actions wait for. Then the thread resumes; it writes its reply when no sibling
        is pending, and the reply may fail without undoing the action."""
        await asyncio.to_thread(self._guard, creator_id, action_id, decision)
        claimed = await asyncio.to_thread(self._claim, creator_id, action_id, decision)
        if claimed.runs_alone:
            await asyncio.to_thread(execute_send, self.deps, creator_id, claimed)
            return Decided(await asyncio.to_thread(self._action, creator_id, action_id), None)
        context = AgentContext(creator_id, claimed.fan_id, claimed.thread_id, claimed.requested_by)
        await self._execute(context, claimed)
        started = time.perf_counter()
        reply: DraftOutcome | None = None
        reply_error: str | None = None
        try:
            async with within_budget(self.deps.limits.budget_s):
                await self.resume(context)
            reply = await self.outcome(context, started)
        except LLMError as error:
            reply_error = f"{error} (the action's outcome stands; draft the reply again)"
        action = await asyncio.to_thread(self._action, creator_id, action_id)
        return Decided(action, reply, reply_error)

    async def _execute(self, context: AgentContext, action: queue.QueuedAction) -> None:
        """Runs an approved or edited proposal now (exactly once; anything else is left as it
        is), acting for the thread: its fan message, who asked for the draft."""
        if action.status not in queue.DECIDED_TO_RUN:
            return
        state = (await self.graph.aget_state(_config(context.thread_id))).values
        run = context.run_context(state.get("message_id"), self.deps.embedder)

        def execute() -> None:
            with self.deps.pool.connection() as conn:
                execute_decided(conn, run, action.id, self.deps.tools)

        await asyncio.to_thread(execute)

    def send(
        self, creator_id: UUID, draft_id: UUID, text: str, *, user_id: UUID | None, role: Role
    ) -> Sent:
        """Sends a draft's (possibly edited) text; see agent.sending."""
        may_approve = role != "chatter"
        return send_draft(
            self.deps, creator_id, draft_id, text, user_id=user_id, may_approve=may_approve
        )

    def send_own(
        self,
        creator_id: UUID,
        fan_id: UUID,
        text: str,
        *,
        message_id: UUID | None,
        user_id: UUID | None,
        role: Role,
        offer: Offer | None = None,
    ) -> Sent:
        """Sends a reply a person wrote or picked, with a PPV `offer` or not; see
        agent.sending.send_own_reply."""
        return send_own_reply(
            self.deps,
            creator_id,
            fan_id,
            text,
            message_id=message_id,
            user_id=user_id,
            may_approve=role != "chatter",
            offer=offer,
        )

    def _guard(self, creator_id: UUID, action_id: UUID, decision: Decision) -> None:
        """Before an approval is claimed: OutboundBlocked, logged, when the message it would
        send (as edited) is one the outbound guard blocks; the action stays pending, to be
        edited or rejected."""
        if decision.status == "rejected":
            return
        with self.deps.scoped(creator_id) as conn:
            action = queue.get(conn, action_id)
        if action is None:
            raise ActionNotFound(f"no queued action {action_id}")
        args = decision.edited_args if decision.edited_args is not None else action.effective_args
        text = args.get("text", args.get("message"))
        if action.action in OUTBOUND and isinstance(text, str):
            attempt = Attempt(action.fan_id, text, "approval", decision.user_id, action_id)
            with self.deps.pool.connection() as conn:
                enforce(conn, creator_id, attempt)

    def _claim(self, creator_id: UUID, action_id: UUID, decision: Decision) -> queue.QueuedAction:
        with self.deps.scoped(creator_id) as conn:
            current = queue.get(conn, action_id)
            if current is None:
                raise ActionNotFound(f"no queued action {action_id}")
            edited = None
            if decision.edited_args is not None:
                edited = self._checked_edit(conn, creator_id, current, decision.edited_args)
            claimed = queue.decide(
                conn,
                action_id,
                decision.status,
                now=self.deps.clock(),
                decided_by=decision.user_id,
                edited_args=edited,
                note=decision.note,
            )
            settled = claimed or queue.get(conn, action_id)  # as it is now: expired, maybe
        if claimed is None:
            raise AlreadyDecided(settled or current)
        return claimed

    def _action(self, creator_id: UUID, action_id: UUID) -> queue.QueuedAction:
        with self.deps.scoped(creator_id) as conn:
            action = queue.get(conn, action_id)
        assert action is not None, "a decided action stays in the queue"
        return action

    async def resume(self, context: AgentContext) -> None:
        """Resumes a thread stopped at the gate; a thread that moved on is left alone. Its
        decided actions are then marked resumed, whether the reply was written or the model
        failed (the caller reports that); only a crash leaves them for the sweep."""
        config = _config(context.thread_id)
        async with thread_lock(self.locks, context.thread_id):
            try:
                snapshot = await self.graph.aget_state(config)
                if snapshot.interrupts:
                    await self.graph.ainvoke(
                        Command(resume=True), config, context=context, durability=DURABILITY
                    )
            finally:
                await asyncio.to_thread(self._mark_resumed, context)

    def _mark_resumed(self, context: AgentContext) -> None:
        with self.deps.scoped(context.creator_id) as conn:
            queue.mark_resumed(conn, context.thread_id)

    async def sweep(self) -> int:
        """Expires overdue pending actions and finishes what a crash left: decided actions not
        yet run (sends go out, proposals run), then the replies of threads whose actions are
        all decided. Returns how many sends and threads it finished."""
        finished = 0
        for creator_id, unrun in await asyncio.to_thread(self._gate_work, self.deps.clock()):
            for action in unrun:
                if action.runs_alone:
                    await asyncio.to_thread(execute_send, self.deps, creator_id, action)
                    finished += 1
                else:
                    context = AgentContext(
                        creator_id, action.fan_id, action.thread_id, action.requested_by
                    )
                    await self._execute(context, action)
            for thread in await asyncio.to_thread(self._unresumed, creator_id):
                context = AgentContext(
                    creator_id, thread.fan_id, thread.thread_id, thread.requested_by
                )
                try:
                    await self.resume(context)
                except LLMError as error:  # marked resumed: the reply is drafted again by hand
                    log.warning("reply of thread %s not written: %s", thread.thread_id, error)
                finished += 1
        return finished

    def _unresumed(self, creator_id: UUID) -> list[queue.UnresumedThread]:
        with self.deps.scoped(creator_id) as conn:
            return queue.unresumed_threads(conn)

    def _gate_work(self, now: dt.datetime) -> list[tuple[UUID, list[queue.QueuedAction]]]:
        """Per creator with gate work: its overdue actions, expired now, and its decided ones
        not yet run."""
        with self.deps.pool.connection() as conn:
            creators = [row[0] for row in conn.execute(GATE_WORK, [now])]
        work = []
        for creator_id in creators:
            with self.deps.scoped(creator_id) as conn:
                queue.expire_due(conn, now)
                work.append((creator_id, queue.awaiting_execution(conn)))
        return work

    async def outcome(
        self,
        context: AgentContext,
        started: float | None = None,
        final: dict[str, Any] | None = None,
    ) -> DraftOutcome:
        """What a run left: from `final`, the values the run returned (with "__interrupt__" when
        it stopped at the gate), else read back from the thread's checkpoint."""
        if final is None:
            snapshot = await self.graph.aget_state(_config(context.thread_id))
            values, interrupted = snapshot.values, bool(snapshot.interrupts)
        else:
            values, interrupted = final, bool(final.get(INTERRUPT))
        state = cast(DraftState, values)
        waiting = [UUID(i) for i in state.get("waiting", [])] if interrupted else []
        pending = await asyncio.to_thread(self._pending, context.creator_id, waiting)
        timings = dict(state.get("timings_ms", {}))
        if started is not None:
            timings["total"] = (time.perf_counter() - started) * 1000
        return DraftOutcome(
            thread_id=context.thread_id,
            message_id=state.get("message_id"),
            draft_id=state.get("draft_message_id"),
            outcome="awaiting_approval" if pending else state.get("outcome", "drafted"),
            draft=state.get("draft", ""),
            intents=state.get("intents", []),
            classifier=state.get("classifier", ""),
            memories=state.get("memories", []),
            tool_calls=[dict(call) for call in state.get("tool_calls", [])],
            pending=pending,
            violations=state.get("violations", []),
            refusals=state.get("refusals", []),
            suggestions=[
                {"text": s["text"], "score": s["score"]} for s in state.get("suggestions", [])
            ],
            offer=state.get("offer"),
            usage=state.get("usage", {}),
            timings_ms=timings,
        )

    def _pending(self, creator_id: UUID, waiting: list[UUID]) -> list[dict[str, Any]]:
        """The queue rows of `waiting` still pending (no query when there are none)."""
        if not waiting:
            return []
        with self.deps.scoped(creator_id) as conn:
            return [a.as_json() for a in queue.get_many(conn, waiting) if a.status == "pending"]

    async def thread_context(self, thread_id: str) -> dict[str, Any]:
        """What the agent knew when it proposed an action: the fan's message, the fan summary,
        the memories and intents the prompt used."""
        state = cast(DraftState, (await self.graph.aget_state(_config(thread_id))).values)
        return {
            "message": state.get("message", ""),
            "fan_summary": state.get("fan_summary", ""),
            "memories": state.get("memories", []),
            "intents": state.get("intents", []),
        }

    def _checked_edit(
        self,
        conn: psycopg.Connection[Any],
        creator_id: UUID,
        action: queue.QueuedAction,
        edited: dict[str, Any],
    ) -> dict[str, Any]:
        """The edited arguments as the action's tool reads them, checked against the database
        as a proposal is; InvalidEdit if the tool refuses them."""
        tool = self.deps.tools.get(action.action)
        if tool is None:
            raise InvalidEdit(f"unknown action {action.action}")
        run = RunContext(creator_id, action.fan_id, action.thread_id, action.requested_by)
        try:
            args = tool.parse(edited)
            with conn.transaction():  # a savepoint: a refused check leaves the claim possible
                tool.verify(conn, run, args)
        except ToolError as error:
            raise InvalidEdit(str(error)) from error
        parsed: dict[str, Any] = args.model_dump(mode="json")
        return parsed


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}
