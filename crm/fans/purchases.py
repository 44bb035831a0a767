"""What a fan bought (fan_transactions): the history, newest first, and the PPV they own."""

from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from db.rows import fetch_all, fetch_one

# The fan's PPV purchases of one media item, latest first; {media} is a parameter or a column.
PPV_PURCHASES = sql.SQL("""
SELECT t.occurred_at AS purchased_at, t.amount
FROM fan_transactions t
WHERE t.fan_id = %(fan_id)s AND t.kind = 'ppv' AND t.media_id = {media}
ORDER BY t.occurred_at DESC, t.id
""")

# Whether the fan {fan} (a column) bought the media {media} (a parameter or a column): a
# purchase naming it that is not a refund or a chargeback (segment rules, broadcast exclusions).
BOUGHT_MEDIA = sql.SQL("""EXISTS (
    SELECT 1 FROM fan_transactions bought
    WHERE bought.fan_id = {fan} AND bought.media_id = {media}
      AND bought.kind NOT IN ('refund', 'chargeback'))""")

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


def ppv_purchase(
    conn: psycopg.Connection[Any], fan_id: UUID, media_id: UUID
) -> dict[str, Any] | None:
    """The fan's latest PPV purchase of the media (purchased_at, amount), or None."""
    return fetch_one(conn, SELECT_PPV_PURCHASE, {"fan_id": fan_id, "media_id": media_id})


def purchase_history(
    conn: psycopg.Connection[Any], fan_id: UUID, limit: int
) -> list[dict[str, Any]]:
    """The fan's purchases (subscriptions, tips, PPV, customs, refunds), newest first."""
    return fetch_all(conn, SELECT_HISTORY, {"fan_id": fan_id, "limit": limit})
