-- Automation rules (crm/automations/): a trigger with its parameters, conditions in the segment
-- rule language, an action chain and an autonomy policy (which outbound actions may skip the
-- approval gate, within which limits). automation_rule_runs and automation_rule_actions (0004)
-- stay append-only; a rule fires once per fan and period: automation_rule_firings holds that key.

ALTER TABLE automation_rules
    ADD COLUMN trigger_params jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(trigger_params) = 'object'),
    ADD COLUMN autonomy jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(autonomy) = 'object'),
    ADD CONSTRAINT automation_rules_trigger CHECK (trigger IN
        ('expiring', 'expired', 'new_subscriber', 'no_reply', 'spend_milestone', 'score_threshold',
         'tag_added')) NOT VALID,
    ADD CONSTRAINT automation_rules_conditions CHECK (jsonb_typeof(conditions) = 'object');
CREATE INDEX automation_rules_active ON automation_rules (creator_id) WHERE NOT paused;

-- A per-fan action of a run: what became of it. queued: waiting in the approval gate;
-- blocked: the outbound guard refused its message (logged in outbound_guard_blocks).
ALTER TABLE automation_rule_actions
    DROP CONSTRAINT automation_rule_actions_outcome_check,
    ADD CONSTRAINT automation_rule_actions_outcome_check CHECK (outcome IN
        ('executed', 'failed', 'skipped', 'queued', 'blocked'));
CREATE INDEX automation_rule_actions_run ON automation_rule_actions (creator_id, run_id)
    WHERE run_id IS NOT NULL;

-- Once per (rule, fan, period): the period names the occasion (the access end of an expiring
-- subscription, the message left unanswered, the milestone...). Written with the run that fired.
CREATE TABLE automation_rule_firings (
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id),
    rule_id     uuid NOT NULL,
    fan_id      uuid NOT NULL,
    period      text NOT NULL CHECK (length(period) BETWEEN 1 AND 100),
    run_id      uuid NOT NULL,
    fired_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, fan_id, period),
    FOREIGN KEY (creator_id, rule_id) REFERENCES automation_rules (creator_id, id) ON DELETE CASCADE,
    FOREIGN KEY (creator_id, run_id) REFERENCES automation_rule_runs (creator_id, id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
SELECT fanagent_isolate_by_creator('automation_rule_firings');

-- The guard stops automations' messages too.
ALTER TABLE outbound_guard_blocks
    DROP CONSTRAINT outbound_guard_blocks_path_check,
    ADD CONSTRAINT outbound_guard_blocks_path_check CHECK (path IN
        ('send', 'approval', 'agent', 'execution', 'broadcast', 'automation'));

-- "No reply for N hours after our message": our messages of a time window, creator-wide.
CREATE INDEX fan_messages_sent_time ON fan_messages (creator_id, created_at)
    WHERE direction = 'outbound' AND status IN ('queued', 'sent');
-- "Expiring in N days": paid-up access running out.
CREATE INDEX fan_activity_access_until ON fan_activity (creator_id, access_until)
    WHERE access_until IS NOT NULL;

-- A run writes its firings and actions first and its own row last, in one transaction (the row
-- is append-only, so it is written once, with its outcome).
ALTER TABLE automation_rule_actions
    ALTER CONSTRAINT automation_rule_actions_creator_id_run_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE automation_rule_firings
    ALTER CONSTRAINT automation_rule_firings_creator_id_run_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- Alerts a rule raises.
ALTER TABLE fan_alerts
    DROP CONSTRAINT fan_alerts_type_check,
    ADD CONSTRAINT fan_alerts_type_check CHECK (type IN
        ('vip_active', 'hot_lead_active', 'dormant_reactivation', 'spending_spike', 'renewal_due',
         'milestone', 'automation'));

-- The job worker's way to the creators with work, before it scopes itself to each.
CREATE FUNCTION fanagent_creators_with_active_rules() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT creator_id FROM automation_rules WHERE NOT paused $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_active_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_active_rules() TO fanagent_app;

CREATE FUNCTION fanagent_creators_with_segments() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT creator_id FROM fan_segments $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_segments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_segments() TO fanagent_app;

-- An automation's action (thread 'automation:...') has no graph thread to resume.
DROP FUNCTION fanagent_creators_with_gate_work(timestamptz);
CREATE FUNCTION fanagent_creators_with_gate_work(at timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT creator_id FROM hitl_action_queue q
        WHERE status IN ('approved', 'edited')
           OR (status = 'pending' AND expires_at <= at)
           OR (status <> 'pending' AND resumed_at IS NULL AND draft_message_id IS NULL
               AND thread_id NOT LIKE 'automation:%'
               AND NOT EXISTS (SELECT 1 FROM hitl_action_queue p
                               WHERE p.creator_id = q.creator_id AND p.thread_id = q.thread_id
                                 AND p.status = 'pending'))
    $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_gate_work(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_gate_work(timestamptz) TO fanagent_app;
