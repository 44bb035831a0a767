"""Execute: each decided action runs exactly once (agent/gate/execution.py); the model is told
what was done, or that the creator rejected it and why, and writes its reply with that."""

import json
from typing import Any

from langgraph.runtime import Runtime

from agent.gate.execution import Execution, execute_decided
from agent.graph.chat import tool_turn
from agent.graph.deps import AgentDeps
from agent.graph.nodes.run_tools import waiting_ids
from agent.graph.state import AgentContext, DraftState, ToolCallRecord


def make(deps: AgentDeps) -> Any:
    def execute(state: DraftState, runtime: Runtime[AgentContext]) -> DraftState:
        run = runtime.context.run_context(state.get("message_id"), deps.embedder)
        records = {r["action_id"]: r for r in state.get("tool_calls", []) if r["action_id"]}
        settled: dict[str, ToolCallRecord] = {}
        chat = list(state["chat"])
        superseded = False
        for action_id in waiting_ids(state):
            with deps.pool.connection() as conn:
                execution = execute_decided(conn, run, action_id, deps.tools)
            record = records[str(action_id)]
            record_update: ToolCallRecord = {
                **record,
                "status": execution.outcome,
                "result": execution.result if execution.outcome == "executed" else execution.error,
            }
            settled[str(action_id)] = record_update
            superseded |= execution.outcome == "superseded"
            chat.append(tool_turn(record["id"], _told(execution)))
        update: DraftState = {
            "chat": chat,
            "tool_calls": [
                settled.get(r["action_id"] or "", r) for r in state.get("tool_calls", [])
            ],
            "waiting": [],
        }
        if superseded:
            update["outcome"] = "superseded"
        return update

    return execute


FINAL = " This is decided: do not propose it again."


def _told(execution: Execution) -> str:
    """The tool message the model reads about a decided action; a decision is final in the
    thread (run_tools refuses the same action again)."""
    match execution.outcome:
        case "executed":
            result = json.dumps(execution.result or {}, sort_keys=True, default=str)
            return f"Done, the creator approved it: {result}.{FINAL}"
        case "failed":
            return f"Approved, but it failed: {execution.error}.{FINAL}"
        case "rejected":
            reason = execution.error or "no reason given"
            return (
                f"The creator rejected this action ({reason}). It was not done: do not mention "
                f"it as done, and reply to the fan without it, respecting the reason.{FINAL}"
            )
        case "expired":
            return f"Nobody approved this action in time; it was not done.{FINAL}"
        case _:
            return "A newer message from the fan replaced this conversation; nothing was done."
