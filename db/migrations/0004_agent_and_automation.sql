-- Voice, the approval gate, automation audit trails and the agent's event logs.

-- A persona row with fan_id NULL is the creator's default; a row with a fan_id overrides it.
CREATE TABLE fan_personas (
    id                      uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id              uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    fan_id                  uuid,
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    vocabulary_use          text[] NOT NULL DEFAULT '{}',
    vocabulary_avoid        text[] NOT NULL DEFAULT '{}',
    warmth                  real NOT NULL DEFAULT 0.7 CHECK (warmth BETWEEN 0 AND 1),
    formality               real NOT NULL DEFAULT 0.2 CHECK (formality BETWEEN 0 AND 1),
    playfulness             real NOT NULL DEFAULT 0.6 CHECK (playfulness BETWEEN 0 AND 1),
    explicitness_threshold  real NOT NULL DEFAULT 0.3 CHECK (explicitness_threshold BETWEEN 0 AND 1),
    emoji_style             text NOT NULL DEFAULT 'light' CHECK (emoji_style IN ('none', 'light', 'heavy')),
    max_emoji               smallint NOT NULL DEFAULT 2 CHECK (max_emoji BETWEEN 0 AND 20),
    length_style            text NOT NULL DEFAULT 'short' CHECK (length_style IN ('short', 'medium', 'long')),
    max_chars               integer NOT NULL DEFAULT 280 CHECK (max_chars BETWEEN 20 AND 4000),
    punctuation_style       text NOT NULL DEFAULT 'casual' CHECK (punctuation_style IN
                                ('casual', 'lowercase', 'proper', 'expressive')),
    directness              real NOT NULL DEFAULT 0.5 CHECK (directness BETWEEN 0 AND 1),
    personal_touch          real NOT NULL DEFAULT 0.7 CHECK (personal_touch BETWEEN 0 AND 1),
    promotional             real NOT NULL DEFAULT 0.3 CHECK (promotional BETWEEN 0 AND 1),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX fan_personas_one_default ON fan_personas (creator_id) WHERE fan_id IS NULL;
CREATE UNIQUE INDEX fan_personas_one_per_fan ON fan_personas (creator_id, fan_id) WHERE fan_id IS NOT NULL;
SELECT fanagent_isolate_by_creator('fan_personas');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON fan_personas
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE message_templates (
    id                 uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id         uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    platform_variants  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(platform_variants) = 'object'),
    tone               text,
    variables          text[] NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, name)
);
SELECT fanagent_isolate_by_creator('message_templates');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON message_templates
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

-- The pre-execution approval gate: nothing in here has run yet until status says so.
CREATE TABLE hitl_action_queue (
    id             uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id     uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    fan_id         uuid NOT NULL,
    thread_id      text NOT NULL,
    action         text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]{1,60}$'),
    args           jsonb NOT NULL CHECK (jsonb_typeof(args) = 'object'),
    draft          text,
    reason         text NOT NULL,
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN
                       ('pending', 'approved', 'edited', 'rejected', 'expired', 'superseded',
                        'executed', 'failed')),
    edited_args    jsonb CHECK (edited_args IS NULL OR jsonb_typeof(edited_args) = 'object'),
    decided_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    decided_at     timestamptz,
    decision_note  text,
    expires_at     timestamptz,
    executed_at    timestamptz,
    result         jsonb,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'edited') = (edited_args IS NOT NULL) OR status IN ('executed', 'failed')),
    CHECK (status = 'pending' OR decided_at IS NOT NULL),
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX hitl_action_queue_pending ON hitl_action_queue (creator_id, created_at)
    WHERE status = 'pending';
CREATE INDEX hitl_action_queue_thread ON hitl_action_queue (creator_id, thread_id);
SELECT fanagent_isolate_by_creator('hitl_action_queue');
CREATE TRIGGER status_transition BEFORE UPDATE OF status ON hitl_action_queue
    FOR EACH ROW EXECUTE FUNCTION fanagent_check_status_transition(
        'pending>approved', 'pending>edited', 'pending>rejected', 'pending>expired',
        'pending>superseded', 'approved>executed', 'approved>failed', 'edited>executed',
        'edited>failed');

CREATE TABLE automation_rules (
    id          uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    trigger     text NOT NULL,
    conditions  jsonb NOT NULL DEFAULT '{}',
    actions     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(actions) = 'array'),
    paused      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (creator_id, name),
    UNIQUE (creator_id, id)
);
SELECT fanagent_isolate_by_creator('automation_rules');
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON automation_rules
    FOR EACH ROW EXECUTE FUNCTION fanagent_touch_updated_at();

CREATE TABLE automation_rule_runs (
    id                 uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id         uuid NOT NULL REFERENCES creator_profiles (creator_id),
    rule_id            uuid,
    triggered_by       text NOT NULL,
    matched_fan_count  integer NOT NULL DEFAULT 0 CHECK (matched_fan_count >= 0),
    outcome            text NOT NULL CHECK (outcome IN ('succeeded', 'partial', 'failed', 'skipped')),
    detail             jsonb NOT NULL DEFAULT '{}',
    started_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    UNIQUE (creator_id, id),
    FOREIGN KEY (creator_id, rule_id) REFERENCES automation_rules (creator_id, id)
);
CREATE INDEX automation_rule_runs_rule ON automation_rule_runs (creator_id, rule_id, started_at);
SELECT fanagent_isolate_by_creator('automation_rule_runs');
SELECT fanagent_make_append_only('automation_rule_runs');

-- The lowest-level audit trail: one row per executed action, from a rule or from the agent's
-- approved queue item (hitl_action_id is unique, so an approved action is recorded once).
CREATE TABLE automation_rule_actions (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id      uuid NOT NULL REFERENCES creator_profiles (creator_id),
    run_id          uuid,
    hitl_action_id  uuid UNIQUE,
    fan_id          uuid NOT NULL,
    action          text NOT NULL,
    args            jsonb NOT NULL DEFAULT '{}',
    outcome         text NOT NULL CHECK (outcome IN ('executed', 'failed', 'skipped')),
    detail          jsonb NOT NULL DEFAULT '{}',
    executed_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (run_id IS NOT NULL OR hitl_action_id IS NOT NULL),
    FOREIGN KEY (creator_id, run_id) REFERENCES automation_rule_runs (creator_id, id),
    FOREIGN KEY (creator_id, hitl_action_id) REFERENCES hitl_action_queue (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id)
);
CREATE INDEX automation_rule_actions_fan ON automation_rule_actions (creator_id, fan_id, executed_at);
SELECT fanagent_isolate_by_creator('automation_rule_actions');
SELECT fanagent_make_append_only('automation_rule_actions');

-- One row per (message, signal) the classifier found; the 14 buying-intent signals of seed 003.
CREATE TABLE fan_intent_events (
    id           uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id   uuid NOT NULL,
    fan_id       uuid NOT NULL,
    message_id   uuid NOT NULL,
    signal       text NOT NULL CHECK (signal IN
                     ('ready_to_buy', 'wants_custom', 'price_question', 'discount_request',
                      'wants_more', 'high_intent', 'churn_risk', 'escalation_intent',
                      'trust_intent', 'attention_intent', 'status_intent', 'emotional_support',
                      'entertainment', 'boundary_testing', 'none')),
    confidence   real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    classifier   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id),
    FOREIGN KEY (creator_id, message_id) REFERENCES fan_messages (creator_id, id)
);
CREATE INDEX fan_intent_events_fan ON fan_intent_events (creator_id, fan_id, created_at DESC);
CREATE INDEX fan_intent_events_message ON fan_intent_events (creator_id, message_id);
SELECT fanagent_isolate_by_creator('fan_intent_events');
SELECT fanagent_make_append_only('fan_intent_events');

-- Stage changes, milestones and follow-ups over a fan's life (seed 003).
CREATE TABLE fan_lifecycle_events (
    id           uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id   uuid NOT NULL,
    fan_id       uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('stage_change', 'milestone', 'follow_up')),
    from_stage   text,
    to_stage     text,
    detail       text,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'stage_change' OR to_stage IS NOT NULL),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id)
);
CREATE INDEX fan_lifecycle_events_fan ON fan_lifecycle_events (creator_id, fan_id, occurred_at);
SELECT fanagent_isolate_by_creator('fan_lifecycle_events');
SELECT fanagent_make_append_only('fan_lifecycle_events');
