-- Reply suggestions: the creator's own past replies to fan messages like the one being answered,
-- found by the words of the fan's message and by its buying signals.
CREATE INDEX fan_messages_inbound_words ON fan_messages
    USING gin (to_tsvector('english', body)) WHERE direction = 'inbound';
CREATE INDEX fan_intent_events_signal ON fan_intent_events (creator_id, signal, created_at DESC);
