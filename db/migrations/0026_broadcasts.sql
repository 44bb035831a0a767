-- Message templates (0004) get their tone checked; broadcasts to a segment and their per-fan
-- deliveries (seeds 001/002: message_broadcasts, message_broadcast_deliveries), approved once for
-- the whole broadcast through the gate (hitl_action_queue), whose row for a broadcast names no fan.

ALTER TABLE message_templates
    ADD CONSTRAINT message_templates_tone CHECK
        (tone IS NULL OR tone IN ('playful', 'assertive', 'romantic', 'direct')),
    ADD CONSTRAINT message_templates_creator_id_id_key UNIQUE (creator_id, id);

-- A broadcast's approval is one gate row for every fan of it: the only action without a fan.
ALTER TABLE hitl_action_queue
    ALTER COLUMN fan_id DROP NOT NULL,
    ADD CONSTRAINT hitl_action_queue_fan_or_broadcast CHECK
        ((fan_id IS NULL) = (action = 'send_broadcast'));

-- Sent once, as approved: what it says (a template), to whom (a segment, snapshot when it is
-- sent: its rules and the fans they matched), with what (media at a price), who is left out, and
-- the summary counters the delivery job and the conversion attribution keep.
CREATE TABLE message_broadcasts (
    id                      uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id              uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    template_id             uuid NOT NULL,
    segment_id              uuid,
    segment_name            text NOT NULL,
    media_id                uuid,
    price                   numeric(10, 2) CHECK (price >= 0),
    exclude_buyers          boolean NOT NULL DEFAULT true,
    exclude_distress        boolean NOT NULL DEFAULT true,
    exclude_messaged_hours  integer CHECK (exclude_messaged_hours BETWEEN 1 AND 720),
    attribution_hours       integer NOT NULL DEFAULT 72 CHECK (attribution_hours BETWEEN 1 AND 720),
    status                  text NOT NULL DEFAULT 'awaiting_approval' CHECK (status IN
                                ('awaiting_approval', 'approved', 'sending', 'sent', 'rejected')),
    scheduled_at            timestamptz,
    hitl_action_id          uuid NOT NULL,
    snapshot_at             timestamptz,
    snapshot_rules          jsonb,
    snapshot_fan_ids        uuid[],
    recipients              integer NOT NULL DEFAULT 0 CHECK (recipients >= 0),
    queued                  integer NOT NULL DEFAULT 0 CHECK (queued >= 0),
    excluded                integer NOT NULL DEFAULT 0 CHECK (excluded >= 0),
    blocked                 integer NOT NULL DEFAULT 0 CHECK (blocked >= 0),
    skipped                 integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    converted               integer NOT NULL DEFAULT 0 CHECK (converted >= 0),
    revenue                 numeric(12, 2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
    created_by              uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    sent_at                 timestamptz,
    CHECK ((snapshot_at IS NULL) = (snapshot_fan_ids IS NULL)),
    CHECK (price IS NULL OR media_id IS NOT NULL),
    CHECK (status <> 'sent' OR sent_at IS NOT NULL),
    UNIQUE (creator_id, id),
    UNIQUE (hitl_action_id),
    FOREIGN KEY (creator_id, template_id) REFERENCES message_templates (creator_id, id),
    FOREIGN KEY (creator_id, segment_id) REFERENCES fan_segments (creator_id, id)
        ON DELETE SET NULL (segment_id),
    FOREIGN KEY (creator_id, media_id) REFERENCES media_assets (creator_id, id),
    FOREIGN KEY (creator_id, hitl_action_id) REFERENCES hitl_action_queue (creator_id, id)
);
CREATE INDEX message_broadcasts_latest ON message_broadcasts (creator_id, created_at DESC);
SELECT fanagent_isolate_by_creator('message_broadcasts');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON message_broadcasts
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();
CREATE TRIGGER status_transition BEFORE UPDATE OF status ON message_broadcasts
    FOR EACH ROW EXECUTE FUNCTION fanagent_check_status_transition(
        'awaiting_approval>approved', 'awaiting_approval>rejected', 'approved>sending',
        'sending>sent');

-- One row per fan of a broadcast's snapshot, written once (unique per broadcast and fan): queued
-- (its message in the outbox), or why not: excluded, blocked by the outbound guard, skipped (the
-- template needs what the fan lacks). Read and conversion (a purchase of the offered media within
-- the broadcast's window) are filled in later; nothing else of a row changes.
CREATE TABLE message_broadcast_deliveries (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id    uuid NOT NULL,
    broadcast_id  uuid NOT NULL,
    fan_id        uuid NOT NULL,
    status        text NOT NULL CHECK (status IN ('queued', 'excluded', 'blocked', 'skipped')),
    reason        text,
    body          text,
    message_id    uuid,
    read_at       timestamptz,
    converted_at  timestamptz,
    purchase_id   uuid REFERENCES fan_transactions (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'queued') = (message_id IS NOT NULL)),
    CHECK ((status = 'queued') = (reason IS NULL)),
    CHECK (converted_at IS NULL OR status = 'queued'),
    UNIQUE (broadcast_id, fan_id),
    FOREIGN KEY (creator_id, broadcast_id) REFERENCES message_broadcasts (creator_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, message_id) REFERENCES fan_messages (creator_id, id)
);
CREATE INDEX message_broadcast_deliveries_status
    ON message_broadcast_deliveries (creator_id, broadcast_id, status);
SELECT fanagent_isolate_by_creator('message_broadcast_deliveries');

CREATE FUNCTION fanagent_reject_delivery_rewrite() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.creator_id, NEW.broadcast_id, NEW.fan_id, NEW.status, NEW.reason, NEW.body,
        NEW.message_id, NEW.created_at)
       IS DISTINCT FROM
       (OLD.creator_id, OLD.broadcast_id, OLD.fan_id, OLD.status, OLD.reason, OLD.body,
        OLD.message_id, OLD.created_at) THEN
        RAISE EXCEPTION 'permission denied for message_broadcast_deliveries: a delivery is '
                        'written once; only its read and conversion are filled in later'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER written_once BEFORE UPDATE ON message_broadcast_deliveries
    FOR EACH ROW EXECUTE FUNCTION fanagent_reject_delivery_rewrite();
REVOKE DELETE, TRUNCATE ON message_broadcast_deliveries FROM fanagent_app;

-- A block in a broadcast is logged like any other (crm/outbound_guard.py).
ALTER TABLE outbound_guard_blocks DROP CONSTRAINT outbound_guard_blocks_path_check;
ALTER TABLE outbound_guard_blocks ADD CONSTRAINT outbound_guard_blocks_path_check
    CHECK (path IN ('send', 'approval', 'agent', 'execution', 'broadcast'));

-- The broadcast job (agent/broadcast_jobs.py) works creator by creator; the application role sees
-- no creator outside a scope, so this says which have work: broadcasts approved and due, or sent
-- and still within their conversion window.
CREATE FUNCTION fanagent_creators_with_broadcast_work(at timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT creator_id FROM message_broadcasts
        WHERE (status IN ('approved', 'sending') AND coalesce(scheduled_at, at) <= at)
           OR (status = 'sent' AND sent_at > at - make_interval(hours => attribution_hours))
    $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_broadcast_work(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_broadcast_work(timestamptz) TO fanagent_app;
