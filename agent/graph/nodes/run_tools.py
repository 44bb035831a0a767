"""Run tools: the last model turn's calls. Read tools (and write tools the creator's policy does
not gate) run now; gated calls become pending hitl_action_queue rows for the approval gate.

A gated call is queued only once the database accepts its arguments (the tool's check): a call
that names an unknown row, a past deadline or a price out of bounds, or repeats an action
already decided in this thread, is answered with an error for the model and queues nothing.

Nothing here interrupts, so a resume never re-runs this node: a read tool next to a gated call
in one model turn runs once. A gated call is keyed by its place in the thread (model turn and
position in the turn) as well as the model's id, so a model reusing an id ("call_0" twice, or in
a later turn) cannot collide with an earlier proposal; a retry of the same turn finds its row.
"""

import datetime as dt
import json
from typing import Any
from uuid import UUID

import psycopg
from langgraph.runtime import Runtime

from agent.gate import queue
from agent.graph.chat import tool_turn
from agent.graph.deps import AgentDeps
from agent.graph.offered import offered_prices
from agent.graph.state import AgentContext, ChatTurn, DraftState, ToolCallRecord
from agent.graph.timing import timed
from agent.graph.toolset import action_key, decided_actions
from crm import outbound_guard
from personas.model import Persona
from prompts.guard import guard_draft
from tools.base import RunContext, ToolError
from tools.policy import requires_approval


def make(deps: AgentDeps) -> Any:
    def run_tools(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        context = runtime.context
        run = context.run_context(state.get("message_id"), deps.embedder)
        chat = list(state["chat"])
        records = list(state.get("tool_calls", []))
        waiting: list[str] = []
        timings: dict[str, float] = {}
        turn, assistant = len(chat) - 1, chat[-1]
        with timed(state, "tools", timings), deps.scoped(context.creator_id) as conn:
            for position, call in enumerate(assistant.get("tool_calls", [])):
                key = _proposal_key(turn, position, call["id"])
                record, reply = _handle(conn, deps, run, state, assistant, call, key)
                records.append(record)
                if record["action_id"] and record["status"] == "queued":
                    waiting.append(record["action_id"])
                if reply is not None:
                    chat.append(reply)
        return {"chat": chat, "tool_calls": records, "waiting": waiting, "timings_ms": timings}

    return run_tools


def _handle(
    conn: psycopg.Connection[Any],
    deps: AgentDeps,
    run: RunContext,
    state: DraftState,
    assistant: ChatTurn,
    call: dict[str, Any],
    key: str,
) -> tuple[ToolCallRecord, ChatTurn | None]:
    """What became of one call, and the tool message the model sees now (None: after the gate);
    a gated call is queued under `key`."""
    record: ToolCallRecord = {
        "id": call["id"],
        "name": call["name"],
        "arguments": call["arguments"],
        "kind": "unknown",
        "status": "failed",
        "result": None,
        "action_id": None,
    }
    tool = deps.tools.get(call["name"])
    if tool is None:
        record["result"] = f"there is no tool named {call['name']}"
        return record, tool_turn(call["id"], f"Error: {record['result']}")
    record["kind"] = tool.kind
    try:
        args = tool.parse(call["arguments"])
        if tool.kind == "write":
            if not state.get("message_id"):
                raise ToolError("this is a preview: nothing is written, sent or proposed")
            _refuse_decided(state, tool.name, args.model_dump(mode="json"))
        if tool.kind == "write" and requires_approval(conn, tool.name):
            tool.verify(conn, run, args)
            action = queue.propose(conn, _proposal(deps, run, state, assistant, call, args, key))
            record["status"], record["action_id"] = "queued", str(action.id)
            record["arguments"] = action.args
            return record, None
        with conn.transaction():  # a savepoint: a failing tool leaves nothing behind
            result = tool.invoke(conn, run, args)
    except (ToolError, outbound_guard.OutboundBlocked) as error:
        if isinstance(error, outbound_guard.OutboundBlocked):  # nothing queued or run: logged
            outbound_guard.record(conn, error)
        record["result"] = str(error)
        return record, tool_turn(call["id"], f"Error: {error}")
    record["status"], record["result"] = "ran", result
    return record, tool_turn(call["id"], json.dumps(result, sort_keys=True, default=str))


def _refuse_decided(state: DraftState, name: str, arguments: dict[str, Any]) -> None:
    """A ToolError when this thread already decided the same action (tool and target)."""
    decided = decided_actions(state.get("tool_calls", [])).get(action_key(name, arguments))
    if decided is not None:
        raise ToolError(
            f"{name} was already decided in this conversation: {decided}. Do not propose it "
            "again; reply to the fan with what was decided."
        )


def _proposal(
    deps: AgentDeps,
    run: RunContext,
    state: DraftState,
    assistant: ChatTurn,
    call: dict[str, Any],
    args: Any,
    key: str,
) -> queue.Proposal:
    signals = ", ".join(f"{i['signal']} {i['confidence']:.2f}" for i in state.get("intents", []))
    message = " ".join(state["message"].split())
    reason = f'Proposed in reply to the fan\'s message "{message[:300]}"'
    if signals:
        reason += f" (signals: {signals})"
    text = assistant.get("content") or state.get("draft") or ""
    persona = Persona.model_validate(state["persona"])
    # The text shown with the proposal on the approval card: only a reply the guard would send.
    sendable = guard_draft(
        text, persona, state["message"], prompts=deps.prompts, offered_prices=offered_prices(state)
    ).sendable
    return queue.Proposal(
        fan_id=run.fan_id,
        thread_id=run.thread_id,
        tool_call_id=key,
        action=call["name"],
        args=args.model_dump(mode="json"),
        draft=text if sendable else None,
        reason=reason,
        requested_by=run.user_id,
        expires_at=deps.clock() + dt.timedelta(hours=deps.limits.approval_hours),
    )


def _proposal_key(turn: int, position: int, call_id: str) -> str:
    """The queue key of a gated call: unique in the thread whatever ids the model reuses, the
    same for a retry of the turn (at most the column's 200 characters)."""
    return f"{turn}.{position}:{call_id}"[:200]


def waiting_ids(state: DraftState) -> list[UUID]:
    return [UUID(action_id) for action_id in state.get("waiting", [])]
