"""HTTP routes of the agent: drafts (JSON or a server-sent event stream), regenerating and
sending them, classification, and the approval queue (list, show, approve, edit, reject, and
approve or reject in bulk), each action with its fan's name and a one-sentence summary."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent import broadcast_approvals
from agent.approvals_summary import readable
from agent.broadcasts import BroadcastDecided
from agent.gate import queue
from agent.llm.types import LLMError
from agent.personal import as_seen_by, stream_as_seen_by
from agent.sending import Offer, Sent
from agent.service import (
    ActionNotFound,
    AlreadyDecided,
    Decision,
    DraftOutcome,
    DraftRequest,
    DraftService,
    StreamEvent,
)
from auth.access import ACTION_EXISTS, Caller, CallerDep
from crm.conversation import DRAFT_EXISTS, get_draft
from db.pools import UNAVAILABLE, UNAVAILABLE_MESSAGE
from tools.policy import UnknownActionName, effective_policy, set_policy

router = APIRouter()
log = logging.getLogger("fanagent.http")
MAX_MESSAGE = 20_000
MAX_BULK = 100  # actions decided by one bulk request


class DraftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message_id: UUID | None = Field(
        default=None,
        description="The fan message to answer; neither this nor text: the fan's latest.",
    )
    text: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_MESSAGE,
        description="A preview for free text: nothing is stored, nothing is superseded, no "
        "action is proposed.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> "DraftBody":
        if self.text is not None and self.message_id is not None:
            raise ValueError("give message_id or text, not both")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is blank")
        return self


class Draft(BaseModel):
    thread_id: str
    message_id: str | None = Field(description="The fan message answered; null for a preview.")
    draft_id: str | None = Field(
        description="The stored draft, to send or fetch; null for a preview or while actions "
        "wait for approval."
    )
    outcome: Literal["drafted", "awaiting_approval", "superseded", "no_usable_draft"] = Field(
        description="no_usable_draft: no candidate the model wrote could be sent (see "
        "`refusals`); nothing was stored, and `suggestions` offer the team's own past replies."
    )
    draft: str = Field(description="The reply to send; empty when no candidate passed the guard.")
    intents: list[dict[str, Any]] = Field(description="Detected signals with confidences.")
    classifier: str
    memories: list[dict[str, Any]] = Field(description="The memories the prompt used.")
    tool_calls: list[dict[str, Any]]
    pending: list[dict[str, Any]] = Field(description="Actions waiting for the creator.")
    violations: list[dict[str, str]] = Field(description="Persona rules the draft still breaks.")
    refusals: list[dict[str, str]] = Field(
        description="Why the draft guard refused the model's last candidate ({code, reason}); "
        "empty when the draft passed."
    )
    suggestions: list[dict[str, Any]] = Field(
        description="Up to 3 replies the creator's team sent to similar fan messages ({text, "
        "score}), addressed to this fan."
    )
    offer: dict[str, Any] | None = Field(
        description="For a fan who wants to buy: the PPV to offer with the reply ({media_id, "
        "title, price, list_price, explanation}), the item the message names or the newest the "
        "fan has neither bought nor been sent, priced for this fan. Send it with POST "
        "/v1/fans/{fan_id}/offers."
    )
    usage: dict[str, int]
    timings_ms: dict[str, float]

    @classmethod
    def of(cls, outcome: DraftOutcome) -> "Draft":
        return cls.model_validate(asdict(outcome))


class ClassifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_MESSAGE)


class Classification(BaseModel):
    detected: dict[str, float]
    confidences: dict[str, float]
    classifier: str
    latency_ms: float


class Approval(BaseModel):
    id: UUID
    fan_id: UUID | None = Field(description="Null for a broadcast's approval (all its fans).")
    thread_id: str
    action: str
    args: dict[str, Any]
    edited_args: dict[str, Any] | None
    draft: str | None
    draft_message_id: UUID | None = Field(description="Set when a chatter sends this draft.")
    reason: str
    status: str
    decided_by: UUID | None
    decided_at: str | None
    decision_note: str | None
    expires_at: str | None
    executed_at: str | None
    result: dict[str, Any] | None
    error: str | None
    created_at: str
    fan_name: str | None = Field(
        description="The fan's display name; null for a broadcast's approval."
    )
    summary: str = Field(
        description="What the action does, in one plain sentence (with the arguments that run)."
    )
    outbound_guard: str | None = Field(
        default=None,
        description="Why the outbound guard blocks the message this action would send (approving "
        "it as it is answers 422 blocked_by_outbound_guard: edit or reject it); null: it may go.",
    )


class ProposalContext(BaseModel):
    message: str = Field(description="The fan message the action answers.")
    fan_summary: str
    memories: list[dict[str, Any]]
    intents: list[dict[str, Any]]


class ApprovalWithContext(Approval):
    context: ProposalContext
    args_schema: dict[str, Any] | None = Field(
        description="The JSON schema of the action's arguments, for an edit form (what "
        "POST /v1/approvals/{id}/edit accepts); null for an action this version does not know."
    )


class EditBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    args: dict[str, Any] = Field(description="The action's arguments as they should run.")


Reason = Annotated[
    str, Field(min_length=1, max_length=2000, description="Why; the model is told this.")
]


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


def draft_service(request: Request) -> DraftService:
    """The agent the server's lifespan built."""
    service: DraftService = request.app.state.service
    return service


ServiceDep = Annotated[DraftService, Depends(draft_service)]


@router.post(
    "/fans/{fan_id}/drafts",
    response_model=Draft,
    tags=["drafts"],
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_draft(
    fan_id: UUID,
    body: DraftBody,
    caller: CallerDep,
    service: ServiceDep,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """Drafts a reply to a stored fan message (the one given, else the fan's latest), or
    previews one for free text. With `Accept: text/event-stream` the run streams: `step` events
    as it goes, `token` events as the reply is written, `replace` when the draft guard refused
    what was streamed (show its `text` instead), then `outcome` (or `error`)."""
    creator = await asyncio.to_thread(caller.creator_of_fan, fan_id)  # not on the event loop
    draft = DraftRequest(creator, fan_id, body.text, body.message_id, caller.principal.user_id)
    return await _drafted(service, caller, draft, accept)


async def _drafted(
    service: DraftService, caller: Caller, draft: DraftRequest, accept: str | None
) -> Any:
    """The draft as the caller may see it (a chatter's without personal memories)."""
    creator = draft.creator_id
    if accept and "text/event-stream" in accept:
        # A bad message id is a 404 before streaming; the database is not read on the loop.
        context, state = await asyncio.to_thread(service.start, draft)
        stream = service.draft_stream(context, state)
        events = _events(stream_as_seen_by(caller, creator, stream))
        return StreamingResponse(events, media_type="text/event-stream")
    outcome = asdict(await service.draft(draft))
    return Draft.model_validate(await asyncio.to_thread(as_seen_by, caller, creator, outcome))


@router.post(
    "/drafts/{draft_id}/regenerate",
    response_model=Draft,
    tags=["drafts"],
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def regenerate_draft(
    draft_id: UUID,
    caller: CallerDep,
    service: ServiceDep,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """A new draft for the fan message the draft answered (the old one stays as it is)."""
    creator = await asyncio.to_thread(caller.creator_of, DRAFT_EXISTS, draft_id, "draft")
    found = await asyncio.to_thread(_draft, caller, creator, draft_id)
    if found is None or found["in_reply_to_id"] is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no draft {draft_id} answering a message")
    fan_id, message_id = UUID(found["fan_id"]), UUID(found["in_reply_to_id"])
    draft = DraftRequest(creator, fan_id, None, message_id, caller.principal.user_id)
    return await _drafted(service, caller, draft, accept)


def _draft(caller: Caller, creator_id: UUID, draft_id: UUID) -> dict[str, Any] | None:
    with caller.scoped(creator_id) as conn:
        return get_draft(conn, draft_id)


class SendBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE,
        description="What the fan gets: the draft as it is, or edited.",
    )


class SendResult(BaseModel):
    state: Literal["awaiting_approval", "executed", "failed"] = Field(
        description="Waiting for the creator, in the outbox (executed), or failed (see action)."
    )
    action: Approval = Field(description="The send_message action that carries the draft.")
    message: dict[str, Any] | None = Field(
        description="The outbox message (status queued until the platform delivers it)."
    )

    @classmethod
    def of(cls, sent: Sent, action: Approval) -> "SendResult":
        """The result of `sent`, whose action reads as `action`."""
        state = "awaiting_approval" if sent.execution is None else sent.execution.outcome
        message = sent.execution.result if sent.execution else None
        return cls.model_validate({"state": state, "action": action, "message": message})


async def send_result(caller: Caller, creator_id: UUID, sent: Sent) -> SendResult:
    """What a send answers: its action as the API shows actions (fan name, summary)."""
    return SendResult.of(sent, await asyncio.to_thread(_approval, caller, creator_id, sent.action))


@router.post("/drafts/{draft_id}/send", response_model=SendResult, tags=["drafts"])
async def send_draft(
    draft_id: UUID, body: SendBody, caller: CallerDep, service: ServiceDep
) -> SendResult:
    """Sends the draft's text, edited or not, as the reply to the message it answers: queued
    for the creator's approval where the policy gates send_message (the default for chatters),
    else (an owner or manager, or a policy that lets chatters send) into the outbox at once.
    409 when the draft was sent already or the fan wrote again since."""
    creator = await asyncio.to_thread(caller.creator_of, DRAFT_EXISTS, draft_id, "draft")
    sent = await asyncio.to_thread(
        service.send,
        creator,
        draft_id,
        body.text,
        user_id=caller.principal.user_id,
        role=caller.role(creator),
    )
    return await send_result(caller, creator, sent)


class ReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=MAX_MESSAGE, description="The reply, written or a suggestion."
    )
    message_id: UUID | None = Field(
        default=None, description="The fan message it answers; unset: the fan's latest."
    )


@router.post("/fans/{fan_id}/replies", response_model=SendResult, tags=["drafts"])
async def send_reply(
    fan_id: UUID, body: ReplyBody, caller: CallerDep, service: ServiceDep
) -> SendResult:
    """Sends a reply a person wrote or picked from a draft's `suggestions` (when no draft could
    be sent, say): stored as their draft of the answer, then sent like one, through the same
    approval policy. 409 when the fan has not written yet or wrote again since."""
    return await send_own(fan_id, body, caller, service)


async def send_own(
    fan_id: UUID,
    body: ReplyBody,
    caller: Caller,
    service: DraftService,
    offer: Offer | None = None,
) -> SendResult:
    """A person's reply to the fan (with a PPV `offer` or not), sent through the gate."""
    creator = await asyncio.to_thread(caller.creator_of_fan, fan_id)
    sent = await asyncio.to_thread(
        service.send_own,
        creator,
        fan_id,
        body.text,
        message_id=body.message_id,
        user_id=caller.principal.user_id,
        role=caller.role(creator),
        offer=offer,
    )
    return await send_result(caller, creator, sent)


async def _events(stream: AsyncIterator[StreamEvent]) -> AsyncIterator[str]:
    """The run as server-sent events; a failure after the stream began (the model or the
    database went away) ends it with an `error` event in the API's error shape."""
    try:
        async for event in stream:
            yield _sse(event.event, event.data)
    except LLMError as error:
        yield _sse("error", {"error": {"code": "model_unavailable", "message": str(error)}})
    except psycopg.OperationalError as error:
        log.warning("database unavailable while streaming: %s", error)
        yield _sse("error", {"error": {"code": UNAVAILABLE, "message": UNAVAILABLE_MESSAGE}})


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


@router.post("/fans/{fan_id}/classify", response_model=Classification, tags=["drafts"])
async def classify(
    fan_id: UUID, body: ClassifyBody, caller: CallerDep, service: ServiceDep
) -> Classification:
    """The buying-intent signals of a message, with confidences (nothing is stored)."""
    caller.creator_of_fan(fan_id)
    result = await service.deps.intents.classify(body.text)
    return Classification(
        detected=result.detected,
        confidences=result.scores.confidences,
        classifier=result.classifier,
        latency_ms=result.latency_ms,
    )


@router.get("/approvals", response_model=list[Approval], tags=["approvals"])
def list_approvals(
    caller: CallerDep,
    status_: Annotated[
        queue.ActionStatus | None,
        Query(alias="status"),
    ] = None,
    fan_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[Approval]:
    """The creator's queued actions, broadcasts' approvals among them (not with `fan_id`):
    pending first (oldest first), then the rest."""
    creator = caller.creator()
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        found = _approvals(
            conn, queue.list_actions(conn, status=status_, fan_id=fan_id, limit=limit)
        )
        if fan_id is None:
            now = datetime.now(UTC)
            broadcasts = broadcast_approvals.listed(conn, now, status=status_, limit=limit)
            found += [Approval.model_validate(row) for row in broadcasts]
    return _pending_first(found)[:limit]


def _pending_first(approvals: list[Approval]) -> list[Approval]:
    """The order of queue.LIST: pending oldest first, then the rest newest first."""
    pending = sorted((a for a in approvals if a.status == "pending"), key=_created)
    rest = sorted((a for a in approvals if a.status != "pending"), key=_created, reverse=True)
    return pending + rest


def _created(approval: Approval) -> datetime:
    return datetime.fromisoformat(approval.created_at)


def _approvals(
    conn: psycopg.Connection[Any], actions: Sequence[queue.QueuedAction]
) -> list[Approval]:
    """The actions as the API shows them: with the fan's name and a summary."""
    return [
        Approval.model_validate({**action.as_json(), **asdict(described)})
        for action, described in zip(actions, readable(conn, actions), strict=True)
    ]


def _approval(caller: Caller, creator_id: UUID, action: queue.QueuedAction) -> Approval:
    with caller.scoped(creator_id) as conn:
        return _approvals(conn, [action])[0]


@router.get("/approvals/{action_id}", response_model=ApprovalWithContext, tags=["approvals"])
async def get_approval(
    action_id: UUID, caller: CallerDep, service: ServiceDep
) -> ApprovalWithContext:
    """One queued action, with what the agent knew when it proposed it."""
    creator = caller.creator_of(ACTION_EXISTS, action_id, "queued action")
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        action = queue.get(conn, action_id)
        if action is None:
            return _broadcast_approval(conn, action_id)
        [approval] = _approvals(conn, [action])
    context = await service.thread_context(action.thread_id)
    tool = service.deps.tools.get(action.action)
    args_schema = tool.spec().parameters if tool is not None else None
    return ApprovalWithContext.model_validate(
        {**approval.model_dump(), "context": context, "args_schema": args_schema}
    )


def _broadcast_approval(conn: psycopg.Connection[Any], action_id: UUID) -> ApprovalWithContext:
    """A broadcast's approval: no thread, so no context, and no arguments to edit."""
    found = broadcast_approvals.listed(conn, datetime.now(UTC), action_id=action_id)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no queued action {action_id}")
    context = {"message": "", "fan_summary": "", "memories": [], "intents": []}
    return ApprovalWithContext.model_validate({**found[0], "context": context, "args_schema": None})


class DecisionResult(BaseModel):
    action: Approval = Field(description="The action as it ended: executed, failed, rejected.")
    reply: Draft | None = Field(
        description="The agent's reply after the decision; null for a chatter's send (the text "
        "sent is the reply) or when the model failed (see reply_error)."
    )
    reply_error: str | None


async def _decide(
    service: DraftService, caller: Caller, action_id: UUID, decision: Decision
) -> DecisionResult:
    creator = await asyncio.to_thread(caller.creator_of, ACTION_EXISTS, action_id, "queued action")
    caller.require_manager(creator)
    broadcast = await asyncio.to_thread(_decide_broadcast, caller, creator, action_id, decision)
    if broadcast is not None:  # sent by a job worker, not the agent: no reply follows
        return DecisionResult(action=broadcast, reply=None, reply_error=None)
    decided = await service.decide(creator, action_id, decision)
    return DecisionResult(
        action=await asyncio.to_thread(_approval, caller, creator, decided.action),
        reply=Draft.of(decided.reply) if decided.reply else None,
        reply_error=decided.reply_error,
    )


def _decide_broadcast(
    caller: Caller, creator_id: UUID, action_id: UUID, decision: Decision
) -> Approval | None:
    """The broadcast's own decision when `action_id` is a broadcast's approval; else None."""
    with caller.scoped(creator_id) as conn:
        decided = broadcast_approvals.decide(
            conn, action_id, decision.status, decision.user_id, decision.note, datetime.now(UTC)
        )
    return Approval.model_validate(decided) if decided is not None else None


@router.post("/approvals/{action_id}/approve", response_model=DecisionResult, tags=["approvals"])
async def approve(action_id: UUID, caller: CallerDep, service: ServiceDep) -> DecisionResult:
    """Approves the action: it runs once, and the agent finishes its reply knowing that."""
    decision = Decision("approved", user_id=caller.principal.user_id)
    return await _decide(service, caller, action_id, decision)


@router.post("/approvals/{action_id}/edit", response_model=DecisionResult, tags=["approvals"])
async def edit(
    action_id: UUID, body: EditBody, caller: CallerDep, service: ServiceDep
) -> DecisionResult:
    """Runs the action with the arguments given instead of the proposed ones."""
    decision = Decision("edited", user_id=caller.principal.user_id, edited_args=body.args)
    return await _decide(service, caller, action_id, decision)


@router.post("/approvals/{action_id}/reject", response_model=DecisionResult, tags=["approvals"])
async def reject(
    action_id: UUID, body: RejectBody, caller: CallerDep, service: ServiceDep
) -> DecisionResult:
    """Rejects the action; the agent is told the reason and replies without it."""
    decision = Decision("rejected", user_id=caller.principal.user_id, note=body.reason)
    return await _decide(service, caller, action_id, decision)


class BulkDecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[UUID] = Field(
        min_length=1, max_length=MAX_BULK, description=f"The actions, 1 to {MAX_BULK}."
    )
    decision: Literal["approve", "reject"]
    reason: Reason | None = Field(
        default=None, description="Required to reject; the model is told this."
    )

    @model_validator(mode="after")
    def _reason_to_reject(self) -> "BulkDecisionBody":
        if self.decision == "reject" and self.reason is None:
            raise ValueError("a reason is required to reject")
        if self.decision == "approve" and self.reason is not None:
            raise ValueError("a reason is given only to reject")
        return self


class BulkItem(BaseModel):
    id: UUID
    ok: bool = Field(description="Decided now; false: see error.")
    status: str | None = Field(
        description="The action's status now, when known: executed, failed, rejected; or what "
        "it was already."
    )
    error: str | None = Field(description="Why it was not decided: not found, already decided...")


class BulkResult(BaseModel):
    results: list[BulkItem] = Field(description="One per id, in the order given.")


BULK_DECISIONS: dict[str, queue.CreatorDecision] = {"approve": "approved", "reject": "rejected"}


@router.post("/approvals/bulk", response_model=BulkResult, tags=["approvals"])
async def decide_many(body: BulkDecisionBody, caller: CallerDep, service: ServiceDep) -> BulkResult:
    """Approves or rejects several actions of the creator (the `X-Creator-Id` header's, when
    the key works for several), one after another, each exactly as its own approve or reject
    route decides it (the agent replies after each, as there). An id that cannot be decided
    (not found, already decided) says why; the others go on."""
    caller.require_manager(caller.creator())
    decision = Decision(
        BULK_DECISIONS[body.decision], user_id=caller.principal.user_id, note=body.reason
    )
    return BulkResult(
        results=[await _decided_one(service, caller, action_id, decision) for action_id in body.ids]
    )


async def _decided_one(
    service: DraftService, caller: Caller, action_id: UUID, decision: Decision
) -> BulkItem:
    """One action of a bulk decision: decided, or why not."""
    try:
        decided = await _decide(service, caller, action_id, decision)
    except AlreadyDecided as error:
        return BulkItem(id=action_id, ok=False, status=error.action.status, error=str(error))
    except BroadcastDecided as error:
        return BulkItem(id=action_id, ok=False, status=None, error=str(error))
    except HTTPException as error:  # not the caller's (404) or not theirs to decide (403)
        return BulkItem(id=action_id, ok=False, status=None, error=str(error.detail))
    except ActionNotFound as error:
        return BulkItem(id=action_id, ok=False, status=None, error=str(error))
    except psycopg.OperationalError:
        return BulkItem(id=action_id, ok=False, status=None, error=UNAVAILABLE_MESSAGE)
    return BulkItem(id=action_id, ok=True, status=decided.action.status, error=None)


class PolicyChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requires_approval: bool


@router.get("/policy", response_model=dict[str, bool], tags=["approvals"])
def approval_policy(caller: CallerDep) -> dict[str, bool]:
    """Every action the agent can take and whether it waits for approval (default: everything
    that reaches the fan or moves money does)."""
    creator = caller.creator()
    with caller.scoped(creator) as conn:
        return effective_policy(conn)


@router.put("/policy/{action}", response_model=dict[str, bool], tags=["approvals"])
def change_policy(action: str, body: PolicyChange, caller: CallerDep) -> dict[str, bool]:
    """Whether `action` waits for approval, for this creator. Owners and managers only."""
    creator = caller.creator()
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            set_policy(conn, action, body.requires_approval)
            return effective_policy(conn)
    except UnknownActionName as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from error
