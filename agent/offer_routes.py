"""HTTP route of a person's PPV offer: media from the vault, at a price, with their reply (the
workspace's "Offer" beside the composer). It is sent as any reply a person writes
(POST /v1/fans/{id}/replies), through the approval policy of send_ppv_offer (gated by default)."""

from decimal import Decimal
from uuid import UUID

from fastapi import APIRouter
from pydantic import Field

from agent.routes import ReplyBody, SendResult, ServiceDep, send_own
from agent.sending import Offer
from auth.access import CallerDep
from crm.prices import MAX_PRICE

router = APIRouter(tags=["drafts"])


class OfferBody(ReplyBody):
    media_id: UUID = Field(description="The media to unlock, as GET /v1/media lists it.")
    price: Decimal = Field(gt=0, le=MAX_PRICE, description="The price in US dollars.")


@router.post("/fans/{fan_id}/offers", response_model=SendResult)
async def send_offer(
    fan_id: UUID, body: OfferBody, caller: CallerDep, service: ServiceDep
) -> SendResult:
    """Sends a PPV offer with a reply, through the approval policy of send_ppv_offer. 422 for
    media the creator does not have or a bad price; 409 when the fan has not written yet."""
    return await send_own(fan_id, body, caller, service, Offer(body.media_id, body.price))
