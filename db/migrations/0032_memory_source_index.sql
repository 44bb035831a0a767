-- The memories that cite a message: a message some memory cites is not read for facts again
-- (crm/episodes.py).
CREATE INDEX fan_memories_source ON fan_memories (creator_id, source_message_id)
    WHERE source_message_id IS NOT NULL;
