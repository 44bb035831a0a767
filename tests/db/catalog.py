"""What the live catalog says about the schema: tables, policies, triggers, owners."""

import psycopg

GLOBAL_TABLES = frozenset({"schema_migrations", "users", "api_keys"})


def public_tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    ).fetchall()
    return {r[0] for r in rows}


def creator_owned_tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'creator_id'"
        " AND NOT a.attisdropped"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    ).fetchall()
    return {r[0] for r in rows}


def tables_with_trigger(conn: psycopg.Connection, trigger: str) -> set[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND t.tgname = %s",
        [trigger],
    ).fetchall()
    return {r[0] for r in rows}
