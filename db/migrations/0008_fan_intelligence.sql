-- Fan intelligence (db/intelligence/): what each fan last did, and the creator's smart alerts.
--
-- fan_activity is derived, one row per fan, rewritten by `refresh_fan` and `scores recompute`
-- from fan_messages, fan_transactions and fan_subscriptions. It holds timestamps and the current
-- subscription, never windowed counts, so "within the last N days" is decided at query time and
-- the row does not go stale as time passes; segments, the inbox and alerts read it instead of
-- scanning the ledgers.

CREATE TABLE fan_activity (
    fan_id               uuid NOT NULL PRIMARY KEY,
    creator_id           uuid NOT NULL,
    -- Engagement: an inbound message, a purchase the fan made (tip, PPV, custom, paid message),
    -- or a subscription the fan started (subscribed, resubscribed, trial started or converted).
    last_active_at       timestamptz,
    last_inbound_at      timestamptz,
    last_outbound_at     timestamptz,   -- the creator's last sent message
    last_buy_at          timestamptz,   -- a purchase beyond the subscription
    last_ppv_at          timestamptz,
    last_tip_at          timestamptz,
    last_custom_at       timestamptz,
    -- The subscription that gives access now (trial, active, or cancelled but paid up).
    has_subscriptions    boolean NOT NULL DEFAULT false,
    subscribed_since     timestamptz,   -- start of the longest current access; NULL: none
    access_until         timestamptz,   -- when a cancelled access runs out; NULL: renewing
    renews_at            timestamptz,
    subscription_tier    text,
    subscription_status  text CHECK (subscription_status IN ('trial', 'active', 'cancelled', 'expired')),
    platforms            text[] NOT NULL DEFAULT '{}',
    computed_at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_activity_last_active ON fan_activity (creator_id, last_active_at DESC NULLS LAST);
SELECT fanagent_isolate_by_creator('fan_activity');

-- Smart alerts (seed 004). One alert per (fan, type) per cooldown: generation holds a per-creator
-- advisory lock and skips a fan whose alert of the same type is younger than the type's
-- cooldown, or (milestones) who was already alerted for the same dedupe_key.
CREATE TABLE fan_alerts (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id        uuid NOT NULL,
    fan_id            uuid NOT NULL,
    type              text NOT NULL CHECK (type IN
                          ('vip_active', 'hot_lead_active', 'dormant_reactivation',
                           'spending_spike', 'renewal_due', 'milestone')),
    priority          text NOT NULL CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
    message           text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
    suggested_action  text NOT NULL,
    metadata          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    dedupe_key        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz,
    read_at           timestamptz,
    dismissed_at      timestamptz,
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_alerts_cooldown ON fan_alerts (creator_id, fan_id, type, created_at DESC);
CREATE INDEX fan_alerts_open ON fan_alerts (creator_id, created_at DESC) WHERE dismissed_at IS NULL;
SELECT fanagent_isolate_by_creator('fan_alerts');

-- The recompute rewrites every fan's scores and activity: room on each page lets PostgreSQL
-- update a row in place (a HOT update: no index entry to add) when no indexed column changes.
ALTER TABLE fan_scores SET (fillfactor = 50);
ALTER TABLE fan_activity SET (fillfactor = 70);

-- The inbox's "new" tab: the newest fans first.
CREATE INDEX fan_profiles_creator_joined ON fan_profiles (creator_id, created_at DESC);

-- The fans' own messages, for the recompute's aggregation of inbound messages per fan: an
-- index-only scan of this (about a tenth of the table) instead of reading every message.
CREATE INDEX fan_messages_inbound ON fan_messages (creator_id, fan_id, created_at)
    WHERE direction = 'inbound';
