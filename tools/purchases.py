"""Reading what the fan bought (fan_transactions): the history, and the PPV they own."""

from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from tools.base import RunContext, Tool, ToolArgs, ToolResult
from tools.fields import Limit
from tools.rows import fetch_all, fetch_one

# The fan's PPV purchases of one media item, latest first; {media} is a parameter or a column.
PPV_PURCHASES = sql.SQL("""
SELECT t.occurred_at AS purchased_at, t.amount
FROM fan_transactions t
WHERE t.fan_id = %(fan_id)s AND t.kind = 'ppv' AND t.media_id = {media}
ORDER BY t.occurred_at DESC, t.id
""")

SELECT_HISTORY = """
SELECT t.id AS transaction_id, t.kind, t.amount, t.currency, t.occurred_at,
       t.media_id, m.title AS media_title, t.custom_request_id
FROM fan_transactions t
LEFT JOIN media_assets m ON m.id = t.media_id
WHERE t.fan_id = %(fan_id)s
ORDER BY t.occurred_at DESC, t.id
LIMIT %(limit)s
"""
SELECT_PPV_PURCHASE = PPV_PURCHASES.format(media=sql.Placeholder("media_id"))


class PurchaseHistoryArgs(ToolArgs):
    limit: Limit = 10


def ppv_purchase(
    conn: psycopg.Connection[Any], fan_id: UUID, media_id: UUID
) -> dict[str, Any] | None:
    """The fan's latest PPV purchase of the media (purchased_at, amount), or None."""
    return fetch_one(conn, SELECT_PPV_PURCHASE, {"fan_id": fan_id, "media_id": media_id})


def get_purchase_history(
    conn: psycopg.Connection[Any], ctx: RunContext, args: PurchaseHistoryArgs
) -> ToolResult:
    params = {"fan_id": ctx.fan_id, "limit": args.limit}
    return {"purchases": fetch_all(conn, SELECT_HISTORY, params)}


PURCHASE_HISTORY_TOOL = Tool(
    name="get_purchase_history",
    description="The fan's purchases, newest first: subscriptions, tips, PPV media, customs, "
    "refunds and chargebacks, with amounts and dates.",
    args=PurchaseHistoryArgs,
    kind="read",
    run=get_purchase_history,
)
