-- Fan memory: what a fact is about, so a changed fact can replace the one it changes.
--
-- subject names the slot a fact fills for its fan and kind ('city', 'job', 'birthday',
-- 'pet:dog'): a new fact with the subject of a current one supersedes it (memory/remember.py).
-- NULL for facts that accumulate rather than change (things a fan loves, trips mentioned).

ALTER TABLE fan_memories
    ADD COLUMN subject text CHECK (subject ~ '^[a-z][a-z0-9_:-]{0,62}$');

CREATE INDEX fan_memories_current_subject ON fan_memories (creator_id, fan_id, kind, subject)
    WHERE superseded_by IS NULL AND subject IS NOT NULL;

-- The older versions of a fact (history) and ON DELETE SET NULL (superseded_by) find their rows
-- here; the partial index of 0003 holds only current facts.
CREATE INDEX fan_memories_superseded_by ON fan_memories (creator_id, superseded_by)
    WHERE superseded_by IS NOT NULL;
