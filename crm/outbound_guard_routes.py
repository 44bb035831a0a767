"""HTTP route of the outbound guard's log (crm/outbound_guard.py): what it kept from the
creator's fans, for the creator's owner and managers."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from auth.access import CallerDep
from crm.outbound_guard import Category, Path, recent_blocks

router = APIRouter(tags=["outbound guard"])


class BlockedMessage(BaseModel):
    id: UUID
    fan_id: UUID
    path: Path
    category: Category
    reason: str
    matched: str
    body: str
    user_id: UUID | None
    action_id: UUID | None
    blocked_at: datetime


@router.get("/outbound-guard/blocks", response_model=list[BlockedMessage])
def blocks(
    caller: CallerDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[BlockedMessage]:
    """The messages the outbound guard blocked, newest first: where (the send endpoint, an
    approval, the agent, the execution of an approved action), why, and the whole text.
    Owners and managers only."""
    creator = caller.creator()
    caller.require_manager(creator)
    with caller.scoped(creator) as conn:
        return [BlockedMessage(**row) for row in recent_blocks(conn, limit)]
