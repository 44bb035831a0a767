-- When a fan entered a segment's materialised membership: kept while the fan stays a member,
-- new when a fan who left comes back (the segment_entered trigger fires once per entry).
ALTER TABLE fan_segment_members ADD COLUMN entered_at timestamptz;
UPDATE fan_segment_members SET entered_at = evaluated_at;
ALTER TABLE fan_segment_members
    ALTER COLUMN entered_at SET NOT NULL,
    ALTER COLUMN entered_at SET DEFAULT now();
CREATE INDEX fan_segment_members_entered ON fan_segment_members (segment_id, entered_at);

-- The triggers a rule may have: the earlier ones, a segment entered, a trial started/converted.
ALTER TABLE automation_rules
    DROP CONSTRAINT automation_rules_trigger,
    ADD CONSTRAINT automation_rules_trigger CHECK (trigger IN
        ('expiring', 'expired', 'new_subscriber', 'no_reply', 'spend_milestone', 'score_threshold',
         'tag_added', 'segment_entered', 'trial_started', 'trial_converted')) NOT VALID;
