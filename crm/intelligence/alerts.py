"""Smart alerts, kept in fan_alerts, with a per-fan, per-type cooldown.

`generate` looks at fan_activity, fan_profiles and fan_scores (kept fresh by refresh_fan and
the recompute) at as_of and adds an alert when

    vip_active            urgent  a VIP (lifetime spend >= $1,000) engaged in the last hour
    hot_lead_active       high    a hot lead (conversion >= 70%), not a VIP, engaged in the
                                  last hour
    dormant_reactivation  medium  a fan engaged in the last hour after 7 days or more without
    spending_spike        high    buys of the last 7 days >= $50 and >= 3x the fan's usual week
                                  (the 12 weeks before)
    renewal_due           medium  a subscription renews, or a cancelled one runs out, within 3
                                  days, and the fan's churn risk is at least 0.5
    milestone             low     lifetime spend passed $100, $500, $1,000, $5,000 or $10,000
                                  with a purchase of the last 24 hours
    key_date              medium  a key date the fan told of (a birthday, an anniversary: the
                                  memory's recurs_on) comes within 3 days; once a year each

unless the fan got an alert of the same type within its cooldown (COOLDOWNS, at least one
hour), or, for milestones, was already congratulated on that amount. Generation holds a
per-creator advisory lock for the rest of its transaction, so two runs (the hourly one and a
webhook's refresh_fan) cannot both pass the cooldown check.
"""

from datetime import datetime, timedelta
from typing import Any, Literal, LiteralString
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import class_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from crm.intelligence.clock import resolve
from crm.intelligence.errors import NotFound
from crm.intelligence.supporters import HOT_LEAD_MIN, VIP_MIN_SPEND
from memory.store import UPCOMING_KEY_DATES, key_date_params

AlertType = Literal[
    "vip_active",
    "hot_lead_active",
    "dormant_reactivation",
    "spending_spike",
    "renewal_due",
    "milestone",
    "automation",  # raised by an automation rule's alert action (crm/automations)
    "key_date",
]
Priority = Literal["urgent", "high", "medium", "low"]
COOLDOWNS: dict[AlertType, timedelta] = {
    "vip_active": timedelta(hours=1),
    "hot_lead_active": timedelta(hours=1),
    "dormant_reactivation": timedelta(days=1),
    "spending_spike": timedelta(days=1),
    "renewal_due": timedelta(days=3),
    "milestone": timedelta(hours=1),
    "key_date": timedelta(hours=1),
}
ACTIVE_WINDOW = timedelta(hours=1)
DORMANT_GAP = timedelta(days=7)
SPIKE_MIN = 50
SPIKE_FACTOR = 3
RENEWAL_WITHIN = timedelta(days=3)
RENEWAL_MIN_CHURN = 0.5
MILESTONES = (100, 500, 1000, 5000, 10000)
MILESTONE_WINDOW = timedelta(hours=24)
KEY_DATE_WITHIN_DAYS = 3


class Alert(BaseModel):
    id: UUID
    fan_id: UUID
    type: AlertType
    priority: Priority
    message: str
    suggested_action: str
    metadata: dict[str, Any]
    created_at: datetime
    expires_at: datetime | None
    read_at: datetime | None
    dismissed_at: datetime | None


class ListedAlert(Alert):
    fan_name: str  # the fan's display name


ALERT_EXISTS: LiteralString = "SELECT 1 FROM fan_alerts WHERE id = %s"
_COLUMNS = sql.SQL(
    "id, fan_id, type, priority, message, suggested_action, metadata, created_at, expires_at,"
    " read_at, dismissed_at"
)

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(app_current_creator()::text, 7303026))"

_GENERATE = """
WITH key_dates AS MATERIALIZED (
    SELECT * FROM ({upcoming}) upcoming WHERE true {key_date_fans}
),
fans AS MATERIALIZED (
    -- Only fans something may be due for: engaged in the last hour, bought in the last week,
    -- a renewal or an end of access within the window, a purchase in the last day, a key date.
    SELECT p.id AS fan_id, p.creator_id, p.display_name, p.lifetime_spend,
           p.last_purchase_at, a.last_active_at, a.last_buy_at, a.renews_at, a.access_until,
           s.upsell_readiness AS conversion, s.churn_risk AS churn
    FROM fan_activity a
    JOIN fan_profiles p ON p.id = a.fan_id
    JOIN fan_scores s ON s.fan_id = a.fan_id
    WHERE (a.last_active_at > %(as_of)s - %(active_window)s
           OR a.last_buy_at > %(as_of)s - interval '7 days'
           OR coalesce(a.renews_at, a.access_until)
              BETWEEN %(as_of)s AND %(as_of)s + %(renewal_within)s
           OR p.last_purchase_at > %(as_of)s - %(milestone_window)s
           OR a.fan_id IN (SELECT fan_id FROM key_dates)) {fans}
),
candidates AS (
    SELECT f.fan_id, f.creator_id, 'vip_active' AS type, 'urgent' AS priority,
           'VIP ' || f.display_name || ' is active now ($'
               || to_char(f.lifetime_spend, 'FM999,999,990.00') || ' lifetime)' AS message,
           'prioritize_reply' AS suggested_action,
           jsonb_build_object('lifetime_spend', f.lifetime_spend,
                              'last_active_at', f.last_active_at) AS metadata,
           NULL::text AS dedupe_key, %(as_of)s + %(active_window)s AS expires_at
    FROM fans f
    WHERE f.lifetime_spend >= %(vip)s AND f.last_active_at > %(as_of)s - %(active_window)s
      AND f.last_active_at <= %(as_of)s
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'hot_lead_active', 'high',
           'Hot lead ' || f.display_name || ' is active now ('
               || round(100 * f.conversion) || '%% likely to buy)',
           'dm_reminder',
           jsonb_build_object('conversion_probability', round(100 * f.conversion),
                              'last_active_at', f.last_active_at),
           NULL, %(as_of)s + %(active_window)s
    FROM fans f
    WHERE f.lifetime_spend < %(vip)s AND f.conversion >= %(hot)s
      AND f.last_active_at > %(as_of)s - %(active_window)s AND f.last_active_at <= %(as_of)s
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'dormant_reactivation', 'medium',
           f.display_name || ' is back after ' || floor(extract(epoch FROM
               %(as_of)s - %(active_window)s - pv.at) / 86400) || ' quiet days',
           'dm_reminder',
           jsonb_build_object('previous_activity_at', pv.at, 'last_active_at', f.last_active_at),
           NULL, %(as_of)s + interval '1 day'
    FROM fans f
    CROSS JOIN LATERAL (
        SELECT greatest(
            (SELECT max(im.created_at) FROM fan_messages im
             WHERE im.fan_id = f.fan_id AND im.direction = 'inbound'
               AND im.created_at <= %(as_of)s - %(active_window)s),
            (SELECT max(it.occurred_at) FROM fan_transactions it
             WHERE it.fan_id = f.fan_id AND it.kind IN ('tip', 'ppv', 'custom', 'paid_message')
               AND it.occurred_at <= %(as_of)s - %(active_window)s)) AS at
    ) pv
    WHERE f.last_active_at > %(as_of)s - %(active_window)s AND f.last_active_at <= %(as_of)s
      AND pv.at <= %(as_of)s - %(active_window)s - %(dormant_gap)s
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'spending_spike', 'high',
           f.display_name || ' spent $' || to_char(w.week, 'FM999,999,990.00')
               || ' this week, ' || CASE WHEN w.usual > 0
                   THEN round(w.week / w.usual, 1) || 'x their usual week'
                   ELSE 'with no buys in the 12 weeks before' END,
           'thank_supporter',
           jsonb_build_object('spend_7d', w.week, 'usual_week', round(w.usual, 2)),
           NULL, %(as_of)s + interval '7 days'
    FROM fans f
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(t.amount) FILTER (WHERE t.occurred_at > %(as_of)s
                                                    - interval '7 days'), 0) AS week,
               coalesce(sum(t.amount) FILTER (WHERE t.occurred_at <= %(as_of)s
                                                    - interval '7 days'), 0) / 12 AS usual
        FROM fan_transactions t
        WHERE t.fan_id = f.fan_id AND t.kind IN ('tip', 'ppv', 'custom', 'paid_message')
          AND t.occurred_at > %(as_of)s - interval '91 days' AND t.occurred_at <= %(as_of)s
    ) w
    WHERE f.last_buy_at > %(as_of)s - interval '7 days'
      AND w.week >= %(spike_min)s AND w.week >= %(spike_factor)s * w.usual
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'renewal_due', 'medium',
           f.display_name || CASE WHEN f.renews_at IS NOT NULL THEN '''s subscription renews'
                                  ELSE '''s access runs out' END
               || ' on ' || to_char(coalesce(f.renews_at, f.access_until) AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD')
               || ' (churn risk ' || round(f.churn::numeric, 2) || ')',
           'engagement_reminder',
           jsonb_build_object('due_at', coalesce(f.renews_at, f.access_until),
                              'renewing', f.renews_at IS NOT NULL, 'churn_risk', f.churn),
           NULL, coalesce(f.renews_at, f.access_until)
    FROM fans f
    WHERE coalesce(f.renews_at, f.access_until) > %(as_of)s
      AND coalesce(f.renews_at, f.access_until) <= %(as_of)s + %(renewal_within)s
      AND f.churn >= %(renewal_churn)s
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'milestone', 'low',
           f.display_name || '''s lifetime spend passed $' || ms.amount,
           'celebrate',
           jsonb_build_object('milestone', ms.amount, 'lifetime_spend', f.lifetime_spend),
           'lifetime_spend:' || ms.amount, %(as_of)s + interval '7 days'
    FROM fans f
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(t.amount), 0) AS recent
        FROM fan_transactions t
        WHERE t.fan_id = f.fan_id AND t.kind NOT IN ('refund', 'chargeback')
          AND t.occurred_at > %(as_of)s - %(milestone_window)s AND t.occurred_at <= %(as_of)s
    ) r
    CROSS JOIN LATERAL (
        SELECT max(x) AS amount FROM unnest(%(milestones)s::integer[]) x
        WHERE x <= f.lifetime_spend AND x > f.lifetime_spend - r.recent
    ) ms
    WHERE f.last_purchase_at > %(as_of)s - %(milestone_window)s AND ms.amount IS NOT NULL
    UNION ALL
    SELECT f.fan_id, f.creator_id, 'key_date', 'medium',
           f.display_name || ': ' || k.body || CASE k.days_away
               WHEN 0 THEN ' (today)' WHEN 1 THEN ' (tomorrow)'
               ELSE ' (in ' || k.days_away || ' days)' END,
           'celebrate',
           jsonb_build_object('memory_id', k.id, 'on', k.next_on),
           k.occasion,
           (k.next_on + 1)::timestamp AT TIME ZONE 'UTC'
    FROM fans f
    JOIN key_dates k ON k.fan_id = f.fan_id
)
INSERT INTO fan_alerts (creator_id, fan_id, type, priority, message, suggested_action,
                        metadata, dedupe_key, created_at, expires_at)
SELECT c.creator_id, c.fan_id, c.type, c.priority, c.message, c.suggested_action, c.metadata,
       c.dedupe_key, %(as_of)s, c.expires_at
FROM candidates c
JOIN unnest(%(types)s::text[], %(cooldowns)s::interval[]) cd (type, cooldown) USING (type)
WHERE NOT EXISTS (
    SELECT 1 FROM fan_alerts x
    WHERE x.fan_id = c.fan_id AND x.type = c.type
      AND (x.created_at > %(as_of)s - cd.cooldown
           OR (c.dedupe_key IS NOT NULL AND x.dedupe_key = c.dedupe_key)))
-- The sort reads every candidate (and its cooldown check) before the first row is inserted, so
-- the checks never rescan the rows this statement adds.
ORDER BY c.fan_id, c.type
RETURNING {columns}
"""

_LIST = sql.SQL("""
SELECT {columns}, p.display_name AS fan_name
FROM fan_alerts x
JOIN fan_profiles p ON p.id = x.fan_id
WHERE x.dismissed_at IS NULL AND (x.expires_at IS NULL OR x.expires_at > %(as_of)s)
  AND (%(unread_only)s = false OR x.read_at IS NULL)
  AND x.created_at <= %(as_of)s
ORDER BY array_position(ARRAY['urgent', 'high', 'medium', 'low'], x.priority), x.created_at DESC,
         x.id
LIMIT %(limit)s
""").format(columns=sql.SQL(", ").join(sql.Identifier("x", name) for name in Alert.model_fields))

_MARK = {
    "read": sql.SQL(
        "UPDATE fan_alerts SET read_at = coalesce(read_at, %(as_of)s) WHERE id = %(id)s"
        " RETURNING {columns}"
    ).format(columns=_COLUMNS),
    "dismissed": sql.SQL(
        "UPDATE fan_alerts SET dismissed_at = coalesce(dismissed_at, %(as_of)s) WHERE id = %(id)s"
        " RETURNING {columns}"
    ).format(columns=_COLUMNS),
}


def generate(
    conn: psycopg.Connection[Any],
    *,
    as_of: datetime | None = None,
    fan_ids: list[UUID] | None = None,
) -> list[Alert]:
    """Adds the alerts due at as_of for the current creator's fans (all, or `fan_ids`) that
    are out of cooldown; returns the new ones. Call inside the creator's scope."""
    moment = resolve(as_of)
    conn.execute(_LOCK)
    only = sql.SQL(" AND a.fan_id = ANY(%(fan_ids)s)") if fan_ids is not None else sql.SQL("")
    only_key_dates = (
        sql.SQL(" AND upcoming.fan_id = ANY(%(fan_ids)s)") if fan_ids is not None else sql.SQL("")
    )
    statement = sql.SQL(_GENERATE).format(
        upcoming=sql.SQL(UPCOMING_KEY_DATES),
        fans=only,
        key_date_fans=only_key_dates,
        columns=_COLUMNS,
    )
    params = {
        "as_of": moment,
        **key_date_params(moment, KEY_DATE_WITHIN_DAYS),
        "fan_ids": fan_ids,
        "vip": VIP_MIN_SPEND,
        "hot": HOT_LEAD_MIN,
        "active_window": ACTIVE_WINDOW,
        "dormant_gap": DORMANT_GAP,
        "spike_min": SPIKE_MIN,
        "spike_factor": SPIKE_FACTOR,
        "renewal_within": RENEWAL_WITHIN,
        "renewal_churn": RENEWAL_MIN_CHURN,
        "milestones": list(MILESTONES),
        "milestone_window": MILESTONE_WINDOW,
        "types": list(COOLDOWNS),
        "cooldowns": list(COOLDOWNS.values()),
    }
    with conn.cursor(row_factory=class_row(Alert)) as cursor:
        return cursor.execute(statement, params).fetchall()


def open_alerts(
    conn: psycopg.Connection[Any],
    *,
    as_of: datetime | None = None,
    unread_only: bool = False,
    limit: int = 50,
) -> list[ListedAlert]:
    """The creator's alerts neither dismissed nor expired at as_of, most urgent first, each with
    its fan's display name."""
    params = {"as_of": resolve(as_of), "unread_only": unread_only, "limit": limit}
    with conn.cursor(row_factory=class_row(ListedAlert)) as cursor:
        return cursor.execute(_LIST, params).fetchall()


def mark(
    conn: psycopg.Connection[Any],
    alert_id: UUID,
    state: Literal["read", "dismissed"],
    *,
    as_of: datetime | None = None,
) -> Alert:
    """Marks the alert read or dismissed (the first time counts); NotFound if not the creator's."""
    with conn.cursor(row_factory=class_row(Alert)) as cursor:
        alert = cursor.execute(_MARK[state], {"id": alert_id, "as_of": resolve(as_of)}).fetchone()
    if alert is None:
        raise NotFound(f"no alert {alert_id} for this creator")
    return alert


_RAISE = """
INSERT INTO fan_alerts (creator_id, fan_id, type, priority, message, suggested_action, metadata)
SELECT app_current_creator(), f.fan_id, 'automation', %(priority)s, %(message)s,
       %(suggested_action)s, %(metadata)s
FROM unnest(%(fan_ids)s::uuid[]) AS f (fan_id)
"""


def raise_alerts(
    conn: psycopg.Connection[Any],
    fan_ids: list[UUID],
    priority: Priority,
    message: str,
    metadata: dict[str, Any],
) -> None:
    """The alert an automation rule raises, for each of `fan_ids` (no cooldown: the rule fires
    once per fan and period)."""
    conn.execute(
        _RAISE,
        {
            "fan_ids": fan_ids,
            "priority": priority,
            "message": message,
            "suggested_action": "see the rule that raised it",
            "metadata": Jsonb(metadata),
        },
    )
