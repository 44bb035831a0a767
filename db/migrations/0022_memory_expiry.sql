-- A plan the fan mentioned ("going to Vegas next week") stops being true once its time is over:
-- expires_at is that moment (NULL: the fact does not expire). Search leaves expired memories
-- out (memory/search.py); they stay in the fan's list and history.

ALTER TABLE fan_memories ADD COLUMN expires_at timestamptz;
