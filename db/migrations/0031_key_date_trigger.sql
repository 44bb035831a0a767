-- A rule may fire on a fan's key date (a birthday, an anniversary) coming.
ALTER TABLE automation_rules
    DROP CONSTRAINT automation_rules_trigger,
    ADD CONSTRAINT automation_rules_trigger CHECK (trigger IN
        ('expiring', 'expired', 'new_subscriber', 'no_reply', 'spend_milestone', 'score_threshold',
         'tag_added', 'segment_entered', 'trial_started', 'trial_converted', 'key_date')) NOT VALID;
