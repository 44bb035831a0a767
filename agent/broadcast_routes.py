"""HTTP routes of the broadcasts (agent/broadcasts.py, crm/broadcasts/): for the creator's owner
and managers only (a chatter gets 403: chatters never broadcast). Create one (it awaits its one
approval), dry-run it (the count and a few messages, nothing written), approve or reject it, read
its counters and a page of its deliveries (display names only: no export of fan lists)."""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict, Field

from agent.broadcasts import (
    BroadcastCreate,
    BroadcastDecided,
    InvalidBroadcast,
    create_broadcast,
    decide_broadcast,
)
from auth.access import CallerDep
from crm.broadcasts.dry_run import dry_run_broadcast
from crm.broadcasts.store import (
    BROADCAST_EXISTS,
    Broadcast,
    Delivery,
    deliveries,
    get_broadcast,
    list_broadcasts,
)
from crm.intelligence.errors import NotFound
from crm.templates.store import TemplateNotFound

router = APIRouter(tags=["broadcasts"])


class Sample(BaseModel):
    fan_id: UUID
    fan_name: str
    status: Literal["queued", "blocked"]
    text: str
    reason: str | None


class DryRunOut(BaseModel):
    recipients: int = Field(description="the segment's fans now, before exclusions")
    would_queue: int
    excluded: dict[str, int] = Field(description="fans left out, by reason")
    blocked: int = Field(description="messages the outbound guard would block")
    skipped: int = Field(description="fans lacking a value the template needs")
    samples: list[Sample]


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=1000)]


def _creator(caller: CallerDep, broadcast_id: UUID) -> UUID:
    creator = caller.creator_of(BROADCAST_EXISTS, broadcast_id, "broadcast")
    caller.require_manager(creator)
    return creator


@router.get("/broadcasts", response_model=list[Broadcast])
def broadcasts(
    caller: CallerDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[Broadcast]:
    """The creator's broadcasts, newest first, with their counters."""
    creator = caller.creator()
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        return list_broadcasts(conn, limit)


@router.post("/broadcasts", response_model=Broadcast, status_code=201)
def create(new: BroadcastCreate, caller: CallerDep) -> Broadcast:
    """A broadcast awaiting its approval; 422 for a template, segment or media the creator does
    not have, or a template needing media none is offered."""
    creator = caller.creator()
    caller.require_manager(creator)
    try:
        with caller.scoped(creator) as conn:
            return create_broadcast(conn, new, caller.principal.user_id)
    except (TemplateNotFound, NotFound, InvalidBroadcast) as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error


@router.get("/broadcasts/{broadcast_id}", response_model=Broadcast)
def broadcast(broadcast_id: UUID, caller: CallerDep) -> Broadcast:
    creator = _creator(caller, broadcast_id)
    with caller.scoped(creator) as conn:
        return get_broadcast(conn, broadcast_id)


@router.post("/broadcasts/{broadcast_id}/dry-run", response_model=DryRunOut)
def dry_run(broadcast_id: UUID, caller: CallerDep) -> DryRunOut:
    """Who the broadcast would reach now and what the first few would read; nothing written."""
    creator = _creator(caller, broadcast_id)
    with caller.scoped(creator) as conn:
        run = dry_run_broadcast(conn, broadcast_id, datetime.now(UTC))
    samples = [
        Sample(fan_id=s.fan_id, fan_name=s.fan_name, status=s.status, text=s.body, reason=s.reason)
        for s in run.samples
        if s.body is not None and s.status in ("queued", "blocked")
    ]
    return DryRunOut(
        recipients=run.recipients,
        would_queue=run.would_queue,
        excluded=run.excluded,
        blocked=run.blocked,
        skipped=run.skipped,
        samples=samples,
    )


@router.post("/broadcasts/{broadcast_id}/approve", response_model=Broadcast)
def approve(broadcast_id: UUID, caller: CallerDep) -> Broadcast:
    """The one approval of the whole broadcast (409 when decided already): a job worker sends it
    within a second (or at its scheduled time)."""
    creator = _creator(caller, broadcast_id)
    try:
        with caller.scoped(creator) as conn:
            return decide_broadcast(conn, broadcast_id, "approved", caller.principal.user_id)
    except BroadcastDecided as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error


@router.post("/broadcasts/{broadcast_id}/reject", response_model=Broadcast)
def reject(broadcast_id: UUID, body: RejectIn, caller: CallerDep) -> Broadcast:
    creator = _creator(caller, broadcast_id)
    try:
        with caller.scoped(creator) as conn:
            return decide_broadcast(
                conn, broadcast_id, "rejected", caller.principal.user_id, body.reason
            )
    except BroadcastDecided as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error


@router.get("/broadcasts/{broadcast_id}/deliveries", response_model=list[Delivery])
def delivery_page(
    broadcast_id: UUID,
    caller: CallerDep,
    status_: Annotated[
        Literal["queued", "excluded", "blocked", "skipped"] | None, Query(alias="status")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[Delivery]:
    """A page of the deliveries (at most 50 at a time), in the order they were written."""
    creator = _creator(caller, broadcast_id)
    with caller.scoped(creator) as conn:
        return deliveries(conn, broadcast_id, status=status_, limit=limit, offset=offset)
