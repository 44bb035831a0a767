-- A memory is written with its vector or not at all (issue 18). A memory without an embedding
-- is missing from every search, silently; from here on such a write fails instead: an INSERT
-- without an embedding, or an UPDATE that clears it, violates this constraint.
--
-- NOT VALID: the rows already there are not checked here, since a migration cannot run the
-- embedder and databases seeded before now hold memories without vectors. Where there are none
-- (a new database) the constraint is validated at once below; elsewhere `fanagent db migrate`
-- embeds the missing ones right after migrating and then validates it (memory/backfill.py),
-- as `fanagent memories embed-missing` does. Until then those old rows cannot be updated.

ALTER TABLE fan_memories
    ADD CONSTRAINT fan_memories_embedding_required CHECK (embedding IS NOT NULL) NOT VALID;

DO $$
BEGIN
    ALTER TABLE fan_memories VALIDATE CONSTRAINT fan_memories_embedding_required;
EXCEPTION WHEN check_violation THEN
    RAISE NOTICE 'fan_memories has rows without an embedding: `fanagent db migrate` embeds them';
END
$$;
