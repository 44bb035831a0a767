"""HTTP routes of the conversation with a fan: its messages (newest first, a page at a time) and
the drafts written for it, each with its state and what was sent of it."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from auth.access import CallerDep
from crm.conversation import (
    DRAFT_EXISTS,
    MessageNotFound,
    get_draft,
    list_drafts,
    message_page,
)

router = APIRouter(tags=["conversation"])
MessageStatus = Literal["received", "draft", "queued", "sent", "failed", "superseded"]
DraftState = Literal[
    "open", "stale", "awaiting_approval", "sending", "sent", "failed", "rejected", "expired"
]


class Message(BaseModel):
    id: UUID
    direction: Literal["inbound", "outbound"]
    status: MessageStatus
    body: str
    media_id: UUID | None
    price: Decimal | None
    in_reply_to_id: UUID | None
    drafted_by: UUID | None = Field(description="The user who asked for or sent it.")
    approved_by: UUID | None = Field(description="The user who approved sending it.")
    action_id: UUID | None = Field(description="The approved action that queued it.")
    created_at: dt.datetime
    sent_at: dt.datetime | None


class MessagePage(BaseModel):
    items: list[Message]
    next_cursor: UUID | None = Field(description="Pass as `before` for the next (older) page.")


class DraftView(BaseModel):
    id: UUID
    fan_id: UUID
    text: str = Field(description="The draft as the agent wrote it.")
    state: DraftState
    in_reply_to_id: UUID | None
    fan_message: str | None = Field(description="The fan message it answers.")
    thread_id: str | None
    drafted_by: UUID | None
    created_at: dt.datetime
    send_action_id: UUID | None
    send_text: str | None = Field(description="The text sent (or waiting for approval).")
    send_price: Decimal | None = Field(description="The PPV price, when sent with an offer.")
    sent_message_id: UUID | None = Field(description="The outbox message, once approved.")
    decision_note: str | None


@router.get("/fans/{fan_id}/messages", response_model=MessagePage)
def messages(
    fan_id: UUID,
    caller: CallerDep,
    before: Annotated[
        UUID | None, Query(description="The cursor: older than this message.")
    ] = None,
    status_: Annotated[MessageStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    """The conversation, newest first: what the fan wrote, drafts, the outbox (queued) and what
    was delivered (sent), each with who wrote and who approved it. Superseded drafts only with
    `status=superseded`."""
    creator = caller.creator_of_fan(fan_id)
    try:
        with caller.scoped(creator) as conn:
            rows = message_page(conn, fan_id, before=before, status=status_, limit=limit + 1)
    except MessageNotFound as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
    items = [Message.model_validate(row) for row in rows[:limit]]
    return MessagePage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


@router.get("/fans/{fan_id}/drafts", response_model=list[DraftView])
def drafts(
    fan_id: UUID, caller: CallerDep, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[DraftView]:
    """The drafts written for the fan, newest first."""
    creator = caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        return [DraftView.model_validate(row) for row in list_drafts(conn, fan_id, limit)]


@router.get("/drafts/{draft_id}", response_model=DraftView)
def draft(draft_id: UUID, caller: CallerDep) -> DraftView:
    creator = caller.creator_of(DRAFT_EXISTS, draft_id, "draft")
    with caller.scoped(creator) as conn:
        found = get_draft(conn, draft_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no draft {draft_id}")
    return DraftView.model_validate(found)
