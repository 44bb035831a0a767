-- Cross-fan memory search indexes one vector per distinct memory text of a creator, not one per
-- memory.
--
-- Memories repeat their texts: the pattern extractor writes templated facts ("Works as a
-- nurse"), so a text can be shared by hundreds of a creator's fans. An HNSW graph over one
-- point per memory keeps up to ten identical vectors per element; hundreds of copies of one
-- vector fill each other's neighbour lists and form islands the search enters and cannot leave.
-- At 1 M memories recall against exact search fell to 0.23 (bench/README.md). Over the distinct
-- texts the graph is a few thousand points per creator, and search reaches the memories through
-- (creator_id, md5(body)).
--
-- Triggers keep the table in step with fan_memories, in the writer's own transaction and scope:
-- a memory with an embedding adds its text (a new embedding of a text replaces the old one), and
-- the last memory of a text to go takes its vector with it. A memory inserted while another
-- transaction deletes the last memory of the same text can lose its text row (read committed);
-- such a memory is then missing from cross-fan search only, until a memory of that text is
-- written again.

CREATE TABLE fan_memory_texts (
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id) ON DELETE CASCADE,
    body_md5    text NOT NULL CHECK (body_md5 ~ '^[0-9a-f]{32}$'),
    embedding   vector(384) NOT NULL,
    PRIMARY KEY (creator_id, body_md5)
);
SELECT fanagent_isolate_by_creator('fan_memory_texts');

-- The memories of a text in id order (the join from a text found), and whether a text still has any.
CREATE INDEX fan_memories_text ON fan_memories (creator_id, md5(body), id);

INSERT INTO fan_memory_texts (creator_id, body_md5, embedding)
SELECT DISTINCT ON (creator_id, md5(body)) creator_id, md5(body), embedding
FROM fan_memories
WHERE embedding IS NOT NULL
ORDER BY creator_id, md5(body), updated_at DESC;

CREATE INDEX fan_memory_texts_embedding ON fan_memory_texts
    USING hnsw (embedding vector_cosine_ops);
DROP INDEX fan_memories_embedding;

CREATE FUNCTION fanagent_keep_memory_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fan_memory_texts (creator_id, body_md5, embedding)
    VALUES (NEW.creator_id, md5(NEW.body), NEW.embedding)
    ON CONFLICT (creator_id, body_md5) DO UPDATE SET embedding = EXCLUDED.embedding
        WHERE fan_memory_texts.embedding <> EXCLUDED.embedding;
    RETURN NULL;
END
$$;

CREATE FUNCTION fanagent_forget_memory_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM fan_memory_texts t
    WHERE t.creator_id = OLD.creator_id AND t.body_md5 = md5(OLD.body)
      AND NOT EXISTS (
          SELECT 1 FROM fan_memories m
          WHERE m.creator_id = OLD.creator_id AND md5(m.body) = md5(OLD.body));
    RETURN NULL;
END
$$;

CREATE TRIGGER keep_text_on_insert AFTER INSERT ON fan_memories
    FOR EACH ROW WHEN (NEW.embedding IS NOT NULL) EXECUTE FUNCTION fanagent_keep_memory_text();
CREATE TRIGGER keep_text_on_update AFTER UPDATE OF body, embedding ON fan_memories
    FOR EACH ROW WHEN (NEW.embedding IS NOT NULL
                       AND (NEW.body, NEW.embedding) IS DISTINCT FROM (OLD.body, OLD.embedding))
    EXECUTE FUNCTION fanagent_keep_memory_text();
CREATE TRIGGER forget_text_on_delete AFTER DELETE ON fan_memories
    FOR EACH ROW EXECUTE FUNCTION fanagent_forget_memory_text();
CREATE TRIGGER forget_text_on_update AFTER UPDATE OF body ON fan_memories
    FOR EACH ROW WHEN (NEW.body IS DISTINCT FROM OLD.body)
    EXECUTE FUNCTION fanagent_forget_memory_text();
