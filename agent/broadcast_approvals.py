"""A broadcast's approval where owners look for what waits (GET /v1/approvals, the Approvals
page): its `send_broadcast` row of the gate, read as one sentence ("Send the
broadcast 'Sunday drop' to 46 fans of 'Top loyalty quartile', offering 'Bikini try-on' at
$18.99"), and decided there by the broadcast's own decision (agent/broadcasts.py
`decide_broadcast`: the same claim, the same move, the same job that sends it).

The count is a dry run's at listing time for a pending broadcast (a few per list), the fans it
went to once sent, and absent otherwise (approved, not sent yet; rejected)."""

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from agent.approvals_summary import money
from agent.broadcasts import decide_broadcast
from agent.gate import queue
from crm.broadcasts import store
from crm.broadcasts.delivery import plan_of
from crm.broadcasts.dry_run import dry_run_broadcast


class NotEditable(ValueError):
    """A broadcast's approval is approved or rejected as it is, never edited."""


def summary(broadcast: store.Broadcast, fans: int | None, offer: tuple[str, Any] | None) -> str:
    """One sentence of what approving the broadcast does; `offer`: the media's title, price."""
    whom = f"the fans of '{broadcast.segment_name}'"
    if fans is not None:
        whom = f"{fans} fan{'' if fans == 1 else 's'} of '{broadcast.segment_name}'"
    said = f"Send the broadcast '{broadcast.name}' to {whom}"
    if offer is not None:
        title, price = offer
        said += f", offering '{title}'" + (f" at {money(price)}" if price is not None else "")
    return said


def listed(
    conn: psycopg.Connection[Any],
    now: datetime,
    *,
    status: queue.ActionStatus | None = None,
    action_id: UUID | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The broadcasts' approvals (of `status`, or the one `action_id`) as the approvals list
    shows an action: with its summary, no fan (`fan_name` null: the whole segment)."""
    rows = queue.broadcast_approvals(conn, status=status, action_id=action_id, limit=limit)
    broadcasts = store.by_approval(conn, [UUID(row["id"]) for row in rows])
    shown = []
    for row in rows:
        broadcast = broadcasts.get(UUID(row["id"]))
        said = row["reason"] if broadcast is None else _said(conn, broadcast, row["status"], now)
        shown.append({**row, "fan_name": None, "summary": said, "outbound_guard": None})
    return shown


def _said(
    conn: psycopg.Connection[Any], broadcast: store.Broadcast, status: str, now: datetime
) -> str:
    plan = plan_of(conn, broadcast)
    offer = (plan.offer.title, plan.offer.price) if plan.offer is not None else None
    fans = None
    if status == "pending":
        fans = dry_run_broadcast(conn, broadcast.id, now).would_queue
    elif broadcast.status == "sent":
        fans = broadcast.queued
    return summary(broadcast, fans, offer)


def decide(
    conn: psycopg.Connection[Any],
    action_id: UUID,
    decision: queue.CreatorDecision,
    user_id: UUID | None,
    note: str | None,
    now: datetime,
) -> dict[str, Any] | None:
    """Decides the broadcast whose approval `action_id` is, as its own approve or reject does
    (BroadcastDecided when decided already; NotEditable for an edit), and returns the approval
    as listed; None when `action_id` is no broadcast's approval."""
    broadcast = store.by_approval(conn, [action_id]).get(action_id)
    if broadcast is None:
        return None
    if decision == "edited":
        raise NotEditable("a broadcast's approval cannot be edited: approve or reject it")
    decide_broadcast(conn, broadcast.id, decision, user_id, note)
    [approval] = listed(conn, now, action_id=action_id)
    return approval
