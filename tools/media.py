"""Reading the creator's media vault (media_assets): what there is to offer, and whether the
fan already owns an item."""

from typing import Annotated, Any
from uuid import UUID

import psycopg
from psycopg import sql
from pydantic import Field, StringConstraints

from crm.fans.purchases import PPV_PURCHASES, ppv_purchase
from crm.media import MEDIA_COLUMNS, SELECT_MEDIA, MediaKind
from crm.prices import MAX_PRICE
from db.rows import fetch_all, fetch_one
from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.fields import Limit

LIST_MEDIA = sql.SQL("""
SELECT {columns}, left(m.ai_description, 300) AS description
FROM media_assets m
WHERE (%(tag)s::text IS NULL OR m.tags @> ARRAY[%(tag)s::text])
  AND (%(kind)s::text IS NULL OR m.kind = %(kind)s::text)
  AND (%(max_price)s::numeric IS NULL OR m.price <= %(max_price)s::numeric)
  AND NOT (%(not_purchased)s AND EXISTS ({bought}))
ORDER BY m.created_at DESC, m.id
LIMIT %(limit)s
""").format(columns=MEDIA_COLUMNS, bought=PPV_PURCHASES.format(media=sql.SQL("m.id")))

MediaId = Annotated[UUID, Field(description="The media's id, as list_media returns it.")]


class ListMediaArgs(ToolArgs):
    tag: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True)] | None = Field(
        default=None, description='Only media with this tag, e.g. "beach".'
    )
    kind: MediaKind | None = Field(default=None, description="Only media of this kind.")
    max_price: float | None = Field(
        default=None, ge=0, le=MAX_PRICE, description="Only media priced at most this (USD)."
    )
    not_purchased: bool = Field(
        default=False, description="Leave out the media this fan already bought."
    )
    limit: Limit = 10


class AlreadyPurchasedArgs(ToolArgs):
    media_id: MediaId


def require_media(conn: psycopg.Connection[Any], media_id: UUID) -> dict[str, Any]:
    """The creator's media item `media_id`; ToolError when the creator has none such."""
    media = fetch_one(conn, SELECT_MEDIA, {"media_id": media_id})
    if media is None:
        raise ToolError(f"unknown media id {media_id}: list_media shows the creator's media")
    return media


def require_offerable(
    conn: psycopg.Connection[Any], fan_id: UUID, media_id: UUID
) -> dict[str, Any]:
    """The creator's media item `media_id`, which the fan has not bought; ToolError otherwise."""
    media = require_media(conn, media_id)
    if ppv_purchase(conn, fan_id, media_id) is not None:
        raise ToolError(f"the fan already bought media {media_id} ({media['title']})")
    return media


def list_media(conn: psycopg.Connection[Any], ctx: RunContext, args: ListMediaArgs) -> ToolResult:
    params = {**args.model_dump(), "fan_id": ctx.fan_id}
    return {"media": fetch_all(conn, LIST_MEDIA, params)}


def check_already_purchased(
    conn: psycopg.Connection[Any], ctx: RunContext, args: AlreadyPurchasedArgs
) -> ToolResult:
    media = require_media(conn, args.media_id)
    purchase = ppv_purchase(conn, ctx.fan_id, args.media_id)
    return {
        "media_id": media["media_id"],
        "title": media["title"],
        "purchased": purchase is not None,
        "purchased_at": purchase["purchased_at"] if purchase else None,
        "amount_paid": purchase["amount"] if purchase else None,
    }


LIST_MEDIA_TOOL = Tool(
    name="list_media",
    description="The creator's media vault, newest first, filtered by tag, kind, maximum price "
    "and whether this fan already bought it: id, title, kind, tags, price (USD), explicitness "
    "(0 to 100) and a short description.",
    args=ListMediaArgs,
    kind="read",
    run=list_media,
)
ALREADY_PURCHASED_TOOL = Tool(
    name="check_already_purchased",
    description="Whether the fan already bought a PPV media item: check before offering it.",
    args=AlreadyPurchasedArgs,
    kind="read",
    run=check_already_purchased,
)
