"""HTTP route of a person's PPV offer: media from the vault, at a price, with their reply (the
workspace's "Offer" beside the composer). It is stored as their draft and goes through the same
approval gate as any send (send_ppv_offer is gated by default)."""

import asyncio
from decimal import Decimal
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from agent.routes import MAX_MESSAGE, SendResult, ServiceDep, send_result
from agent.sending import Offer
from auth.access import CallerDep
from crm.prices import MAX_PRICE

router = APIRouter(tags=["drafts"])


class OfferBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    media_id: UUID = Field(description="The media to unlock, as GET /v1/media lists it.")
    price: Decimal = Field(gt=0, le=MAX_PRICE, description="The price in US dollars.")
    text: str = Field(min_length=1, max_length=MAX_MESSAGE, description="The message with it.")
    message_id: UUID | None = Field(
        default=None, description="The fan message it answers; unset: the fan's latest."
    )


@router.post("/fans/{fan_id}/offers", response_model=SendResult)
async def send_offer(
    fan_id: UUID, body: OfferBody, caller: CallerDep, service: ServiceDep
) -> SendResult:
    """Sends a PPV offer with a reply, through the approval policy of send_ppv_offer. 422 for
    media the creator does not have or a bad price; 409 when the fan has not written yet."""
    creator = await asyncio.to_thread(caller.creator_of_fan, fan_id)
    sent = await asyncio.to_thread(
        service.send_own,
        creator,
        fan_id,
        body.text,
        message_id=body.message_id,
        user_id=caller.principal.user_id,
        role=caller.role(creator),
        offer=Offer(body.media_id, body.price),
    )
    return await send_result(caller, creator, sent)
