"""The fan's relationship stage machine, with time decay; every change is appended to
fan_lifecycle_events (kind stage_change, from/to stage, the reason in detail).

    new -> warming -> active_buyer -> cooling_off -> at_risk -> churned -> reactivated
                      ^-----------------------------------------------------'  (buys again)

Evaluated at as_of from the facts (facts.py; "idle" is the time since the fan last engaged, or
since the profile was created for a fan who never did; a "recent buy" is one in the last 14
days). The first rule that applies to the fan's current stage wins; no rule, no change:

1. any stage but churned, lapsed (no subscription gives access any more)   -> churned
2. churned, not lapsed (subscribed again, or engaged again without one)    -> reactivated
3. new or warming, with a recent buy                                        -> active_buyer
4. cooling_off, at_risk or reactivated, recent buy after the stage began    -> active_buyer
5. warming, active_buyer, cooling_off or reactivated, idle >= 30 days       -> at_risk
6. warming, active_buyer or reactivated, idle >= 14 days                    -> cooling_off
7. new, with 3 inbound messages or 7 days since joining                     -> warming

Decay is rules 5 and 6 (and 1): `fanagent scores recompute`, run as a cron job, moves fans
whose time has run out, and `refresh_fan` moves one fan when an event arrives. The rules are
applied until none does, so a fan idle for months goes warming -> at_risk in one run, each
step recorded; no rule undoes the step before it for the same facts, so re-running changes
nothing. A change is dated when its rule came true (the buy, 30 days after the last engagement,
the end of the subscription, the latest message for "3 messages"), never before the current
stage began nor after as_of; stage_updated_at takes that date. The edges the rules can take
are TRANSITIONS.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import class_row
from pydantic import BaseModel

from crm.intelligence.facts import FACTS

Stage = Literal[
    "new", "warming", "active_buyer", "cooling_off", "at_risk", "churned", "reactivated"
]
STAGES: tuple[Stage, ...] = (
    "new", "warming", "active_buyer", "cooling_off", "at_risk", "churned", "reactivated",
)  # fmt: skip
RECENT_BUY_DAYS = 14
COOLING_AFTER_DAYS = 14
AT_RISK_AFTER_DAYS = 30
NEW_FOR_DAYS = 7
WARMING_MESSAGES = 3

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    "new": frozenset({"warming", "active_buyer", "churned"}),
    "warming": frozenset({"active_buyer", "cooling_off", "at_risk", "churned"}),
    "active_buyer": frozenset({"cooling_off", "at_risk", "churned"}),
    "cooling_off": frozenset({"active_buyer", "at_risk", "churned"}),
    "at_risk": frozenset({"active_buyer", "churned"}),
    "churned": frozenset({"reactivated"}),
    "reactivated": frozenset({"active_buyer", "cooling_off", "at_risk", "churned"}),
}


class StageChange(BaseModel):
    fan_id: UUID
    from_stage: Stage | None
    to_stage: Stage
    reason: str | None
    occurred_at: datetime


_DECIDE = """
SELECT d.fan_id, d.creator_id, d.from_stage, d.to_stage,
    -- When the rule came true, kept between the current stage's start and as_of.
    least(%(as_of)s, greatest(d.stage_updated_at, CASE d.rule
        WHEN 1 THEN coalesce(d.lapsed_since, %(as_of)s)
        WHEN 2 THEN coalesce(d.subscribed_since, d.last_active_at, %(as_of)s)
        WHEN 3 THEN d.last_buy_at
        WHEN 4 THEN d.last_buy_at
        WHEN 5 THEN d.idle_since + %(at_risk_days)s * interval '1 day'
        WHEN 6 THEN d.idle_since + %(cooling_days)s * interval '1 day'
        WHEN 7 THEN CASE WHEN d.inbound_count >= %(warming_messages)s
                         THEN coalesce(d.last_inbound_at, %(as_of)s)
                         ELSE d.created_at + %(new_days)s * interval '1 day' END
    END)) AS at,
    CASE d.rule
        WHEN 1 THEN CASE WHEN d.has_subscriptions THEN 'subscription ended'
                         ELSE 'no engagement for ' || d.idle_days || ' days' END
        WHEN 2 THEN CASE WHEN d.has_subscriptions THEN 'subscribed again'
                         ELSE 'engaged again' END
        WHEN 3 THEN 'bought on ' || to_char(d.last_buy_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
        WHEN 4 THEN 'bought again on ' || to_char(d.last_buy_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
        WHEN 7 THEN CASE WHEN d.inbound_count >= %(warming_messages)s
                         THEN d.inbound_count || ' messages'
                         ELSE 'joined ' || d.tenure_days || ' days ago' END
        ELSE 'no engagement for ' || d.idle_days || ' days'
    END AS reason
FROM (
    SELECT r.*,
        CASE r.rule WHEN 1 THEN 'churned' WHEN 2 THEN 'reactivated' WHEN 3 THEN 'active_buyer'
                    WHEN 4 THEN 'active_buyer' WHEN 5 THEN 'at_risk' WHEN 6 THEN 'cooling_off'
                    WHEN 7 THEN 'warming' END AS to_stage
    FROM (
        SELECT x.*,
            CASE
                WHEN x.from_stage <> 'churned' AND x.lapsed THEN 1
                WHEN x.from_stage = 'churned' AND NOT x.lapsed THEN 2
                WHEN x.from_stage IN ('new', 'warming') AND x.recent_buy THEN 3
                WHEN x.from_stage IN ('cooling_off', 'at_risk', 'reactivated') AND x.recent_buy
                     AND x.last_buy_at > x.stage_updated_at THEN 4
                WHEN x.from_stage IN ('warming', 'active_buyer', 'cooling_off', 'reactivated')
                     AND x.idle_days >= %(at_risk_days)s THEN 5
                WHEN x.from_stage IN ('warming', 'active_buyer', 'reactivated')
                     AND x.idle_days >= %(cooling_days)s THEN 6
                WHEN x.from_stage = 'new' AND (x.inbound_count >= %(warming_messages)s
                                               OR x.tenure_days >= %(new_days)s) THEN 7
            END AS rule
        FROM (
            SELECT f.fan_id, f.creator_id, f.relationship_stage AS from_stage,
                f.stage_updated_at, f.lapsed, f.lapsed_since, f.has_subscriptions,
                f.inbound_count, f.last_buy_at, f.last_inbound_at, f.last_active_at,
                f.subscribed_since, f.created_at,
                coalesce(f.last_active_at, f.created_at) AS idle_since,
                coalesce(f.last_buy_at > %(as_of)s - %(recent_buy_days)s * interval '1 day',
                         false) AS recent_buy,
                floor(extract(epoch FROM %(as_of)s - coalesce(f.last_active_at, f.created_at))
                      / 86400)::integer AS idle_days,
                floor(extract(epoch FROM %(as_of)s - f.created_at) / 86400)::integer
                    AS tenure_days
            FROM {facts} f
            WHERE true {only}
        ) x
    ) r
    WHERE r.rule IS NOT NULL
) d
"""

_MOVE = sql.SQL("""
WITH decided AS ({decide}),
moved AS (
    UPDATE fan_profiles p SET relationship_stage = d.to_stage, stage_updated_at = d.at
    FROM decided d
    WHERE p.id = d.fan_id AND p.relationship_stage = d.from_stage
    RETURNING p.id AS fan_id, p.creator_id, d.from_stage, d.to_stage, d.reason, d.at
)
INSERT INTO fan_lifecycle_events (creator_id, fan_id, kind, from_stage, to_stage, detail,
                                  occurred_at)
SELECT creator_id, fan_id, 'stage_change', from_stage, to_stage, reason, at FROM moved
RETURNING fan_id, from_stage, to_stage, detail AS reason, occurred_at
""")

_FOLLOW = sql.SQL("""
UPDATE {facts} f SET relationship_stage = p.relationship_stage,
                     stage_updated_at = p.stage_updated_at
FROM fan_profiles p
WHERE p.id = f.fan_id AND f.fan_id = ANY(%(moved)s)
""").format(facts=sql.Identifier(FACTS))

_HISTORY = """
SELECT fan_id, from_stage, to_stage, detail AS reason, occurred_at
FROM fan_lifecycle_events
WHERE fan_id = %(fan_id)s AND kind = 'stage_change'
ORDER BY occurred_at, id
"""


MAX_STEPS = len(STAGES)  # no path through the rules is longer


def advance(conn: psycopg.Connection[Any], as_of: datetime) -> list[StageChange]:
    """Moves every fan in the facts table through the rules that apply at as_of until none
    does (a fan idle for months goes active_buyer -> at_risk -> ... in one run), recording each
    change; returns the changes in order."""
    params: dict[str, Any] = {
        "as_of": as_of,
        "recent_buy_days": RECENT_BUY_DAYS,
        "at_risk_days": AT_RISK_AFTER_DAYS,
        "cooling_days": COOLING_AFTER_DAYS,
        "warming_messages": WARMING_MESSAGES,
        "new_days": NEW_FOR_DAYS,
    }
    changes: list[StageChange] = []
    only: sql.Composable = sql.SQL("")
    for _ in range(MAX_STEPS):
        decide = sql.SQL(_DECIDE).format(facts=sql.Identifier(FACTS), only=only)
        with conn.cursor(row_factory=class_row(StageChange)) as cursor:
            moved = cursor.execute(_MOVE.format(decide=decide), params).fetchall()
        if not moved:
            break
        changes.extend(moved)
        # The next step looks only at the fans that moved, from their new stage.
        params["moved"] = [change.fan_id for change in moved]
        conn.execute(_FOLLOW, params)
        only = sql.SQL(" AND f.fan_id = ANY(%(moved)s)")
    return changes


def history(conn: psycopg.Connection[Any], fan_id: UUID) -> list[StageChange]:
    """The fan's stage changes, oldest first."""
    with conn.cursor(row_factory=class_row(StageChange)) as cursor:
        return cursor.execute(_HISTORY, {"fan_id": fan_id}).fetchall()
