-- Writers of memories sharing a text (many fans' "Has a dog named Max") no longer wait on each
-- other. The upsert of 0011 locked the text's row exclusively, even when it changed nothing,
-- and the int8 encoder gives one text a slightly different vector in each batch, so it changed
-- it nearly every time: two writers taking two shared texts in opposite orders deadlocked.
--
-- The writer now takes a share lock on the text's row: shared locks never conflict with each
-- other, and a delete of the text's last memory (FOR UPDATE, migration 0013) still waits for
-- the writer's commit and then sees its memory. A text keeps its vector unless a new one is
-- another model's (cosine distance above 0.1; one model's vectors of a text differ by less than
-- 0.05 from batch to batch). A text no memory had is inserted, or share-locked once the writer
-- that inserted it first has committed.
CREATE OR REPLACE FUNCTION fanagent_keep_memory_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM fan_memory_texts
    WHERE creator_id = NEW.creator_id AND body_md5 = md5(NEW.body)
    FOR SHARE;
    IF FOUND THEN
        UPDATE fan_memory_texts SET embedding = NEW.embedding
        WHERE creator_id = NEW.creator_id AND body_md5 = md5(NEW.body)
          AND (embedding <=> NEW.embedding) > 0.1;
        RETURN NULL;
    END IF;
    INSERT INTO fan_memory_texts (creator_id, body_md5, embedding)
    VALUES (NEW.creator_id, md5(NEW.body), NEW.embedding)
    ON CONFLICT (creator_id, body_md5) DO NOTHING;
    IF NOT FOUND THEN
        PERFORM 1 FROM fan_memory_texts
        WHERE creator_id = NEW.creator_id AND body_md5 = md5(NEW.body)
        FOR SHARE;
    END IF;
    RETURN NULL;
END
$$;
