-- What the outbound guard (crm/outbound_guard.py) kept from reaching a fan: one row per blocked
-- attempt, with the rule's category, the reason a person reads, the words that tripped it and the
-- whole text. The creator's own rows (forced row-level security), append-only: a log, not a queue.
CREATE TABLE outbound_guard_blocks (
    id          uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    creator_id  uuid NOT NULL REFERENCES creator_profiles (creator_id),
    fan_id      uuid NOT NULL,
    path        text NOT NULL CHECK (path IN ('send', 'approval', 'agent', 'execution')),
    category    text NOT NULL CHECK (category IN
                    ('off_platform_payment', 'off_platform_contact', 'meeting_in_person',
                     'prohibited_content', 'minor')),
    reason      text NOT NULL,
    matched     text NOT NULL,
    body        text NOT NULL,
    user_id     uuid REFERENCES users (id),
    action_id   uuid,
    blocked_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id)
);
CREATE INDEX outbound_guard_blocks_latest ON outbound_guard_blocks (creator_id, blocked_at DESC);
SELECT fanagent_isolate_by_creator('outbound_guard_blocks');
SELECT fanagent_make_append_only('outbound_guard_blocks');
