-- Closes the race migration 0011 left: a memory inserted while another transaction deleted the
-- last memory with the same text could lose its text row. The insert's upsert locks the text
-- row (ON CONFLICT DO UPDATE locks it even when its WHERE is false); the delete now takes that
-- lock first and only then, in a statement of its own (a fresh snapshot under read committed),
-- looks for the text's remaining memories, so it sees a memory whose insert it waited for.
CREATE OR REPLACE FUNCTION fanagent_forget_memory_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM fan_memory_texts
    WHERE creator_id = OLD.creator_id AND body_md5 = md5(OLD.body)
    FOR UPDATE;
    DELETE FROM fan_memory_texts t
    WHERE t.creator_id = OLD.creator_id AND t.body_md5 = md5(OLD.body)
      AND NOT EXISTS (
          SELECT 1 FROM fan_memories m
          WHERE m.creator_id = OLD.creator_id AND md5(m.body) = md5(OLD.body));
    RETURN NULL;
END
$$;
