"""The CRM inbox: six priority tabs over the creator's fans, each entry with its
supporter segment badge, priority score (supporters.py) and the conversation's last message.

    awaiting_reply  the fan wrote last, unanswered     messages of the last 30 days first (an
                                                       older one is no longer a conversation to
                                                       pick up first), then VIPs, then
                                                       conversion probability, then the longest
                                                       waiting
    vip             lifetime spend >= $1,000           lifetime spend, highest first (top 10)
    hot_leads       conversion probability >= 70%      conversion probability, highest first
    all             every fan with a purchase          last engagement, latest first
    dormant         last engagement 7 to 30 days ago   last engagement, latest first
    new             first purchase in the last 30 days joined, newest first

"Wrote last" is crm.conversation's AWAITING_REPLY, as the fan list has it: the last message
received, queued or sent (drafts do not count) up to as_of is the fan's.

The tab's members and order come from fan_profiles, fan_activity and fan_scores (so a fan shows
once scored: refresh_fan or the recompute); the figures that need the ledgers (spend of the last
30 and 7 days, unread messages, the last message) are looked up for the page's fans only, and the
tab's size only when asked. Only the display name identifies a fan: no real name, email, phone,
city or country.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from pydantic import BaseModel, Field

from crm.conversation import AWAITING_REPLY, LATEST_MESSAGE
from crm.intelligence.clock import resolve
from crm.intelligence.supporters import (
    COLD_AFTER,
    DORMANT_AFTER,
    HOT_LEAD_MIN,
    ONLINE_WITHIN,
    VIP_MIN_SPEND,
    SupporterSegment,
    priority_score,
    segment_of,
)


class InboxTab(StrEnum):
    AWAITING_REPLY = "awaiting_reply"
    VIP = "vip"
    HOT_LEADS = "hot_leads"
    ALL = "all"
    DORMANT = "dormant"
    NEW = "new"


DEFAULT_LIMIT = {InboxTab.VIP: 10}  # "top 10 supporters"; other tabs: 50
NEW_WITHIN_DAYS = 30
PREVIEW_CHARS = 160

# (condition, order) per tab; the parameters are those of `_params`.
_TABS: dict[InboxTab, tuple[sql.Composable, sql.Composable]] = {
    InboxTab.AWAITING_REPLY: (
        AWAITING_REPLY,
        sql.SQL(
            "latest.created_at > %(as_of)s - %(cold)s DESC, p.lifetime_spend >= %(vip)s DESC,"
            " s.upsell_readiness DESC, latest.created_at, p.id"
        ),
    ),
    InboxTab.VIP: (sql.SQL("p.lifetime_spend >= %(vip)s"), sql.SQL("p.lifetime_spend DESC, p.id")),
    InboxTab.HOT_LEADS: (
        sql.SQL("s.upsell_readiness >= %(hot)s"),
        sql.SQL("s.upsell_readiness DESC, p.lifetime_spend DESC, p.id"),
    ),
    InboxTab.ALL: (
        sql.SQL("p.purchase_count > 0"),
        sql.SQL("a.last_active_at DESC NULLS LAST, a.fan_id"),
    ),
    InboxTab.DORMANT: (
        sql.SQL(
            "a.last_active_at <= %(as_of)s - %(dormant)s"
            " AND a.last_active_at > %(as_of)s - %(cold)s"
        ),
        sql.SQL("a.last_active_at DESC NULLS LAST, a.fan_id"),
    ),
    InboxTab.NEW: (
        sql.SQL(
            "p.first_purchase_at > %(as_of)s - %(new_days)s * interval '1 day'"
            " AND p.first_purchase_at <= %(as_of)s"
        ),
        sql.SQL("p.created_at DESC, p.id"),
    ),
}
_READS_LATEST = {InboxTab.AWAITING_REPLY}  # its condition reads the fan's last message

# The creator's scored fans (every fan once recompute_creator or refresh_fan has seen it), with
# their last message ({latest}) when the condition reads it.
_FROM = """
FROM fan_profiles p
JOIN fan_activity a ON a.fan_id = p.id
JOIN fan_scores s ON s.fan_id = p.id
{latest}
WHERE {condition}
"""

_PAGE = """
WITH page AS (
    SELECT p.id AS fan_id, p.display_name, p.relationship_stage AS stage, p.temperature,
           p.lifetime_spend, p.created_at AS joined_at, p.deprioritized_until,
           a.last_active_at, a.last_inbound_at,
           s.upsell_readiness AS conversion
    {source}
    ORDER BY {order}
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT page.*, money.spend_30d, money.spend_7d, money.buys_7d, unread.messages AS unread,
       {awaiting} AS awaiting_reply, latest.direction AS last_direction,
       latest.body AS last_text, latest.created_at AS last_at
FROM page
CROSS JOIN LATERAL (
    SELECT coalesce(sum(t.amount), 0) AS spend_30d,
           coalesce(sum(t.amount) FILTER (WHERE t.occurred_at > %(as_of)s - interval '7 days'),
                    0) AS spend_7d,
           count(*) FILTER (WHERE t.occurred_at > %(as_of)s - interval '7 days'
                            AND t.kind IN ('tip', 'ppv', 'custom', 'paid_message')) AS buys_7d
    FROM fan_transactions t
    WHERE t.fan_id = page.fan_id AND t.kind NOT IN ('refund', 'chargeback')
      AND t.occurred_at > %(as_of)s - interval '30 days' AND t.occurred_at <= %(as_of)s
) money
CROSS JOIN LATERAL (
    SELECT count(*) AS messages
    FROM fan_messages m
    WHERE m.fan_id = page.fan_id AND m.direction = 'inbound' AND m.created_at <= %(as_of)s
      AND m.created_at > coalesce((
          SELECT max(o.created_at) FROM fan_messages o
          WHERE o.fan_id = page.fan_id AND o.direction = 'outbound' AND o.status = 'sent'
            AND o.created_at <= %(as_of)s), '-infinity')
) unread
{page_latest}
"""
_COUNT = "SELECT count(*) {source}"
_TOTALS = "SELECT {counts} {source}"


def _latest_of(fan: str) -> sql.Composed:
    return LATEST_MESSAGE.format(fan=sql.SQL(fan), until=sql.Placeholder("as_of"))


class LastMessage(BaseModel):
    direction: Literal["inbound", "outbound"]
    text: str = Field(max_length=PREVIEW_CHARS, description="cut on a word, ending in …")
    at: datetime


class InboxEntry(BaseModel):
    fan_id: UUID
    display_name: str
    segment: SupporterSegment
    stage: str
    temperature: str | None
    lifetime_spend: Decimal
    spend_30d: Decimal
    spend_7d: Decimal
    last_active_at: datetime | None
    joined_at: datetime
    unread: int = Field(description="inbound messages since the creator's last sent message")
    online: bool
    conversion_probability: int = Field(ge=0, le=100)
    priority_score: int = Field(ge=0, le=150)
    deprioritized: bool
    awaiting_reply: bool = Field(description="the fan wrote last and nobody answered yet")
    last_message: LastMessage | None = Field(description="as the fan saw it (no drafts)")


class InboxPage(BaseModel):
    tab: InboxTab
    as_of: datetime
    offset: int
    entries: list[InboxEntry]
    has_more: bool
    total: int | None = Field(default=None, description="fans in the tab, when counted")


class TabTotal(BaseModel):
    tab: InboxTab
    total: int


def inbox(
    conn: psycopg.Connection[Any],
    tab: InboxTab,
    *,
    as_of: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
    count: bool = False,
) -> InboxPage:
    """One page of the tab for the current creator (call inside its creator_scope); with
    `count`, also how many fans the tab holds (a scan of them all on the larger tabs)."""
    moment = resolve(as_of)
    condition, order = _TABS[tab]
    size = limit if limit is not None else DEFAULT_LIMIT.get(tab, 50)
    params = {**_params(moment), "limit": size + 1, "offset": offset}  # one more: a next page?
    latest = _latest_of("p.id") if tab in _READS_LATEST else sql.SQL("")
    source = sql.SQL(_FROM).format(latest=latest, condition=condition)
    page = sql.SQL(_PAGE).format(
        source=source, order=order, awaiting=AWAITING_REPLY, page_latest=_latest_of("page.fan_id")
    )
    counting = sql.SQL(_COUNT).format(source=source)
    total = None
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(page, params).fetchall()
        if count:
            found = cursor.execute(counting, params).fetchone()
            total = int(found["count"]) if found else 0
    return InboxPage(
        tab=tab,
        as_of=moment,
        offset=offset,
        entries=[_entry(row, moment) for row in rows[:size]],
        has_more=len(rows) > size,
        total=total,
    )


def tab_totals(conn: psycopg.Connection[Any], *, as_of: datetime | None = None) -> list[TabTotal]:
    """How many fans each tab holds, in the tabs' order (one scan of the creator's fans)."""
    counts = sql.SQL(", ").join(
        sql.SQL("count(*) FILTER (WHERE {condition}) AS {tab}").format(
            condition=condition, tab=sql.Identifier(tab.value)
        )
        for tab, (condition, _) in _TABS.items()
    )
    source = sql.SQL(_FROM).format(latest=_latest_of("p.id"), condition=sql.SQL("true"))
    statement = sql.SQL(_TOTALS).format(counts=counts, source=source)
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(statement, _params(resolve(as_of))).fetchone()
    assert row is not None
    return [TabTotal(tab=tab, total=row[tab.value]) for tab in InboxTab]


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """`text` on one line, at most `limit` characters: cut after a whole word, with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def _params(as_of: datetime) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "vip": VIP_MIN_SPEND,
        "hot": HOT_LEAD_MIN,
        "dormant": DORMANT_AFTER,
        "cold": COLD_AFTER,
        "new_days": NEW_WITHIN_DAYS,
    }


def _entry(row: dict[str, Any], as_of: datetime) -> InboxEntry:
    conversion = float(row["conversion"])
    last_inbound = row["last_inbound_at"]
    online = last_inbound is not None and as_of - last_inbound < ONLINE_WITHIN
    segment = segment_of(row["lifetime_spend"], conversion, row["last_active_at"], as_of)
    deprioritized_until = row["deprioritized_until"]
    return InboxEntry(
        fan_id=row["fan_id"],
        display_name=row["display_name"],
        segment=segment,
        stage=row["stage"],
        temperature=row["temperature"],
        lifetime_spend=row["lifetime_spend"],
        spend_30d=row["spend_30d"],
        spend_7d=row["spend_7d"],
        last_active_at=row["last_active_at"],
        joined_at=row["joined_at"],
        unread=row["unread"],
        online=online,
        conversion_probability=round(100 * conversion),
        priority_score=priority_score(
            conversion,
            online=online,
            vip=segment == "vip",
            waiting_reply=row["unread"] > 0,
            bought_last_7_days=row["buys_7d"] > 0,
        ),
        deprioritized=deprioritized_until is not None and deprioritized_until > as_of,
        awaiting_reply=row["awaiting_reply"],
        last_message=None
        if row["last_at"] is None
        else LastMessage(
            direction=row["last_direction"], text=preview(row["last_text"]), at=row["last_at"]
        ),
    )
