"""The SQL behind a draft's context: who the creator is, what is known about the fan (never the
personal data: real name, email, phone, city, country)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from crm.suggestions import call_name

FAN_SNAPSHOT = """
SELECT c.display_name, f.display_name, f.relationship_stage, f.temperature, f.lifetime_spend,
       f.purchase_count, f.avg_order_value, f.price_range, f.buyer_type, f.fan_type,
       f.tone_preference, f.content_format_pref, f.narrative_summary, f.last_purchase_at,
       s.churn_risk, s.upsell_readiness, s.loyalty,
       sub.status, sub.tier, sub.renews_at, f.aliases
FROM fan_profiles f
JOIN creator_profiles c ON c.creator_id = f.creator_id
LEFT JOIN fan_scores s ON s.fan_id = f.id
LEFT JOIN LATERAL (
    SELECT status, tier, renews_at FROM fan_subscriptions
    WHERE fan_id = f.id ORDER BY started_at DESC LIMIT 1
) sub ON true
WHERE f.id = %s
"""


class FanNotFound(LookupError):
    """No such fan for the run's creator."""


@dataclass(frozen=True)
class FanSnapshot:
    creator_name: str
    fan_name: str  # what the creator calls the fan
    summary: str  # one fact per line, for the prompt


def fan_snapshot(conn: psycopg.Connection[Any], fan_id: UUID) -> FanSnapshot:
    row = conn.execute(FAN_SNAPSHOT, [fan_id]).fetchone()
    if row is None:
        raise FanNotFound(f"no fan {fan_id} for this creator")
    creator_name, *fields, aliases = row
    return FanSnapshot(creator_name, call_name(fields[0], aliases), _summary(*fields))


def _summary(
    name: str,
    stage: str,
    temperature: str | None,
    spend: Decimal,
    purchases: int,
    aov: Decimal | None,
    price_range: str | None,
    buyer_type: str | None,
    fan_type: str | None,
    tone: str | None,
    content: str | None,
    narrative: str | None,
    last_purchase: dt.datetime | None,
    churn: float | None,
    upsell: float | None,
    loyalty: float | None,
    subscription: str | None,
    tier: str | None,
    renews: dt.datetime | None,
) -> str:
    lines = [
        f"Name: {name}",
        f"Stage: {stage}" + (f", {temperature}" if temperature else ""),
        f"Spent: ${spend} over {purchases} purchases"
        + (f", average ${aov}" if aov is not None else "")
        + (f", {price_range} spender" if price_range else ""),
    ]
    optional = [
        ("Buyer type", buyer_type),
        ("Personality", fan_type),
        ("Likes a tone that is", tone),
        ("Prefers", content),
        ("Last purchase", last_purchase.date().isoformat() if last_purchase else None),
        ("Subscription", f"{subscription} ({tier})" if subscription else None),
        ("Renews", renews.date().isoformat() if renews else None),
        ("About", narrative),
    ]
    lines += [f"{label}: {value}" for label, value in optional if value]
    if churn is not None and upsell is not None and loyalty is not None:
        lines.append(
            f"Scores: churn risk {churn:.2f}, upsell readiness {upsell:.2f}, loyalty {loyalty:.2f}"
        )
    return "\n".join(lines)
