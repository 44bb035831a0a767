-- A draft remembers the agent run that wrote it: the approval inbox shows what the agent knew,
-- and a regenerated draft answers the same fan message.
ALTER TABLE fan_messages ADD COLUMN thread_id text;

-- A draft a chatter sends becomes a send_message action that carries the draft: one send per
-- draft, and the draft as the agent wrote it stays beside the text that was sent.
ALTER TABLE hitl_action_queue
    ADD COLUMN draft_message_id uuid,
    ADD UNIQUE (creator_id, draft_message_id),
    ADD FOREIGN KEY (creator_id, draft_message_id) REFERENCES fan_messages (creator_id, id);
