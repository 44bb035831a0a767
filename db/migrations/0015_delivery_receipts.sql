-- A platform reports that an outbox message reached the fan: the event is stored like the others.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check CHECK (type IN
    ('subscription', 'tip', 'ppv_unlock', 'transaction', 'message', 'message_delivered'));
