"""fan_activity: what each fan last did and the subscription that gives access now, one row per
fan, rewritten from the facts table (facts.py) where it changed.

Only timestamps and current state are stored, never counts over a window, so a condition such
as "no PPV bought in the last 30 days" is decided at query time against as_of and the row stays
true as time passes. Segments, the inbox, alerts and pricing read it instead of the ledgers.
"""

from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from crm.intelligence.facts import FACTS

# What a timed collection has (facts.py); a full one adds the creator's messages and the
# platforms, which only events change.
TIMED_COLUMNS = (
    "last_active_at", "last_inbound_at", "last_buy_at", "last_ppv_at", "last_tip_at",
    "last_custom_at", "has_subscriptions", "subscribed_since", "access_until", "renews_at",
    "subscription_tier", "subscription_status",
)  # fmt: skip
COLUMNS = (*TIMED_COLUMNS, "last_outbound_at", "platforms")

# New fans get a row, changed rows are rewritten, unchanged ones are left alone. (An anti-join
# against fan_activity itself would be planned as a nested loop over an empty table on a first
# load and rescan the pages this statement is adding: quadratic.)
_UPSERT = """
INSERT INTO fan_activity AS x (fan_id, creator_id, {columns}, computed_at)
SELECT f.fan_id, f.creator_id, {values}, %(as_of)s
FROM {facts} f
ON CONFLICT (fan_id) DO UPDATE SET ({columns}, computed_at) = ({excluded}, excluded.computed_at)
WHERE ({current}) IS DISTINCT FROM ({excluded})
"""


def _upsert(columns: tuple[str, ...]) -> sql.Composed:
    def listed(prefix: str) -> sql.Composable:
        return sql.SQL(", ").join(
            sql.SQL(prefix).format(sql.Identifier(column)) for column in columns
        )

    return sql.SQL(_UPSERT).format(
        columns=listed("{}"),
        values=listed("f.{}"),
        excluded=listed("excluded.{}"),
        current=listed("x.{}"),
        facts=sql.Identifier(FACTS),
    )


_STATEMENTS = {True: _upsert(COLUMNS), False: _upsert(TIMED_COLUMNS)}


def update(conn: psycopg.Connection[Any], as_of: datetime, *, full: bool = True) -> int:
    """Writes the activity row of every fan in the facts table that is new or changed (the
    columns a timed collection has, or all); returns how many were written."""
    return conn.execute(_STATEMENTS[full], {"as_of": as_of}).rowcount
