"""HTTP routes of the media vault: search it (with what one fan already has of each item) and
suggest an item's PPV price for a fan (crm/intelligence/pricing.py)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from auth.access import CallerDep
from crm.intelligence.errors import NotFound
from crm.intelligence.pricing import PriceSuggestion, suggest_price
from crm.media import MediaKind, search_vault

router = APIRouter(tags=["media"])


class MediaItem(BaseModel):
    media_id: UUID
    title: str
    kind: MediaKind
    tags: list[str]
    price: float | None = Field(description="The list price (USD).")
    explicitness: int = Field(ge=0, le=100)
    duration_seconds: int | None
    already_bought: bool | None = Field(description="The fan bought it (only with fan_id).")
    already_sent: bool | None = Field(
        description="It was sent or offered to the fan before (only with fan_id)."
    )


class MediaPage(BaseModel):
    items: list[MediaItem]


@router.get("/media", response_model=MediaPage)
def media(
    caller: CallerDep,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="In the title or a tag.")
    ] = None,
    tag: Annotated[str | None, Query(min_length=1, max_length=63)] = None,
    kind: MediaKind | None = None,
    fan_id: Annotated[
        UUID | None, Query(description="Say what this fan already bought or was sent.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MediaPage:
    """The creator's vault, newest first."""
    creator = caller.creator() if fan_id is None else caller.creator_of_fan(fan_id)
    with caller.scoped(creator) as conn:
        rows = search_vault(conn, q=q, tag=tag, kind=kind, fan_id=fan_id, limit=limit)
    return MediaPage(items=[MediaItem.model_validate(row) for row in rows])


@router.get("/fans/{fan_id}/price", response_model=PriceSuggestion)
def price(fan_id: UUID, media_id: UUID, caller: CallerDep) -> PriceSuggestion:
    """The suggested PPV price of the media item for the fan, bounded and explained; `offer` is
    false when the fan already bought it."""
    creator = caller.creator_of_fan(fan_id)
    try:
        with caller.scoped(creator) as conn:
            return suggest_price(conn, fan_id, media_id)
    except NotFound as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no media {media_id}") from error
