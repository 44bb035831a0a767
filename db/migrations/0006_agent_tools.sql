-- What the agent's write tools need: which actions a creator wants to approve, the discounts the
-- agent offers, and the queue row an outbound message was executed for.

-- Per-creator overrides of the default approval policy (tools/policy.py holds the defaults).
CREATE TABLE approval_policies (
    creator_id         uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    action             text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]{1,60}$'),
    requires_approval  boolean NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (creator_id, action)
);
SELECT fanagent_isolate_by_creator('approval_policies');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON approval_policies
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- Discounts offered to a fan, on one PPV (media_id) or on the next purchase (media_id NULL).
-- hitl_action_id is the approved queue row that created the offer: executing it again finds
-- this row instead of offering twice.
CREATE TABLE fan_offers (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id      uuid NOT NULL,
    fan_id          uuid NOT NULL,
    kind            text NOT NULL DEFAULT 'discount' CHECK (kind IN ('discount')),
    percent         smallint NOT NULL CHECK (percent BETWEEN 1 AND 90),
    media_id        uuid,
    expires_at      timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'offered' CHECK (status IN
                        ('offered', 'redeemed', 'expired', 'withdrawn')),
    hitl_action_id  uuid UNIQUE,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at > created_at),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, media_id) REFERENCES media_assets (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, hitl_action_id) REFERENCES hitl_action_queue (creator_id, id)
);
CREATE INDEX fan_offers_fan ON fan_offers (creator_id, fan_id, created_at DESC);
SELECT fanagent_isolate_by_creator('fan_offers');
CREATE TRIGGER status_transition BEFORE UPDATE OF status ON fan_offers
    FOR EACH ROW EXECUTE FUNCTION fanagent_check_status_transition(
        'offered>redeemed', 'offered>expired', 'offered>withdrawn');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_offers
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- An outbound message queued by an approved action carries that action: executing it again
-- finds the message instead of sending it twice.
ALTER TABLE fan_messages
    ADD COLUMN hitl_action_id uuid UNIQUE,
    ADD CHECK (hitl_action_id IS NULL OR direction = 'outbound'),
    ADD FOREIGN KEY (creator_id, hitl_action_id) REFERENCES hitl_action_queue (creator_id, id);
