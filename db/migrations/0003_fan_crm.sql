-- The fan CRM (seeds 000/001/002) with the per-fan intelligence fields of seed 003.
-- Every table carries creator_id; children reference (creator_id, fan_id) so a row can never
-- tie one creator's record to another creator's fan.

CREATE TABLE fan_profiles (
    id                      uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id              uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    display_name            text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    aliases                 text[] NOT NULL DEFAULT '{}',
    -- Personal data a chatter must never see (seed 004's forbidden fields).
    real_name               text,
    email                   text,
    phone_number            text,
    city                    text,
    country                 text,
    -- Context the agent may use.
    timezone                text,
    language                text NOT NULL DEFAULT 'en',
    -- Money & purchases (derived from fan_transactions).
    lifetime_spend          numeric(12, 2) NOT NULL DEFAULT 0 CHECK (lifetime_spend >= 0),
    purchase_count          integer NOT NULL DEFAULT 0 CHECK (purchase_count >= 0),
    avg_order_value         numeric(12, 2) CHECK (avg_order_value >= 0),
    biggest_purchase        numeric(12, 2) CHECK (biggest_purchase >= 0),
    first_purchase_at       timestamptz,
    last_purchase_at        timestamptz,
    last_purchase_kind      text,
    last_purchase_amount    numeric(12, 2),
    price_range             text CHECK (price_range IN ('low', 'mid', 'high', 'whale')),
    buyer_type              text CHECK (buyer_type IN
                                ('subscriber_only', 'ppv_buyer', 'tipper', 'custom_buyer', 'mixed')),
    ppv_conversion_rate     real CHECK (ppv_conversion_rate BETWEEN 0 AND 1),
    discount_sensitivity    text CHECK (discount_sensitivity IN ('never', 'sometimes', 'always')),
    chargeback_risk         boolean NOT NULL DEFAULT false,
    -- Personality (AI-detected).
    fan_type                text CHECK (fan_type IN
                                ('submissive', 'dominant', 'romantic', 'transactional', 'lonely')),
    tone_preference         text CHECK (tone_preference IN ('playful', 'assertive', 'romantic', 'direct')),
    emotional_drivers       text[] NOT NULL DEFAULT '{}',
    content_format_pref     text CHECK (content_format_pref IN ('photo', 'video', 'audio', 'text', 'bundle')),
    length_preference       text CHECK (length_preference IN ('short', 'medium', 'long')),
    narrative_summary       text,
    -- Relationship stage and engagement.
    relationship_stage      text NOT NULL DEFAULT 'new' CHECK (relationship_stage IN
                                ('new', 'warming', 'active_buyer', 'cooling_off', 'at_risk',
                                 'churned', 'reactivated')),
    stage_updated_at        timestamptz NOT NULL DEFAULT now(),
    temperature             text CHECK (temperature IN ('hot', 'warm', 'cooling', 'cold', 'ice_cold')),
    message_count           integer NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    last_message_at         timestamptz,
    active_hours            smallint[] NOT NULL DEFAULT '{}',
    avg_reply_seconds       integer CHECK (avg_reply_seconds >= 0),
    positive_message_ratio  real CHECK (positive_message_ratio BETWEEN 0 AND 1),
    last_sentiment          real CHECK (last_sentiment BETWEEN -1 AND 1),
    time_waster_score       smallint CHECK (time_waster_score BETWEEN 0 AND 100),
    follow_up_due_at        timestamptz,
    next_best_action        text,
    next_best_action_reason text,
    deprioritized_until     timestamptz,
    last_objection          text,
    top_objection           text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, id)
);
CREATE INDEX fan_profiles_creator_spend ON fan_profiles (creator_id, lifetime_spend DESC);
CREATE INDEX fan_profiles_creator_last_message ON fan_profiles (creator_id, last_message_at DESC);
CREATE INDEX fan_profiles_creator_stage ON fan_profiles (creator_id, relationship_stage);
SELECT fanagent_isolate_by_creator('fan_profiles');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_profiles
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- One row per platform identity. (creator_id, platform, platform_fan_id) is the dedup key.
CREATE TABLE fan_platform_accounts (
    id               uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id       uuid NOT NULL,
    fan_id           uuid NOT NULL,
    platform         text NOT NULL CHECK (platform ~ '^[a-z][a-z0-9_]{1,30}$'),
    platform_fan_id  text NOT NULL CHECK (length(platform_fan_id) BETWEEN 1 AND 200),
    username         text,
    joined_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, platform, platform_fan_id),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_platform_accounts_fan ON fan_platform_accounts (creator_id, fan_id);
SELECT fanagent_isolate_by_creator('fan_platform_accounts');

-- Why two platform accounts are believed to be the same person.
CREATE TABLE fan_identity_links (
    id             uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id     uuid NOT NULL,
    fan_id         uuid NOT NULL,
    account_a_id   uuid NOT NULL,
    account_b_id   uuid NOT NULL,
    evidence       text NOT NULL CHECK (evidence IN
                       ('payment_email', 'shared_username', 'agent_inferred', 'manual')),
    evidence_detail text,
    confidence     real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    confirmed_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (account_a_id < account_b_id),
    UNIQUE (account_a_id, account_b_id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, account_a_id) REFERENCES fan_platform_accounts (creator_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (creator_id, account_b_id) REFERENCES fan_platform_accounts (creator_id, id)
        ON DELETE CASCADE
);
CREATE INDEX fan_identity_links_fan ON fan_identity_links (creator_id, fan_id);
SELECT fanagent_isolate_by_creator('fan_identity_links');

-- Current subscription state per fan per platform account; history is in the events table.
CREATE TABLE fan_subscriptions (
    id                   uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id           uuid NOT NULL,
    fan_id               uuid NOT NULL,
    platform_account_id  uuid NOT NULL,
    tier                 text NOT NULL DEFAULT 'standard',
    status               text NOT NULL CHECK (status IN ('trial', 'active', 'cancelled', 'expired')),
    price                numeric(10, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    auto_renew           boolean NOT NULL DEFAULT true,
    started_at           timestamptz NOT NULL,
    renews_at            timestamptz,
    ended_at             timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, platform_account_id),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, platform_account_id) REFERENCES fan_platform_accounts (creator_id, id)
        ON DELETE CASCADE
);
CREATE INDEX fan_subscriptions_fan ON fan_subscriptions (creator_id, fan_id);
CREATE INDEX fan_subscriptions_renewal ON fan_subscriptions (creator_id, renews_at)
    WHERE status IN ('trial', 'active');
SELECT fanagent_isolate_by_creator('fan_subscriptions');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_subscriptions
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE fan_subscription_events (
    id               uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id       uuid NOT NULL,
    fan_id           uuid NOT NULL,
    subscription_id  uuid NOT NULL,
    event_type       text NOT NULL CHECK (event_type IN
                         ('subscribed', 'rebilled', 'cancelled', 'expired', 'resubscribed',
                          'trial_started', 'trial_converted', 'win_back_sent')),
    amount           numeric(10, 2) CHECK (amount >= 0),
    occurred_at      timestamptz NOT NULL,
    external_event_id text,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, external_event_id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id),
    FOREIGN KEY (creator_id, subscription_id) REFERENCES fan_subscriptions (creator_id, id)
);
CREATE INDEX fan_subscription_events_fan ON fan_subscription_events (creator_id, fan_id, occurred_at);
SELECT fanagent_isolate_by_creator('fan_subscription_events');
SELECT fanagent_make_append_only('fan_subscription_events');

-- Media in the vault, sold as PPV.
CREATE TABLE media_assets (
    id                  uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id          uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    kind                text NOT NULL CHECK (kind IN ('photo', 'video', 'audio', 'bundle')),
    tags                text[] NOT NULL DEFAULT '{}',
    price               numeric(10, 2) CHECK (price >= 0),
    explicitness        smallint NOT NULL DEFAULT 0 CHECK (explicitness BETWEEN 0 AND 100),
    duration_seconds    integer CHECK (duration_seconds >= 0),
    ai_description      text,
    transcription_text  text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, id)
);
CREATE INDEX media_assets_tags ON media_assets USING gin (tags);
SELECT fanagent_isolate_by_creator('media_assets');

-- Messages both ways. An outbound draft links to the inbound message it answers.
CREATE TABLE fan_messages (
    id                   uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id           uuid NOT NULL,
    fan_id               uuid NOT NULL,
    platform_account_id  uuid,
    direction            text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    status               text NOT NULL CHECK (status IN
                             ('received', 'draft', 'queued', 'sent', 'failed', 'superseded')),
    body                 text NOT NULL CHECK (length(body) <= 20000),
    sentiment            real CHECK (sentiment BETWEEN -1 AND 1),
    response_seconds     integer CHECK (response_seconds >= 0),
    in_reply_to_id       uuid,
    drafted_by_user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    media_id             uuid,
    price                numeric(10, 2) CHECK (price >= 0),
    external_id          text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    sent_at              timestamptz,
    CHECK ((direction = 'inbound') = (status = 'received')),
    UNIQUE (creator_id, external_id),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, platform_account_id) REFERENCES fan_platform_accounts (creator_id, id)
        ON DELETE SET NULL (platform_account_id),
    FOREIGN KEY (creator_id, in_reply_to_id) REFERENCES fan_messages (creator_id, id)
        ON DELETE SET NULL (in_reply_to_id),
    FOREIGN KEY (creator_id, media_id) REFERENCES media_assets (creator_id, id)
        ON DELETE SET NULL (media_id)
);
CREATE INDEX fan_messages_fan_time ON fan_messages (creator_id, fan_id, created_at DESC);
CREATE INDEX fan_messages_reply ON fan_messages (creator_id, in_reply_to_id)
    WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX fan_messages_outbox ON fan_messages (creator_id, created_at) WHERE status = 'queued';
SELECT fanagent_isolate_by_creator('fan_messages');

-- Durable per-fan facts, injected into drafts. A changed fact points at its replacement.
CREATE TABLE fan_memories (
    id                 uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id         uuid NOT NULL,
    fan_id             uuid NOT NULL,
    kind               text NOT NULL CHECK (kind IN
                           ('pet_name', 'key_date', 'preference', 'personal_detail',
                            'conversation_fact')),
    body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    source_message_id  uuid,
    confidence         real NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
    importance         real NOT NULL DEFAULT 0.5 CHECK (importance BETWEEN 0 AND 1),
    embedding          vector(384),
    superseded_by      uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_used_at       timestamptz,
    CHECK (superseded_by IS DISTINCT FROM id),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, source_message_id) REFERENCES fan_messages (creator_id, id)
        ON DELETE SET NULL (source_message_id),
    FOREIGN KEY (creator_id, superseded_by) REFERENCES fan_memories (creator_id, id)
        ON DELETE SET NULL (superseded_by)
);
CREATE INDEX fan_memories_current ON fan_memories (creator_id, fan_id) WHERE superseded_by IS NULL;
CREATE INDEX fan_memories_embedding ON fan_memories USING hnsw (embedding vector_cosine_ops);
SELECT fanagent_isolate_by_creator('fan_memories');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_memories
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE fan_notes (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id      uuid NOT NULL,
    fan_id          uuid NOT NULL,
    author_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_notes_fan ON fan_notes (creator_id, fan_id);
SELECT fanagent_isolate_by_creator('fan_notes');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_notes
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE fan_scores (
    fan_id            uuid NOT NULL PRIMARY KEY,
    creator_id        uuid NOT NULL,
    churn_risk        real NOT NULL CHECK (churn_risk BETWEEN 0 AND 1),
    predicted_ltv     numeric(12, 2) NOT NULL CHECK (predicted_ltv >= 0),
    upsell_readiness  real NOT NULL CHECK (upsell_readiness BETWEEN 0 AND 1),
    loyalty           real NOT NULL CHECK (loyalty BETWEEN 0 AND 1),
    formula_version   text NOT NULL,
    computed_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_scores_creator ON fan_scores (creator_id);
SELECT fanagent_isolate_by_creator('fan_scores');

CREATE TABLE fan_segments (
    id           uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id   uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description  text,
    rules        jsonb NOT NULL,
    is_preset    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, name),
    UNIQUE (creator_id, id)
);
SELECT fanagent_isolate_by_creator('fan_segments');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_segments
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE fan_segment_members (
    segment_id    uuid NOT NULL,
    fan_id        uuid NOT NULL,
    creator_id    uuid NOT NULL,
    evaluated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (segment_id, fan_id),
    FOREIGN KEY (creator_id, segment_id) REFERENCES fan_segments (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_segment_members_fan ON fan_segment_members (creator_id, fan_id);
SELECT fanagent_isolate_by_creator('fan_segment_members');

CREATE TABLE fan_custom_requests (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id      uuid NOT NULL,
    fan_id          uuid NOT NULL,
    description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    status          text NOT NULL DEFAULT 'pending_review' CHECK (status IN
                        ('pending_review', 'accepted', 'declined', 'fulfilled')),
    proposed_price  numeric(10, 2) CHECK (proposed_price >= 0),
    agreed_price    numeric(10, 2) CHECK (agreed_price >= 0),
    deadline        timestamptz,
    decline_reason  text,
    media_id        uuid,
    payout          numeric(10, 2) CHECK (payout >= 0),
    source_message_id uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    fulfilled_at    timestamptz,
    CHECK (status NOT IN ('accepted', 'fulfilled') OR agreed_price IS NOT NULL),
    CHECK (status <> 'fulfilled' OR media_id IS NOT NULL),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, media_id) REFERENCES media_assets (creator_id, id),
    FOREIGN KEY (creator_id, source_message_id) REFERENCES fan_messages (creator_id, id)
        ON DELETE SET NULL (source_message_id)
);
CREATE INDEX fan_custom_requests_fan ON fan_custom_requests (creator_id, fan_id);
SELECT fanagent_isolate_by_creator('fan_custom_requests');
CREATE TRIGGER status_transition BEFORE UPDATE OF status ON fan_custom_requests
    FOR EACH ROW EXECUTE FUNCTION fanagent_check_status_transition(
        'pending_review>accepted', 'pending_review>declined', 'accepted>fulfilled');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_custom_requests
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- The ledger. Refunds and chargebacks are new rows with their own kind, never edits.
CREATE TABLE fan_transactions (
    id                   uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id           uuid NOT NULL,
    fan_id               uuid NOT NULL,
    platform_account_id  uuid,
    kind                 text NOT NULL CHECK (kind IN
                             ('subscription', 'tip', 'ppv', 'custom', 'paid_message',
                              'refund', 'chargeback')),
    amount               numeric(10, 2) NOT NULL CHECK (amount >= 0),
    currency             char(3) NOT NULL DEFAULT 'USD',
    media_id             uuid,
    custom_request_id    uuid,
    external_id          text,
    occurred_at          timestamptz NOT NULL,
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, external_id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, platform_account_id) REFERENCES fan_platform_accounts (creator_id, id)
        ON DELETE SET NULL (platform_account_id),
    FOREIGN KEY (creator_id, media_id) REFERENCES media_assets (creator_id, id)
        ON DELETE SET NULL (media_id),
    FOREIGN KEY (creator_id, custom_request_id) REFERENCES fan_custom_requests (creator_id, id)
        ON DELETE SET NULL (custom_request_id)
);
CREATE INDEX fan_transactions_fan_time ON fan_transactions (creator_id, fan_id, occurred_at DESC);
CREATE INDEX fan_transactions_media ON fan_transactions (creator_id, media_id, fan_id)
    WHERE media_id IS NOT NULL;
SELECT fanagent_isolate_by_creator('fan_transactions');

CREATE TABLE fan_tag_values (
    creator_id  uuid NOT NULL,
    fan_id      uuid NOT NULL,
    tag         text NOT NULL CHECK (tag ~ '^[a-z0-9][a-z0-9_:-]{0,62}$'),
    value       text,
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (fan_id, tag),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_tag_values_tag ON fan_tag_values (creator_id, tag);
SELECT fanagent_isolate_by_creator('fan_tag_values');
