-- Authentication of API keys for the service role, which cannot read api_keys at all.
--
-- fanagent_authenticate(digest) answers, for an unrevoked key of an enabled user, the creators
-- that user works for and the role for each: nothing about any other key or user. It runs as
-- the tables' owner; creator_assignments forces row-level security on its owner too (unless a
-- superuser), so a read-only policy for the owner role lets the function see the assignments.

DO $$
BEGIN
    EXECUTE format('CREATE POLICY owner_authenticates ON creator_assignments FOR SELECT TO %I '
                   'USING (true)', current_user);
END
$$;

CREATE FUNCTION fanagent_authenticate(digest bytea)
    RETURNS TABLE (user_id uuid, key_id uuid, creator_id uuid, role text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
DECLARE
    found_key api_keys%ROWTYPE;
BEGIN
    SELECT k.* INTO found_key FROM api_keys k JOIN users u ON u.id = k.user_id
    WHERE k.key_sha256 = digest AND k.revoked_at IS NULL AND u.disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- At most one write a minute per key, so authentication stays a read on the hot path.
    UPDATE api_keys SET last_used_at = now()
    WHERE id = found_key.id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
    RETURN QUERY
        SELECT found_key.user_id, found_key.id, a.creator_id, a.role
        FROM creator_assignments a WHERE a.user_id = found_key.user_id
        ORDER BY a.creator_id;
END
$$;
REVOKE ALL ON FUNCTION fanagent_authenticate(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fanagent_authenticate(bytea) TO fanagent_app;
