"""One row in every creator-owned table for a new creator, written through the application role
inside that creator's scope (so writing one's own rows is shown to work, too)."""

import uuid
from typing import Any
from uuid import UUID

import psycopg

from db.connect import DatabaseTarget, creator_scope

# Each statement may use %(creator)s, %(user)s and the ids of the rows inserted before it.
INSERTS: dict[str, str] = {
    "creator_profiles": "INSERT INTO creator_profiles (creator_id, handle, display_name)"
    " VALUES (%(creator)s, %(handle)s, 'Creator') RETURNING creator_id",
    "creator_assignments": "INSERT INTO creator_assignments (creator_id, user_id, role)"
    " VALUES (%(creator)s, %(user)s, 'owner') RETURNING user_id",
    "fan_profiles": "INSERT INTO fan_profiles (creator_id, display_name, email)"
    " VALUES (%(creator)s, 'Fan', 'fan@example.com') RETURNING id",
    "fan_platform_accounts": "INSERT INTO fan_platform_accounts"
    " (creator_id, fan_id, platform, platform_fan_id)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'onlyfans', 'of-1') RETURNING id",
    "fan_identity_links": "WITH second AS (INSERT INTO fan_platform_accounts"
    " (creator_id, fan_id, platform, platform_fan_id)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'fansly', 'fs-1') RETURNING id)"
    " INSERT INTO fan_identity_links"
    " (creator_id, fan_id, account_a_id, account_b_id, evidence, confidence)"
    " SELECT %(creator)s, %(fan_profiles)s, LEAST(second.id, %(fan_platform_accounts)s),"
    " GREATEST(second.id, %(fan_platform_accounts)s), 'payment_email', 0.9 FROM second"
    " RETURNING id",
    "fan_subscriptions": "INSERT INTO fan_subscriptions"
    " (creator_id, fan_id, platform_account_id, status, price, started_at)"
    " VALUES (%(creator)s, %(fan_profiles)s, %(fan_platform_accounts)s, 'active', 9.99, now())"
    " RETURNING id",
    "fan_subscription_events": "INSERT INTO fan_subscription_events"
    " (creator_id, fan_id, subscription_id, event_type, amount, occurred_at)"
    " VALUES (%(creator)s, %(fan_profiles)s, %(fan_subscriptions)s, 'subscribed', 9.99, now())"
    " RETURNING id",
    "media_assets": "INSERT INTO media_assets (creator_id, title, kind, tags, price)"
    " VALUES (%(creator)s, 'Beach set', 'photo', '{beach}', 12) RETURNING id",
    "fan_messages": "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'inbound', 'received', 'hey you') RETURNING id",
    "fan_memories": "INSERT INTO fan_memories"
    " (creator_id, fan_id, kind, body, source_message_id, embedding)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'preference', 'Loves beach sets',"
    " %(fan_messages)s, array_fill(0.1, ARRAY[384])::vector) RETURNING id",
    # The memory above added its text; this is another (a text row without a memory yet).
    "fan_memory_texts": "INSERT INTO fan_memory_texts (creator_id, body_md5, embedding)"
    " VALUES (%(creator)s, md5('Asked for a custom video'), array_fill(0.2, ARRAY[384])::vector)"
    " RETURNING body_md5",
    "fan_refresh_queue": "INSERT INTO fan_refresh_queue (creator_id, fan_id)"
    " VALUES (%(creator)s, %(fan_profiles)s) RETURNING fan_id",
    "fan_notes": "INSERT INTO fan_notes (creator_id, fan_id, body)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'Big tipper on Fridays') RETURNING id",
    "fan_scores": "INSERT INTO fan_scores"
    " (creator_id, fan_id, churn_risk, predicted_ltv, upsell_readiness, loyalty, formula_version)"
    " VALUES (%(creator)s, %(fan_profiles)s, 0.2, 300, 0.7, 0.8, 'test') RETURNING fan_id",
    "fan_segments": "INSERT INTO fan_segments (creator_id, name, rules)"
    " VALUES (%(creator)s, 'Whales', '{\"all\": []}') RETURNING id",
    "fan_segment_members": "INSERT INTO fan_segment_members (creator_id, segment_id, fan_id)"
    " VALUES (%(creator)s, %(fan_segments)s, %(fan_profiles)s) RETURNING segment_id",
    "fan_custom_requests": "INSERT INTO fan_custom_requests (creator_id, fan_id, description)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'A video saying my name') RETURNING id",
    "fan_transactions": "INSERT INTO fan_transactions"
    " (creator_id, fan_id, kind, amount, media_id, occurred_at)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'ppv', 12, %(media_assets)s, now()) RETURNING id",
    "fan_tag_values": "INSERT INTO fan_tag_values (creator_id, fan_id, tag)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'whale') RETURNING tag",
    "fan_personas": "INSERT INTO fan_personas (creator_id, fan_id, name)"
    " VALUES (%(creator)s, NULL, 'Default') RETURNING id",
    "message_templates": "INSERT INTO message_templates (creator_id, name, body)"
    " VALUES (%(creator)s, 'welcome', 'Hi {name}!') RETURNING id",
    "hitl_action_queue": "INSERT INTO hitl_action_queue"
    " (creator_id, fan_id, thread_id, action, args, reason)"
    " VALUES (%(creator)s, %(fan_profiles)s, 't-1', 'send_message', '{\"text\": \"hi\"}',"
    " 'reaches the fan') RETURNING id",
    "automation_rules": "INSERT INTO automation_rules (creator_id, name, trigger)"
    " VALUES (%(creator)s, 'win back', 'expired') RETURNING id",
    "automation_rule_runs": "INSERT INTO automation_rule_runs"
    " (creator_id, rule_id, triggered_by, outcome)"
    " VALUES (%(creator)s, %(automation_rules)s, 'test', 'succeeded') RETURNING id",
    "automation_rule_actions": "INSERT INTO automation_rule_actions"
    " (creator_id, run_id, fan_id, action, outcome)"
    " VALUES (%(creator)s, %(automation_rule_runs)s, %(fan_profiles)s, 'send_message',"
    " 'executed') RETURNING id",
    "automation_rule_firings": "INSERT INTO automation_rule_firings"
    " (creator_id, rule_id, fan_id, period, run_id)"
    " VALUES (%(creator)s, %(automation_rules)s, %(fan_profiles)s, '2026-01',"
    " %(automation_rule_runs)s)"
    " RETURNING rule_id",
    "fan_intent_events": "INSERT INTO fan_intent_events"
    " (creator_id, fan_id, message_id, signal, confidence, classifier)"
    " VALUES (%(creator)s, %(fan_profiles)s, %(fan_messages)s, 'price_question', 0.9, 'test')"
    " RETURNING id",
    "fan_lifecycle_events": "INSERT INTO fan_lifecycle_events"
    " (creator_id, fan_id, kind, from_stage, to_stage)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'stage_change', 'new', 'warming') RETURNING id",
    "approval_policies": "INSERT INTO approval_policies (creator_id, action, requires_approval)"
    " VALUES (%(creator)s, 'add_fan_note', true) RETURNING action",
    "fan_offers": "INSERT INTO fan_offers"
    " (creator_id, fan_id, percent, media_id, expires_at, hitl_action_id)"
    " VALUES (%(creator)s, %(fan_profiles)s, 20, %(media_assets)s, now() + interval '3 days',"
    " %(hitl_action_queue)s) RETURNING id",
    "fan_activity": "INSERT INTO fan_activity (creator_id, fan_id, last_active_at, platforms)"
    " VALUES (%(creator)s, %(fan_profiles)s, now(), '{onlyfans}') RETURNING fan_id",
    "fan_alerts": "INSERT INTO fan_alerts"
    " (creator_id, fan_id, type, priority, message, suggested_action)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'vip_active', 'urgent', 'VIP Fan is active now',"
    " 'prioritize_reply') RETURNING id",
    "outbound_guard_blocks": "INSERT INTO outbound_guard_blocks"
    " (creator_id, fan_id, path, category, reason, matched, body)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'send', 'off_platform_payment',"
    " 'asks for payment outside the platform (\"venmo\")', 'venmo', 'venmo me') RETURNING id",
    "message_broadcasts": "WITH approval AS (INSERT INTO hitl_action_queue"
    " (creator_id, thread_id, action, args, reason)"
    " VALUES (%(creator)s, 'broadcast:1', 'send_broadcast', '{}', 'a broadcast') RETURNING id)"
    " INSERT INTO message_broadcasts"
    " (creator_id, name, template_id, segment_id, segment_name, media_id, hitl_action_id)"
    " SELECT %(creator)s, 'Drop', %(message_templates)s, %(fan_segments)s, 'Big fans',"
    " %(media_assets)s, approval.id FROM approval RETURNING id",
    "message_broadcast_deliveries": "INSERT INTO message_broadcast_deliveries"
    " (creator_id, broadcast_id, fan_id, status, reason)"
    " VALUES (%(creator)s, %(message_broadcasts)s, %(fan_profiles)s, 'excluded', 'opted out')"
    " RETURNING id",
    "webhook_secrets": "INSERT INTO webhook_secrets (creator_id, platform, secret)"
    " VALUES (%(creator)s, 'onlyfans', 'whsec_' || repeat('x', 40)) RETURNING platform",
    "webhook_events": "INSERT INTO webhook_events"
    " (creator_id, fan_id, platform, event_id, type, occurred_at, payload)"
    " VALUES (%(creator)s, %(fan_profiles)s, 'onlyfans', 'evt-1', 'tip', now(), '{}')"
    " RETURNING id",
}


def create_user(target: DatabaseTarget, email: str) -> UUID:
    """Users are global: the admin creates them."""
    with psycopg.connect(target.admin_url) as conn:
        row = conn.execute(
            "INSERT INTO users (email, display_name) VALUES (%s, 'Someone') RETURNING id", [email]
        ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def create_creator_with_everything(target: DatabaseTarget) -> tuple[UUID, dict[str, Any]]:
    """A new creator with one row in every table of INSERTS; returns its id and those rows' keys."""
    creator = uuid.uuid4()
    user = create_user(target, f"owner-{creator.hex[:8]}@example.com")
    params: dict[str, Any] = {"creator": creator, "user": user, "handle": f"c{creator.hex[:10]}"}
    with psycopg.connect(target.app_url) as conn, creator_scope(conn, creator):
        for table, statement in INSERTS.items():
            row = conn.execute(statement, params).fetchone()
            assert row is not None, table
            params[table] = row[0]
    return creator, params
