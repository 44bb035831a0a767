-- The agent's approval gate and its graph checkpoints.
--
-- A gated tool call becomes one queue row per (thread, tool call): proposing it again after a
-- crash finds the row instead of adding a second one. requested_by is who asked for the draft.

ALTER TABLE hitl_action_queue
    ADD COLUMN tool_call_id  text CHECK (length(tool_call_id) BETWEEN 1 AND 200),
    ADD COLUMN requested_by  uuid REFERENCES users (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX hitl_action_queue_call ON hitl_action_queue (creator_id, thread_id, tool_call_id)
    WHERE tool_call_id IS NOT NULL;
CREATE INDEX hitl_action_queue_fan_pending ON hitl_action_queue (creator_id, fan_id)
    WHERE status = 'pending';
CREATE INDEX hitl_action_queue_decided ON hitl_action_queue (creator_id, decided_at)
    WHERE status IN ('approved', 'edited');

-- LangGraph's Postgres checkpointer keeps its tables here (db/checkpoints.py creates them with
-- the saver's own migrations). Thread ids start with the creator's id; the service reaches a
-- thread only through a queue row or draft it found under row-level security.
CREATE SCHEMA IF NOT EXISTS langgraph;
GRANT USAGE ON SCHEMA langgraph TO fanagent_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA langgraph
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fanagent_app;

-- The creators whose queue needs the gate's housekeeping: a decided action not yet executed (a
-- crash came between decision and execution) or a pending one past its expiry. Row-level
-- security hides every creator from a session without a scope, so recovery asks this function
-- (creator ids only, nothing else) and then works inside each creator's scope. It runs as the
-- tables' owner, who is held to the forced policies too unless a superuser: this read-only
-- policy lets the owner role (never fanagent_app) see the queue.
DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_gate_sweep ON hitl_action_queue FOR SELECT TO %I '
                   'USING (true)', current_user);
END
$$;
CREATE FUNCTION fanagent_creators_with_gate_work(at timestamptz) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT DISTINCT creator_id FROM hitl_action_queue
        WHERE status IN ('approved', 'edited') OR (status = 'pending' AND expires_at <= at)
    $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_gate_work(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_gate_work(timestamptz) TO fanagent_app;
