"""Adjustable autonomy: whether an outbound action of a rule may skip the approval gate for this
fan now. It may only when the rule's policy auto-approves and every limit holds: the price and
the discount under their caps, the fan's messages of the last 24 hours under the daily cap,
outside the quiet hours in the fan's time zone (UTC when unknown), and never for a fan in
distress (crm.fans.distress) or churning by cancellation (a cancellation of the last 30 days
with no new subscription since). `hold_reason` says why an action waits, or None."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from crm.automations.model import (
    Autonomy,
    DiscountAction,
    OutboundAction,
    PpvAction,
    QuietHours,
)
from crm.fans.distress import REASON as DISTRESS
from crm.fans.distress import in_distress

_FACTS = sql.SQL("""
SELECT p.id AS fan_id, p.timezone, {in_distress} AS in_distress,
       EXISTS (SELECT 1 FROM fan_subscription_events c
               WHERE c.fan_id = p.id AND c.event_type = 'cancelled'
                 AND c.occurred_at > %(now)s - interval '30 days'
                 AND NOT EXISTS (SELECT 1 FROM fan_subscription_events n
                                 WHERE n.fan_id = p.id AND n.occurred_at > c.occurred_at
                                   AND n.event_type IN ('subscribed', 'resubscribed',
                                                        'trial_started'))) AS cancelled,
       (SELECT count(*) FROM fan_messages m
        WHERE m.fan_id = p.id AND m.direction = 'outbound' AND m.status IN ('queued', 'sent')
          AND m.created_at > %(now)s - interval '1 day') AS messages_today
FROM fan_profiles p
WHERE p.id = ANY(%(fan_ids)s)
""").format(in_distress=in_distress(sql.SQL("p.id"), sql.Placeholder("now")))


@dataclass(frozen=True)
class FanFacts:
    fan_id: UUID
    timezone: str | None
    in_distress: bool
    cancelled: bool
    messages_today: int


def fan_facts(
    conn: psycopg.Connection[Any], fan_ids: list[UUID], now: datetime
) -> dict[UUID, FanFacts]:
    """What the limits read of each fan, in one statement."""
    with conn.cursor(row_factory=class_row(FanFacts)) as cursor:
        found = cursor.execute(_FACTS, {"fan_ids": fan_ids, "now": now}).fetchall()
    return {facts.fan_id: facts for facts in found}


def hold_reason(
    policy: Autonomy, action: OutboundAction, facts: FanFacts, now: datetime, sent_now: int
) -> str | None:
    """Why the action waits for approval; None when the policy approves it. `sent_now`: the
    messages this run already let through to the fan."""
    # What the fan is going through first: the approver reads it even when the policy asks anyway.
    if facts.in_distress:
        return f"the fan is {DISTRESS}"
    if facts.cancelled:
        return "the fan is churning by cancellation"
    if not policy.auto_approve:
        return "the rule's policy asks for approval"
    if isinstance(action, DiscountAction):
        if policy.max_discount is None or action.percent > policy.max_discount:
            return f"{action.percent}% is above the policy's max discount ({policy.max_discount})"
        return None
    if isinstance(action, PpvAction) and (
        policy.max_price is None or action.price > policy.max_price
    ):
        return f"${action.price} is above the policy's max price ({policy.max_price})"
    if facts.messages_today + sent_now >= policy.max_messages_per_fan_per_day:
        return f"the fan got {policy.max_messages_per_fan_per_day} message(s) in 24 hours"
    if policy.quiet_hours is not None and _quiet(policy.quiet_hours, facts.timezone, now):
        return "quiet hours in the fan's time zone"
    return None


def _quiet(hours: QuietHours, timezone: str | None, now: datetime) -> bool:
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    hour = now.astimezone(zone).hour
    if hours.start <= hours.end:
        return hours.start <= hour < hours.end
    return hour >= hours.start or hour < hours.end
