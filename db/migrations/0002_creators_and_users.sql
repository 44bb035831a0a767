-- Creators, the people who work for them, and how those people authenticate.

CREATE TABLE creator_profiles (
    creator_id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    handle            text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9_.-]{2,40}$'),
    display_name      text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    timezone          text NOT NULL DEFAULT 'UTC',
    onboarding_state  text NOT NULL DEFAULT 'active'
                      CHECK (onboarding_state IN ('invited', 'connecting', 'active', 'paused')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
SELECT fanagent_isolate_by_creator('creator_profiles');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON creator_profiles
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- A person who logs in; one user may work for several creators (an agency's chatter).
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL UNIQUE CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE TABLE creator_assignments (
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('owner', 'manager', 'chatter')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (creator_id, user_id)
);
CREATE INDEX creator_assignments_user ON creator_assignments (user_id);
SELECT fanagent_isolate_by_creator('creator_assignments');

-- Users are global (one person, several creators): the admin manages them; the application
-- role sees only the users assigned to the creator of its current scope, and cannot add any.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY assigned_to_current_creator ON users FOR SELECT TO fanagent_app
    USING (EXISTS (SELECT 1 FROM creator_assignments a WHERE a.user_id = users.id));
REVOKE INSERT, UPDATE, DELETE ON users FROM fanagent_app;

-- API keys are stored as SHA-256 digests; the application role cannot read this table at all.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_prefix    text NOT NULL CHECK (length(key_prefix) BETWEEN 4 AND 16),
    key_sha256    bytea NOT NULL UNIQUE CHECK (length(key_sha256) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);
REVOKE ALL ON api_keys FROM fanagent_app;
