-- A plan the fan mentioned ("going to Vegas next week") stops being ahead once its time is over:
-- expires_at is that moment (NULL: the fact does not expire). From then on the fan's recall shows
-- it as past (memory/types.py Memory.body_on) and search across fans leaves it out.

ALTER TABLE fan_memories ADD COLUMN expires_at timestamptz;
