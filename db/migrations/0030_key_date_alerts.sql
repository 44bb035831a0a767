-- The day a key date comes back each year ("Birthday is March 14", "Wedding anniversary is June
-- 2", as memories word them), in the year 2000 (a leap year: February 29 fits); null for every
-- other memory. Computed from the memory itself, so every writer gets it alike.
CREATE FUNCTION fanagent_recurs_on(kind text, body text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT make_date(2000, month, day)
    FROM (
        SELECT array_position(ARRAY['january', 'february', 'march', 'april', 'may', 'june',
                                    'july', 'august', 'september', 'october', 'november',
                                    'december'], lower(found[1])) AS month,
               found[2]::int AS day
        FROM regexp_match(body,
            '\m(January|February|March|April|May|June|July|August|September|October|November'
            '|December) ([0-9]{1,2})\s*$', 'i') AS found
    ) parsed
    WHERE kind = 'key_date'
      AND day BETWEEN 1 AND extract(day FROM make_date(2000, month, 1) + interval '1 month - 1 day')
$$;

ALTER TABLE fan_memories
    ADD COLUMN recurs_on date GENERATED ALWAYS AS (fanagent_recurs_on(kind, body)) STORED;
CREATE INDEX fan_memories_recurring ON fan_memories (creator_id, fan_id)
    WHERE recurs_on IS NOT NULL AND superseded_by IS NULL;

-- An alert a few days before a fan's key date.
ALTER TABLE fan_alerts
    DROP CONSTRAINT fan_alerts_type_check,
    ADD CONSTRAINT fan_alerts_type_check CHECK (type IN
        ('vip_active', 'hot_lead_active', 'dormant_reactivation', 'spending_spike', 'renewal_due',
         'milestone', 'automation', 'key_date'));
