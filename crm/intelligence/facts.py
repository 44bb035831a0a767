"""Per-fan facts, aggregated set-based from the ledgers in one pass each: fan_transactions,
fan_messages, fan_subscription_events, fan_subscriptions and fan_platform_accounts.

`collect` writes them into a temporary table (FACTS, dropped at commit) for every fan of the
current creator, or for the fans given; the profile figures, fan_activity, the temperature, the
stage machine and the scores all read that table, so each ledger is scanned once per recompute.
A timed collection (full=False, the periodic recompute's) gathers only what the temperature,
the stages and the scores need, reading the fan's own messages through their partial index; a
full one adds every event-derived figure. Only rows at or before `as_of` count.
Definitions shared by everything downstream:

- purchase: a transaction of kind subscription, tip, ppv, custom or paid_message. Refunds and
  chargebacks are rows of their own and do not reduce spend (as in the demo data);
- buy: a purchase beyond the subscription (tip, ppv, custom, paid_message), one the fan chose;
- message: a fan_messages row the fan received or sent (drafts, queued and failed ones are not);
- engagement (last_active_at): the latest inbound message, buy, or subscription the fan started
  (subscribed, resubscribed, trial_started, trial_converted); rebills are passive and do not count;
- access: a subscription in trial or active, or cancelled and paid up (ended_at, else renews_at,
  after as_of); `lapsed` is no access for a fan with subscriptions, and 90 days without
  engagement for a fan without any (a creator whose platform has no subscription rows);
- a PPV offer converts when the fan buys that media item within 7 days after it was sent;
- active months: of the last six 30-day buckets before as_of, those with an inbound message or
  a buy (for loyalty's consistency).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString
from uuid import UUID

import psycopg
from psycopg import sql

FACTS = "intelligence_fan_facts"  # the temporary table
LAPSED_WITHOUT_SUBSCRIPTION_DAYS = 90
OFFER_CONVERSION_DAYS = 7

# The parts both kinds of collection share. {full_*} are empty in a timed collection.
_COLLECT = """
CREATE TEMPORARY TABLE intelligence_fan_facts ON COMMIT DROP AS
WITH fans AS (
    SELECT p.id AS fan_id, p.creator_id, p.created_at, p.relationship_stage, p.stage_updated_at,
           p.ppv_conversion_rate AS stored_conversion_rate, p.temperature AS stored_temperature
    FROM fan_profiles p
    WHERE true {fans_p}
),
tx AS (
    SELECT t.fan_id,
        sum(t.amount) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback')) AS lifetime_spend,
        count(*) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback')) AS purchase_count,
        max(t.occurred_at) FILTER (WHERE t.kind IN ('tip', 'ppv', 'custom', 'paid_message'))
            AS last_buy_at,
        max(t.occurred_at) FILTER (WHERE t.kind = 'ppv') AS last_ppv_at,
        max(t.occurred_at) FILTER (WHERE t.kind = 'tip') AS last_tip_at,
        max(t.occurred_at) FILTER (WHERE t.kind = 'custom') AS last_custom_at,
        count(*) FILTER (WHERE t.kind IN ('tip', 'ppv', 'custom', 'paid_message')
            AND t.occurred_at > %(as_of)s - interval '90 days') AS buys_90d,
        sum(t.amount) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback')
            AND t.occurred_at > %(as_of)s - interval '90 days') AS spend_90d,
        sum(t.amount) FILTER (WHERE t.kind IN ('tip', 'ppv', 'custom', 'paid_message')
            AND t.occurred_at > %(as_of)s - interval '30 days') AS buy_spend_30d,
        sum(t.amount) FILTER (WHERE t.kind IN ('tip', 'ppv', 'custom', 'paid_message')
            AND t.occurred_at > %(as_of)s - interval '90 days'
            AND t.occurred_at <= %(as_of)s - interval '30 days') AS buy_spend_30_90d,
        bit_or(1 << floor(date_part('epoch', %(as_of)s - t.occurred_at) / 2592000)::integer)
            FILTER (WHERE t.kind IN ('tip', 'ppv', 'custom', 'paid_message')
            AND t.occurred_at > %(as_of)s - interval '180 days') AS month_bits
        {full_tx}
    FROM fan_transactions t
    WHERE t.occurred_at <= %(as_of)s {fans_t}
    GROUP BY t.fan_id
),
inbound AS (
    SELECT m.fan_id,
        count(*) AS inbound_count,
        max(m.created_at) AS last_inbound_at,
        count(*) FILTER (WHERE m.created_at > %(as_of)s - interval '30 days') AS inbound_30d,
        count(*) FILTER (WHERE m.created_at > %(as_of)s - interval '60 days'
                         AND m.created_at <= %(as_of)s - interval '30 days') AS inbound_prev_30d,
        bit_or(1 << floor(date_part('epoch', %(as_of)s - m.created_at) / 2592000)::integer)
            FILTER (WHERE m.created_at > %(as_of)s - interval '180 days') AS month_bits
    FROM fan_messages m
    WHERE m.direction = 'inbound' AND m.created_at <= %(as_of)s {fans_m}
    GROUP BY m.fan_id
),
{full_msg}{full_ctes}
ev AS (
    SELECT e.fan_id,
        count(*) FILTER (WHERE e.event_type IN ('rebilled', 'trial_converted')) AS renewals,
        count(*) FILTER (WHERE e.event_type = 'expired') AS expirations,
        max(e.occurred_at) FILTER (WHERE e.event_type IN
            ('subscribed', 'resubscribed', 'trial_started', 'trial_converted')) AS last_start_at
    FROM fan_subscription_events e
    WHERE e.occurred_at <= %(as_of)s {fans_e}
    GROUP BY e.fan_id
),
subs AS (
    SELECT s.fan_id,
        bool_or(a.access) AS has_access,
        bool_or(s.status IN ('trial', 'active') AND s.auto_renew) AS renewing,
        min(s.started_at) FILTER (WHERE a.access) AS subscribed_since,
        CASE WHEN NOT bool_or(s.status IN ('trial', 'active'))
             THEN max(coalesce(s.ended_at, s.renews_at)) FILTER (WHERE a.access) END
            AS access_until,
        min(s.renews_at) FILTER (WHERE s.status IN ('trial', 'active')) AS renews_at,
        CASE WHEN NOT bool_or(a.access)
             THEN max(coalesce(s.ended_at, s.renews_at, s.updated_at)) END AS lapsed_since,
        (array_agg(s.tier ORDER BY s.price DESC, s.started_at) FILTER (WHERE a.access))[1]
            AS subscription_tier,
        CASE WHEN bool_or(s.status = 'active') THEN 'active'
             WHEN bool_or(s.status = 'trial') THEN 'trial'
             WHEN bool_or(s.status = 'cancelled') THEN 'cancelled'
             ELSE 'expired' END AS subscription_status
    FROM fan_subscriptions s
    CROSS JOIN LATERAL (
        SELECT s.status IN ('trial', 'active')
            OR (s.status = 'cancelled' AND coalesce(s.ended_at, s.renews_at) > %(as_of)s)
    ) a (access)
    WHERE true {fans_s}
    GROUP BY s.fan_id
)
SELECT f.fan_id, f.creator_id, f.created_at, f.relationship_stage, f.stage_updated_at,
    f.stored_temperature,
    coalesce(tx.lifetime_spend, 0)::numeric(12, 2) AS lifetime_spend,
    coalesce(tx.purchase_count, 0)::integer AS purchase_count,
    tx.last_buy_at, tx.last_ppv_at, tx.last_tip_at, tx.last_custom_at,
    coalesce(tx.buys_90d, 0) AS buys_90d, coalesce(tx.spend_90d, 0) AS spend_90d,
    coalesce(tx.buy_spend_30d, 0) AS buy_spend_30d,
    coalesce(tx.buy_spend_30_90d, 0) AS buy_spend_30_90d,
    coalesce(inbound.inbound_count, 0) AS inbound_count, inbound.last_inbound_at,
    coalesce(inbound.inbound_30d, 0) AS inbound_30d,
    coalesce(inbound.inbound_prev_30d, 0) AS inbound_prev_30d,
    bit_count((coalesce(tx.month_bits, 0) | coalesce(inbound.month_bits, 0))::bit(6))
        AS active_months,
    coalesce(ev.renewals, 0) AS renewals, coalesce(ev.expirations, 0) AS expirations,
    subs.fan_id IS NOT NULL AS has_subscriptions,
    coalesce(subs.has_access, false) AS has_access,
    coalesce(subs.renewing, false) AS renewing,
    subs.subscribed_since, subs.access_until, subs.renews_at, subs.subscription_tier,
    subs.subscription_status,
    greatest(inbound.last_inbound_at, tx.last_buy_at, ev.last_start_at) AS last_active_at,
    CASE WHEN subs.fan_id IS NOT NULL THEN subs.lapsed_since
         ELSE coalesce(greatest(inbound.last_inbound_at, tx.last_buy_at, ev.last_start_at),
                       f.created_at) + %(lapsed_days)s * interval '1 day'
    END AS lapsed_since,
    CASE WHEN subs.fan_id IS NOT NULL THEN NOT subs.has_access
         ELSE coalesce(greatest(inbound.last_inbound_at, tx.last_buy_at, ev.last_start_at),
                       f.created_at) <= %(as_of)s - %(lapsed_days)s * interval '1 day'
    END AS lapsed,
    {conversion} AS ppv_conversion_rate
    {full_columns}
FROM fans f
LEFT JOIN tx ON tx.fan_id = f.fan_id
LEFT JOIN inbound ON inbound.fan_id = f.fan_id
LEFT JOIN ev ON ev.fan_id = f.fan_id
LEFT JOIN subs ON subs.fan_id = f.fan_id
{full_joins}
"""

# What only a full collection computes: the figures that change only with new events.
_FULL_TX = """,
        max(t.amount) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback')) AS biggest_purchase,
        min(t.occurred_at) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback'))
            AS first_purchase_at,
        max(t.occurred_at) FILTER (WHERE t.kind NOT IN ('refund', 'chargeback'))
            AS last_purchase_at,
        -- [when, amount, kind]: the latest purchase (on a tie, the larger one)
        max(ARRAY[date_part('epoch', t.occurred_at), t.amount::float8,
                  array_position('{subscription,tip,ppv,custom,paid_message}'::text[], t.kind)])
            FILTER (WHERE t.kind NOT IN ('refund', 'chargeback')) AS last_purchase,
        sum(t.amount) FILTER (WHERE t.kind IN ('ppv', 'paid_message')) AS ppv_spend,
        sum(t.amount) FILTER (WHERE t.kind = 'tip') AS tip_spend,
        sum(t.amount) FILTER (WHERE t.kind = 'custom') AS custom_spend,
        bool_or(t.kind = 'chargeback') AS chargeback"""

_FULL_MSG = """
msg AS (
    SELECT m.fan_id,
        count(*) AS message_count,
        max(m.created_at) AS last_message_at,
        max(m.created_at) FILTER (WHERE m.direction = 'outbound') AS last_outbound_at,
        round(avg(m.response_seconds))::integer AS avg_reply_seconds,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.sentiment > real '0.2')
            AS positive_count,
        -- [when, sentiment] of the latest inbound message (on a tie, the happier one)
        max(ARRAY[date_part('epoch', m.created_at), m.sentiment])
            FILTER (WHERE m.direction = 'inbound') AS last_inbound
    FROM fan_messages m
    WHERE m.status IN ('received', 'sent') AND m.created_at <= %(as_of)s {fans_m}
    GROUP BY m.fan_id
),"""

_FULL_CTES = """
hours AS (
    SELECT ranked.fan_id, array_agg(ranked.hour ORDER BY ranked.hour) AS active_hours
    FROM (
        SELECT per_hour.fan_id, per_hour.hour,
               row_number() OVER (PARTITION BY per_hour.fan_id
                                  ORDER BY per_hour.n DESC, per_hour.hour) AS place
        FROM (
            SELECT m.fan_id, date_part('hour', m.created_at AT TIME ZONE 'UTC')::smallint AS hour,
                   count(*) AS n
            FROM fan_messages m
            WHERE m.direction = 'inbound' AND m.status = 'received'
              AND m.created_at <= %(as_of)s {fans_m}
            GROUP BY 1, 2
        ) per_hour
    ) ranked
    WHERE ranked.place <= 3
    GROUP BY ranked.fan_id
),
offers AS (
    SELECT o.fan_id, count(*) AS offered,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM fan_transactions b
               WHERE b.fan_id = o.fan_id AND b.media_id = o.media_id AND b.kind = 'ppv'
                 AND b.occurred_at >= o.created_at
                 AND b.occurred_at <= o.created_at + %(conversion_days)s * interval '1 day'
                 AND b.occurred_at <= %(as_of)s)) AS converted
    FROM fan_messages o
    WHERE o.direction = 'outbound' AND o.status = 'sent' AND o.media_id IS NOT NULL
      AND o.price IS NOT NULL AND o.created_at <= %(as_of)s {fans_o}
    GROUP BY o.fan_id
),
accounts AS (
    SELECT pa.fan_id, array_agg(DISTINCT pa.platform ORDER BY pa.platform) AS platforms
    FROM fan_platform_accounts pa
    WHERE true {fans_a}
    GROUP BY pa.fan_id
),"""

_FULL_COLUMNS = """,
    round(tx.lifetime_spend / nullif(tx.purchase_count, 0), 2)::numeric(12, 2) AS avg_order_value,
    tx.biggest_purchase, tx.first_purchase_at, tx.last_purchase_at,
    ('{subscription,tip,ppv,custom,paid_message}'::text[])[tx.last_purchase[3]::integer]
        AS last_purchase_kind,
    tx.last_purchase[2]::numeric(12, 2) AS last_purchase_amount,
    coalesce(tx.ppv_spend, 0) AS ppv_spend, coalesce(tx.tip_spend, 0) AS tip_spend,
    coalesce(tx.custom_spend, 0) AS custom_spend,
    coalesce(tx.chargeback, false) AS chargeback,
    coalesce(msg.message_count, 0)::integer AS message_count, msg.last_message_at,
    msg.last_outbound_at, msg.avg_reply_seconds,
    round(msg.positive_count::numeric / nullif(inbound.inbound_count, 0), 3)::real
        AS positive_message_ratio,
    msg.last_inbound[2]::real AS last_sentiment,
    coalesce(hours.active_hours, '{}') AS active_hours,
    coalesce(offers.offered, 0) AS ppv_offers,
    coalesce(accounts.platforms, '{}') AS platforms"""

_FULL_JOINS = """
LEFT JOIN msg ON msg.fan_id = f.fan_id
LEFT JOIN hours ON hours.fan_id = f.fan_id
LEFT JOIN offers ON offers.fan_id = f.fan_id
LEFT JOIN accounts ON accounts.fan_id = f.fan_id"""

_FULL_CONVERSION = "round(offers.converted::numeric / nullif(offers.offered, 0), 3)::real"

_FAN_FILTERS: dict[str, LiteralString] = {
    "fans_p": "p.id",
    "fans_t": "t.fan_id",
    "fans_m": "m.fan_id",
    "fans_o": "o.fan_id",
    "fans_e": "e.fan_id",
    "fans_s": "s.fan_id",
    "fans_a": "pa.fan_id",
}


def collect(
    conn: psycopg.Connection[Any],
    as_of: datetime,
    fan_ids: Sequence[UUID] | None = None,
    *,
    full: bool = True,
) -> int:
    """Fills the FACTS table for the current creator's fans (all, or `fan_ids`); returns how
    many fans it holds. Call inside the creator's scope; the table lives until commit.

    A full collection has everything; a timed one (full=False) only what time changes: the
    inputs of the temperature, the stages and the scores (the PPV conversion rate is then the
    profile's stored figure), which is what the periodic recompute needs."""
    conn.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(sql.Identifier(FACTS)))
    params = {
        "as_of": as_of,
        "fan_ids": fan_ids,
        "conversion_days": OFFER_CONVERSION_DAYS,
        "lapsed_days": LAPSED_WITHOUT_SUBSCRIPTION_DAYS,
    }
    conn.execute(_collect_statement(fan_ids is not None, full), params)
    # Row counts for the planner; the other columns' statistics would cost more than they help.
    conn.execute(sql.SQL("ANALYZE {} (fan_id)").format(sql.Identifier(FACTS)))
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(FACTS))).fetchone()
    return int(row[0]) if row else 0


def _collect_statement(filtered: bool, full: bool) -> sql.Composed:
    only = sql.SQL(" AND {} = ANY(%(fan_ids)s)")
    filters = {
        name: only.format(sql.SQL(column)) if filtered else sql.SQL("")
        for name, column in _FAN_FILTERS.items()
    }
    parts: dict[str, sql.Composable] = {
        "full_tx": sql.SQL(_FULL_TX if full else ""),
        "full_msg": sql.SQL(_FULL_MSG).format(**filters) if full else sql.SQL(""),
        "full_ctes": sql.SQL(_FULL_CTES).format(**filters) if full else sql.SQL(""),
        "full_columns": sql.SQL(_FULL_COLUMNS if full else ""),
        "full_joins": sql.SQL(_FULL_JOINS if full else ""),
        "conversion": sql.SQL(_FULL_CONVERSION if full else "f.stored_conversion_rate"),
    }
    return sql.SQL(_COLLECT).format(**filters, **parts)
