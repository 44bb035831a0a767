"""Reading what the fan bought (crm/fans/purchases.py): the history."""

from typing import Any

import psycopg

from crm.fans.purchases import purchase_history
from tools.base import RunContext, Tool, ToolArgs, ToolResult
from tools.fields import Limit


class PurchaseHistoryArgs(ToolArgs):
    limit: Limit = 10


def get_purchase_history(
    conn: psycopg.Connection[Any], ctx: RunContext, args: PurchaseHistoryArgs
) -> ToolResult:
    return {"purchases": purchase_history(conn, ctx.fan_id, args.limit)}


PURCHASE_HISTORY_TOOL = Tool(
    name="get_purchase_history",
    description="The fan's purchases, newest first: subscriptions, tips, PPV media, customs, "
    "refunds and chargebacks, with amounts and dates.",
    args=PurchaseHistoryArgs,
    kind="read",
    run=get_purchase_history,
)
