-- The stems of each memory's and each fan message's text (English, stop words left out), kept
-- with the row: recall weighs the words a fan's message shares with them (memory/search.py)
-- and reads them for every one of the fan's rows, so they are computed once, when written.

ALTER TABLE fan_memories
    ADD COLUMN lexemes text[]
    GENERATED ALWAYS AS (tsvector_to_array(to_tsvector('english'::regconfig, body))) STORED;

ALTER TABLE fan_messages
    ADD COLUMN lexemes text[]
    GENERATED ALWAYS AS (tsvector_to_array(to_tsvector('english'::regconfig, body))) STORED;
