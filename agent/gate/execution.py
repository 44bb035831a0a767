"""Executing a decided queue row exactly once.

One transaction locks the row (FOR UPDATE), runs the tool only if the row is still approved or
edited, appends the audit row and marks the row executed (or failed). Two resumes racing, or a
resume after a crash, find the row settled and return what the first one recorded: the tool's
effect and the status change commit together or not at all.
"""

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import psycopg

from agent.gate import audit, queue
from crm.outbound_guard import OutboundBlocked, record
from db.connect import creator_scope
from tools.base import RunContext, Tool, ToolError


@dataclass(frozen=True)
class Execution:
    action_id: UUID
    action: str
    outcome: queue.ActionStatus
    result: dict[str, Any] | None
    error: str | None  # failed: why; rejected/expired/superseded: the decision note
    ran_now: bool  # False when an earlier attempt had already settled the row


def execute_decided(
    conn: psycopg.Connection[Any],
    context: RunContext,
    action_id: UUID,
    tools: dict[str, Tool[Any]],
) -> Execution:
    """Runs the row's action if it is approved or edited and not yet run; else reports it."""
    with creator_scope(conn, context.creator_id):
        row = queue.lock(conn, action_id)
        if row is None:
            raise LookupError(f"no queued action {action_id} for this creator")
        if row.status in queue.SETTLED:
            outcome: queue.ActionStatus = "executed" if row.status == "executed" else "failed"
            return Execution(row.id, row.action, outcome, row.result, row.error, False)
        if row.status not in queue.DECIDED_TO_RUN:
            decided: queue.ActionStatus = row.status  # a refusal, or pending
            return Execution(row.id, row.action, decided, None, row.decision_note, False)
        run = replace(context, fan_id=row.fan_id, action_id=row.id)
        result, error = _run(conn, tools, row, run)
        if error is None:
            audit.record_execution(conn, row, "executed", result or {})
        else:
            audit.record_execution(conn, row, "failed", {"error": error})
        queue.settle(conn, row.id, result=result, error=error)
        return Execution(row.id, row.action, "failed" if error else "executed", result, error, True)


def _run(
    conn: psycopg.Connection[Any],
    tools: dict[str, Tool[Any]],
    row: queue.QueuedAction,
    run: RunContext,
) -> tuple[dict[str, Any] | None, str | None]:
    tool = tools.get(row.action)
    if tool is None:
        return None, f"unknown action {row.action}"
    try:
        with conn.transaction():  # a savepoint: a failing tool leaves nothing half-written
            return tool.invoke(conn, run, tool.parse(row.effective_args)), None
    except ToolError as error:
        return None, str(error)
    except OutboundBlocked as blocked:  # logged beside the failure, outside the rolled-back run
        record(conn, blocked)
        return None, str(blocked)
