"""Sending a draft: the chatter's (possibly edited) text becomes a send_message action (or, with
a PPV offer, a send_ppv_offer action) that carries the draft, under the creator's policy.

The action is queued for approval where the policy gates send_message (the default) and the
sender may not approve; a sender who may approve (the creator's owner or a manager), or a
creator whose policy lets chatters send, approves it in the same step. Either way it runs
through the gate's executor, so the outbox row, the audit row and the action's status commit
together and once. A draft is sent once; a draft whose fan wrote again is stale. Text the
outbound guard blocks (crm/outbound_guard.py) is refused before anything is stored, the block
logged.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from agent.gate import queue
from agent.gate.execution import Execution, execute_decided
from agent.graph.deps import AgentDeps
from crm.conversation import get_draft, inbound_text, latest_inbound, lock_draft, store_draft
from crm.outbound_guard import Attempt, enforce
from tools.base import RunContext, ToolError
from tools.media import require_media
from tools.policy import requires_approval

SEND = "send_message"
OFFER = "send_ppv_offer"
OUTBOUND = frozenset({SEND, OFFER})  # the actions that reach a fan


class DraftNotFound(LookupError):
    """No draft with that id for this creator."""


class DraftNotSendable(RuntimeError):
    """The draft was sent already, or went stale: the fan wrote again since."""

    def __init__(self, draft_id: UUID, state: str) -> None:
        why = (
            "the fan wrote again since this draft: draft a reply to the new message"
            if state == "stale"
            else f"this draft was sent already (it is {state})"
        )
        super().__init__(f"draft {draft_id} cannot be sent: {why}")
        self.state = state


class InvalidText(ValueError):
    """A reply the send tools do not accept: empty or too long text, a bad price, media the
    creator does not have."""


@dataclass(frozen=True)
class Offer:
    """Media sent with the reply, unlocked for `price`."""

    media_id: UUID
    price: Decimal


@dataclass(frozen=True)
class Sent:
    action: queue.QueuedAction  # pending (waiting for approval) or settled
    execution: Execution | None  # None while the action waits for approval


def send_draft(
    deps: AgentDeps,
    creator_id: UUID,
    draft_id: UUID,
    text: str,
    *,
    user_id: UUID | None,
    may_approve: bool,
    offer: Offer | None = None,
) -> Sent:
    """Queues (or, where allowed, sends) `text` as the reply the draft was written for, with
    the `offer` when there is one."""
    action_name, args = _send_args(deps, text, offer)
    with deps.scoped(creator_id) as conn:
        found = get_draft(conn, draft_id)
    if found is None:
        raise DraftNotFound(f"no draft {draft_id}")
    _guard(deps, creator_id, UUID(found["fan_id"]), text, user_id)
    with deps.scoped(creator_id) as conn:
        lock_draft(conn, draft_id)  # two sends of one draft: the second sees the first's action
        draft = get_draft(conn, draft_id)
        if draft is None:
            raise DraftNotFound(f"no draft {draft_id}")
        if draft["state"] != "open":
            raise DraftNotSendable(draft_id, draft["state"])
        gated = not may_approve and requires_approval(conn, action_name)
        proposal = _proposal(deps, creator_id, draft, action_name, args, user_id)
        action = queue.propose(conn, proposal)
        if not gated:
            note = "sent by its owner or a manager" if may_approve else "the policy lets it send"
            decided = queue.decide(
                conn, action.id, "approved", now=deps.clock(), decided_by=user_id, note=note
            )
            assert decided is not None, "a send proposed in this transaction is pending"
    if gated:
        return Sent(action, None)
    execution = execute_send(deps, creator_id, action)
    with deps.scoped(creator_id) as conn:
        settled = queue.get(conn, action.id)
    assert settled is not None
    return Sent(settled, execution)


def send_own_reply(
    deps: AgentDeps,
    creator_id: UUID,
    fan_id: UUID,
    text: str,
    *,
    message_id: UUID | None,
    user_id: UUID | None,
    may_approve: bool,
    offer: Offer | None = None,
) -> Sent:
    """A reply a person wrote or picked (a suggestion) rather than the agent, with the `offer`
    when there is one: stored as their draft of the reply to the fan's message (the one given,
    else the latest), then sent as any draft is, through the same gate."""
    _send_args(deps, text, offer)  # refused before anything is stored
    with deps.scoped(creator_id) as conn:
        if message_id is None:
            message_id, _ = latest_inbound(conn, fan_id)
        else:
            inbound_text(conn, fan_id, message_id)  # MessageNotFound unless the fan's
        if offer is not None:
            try:
                require_media(conn, offer.media_id)
            except ToolError as error:
                raise InvalidText(str(error)) from error
    _guard(deps, creator_id, fan_id, text, user_id)
    with deps.scoped(creator_id) as conn:
        draft_id = store_draft(
            conn, fan_id, text, in_reply_to=message_id, user_id=user_id, thread_id=None
        )
    return send_draft(
        deps, creator_id, draft_id, text, user_id=user_id, may_approve=may_approve, offer=offer
    )


def _guard(
    deps: AgentDeps, creator_id: UUID, fan_id: UUID, text: str, user_id: UUID | None
) -> None:
    """OutboundBlocked, logged, when the guard blocks the text."""
    with deps.pool.connection() as conn:
        enforce(conn, creator_id, Attempt(fan_id, text, "send", user_id))


def _send_args(deps: AgentDeps, text: str, offer: Offer | None) -> tuple[str, dict[str, Any]]:
    """The action and its checked arguments: send_message, or send_ppv_offer for an offer."""
    raw: dict[str, Any]
    if offer is None:
        name, raw = SEND, {"text": text}
    else:
        name, raw = OFFER, {"media_id": str(offer.media_id), "price": offer.price, "message": text}
    try:
        args: dict[str, Any] = deps.tools[name].parse(raw).model_dump(mode="json")
    except ToolError as error:
        raise InvalidText(str(error)) from error
    return name, args


def execute_send(deps: AgentDeps, creator_id: UUID, action: queue.QueuedAction) -> Execution:
    """Runs a decided action that runs alone (a send, an automation's action) once: a send's
    outbox row answers the fan message its draft answered."""
    assert action.runs_alone
    in_reply_to = None
    if action.draft_message_id is not None:
        with deps.scoped(creator_id) as conn:
            draft = get_draft(conn, action.draft_message_id)
        in_reply_to = UUID(draft["in_reply_to_id"]) if draft and draft["in_reply_to_id"] else None
    run = RunContext(
        creator_id,
        action.fan_id,
        action.thread_id,
        action.requested_by,
        in_reply_to,
        embedder=deps.embedder,
    )
    with deps.pool.connection() as conn:
        return execute_decided(conn, run, action.id, deps.tools)


def _proposal(
    deps: AgentDeps,
    creator_id: UUID,
    draft: dict[str, Any],
    action: str,
    args: dict[str, Any],
    user_id: UUID | None,
) -> queue.Proposal:
    edited = " (edited)" if args.get("text", args.get("message")) != draft["text"] else ""
    offered = " with a PPV offer" if action == OFFER else ""
    return queue.Proposal(
        fan_id=UUID(draft["fan_id"]),
        thread_id=draft["thread_id"] or f"{creator_id}:draft:{draft['id']}",
        tool_call_id=f"send:{draft['id']}",
        action=action,
        args=args,
        draft=draft["text"],
        reason=f"A chatter sends this draft{edited}{offered} in reply to the fan's message "
        f'"{" ".join((draft["fan_message"] or "").split())[:300]}"',
        requested_by=user_id,
        expires_at=deps.clock() + dt.timedelta(hours=deps.limits.approval_hours),
        draft_message_id=UUID(draft["id"]),
    )
