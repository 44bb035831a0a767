-- Every fan message is memory (issue 18): an inbound message keeps its MiniLM vector, written
-- by the draft that answers it (it embeds the message anyway) or, for messages a webhook
-- delivered, by the server's background embedder within seconds. A draft's recall searches the
-- fan's own past messages beside the extracted facts, and reuses the stored vector.
ALTER TABLE fan_messages ADD COLUMN embedding vector(384);

-- What the background embedder still has to do: a small index, emptied as it works.
CREATE INDEX fan_messages_unembedded ON fan_messages (creator_id, created_at)
    WHERE direction = 'inbound' AND embedding IS NULL;

-- The creators with inbound messages to embed, for the embedder (which then works in each
-- one's scope).
CREATE FUNCTION fanagent_creators_with_unembedded_messages() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT creator_id FROM fan_messages
          WHERE direction = 'inbound' AND embedding IS NULL $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_unembedded_messages() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_unembedded_messages() TO fanagent_app;
