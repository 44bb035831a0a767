-- Fans whose derived figures wait for a refresh after new events. A webhook queues its fan in the
-- event's transaction (one row per fan however many events arrive); the server's refresher takes
-- them in batches, one set-based recompute per batch of a creator (db/intelligence/queue.py). So
-- an event costs its delivery one upsert instead of a whole recompute of the fan, and a fan with
-- a burst of events is recomputed once.
CREATE TABLE fan_refresh_queue (
    creator_id  uuid NOT NULL,
    fan_id      uuid NOT NULL,
    queued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (creator_id, fan_id),
    FOREIGN KEY (creator_id, fan_id) REFERENCES fan_profiles (creator_id, id) ON DELETE CASCADE
);
CREATE INDEX fan_refresh_queue_oldest ON fan_refresh_queue (creator_id, queued_at);
SELECT fanagent_isolate_by_creator('fan_refresh_queue');

-- The creators with queued fans, for the refresher (which then works in each one's scope).
CREATE FUNCTION fanagent_creators_with_queued_refreshes() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT creator_id FROM fan_refresh_queue $$;
REVOKE ALL ON FUNCTION fanagent_creators_with_queued_refreshes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_creators_with_queued_refreshes() TO fanagent_app;
