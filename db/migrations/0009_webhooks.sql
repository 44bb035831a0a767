-- Platform webhooks (db/webhooks/): the secret each creator shares with each platform, and every
-- event received, so a delivery that comes again is recognised by its id and changes nothing.

-- The raw secret is stored: verifying an HMAC needs it (a digest would not do). The service role
-- reads it only in the creator's own scope; nothing logs it, and the CLI prints it once.
CREATE TABLE webhook_secrets (
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    platform    text NOT NULL CHECK (platform ~ '^[a-z][a-z0-9_]{1,30}$'),
    secret      text NOT NULL CHECK (length(secret) BETWEEN 32 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz,
    PRIMARY KEY (creator_id, platform)
);
SELECT fanagent_isolate_by_creator('webhook_secrets');
REVOKE DELETE, TRUNCATE ON webhook_secrets FROM fanagent_app;

-- One row per event a platform delivered. The row and the event's effects (a transaction, a
-- subscription change, a message) commit together: a replay finds the row and writes nothing.
-- The service never changes or removes a row; the admin may purge old ones (retention), and
-- erasing a fan erases the payloads about them.
CREATE TABLE webhook_events (
    id           uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id   uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    fan_id       uuid NOT NULL,
    platform     text NOT NULL CHECK (platform ~ '^[a-z][a-z0-9_]{1,30}$'),
    event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
    type         text NOT NULL CHECK (type IN
                     ('subscription', 'tip', 'ppv_unlock', 'transaction', 'message')),
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    payload      jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    UNIQUE (creator_id, platform, event_id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_events_fan ON webhook_events (creator_id, fan_id);
CREATE INDEX webhook_events_received ON webhook_events (creator_id, received_at);
SELECT fanagent_isolate_by_creator('webhook_events');
REVOKE UPDATE, DELETE, TRUNCATE ON webhook_events FROM fanagent_app;
