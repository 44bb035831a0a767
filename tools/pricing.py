"""Suggesting a PPV price for the fan of the run (crm/intelligence/pricing.py): from the fan's
spend tier, recent activity and average order value, bounded around the item's list price, with
the reasons, and whether the fan already owns the item (check_already_purchased)."""

from typing import Any

import psycopg

from crm.intelligence.errors import NotFound
from crm.intelligence.pricing import suggest_price
from db.rows import jsonable
from tools.base import RunContext, Tool, ToolArgs, ToolError, ToolResult
from tools.media import AlreadyPurchasedArgs, MediaId, check_already_purchased


class SuggestPriceArgs(ToolArgs):
    media_id: MediaId


def suggest_ppv_price(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SuggestPriceArgs
) -> ToolResult:
    owned = check_already_purchased(conn, ctx, AlreadyPurchasedArgs(media_id=args.media_id))
    try:
        suggestion = suggest_price(conn, ctx.fan_id, args.media_id)
    except NotFound as error:
        raise ToolError(str(error)) from error
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


SUGGEST_PRICE_TOOL = Tool(
    name="suggest_ppv_price",
    description="A PPV price for this fan and one media item (USD), from the fan's spend tier, "
    "recent activity and average order value, kept between half and twice the list price, "
    "with the reasons; says whether the fan already bought it (then do not offer it).",
    args=SuggestPriceArgs,
    kind="read",
    run=suggest_ppv_price,
)
