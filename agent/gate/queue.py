"""The SQL of hitl_action_queue: propose, decide (an atomic claim), lock for execution, settle,
supersede, expire, list.

Every function runs in the caller's `db.connect.creator_scope`: row-level security shows only
that creator's rows, and inserts take the creator from the scope.
"""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

ActionStatus = Literal[
    "pending", "approved", "edited", "rejected", "expired", "superseded", "executed", "failed"
]
CreatorDecision = Literal["approved", "edited", "rejected"]  # what a creator decides
DecidedStatus = CreatorDecision | Literal["expired"]  # or the sweep, when nobody did in time
DECIDED_TO_RUN: frozenset[str] = frozenset({"approved", "edited"})
SETTLED: frozenset[str] = frozenset({"executed", "failed"})
# The thread of an automation rule's action (agent/automations.py): no graph runs behind it.
AUTOMATION_THREAD = "automation:"

COLUMNS = (
    "id, fan_id, thread_id, tool_call_id, action, args, edited_args, draft, reason, status,"
    " requested_by, decided_by, decided_at, decision_note, expires_at, executed_at, result,"
    " error, created_at, draft_message_id, resumed_at"
)
PROPOSE = """
INSERT INTO hitl_action_queue
    (creator_id, fan_id, thread_id, tool_call_id, action, args, draft, reason, requested_by,
     expires_at, draft_message_id)
VALUES (app_current_creator(), %(fan_id)s, %(thread_id)s, %(tool_call_id)s, %(action)s,
        %(args)s, %(draft)s, %(reason)s, %(requested_by)s, %(expires_at)s, %(draft_message_id)s)
ON CONFLICT (creator_id, thread_id, tool_call_id) WHERE tool_call_id IS NOT NULL DO NOTHING
"""
# Many proposals in one statement (an automation rule's step over the fans it fired for).
PROPOSE_MANY = """
INSERT INTO hitl_action_queue
    (creator_id, fan_id, thread_id, tool_call_id, action, args, draft, reason, requested_by,
     expires_at, draft_message_id)
SELECT app_current_creator(), p.* FROM unnest(
    %(fan_id)s::uuid[], %(thread_id)s::text[], %(tool_call_id)s::text[], %(action)s::text[],
    %(args)s::jsonb[], %(draft)s::text[], %(reason)s::text[], %(requested_by)s::uuid[],
    %(expires_at)s::timestamptz[], %(draft_message_id)s::uuid[]) AS p
ON CONFLICT (creator_id, thread_id, tool_call_id) WHERE tool_call_id IS NOT NULL DO NOTHING
"""
SELECT_CALLS = f"""
SELECT {COLUMNS} FROM hitl_action_queue
WHERE (thread_id, tool_call_id) IN (SELECT * FROM unnest(%(thread_id)s::text[],
                                                         %(tool_call_id)s::text[]))
"""  # noqa: S608
# Approved at once, by no one: what an automation's autonomy policy lets through.
APPROVE_MANY = """
UPDATE hitl_action_queue
SET status = 'approved', decided_at = now(), decision_note = %(note)s
WHERE id = ANY(%(ids)s) AND status = 'pending'
"""
SELECT_CALL = f"""
SELECT {COLUMNS} FROM hitl_action_queue
WHERE thread_id = %(thread_id)s AND tool_call_id = %(tool_call_id)s
"""  # noqa: S608
# The fan actions; a broadcast's approval (fan_id NULL) has its own functions at the end.
SELECT_ONE = f"""
SELECT {COLUMNS} FROM hitl_action_queue WHERE id = %s AND fan_id IS NOT NULL
"""  # noqa: S608
SELECT_MANY = f"""
SELECT {COLUMNS} FROM hitl_action_queue WHERE id = ANY(%s) AND fan_id IS NOT NULL
ORDER BY created_at, id
"""  # noqa: S608
LOCK_ONE = f"""
SELECT {COLUMNS} FROM hitl_action_queue WHERE id = %s AND fan_id IS NOT NULL FOR UPDATE
"""  # noqa: S608
# The claim: only a pending row moves, so of two decisions racing exactly one gets a row back.
DECIDE = f"""
UPDATE hitl_action_queue
SET status = %(status)s, edited_args = %(edited_args)s, decided_by = %(decided_by)s,
    decided_at = now(), decision_note = %(note)s
WHERE id = %(id)s AND status = 'pending' AND fan_id IS NOT NULL
RETURNING {COLUMNS}
"""  # noqa: S608
SETTLE = f"""
UPDATE hitl_action_queue
SET status = %(status)s, executed_at = now(), result = %(result)s, error = %(error)s
WHERE id = %(id)s AND status IN ('approved', 'edited')
RETURNING {COLUMNS}
"""  # noqa: S608
# Pending or decided but not yet run: nothing of it happens, and no reply is due for it. An
# approval keeps its time and note; the supersession's reason is added to the note.
SUPERSEDE_FAN = """
UPDATE hitl_action_queue
SET status = 'superseded', decided_at = coalesce(decided_at, now()), resumed_at = now(),
    decision_note = concat_ws('; ', decision_note, %(note)s::text)
WHERE fan_id = %(fan_id)s AND status IN ('pending', 'approved', 'edited')
RETURNING id
"""
EXPIRE_DUE = f"""
UPDATE hitl_action_queue
SET status = 'expired', decided_at = now(), decision_note = 'expired before a decision'
WHERE status = 'pending' AND expires_at <= %(now)s AND (%(id)s::uuid IS NULL OR id = %(id)s)
  AND fan_id IS NOT NULL
RETURNING {COLUMNS}
"""  # noqa: S608
AWAITING_EXECUTION = f"""
SELECT {COLUMNS} FROM hitl_action_queue
WHERE status IN ('approved', 'edited') AND fan_id IS NOT NULL ORDER BY decided_at, id
"""  # noqa: S608
# Threads stopped at the gate whose actions are all decided and whose reply was never written
# (a crash came after the decision); threads with a pending action still wait for it.
UNRESUMED_THREADS = """
SELECT DISTINCT q.thread_id, q.fan_id, q.requested_by FROM hitl_action_queue q
WHERE q.status <> 'pending' AND q.resumed_at IS NULL AND q.draft_message_id IS NULL
  AND q.fan_id IS NOT NULL AND q.thread_id NOT LIKE 'automation:%%'
  AND NOT EXISTS (SELECT 1 FROM hitl_action_queue p
                  WHERE p.thread_id = q.thread_id AND p.status = 'pending')
ORDER BY q.thread_id
"""
MARK_RESUMED = """
UPDATE hitl_action_queue SET resumed_at = now()
WHERE thread_id = %s AND status <> 'pending' AND resumed_at IS NULL
"""
# Pending first (oldest first: they have waited longest), then the rest, newest first.
LIST = f"""
SELECT {COLUMNS} FROM hitl_action_queue
WHERE (%(status)s::text IS NULL OR status = %(status)s) AND fan_id IS NOT NULL
  AND (%(fan_id)s::uuid IS NULL OR fan_id = %(fan_id)s)
ORDER BY status <> 'pending',
         CASE WHEN status = 'pending' THEN extract(epoch FROM created_at)
              ELSE -extract(epoch FROM created_at) END,
         id
LIMIT %(limit)s
"""  # noqa: S608

# A broadcast's one approval for all its fans: proposed when the broadcast is created, decided
# by the same atomic claim (only a pending row moves), settled when its job has sent it. It has
# no thread to resume (resumed_at is set with the decision).
BROADCAST = "send_broadcast"
PROPOSE_BROADCAST = """
INSERT INTO hitl_action_queue (creator_id, fan_id, thread_id, tool_call_id, action, args, reason,
                               requested_by)
VALUES (app_current_creator(), NULL, %(thread_id)s, 'broadcast', 'send_broadcast', %(args)s,
        %(reason)s, %(requested_by)s)
RETURNING id
"""
DECIDE_BROADCAST = """
UPDATE hitl_action_queue
SET status = %(status)s, decided_by = %(decided_by)s, decided_at = now(),
    decision_note = %(note)s, resumed_at = now()
WHERE id = %(id)s AND status = 'pending' AND action = 'send_broadcast'
RETURNING id
"""
SETTLE_BROADCAST = """
UPDATE hitl_action_queue SET status = 'executed', executed_at = now(), result = %(result)s
WHERE id = %(id)s AND status = 'approved' AND action = 'send_broadcast'
"""
# The broadcasts' approvals as the approvals list shows them (same order as LIST), or one.
LIST_BROADCASTS = f"""
SELECT {COLUMNS} FROM hitl_action_queue
WHERE action = 'send_broadcast' AND fan_id IS NULL
  AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(id)s::uuid IS NULL OR id = %(id)s)
ORDER BY status <> 'pending',
         CASE WHEN status = 'pending' THEN extract(epoch FROM created_at)
              ELSE -extract(epoch FROM created_at) END,
         id
LIMIT %(limit)s
"""  # noqa: S608


@dataclass(frozen=True)
class QueuedAction:
    id: UUID
    fan_id: UUID
    thread_id: str
    tool_call_id: str | None
    action: str
    args: dict[str, Any]
    edited_args: dict[str, Any] | None
    draft: str | None
    reason: str
    status: ActionStatus
    requested_by: UUID | None
    decided_by: UUID | None
    decided_at: dt.datetime | None
    decision_note: str | None
    expires_at: dt.datetime | None
    executed_at: dt.datetime | None
    result: dict[str, Any] | None
    error: str | None
    created_at: dt.datetime
    draft_message_id: UUID | None  # a chatter's send of this draft, not a model's proposal
    resumed_at: dt.datetime | None  # the thread went on past this decision (model proposals)

    @property
    def runs_alone(self) -> bool:
        """A chatter's send or an automation's action: no graph thread waits for it, it just
        runs once decided (agent/sending.py `execute_send`)."""
        return self.draft_message_id is not None or self.thread_id.startswith(AUTOMATION_THREAD)

    @property
    def effective_args(self) -> dict[str, Any]:
        """What runs: the creator's edited arguments, else the proposed ones."""
        return self.edited_args if self.edited_args is not None else self.args

    def as_json(self) -> dict[str, Any]:
        """JSON primitives only (for graph state, the CLI and the API)."""
        return json.loads(json.dumps(self.__dict__, default=str))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Proposal:
    fan_id: UUID
    thread_id: str
    tool_call_id: str
    action: str
    args: dict[str, Any]
    draft: str | None
    reason: str
    requested_by: UUID | None
    expires_at: dt.datetime | None
    draft_message_id: UUID | None = None


def propose(conn: psycopg.Connection[Any], proposal: Proposal) -> QueuedAction:
    """The pending row for this tool call: inserted, or the one an earlier attempt inserted."""
    params = {**proposal.__dict__, "args": Jsonb(proposal.args)}
    conn.execute(PROPOSE, params)
    row = conn.execute(SELECT_CALL, params).fetchone()
    assert row is not None
    return QueuedAction(*row)


def propose_many(
    conn: psycopg.Connection[Any], proposals: Sequence[Proposal]
) -> list[QueuedAction]:
    """`propose` for many calls in two statements; the rows in the order of `proposals`."""
    columns = {
        name: [getattr(p, name) for p in proposals] for name in Proposal.__dataclass_fields__
    }
    columns["args"] = [Jsonb(p.args) for p in proposals]
    conn.execute(PROPOSE_MANY, columns)
    rows = {
        (row.thread_id, row.tool_call_id): row
        for row in (QueuedAction(*found) for found in conn.execute(SELECT_CALLS, columns))
    }
    return [rows[(p.thread_id, p.tool_call_id)] for p in proposals]


def approve_many(conn: psycopg.Connection[Any], action_ids: Sequence[UUID], note: str) -> None:
    """Pending rows approved by no person, `note` saying by what."""
    conn.execute(APPROVE_MANY, {"ids": list(action_ids), "note": note})


def get(conn: psycopg.Connection[Any], action_id: UUID) -> QueuedAction | None:
    row = conn.execute(SELECT_ONE, [action_id]).fetchone()
    return QueuedAction(*row) if row else None


def get_many(conn: psycopg.Connection[Any], action_ids: Sequence[UUID]) -> list[QueuedAction]:
    return [QueuedAction(*row) for row in conn.execute(SELECT_MANY, [list(action_ids)])]


def lock(conn: psycopg.Connection[Any], action_id: UUID) -> QueuedAction | None:
    """The row, locked until the transaction ends (the executor's single-writer guarantee)."""
    row = conn.execute(LOCK_ONE, [action_id]).fetchone()
    return QueuedAction(*row) if row else None


def decide(
    conn: psycopg.Connection[Any],
    action_id: UUID,
    status: DecidedStatus,
    *,
    now: dt.datetime,
    decided_by: UUID | None,
    edited_args: dict[str, Any] | None = None,
    note: str | None = None,
) -> QueuedAction | None:
    """Moves a pending row to `status`; None when it is not pending (decided, or not ours). A
    row past its expiry at `now` is expired first (as the sweep would), so it is not pending."""
    expire_due(conn, now, action_id)
    row = conn.execute(
        DECIDE,
        {
            "id": action_id,
            "status": status,
            "edited_args": Jsonb(edited_args) if edited_args is not None else None,
            "decided_by": decided_by,
            "note": note,
        },
    ).fetchone()
    return QueuedAction(*row) if row else None


def settle(
    conn: psycopg.Connection[Any],
    action_id: UUID,
    *,
    result: dict[str, Any] | None,
    error: str | None,
) -> QueuedAction:
    """Records the execution of an approved or edited row: executed, or failed with `error`."""
    row = conn.execute(
        SETTLE,
        {
            "id": action_id,
            "status": "failed" if error else "executed",
            "result": Jsonb(result) if result is not None else None,
            "error": error,
        },
    ).fetchone()
    assert row is not None, "settle() needs a locked approved or edited row"
    return QueuedAction(*row)


def supersede_unrun(conn: psycopg.Connection[Any], fan_id: UUID, note: str) -> list[UUID]:
    """Every action of the fan not run yet (pending, or decided to run), superseded: a newer fan
    message changed the context."""
    return [row[0] for row in conn.execute(SUPERSEDE_FAN, {"fan_id": fan_id, "note": note})]


def supersede_on_fan_message(conn: psycopg.Connection[Any], fan_id: UUID) -> None:
    """A new message from the fan: its unrun actions answered a conversation that moved on (the
    hook crm.conversation.receive runs)."""
    supersede_unrun(conn, fan_id, "a newer message from the fan arrived")


def expire_due(
    conn: psycopg.Connection[Any], now: dt.datetime, action_id: UUID | None = None
) -> list[QueuedAction]:
    """Pending rows past their expiry at `now` (all, or just `action_id`), expired."""
    params = {"now": now, "id": action_id}
    return [QueuedAction(*row) for row in conn.execute(EXPIRE_DUE, params)]


def awaiting_execution(conn: psycopg.Connection[Any]) -> list[QueuedAction]:
    """Approved or edited rows not yet executed: a crash came between decision and execution."""
    return [QueuedAction(*row) for row in conn.execute(AWAITING_EXECUTION)]


@dataclass(frozen=True)
class UnresumedThread:
    thread_id: str
    fan_id: UUID
    requested_by: UUID | None


def unresumed_threads(conn: psycopg.Connection[Any]) -> list[UnresumedThread]:
    """Threads whose actions are all decided but whose reply a crash left unwritten."""
    return [UnresumedThread(*row) for row in conn.execute(UNRESUMED_THREADS)]


def mark_resumed(conn: psycopg.Connection[Any], thread_id: str) -> None:
    """The thread went on past its decided actions (its reply is written or no longer due)."""
    conn.execute(MARK_RESUMED, [thread_id])


def list_actions(
    conn: psycopg.Connection[Any],
    *,
    status: ActionStatus | None = None,
    fan_id: UUID | None = None,
    limit: int = 50,
) -> list[QueuedAction]:
    params = {"status": status, "fan_id": fan_id, "limit": limit}
    return [QueuedAction(*row) for row in conn.execute(LIST, params)]


def propose_broadcast(
    conn: psycopg.Connection[Any],
    thread_id: str,
    args: dict[str, Any],
    reason: str,
    requested_by: UUID | None,
) -> UUID:
    """The pending approval of a whole broadcast."""
    params = {"thread_id": thread_id, "args": Jsonb(args), "reason": reason}
    row = conn.execute(PROPOSE_BROADCAST, {**params, "requested_by": requested_by}).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def decide_broadcast(
    conn: psycopg.Connection[Any],
    action_id: UUID,
    status: Literal["approved", "rejected"],
    *,
    decided_by: UUID | None,
    note: str | None,
) -> bool:
    """The claim of a broadcast's approval: False when it was decided already."""
    params = {"id": action_id, "status": status, "decided_by": decided_by, "note": note}
    return conn.execute(DECIDE_BROADCAST, params).fetchone() is not None


def settle_broadcast(
    conn: psycopg.Connection[Any], action_id: UUID, result: dict[str, Any]
) -> None:
    """The approved broadcast was sent: its approval is executed, with the counters."""
    conn.execute(SETTLE_BROADCAST, {"id": action_id, "result": Jsonb(result)})


def broadcast_approvals(
    conn: psycopg.Connection[Any],
    *,
    status: ActionStatus | None = None,
    action_id: UUID | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Broadcasts' approvals (all of `status`, or the one `action_id`), as JSON primitives with
    the columns of a QueuedAction's `as_json` (fan_id null: the whole broadcast)."""
    params = {"status": status, "id": action_id, "limit": limit}
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(LIST_BROADCASTS, params).fetchall()
    return [json.loads(json.dumps(row, default=str)) for row in rows]
