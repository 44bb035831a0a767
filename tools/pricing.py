"""Suggesting a PPV price for the fan of the run (crm/intelligence/pricing.py): from the fan's
spend tier, recent activity and average order value, bounded around the item's list price, with
the reasons, and whether the fan already owns the item (check_already_purchased). A PPV offer's
price must be inside those bounds (check_ppv_offer)."""

from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from crm.intelligence.errors import NotFound
from crm.intelligence.pricing import PriceSuggestion, suggest_price
from db.rows import jsonable
from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.media import AlreadyPurchasedArgs, MediaId, check_already_purchased, require_offerable
from tools.messages import SendPpvOfferArgs, check_send_ppv_offer


class SuggestPriceArgs(ToolArgs):
    media_id: MediaId


def check_ppv_offer(conn: psycopg.Connection[Any], ctx: RunContext, args: SendPpvOfferArgs) -> None:
    """The media is the creator's and not the fan's yet; the price is inside the pricing
    engine's bounds for the item (half to twice its list price, see suggest_price); the message
    passes the outbound guard."""
    check_send_ppv_offer(conn, ctx, args)
    require_offerable(conn, ctx.fan_id, args.media_id)
    suggestion = _suggestion(conn, ctx.fan_id, args.media_id)
    if not suggestion.min_price <= Decimal(str(args.price)) <= suggestion.max_price:
        raise ToolError(
            f"the price ${args.price:.2f} is outside the range for {suggestion.title}, "
            f"${suggestion.min_price:.2f} to ${suggestion.max_price:.2f}; suggest_ppv_price "
            f"suggests ${suggestion.suggested_price} for this fan"
        )


def suggest_ppv_price(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SuggestPriceArgs
) -> ToolResult:
    owned = check_already_purchased(conn, ctx, AlreadyPurchasedArgs(media_id=args.media_id))
    suggestion = _suggestion(conn, ctx.fan_id, args.media_id)
    result: ToolResult = jsonable(
        suggestion.model_dump(
            include={
                "media_id", "title", "list_price", "suggested_price", "min_price", "max_price",
                "offer", "explanation",
            }
        )
    )  # fmt: skip
    result["factors"] = [factor.model_dump() for factor in suggestion.factors]
    result.update(
        already_purchased=owned["purchased"],
        purchased_at=owned["purchased_at"],
        amount_paid=owned["amount_paid"],
    )
    return result


def _suggestion(conn: psycopg.Connection[Any], fan_id: UUID, media_id: UUID) -> PriceSuggestion:
    try:
        return suggest_price(conn, fan_id, media_id)
    except NotFound as error:
        raise ToolError(str(error)) from error


SUGGEST_PRICE_TOOL = Tool(
    name="suggest_ppv_price",
    description="A PPV price for this fan and one media item (USD), from the fan's spend tier, "
    "recent activity and average order value, kept between half and twice the list price, "
    "with the reasons; says whether the fan already bought it (then do not offer it).",
    args=SuggestPriceArgs,
    kind="read",
    run=suggest_ppv_price,
)
