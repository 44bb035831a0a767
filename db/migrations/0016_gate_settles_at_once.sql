-- A decision settles its own action at once; the thread's reply follows when no sibling action
-- of the same model turn is still pending.
--
-- resumed_at: when the thread went on past the gate after this row was decided (or when no
-- reply became due: superseded). A decided row without it is a reply a crash left unwritten,
-- which the recovery sweep finishes.
ALTER TABLE hitl_action_queue ADD COLUMN resumed_at timestamptz;
UPDATE hitl_action_queue SET resumed_at = coalesce(executed_at, decided_at)
WHERE status <> 'pending';
CREATE INDEX hitl_action_queue_unresumed ON hitl_action_queue (creator_id, thread_id)
    WHERE status <> 'pending' AND resumed_at IS NULL;

-- A newer fan message cancels what was approved but has not run yet, as it does what is pending:
-- the conversation it answered moved on. A superseded edit keeps its edited arguments.
DROP TRIGGER status_transition ON hitl_action_queue;
CREATE TRIGGER status_transition BEFORE UPDATE OF status ON hitl_action_queue
    FOR EACH ROW EXECUTE FUNCTION fanagent_check_status_transition(
        'pending>approved', 'pending>edited', 'pending>rejected', 'pending>expired',
        'pending>superseded', 'approved>executed', 'approved>failed', 'edited>executed',
        'edited>failed', 'approved>superseded', 'edited>superseded');
ALTER TABLE hitl_action_queue DROP CONSTRAINT hitl_action_queue_check;
ALTER TABLE hitl_action_queue ADD CONSTRAINT hitl_action_queue_edited_check CHECK
    ((status = 'edited') = (edited_args IS NOT NULL) OR status IN ('executed', 'failed', 'superseded'));

-- The creators whose queue needs the gate's housekeeping: a decided action not yet executed, a
-- pending one past its expiry, or a decided thread whose reply was never written (no sibling
-- pending). Creator ids only, as before.
DROP FUNCTION fanagent_creators_with_gate_work(timestamptz);
CREATE FUNCTION fanagent_creators_with_gate_work(at timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT creator_id FROM hitl_action_queue q
        WHERE status IN ('approved', 'edited')
           OR (status = 'pending' AND expires_at <= at)
           OR (status <> 'pending' AND resumed_at IS NULL AND draft_message_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM hitl_action_queue p
                               WHERE p.creator_id = q.creator_id AND p.thread_id = q.thread_id
                                 AND p.status = 'pending'))
    $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_gate_work(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_gate_work(timestamptz) TO fanagent_app;
