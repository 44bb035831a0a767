-- The application role, the creator scope and the reusable guards every later migration uses.
--
-- Tables are owned by the role that runs migrations (the admin in DATABASE_URL, or the embedded
-- server's superuser). The service connects as fanagent_app: it owns nothing, has no BYPASSRLS,
-- and every creator-owned table forces row-level security, so a query sees only the rows of the
-- creator named by the per-transaction setting app.creator_id.

DO $$
BEGIN
    CREATE ROLE fanagent_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN
    ALTER ROLE fanagent_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
END
$$;

CREATE EXTENSION IF NOT EXISTS vector;

GRANT USAGE ON SCHEMA public TO fanagent_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fanagent_app;

-- The creator the current transaction acts for; NULL (and so no rows) when none was set.
CREATE FUNCTION app_current_creator() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.creator_id', true), '')::uuid $$;

-- Enables and forces row-level security on a creator-owned table, scoped by creator_id.
CREATE FUNCTION fanagent_isolate_by_creator(tbl regclass) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY creator_isolation ON %s '
        'USING (creator_id = app_current_creator()) '
        'WITH CHECK (creator_id = app_current_creator())', tbl);
END
$$;

CREATE FUNCTION fanagent_reject_mutation() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'insert a new event instead of changing or removing an old one';
END
$$;

-- Makes a table append-only: UPDATE, DELETE and TRUNCATE fail for every role, and the
-- application role is not even granted them.
CREATE FUNCTION fanagent_make_append_only(tbl regclass) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TRIGGER append_only_rows BEFORE UPDATE OR DELETE ON %s '
        'FOR EACH ROW EXECUTE FUNCTION fanagent_reject_mutation()', tbl);
    EXECUTE format(
        'CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION fanagent_reject_mutation()', tbl);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM fanagent_app', tbl);
END
$$;

-- A status column that may only move along the edges given as trigger arguments ('from>to').
CREATE FUNCTION fanagent_check_status_transition() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status || '>' || NEW.status) = ANY (TG_ARGV) THEN
        RAISE EXCEPTION '%: status cannot move from % to %', TG_TABLE_NAME, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION fanagent_touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
