"""HTTP routes of the fan CRM: the list (search, filters, cursor), the dossier and the fan's
custom content requests."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from auth.access import CallerDep
from crm.fans.customs import custom_requests
from crm.fans.dossier import dossier
from crm.fans.listing import BadCursor, FanFilter, list_fans

router = APIRouter(tags=["fans"])
Stage = Literal[
    "new", "warming", "active_buyer", "cooling_off", "at_risk", "churned", "reactivated"
]


class FanRow(BaseModel):
    id: UUID
    display_name: str
    relationship_stage: str
    temperature: str | None
    lifetime_spend: float
    purchase_count: int
    price_range: str | None
    last_message_at: str | None
    awaiting_reply: bool = Field(description="The fan wrote last and nobody answered yet.")


class FanPage(BaseModel):
    items: list[FanRow]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class Dossier(BaseModel):
    id: UUID
    profile: dict[str, Any]
    personal: dict[str, Any] | None = Field(
        description="Real name, email, phone, city, country: owners and managers only."
    )
    platform_accounts: list[dict[str, Any]]
    scores: dict[str, Any] | None
    notes: list[dict[str, Any]]
    tags: list[dict[str, Any]] = Field(description="The team's tags: tag and value.")
    memories: list[dict[str, Any]]
    recent_messages: list[dict[str, Any]]
    purchases: list[dict[str, Any]]
    purchase_summary: list[dict[str, Any]]
    custom_requests: list[dict[str, Any]] = Field(
        description="Newest first, as GET /fans/{fan_id}/custom-requests lists them."
    )


class CustomRequest(BaseModel):
    id: UUID
    description: str = Field(description="What the fan asked for.")
    status: Literal["pending_review", "accepted", "declined", "fulfilled"]
    proposed_price: float | None = Field(description="What the fan offered (USD).")
    agreed_price: float | None
    deadline: dt.datetime | None
    decline_reason: str | None
    media_id: UUID | None = Field(description="The content delivered, once fulfilled.")
    payout: float | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    fulfilled_at: dt.datetime | None


@router.get("/fans", response_model=FanPage)
def fans(
    caller: CallerDep,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Name or alias")
    ] = None,
    stage: Stage | None = None,
    tag: Annotated[str | None, Query(max_length=63)] = None,
    segment: UUID | None = None,
    min_spend: Annotated[Decimal | None, Query(ge=0)] = None,
    max_spend: Annotated[Decimal | None, Query(ge=0)] = None,
    awaiting_reply: Annotated[
        bool | None, Query(description="Only fans whose last message is unanswered (true).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> FanPage:
    """The creator's fans, biggest spenders first."""
    creator = caller.creator()
    where = FanFilter(q, stage, tag, segment, min_spend, max_spend, awaiting_reply)
    try:
        with caller.scoped(creator) as conn:
            rows, next_cursor = list_fans(conn, where, limit=limit, cursor=cursor)
    except BadCursor as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
    return FanPage(items=[FanRow.model_validate(row) for row in rows], next_cursor=next_cursor)


@router.get("/fans/{fan_id}", response_model=Dossier)
def fan_dossier(fan_id: UUID, caller: CallerDep) -> Dossier:
    """Everything known about the fan. Chatters never see the personal fields, nor the
    memories that carry personal data."""
    creator = caller.creator_of_fan(fan_id)
    personal = caller.role(creator) != "chatter"
    with caller.scoped(creator) as conn:
        return Dossier.model_validate(dossier(conn, fan_id, personal=personal))


@router.get("/fans/{fan_id}/custom-requests", response_model=list[CustomRequest])
def fan_custom_requests(fan_id: UUID, caller: CallerDep) -> list[CustomRequest]:
    """The fan's custom content requests, newest first."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        found = custom_requests(conn, fan_id, detail=True)
    return [CustomRequest.model_validate(row) for row in found]
