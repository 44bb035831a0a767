"""The fan's profile (with tags and subscriptions) and computed scores, as JSON-ready dicts.

The personal fields (real name, email, phone, city, country) are never selected here: chatters
must not see them; the profile's aliases are left out too, as they may be social media handles.
"""

from collections.abc import Collection
from typing import Any
from uuid import UUID

import psycopg

from db.rows import fetch_one

SELECT_PROFILE = """
SELECT p.display_name, p.language, p.timezone,
       p.relationship_stage, p.stage_updated_at, p.temperature,
       p.lifetime_spend, p.purchase_count, p.avg_order_value, p.biggest_purchase,
       p.first_purchase_at, p.last_purchase_at, p.last_purchase_kind, p.last_purchase_amount,
       p.price_range, p.buyer_type, p.ppv_conversion_rate, p.discount_sensitivity,
       p.chargeback_risk,
       p.fan_type, p.tone_preference, p.emotional_drivers, p.content_format_pref,
       p.length_preference, p.narrative_summary,
       p.message_count, p.last_message_at, p.active_hours, p.avg_reply_seconds,
       p.positive_message_ratio, p.last_sentiment, p.time_waster_score,
       p.follow_up_due_at, p.next_best_action, p.next_best_action_reason,
       p.deprioritized_until, p.last_objection, p.top_objection,
       (SELECT coalesce(jsonb_object_agg(t.tag, t.value ORDER BY t.tag), '{}')
        FROM fan_tag_values t WHERE t.fan_id = p.id) AS tags,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'platform', a.platform, 'tier', s.tier, 'status', s.status,
                   'price', s.price, 'renews_at', s.renews_at) ORDER BY s.started_at, s.id), '[]')
        FROM fan_subscriptions s JOIN fan_platform_accounts a ON a.id = s.platform_account_id
        WHERE s.fan_id = p.id) AS subscriptions
FROM fan_profiles p
WHERE p.id = %(fan_id)s
"""
SELECT_SCORES = """
SELECT churn_risk, predicted_ltv, upsell_readiness, loyalty, formula_version, computed_at
FROM fan_scores
WHERE fan_id = %(fan_id)s
"""


def fan_profile(conn: psycopg.Connection[Any], fan_id: UUID) -> dict[str, Any] | None:
    """The fan's profile, or None when the creator in scope has no such fan."""
    return fetch_one(conn, SELECT_PROFILE, {"fan_id": fan_id})


def fan_scores(conn: psycopg.Connection[Any], fan_id: UUID) -> dict[str, Any] | None:
    """The fan's latest scores, or None when not computed yet."""
    return fetch_one(conn, SELECT_SCORES, {"fan_id": fan_id})


SELECT_DISPLAY_NAMES = "SELECT id, display_name FROM fan_profiles WHERE id = ANY(%(fan_ids)s)"


def display_names(conn: psycopg.Connection[Any], fan_ids: Collection[UUID]) -> dict[UUID, str]:
    """The display names of the creator's fans among `fan_ids` (no personal field)."""
    rows = conn.execute(SELECT_DISPLAY_NAMES, {"fan_ids": list(fan_ids)})
    return {fan_id: name for fan_id, name in rows}
