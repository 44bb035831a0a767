"""Creator isolation is enforced by PostgreSQL row-level security, table by table.

The table list comes from the catalog, so a table added later without creator_id, a policy or a
row in crm_rows.INSERTS fails here.
"""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import errors, sql

from db.connect import APP_ROLE, DatabaseTarget, creator_scope
from tests.db import catalog
from tests.db.crm_rows import INSERTS, create_creator_with_everything


@pytest.fixture(scope="module")
def creators(database: DatabaseTarget) -> tuple[UUID, UUID]:
    creator_a, _ = create_creator_with_everything(database)
    creator_b, _ = create_creator_with_everything(database)
    return creator_a, creator_b


@pytest.fixture(scope="module")
def owned_tables(database: DatabaseTarget) -> list[str]:
    with psycopg.connect(database.admin_url) as conn:
        return sorted(catalog.creator_owned_tables(conn))


@pytest.fixture
def app_conn(database: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database.app_url) as conn:
        yield conn


def test_every_table_is_creator_owned_or_declared_global(database: DatabaseTarget) -> None:
    with psycopg.connect(database.admin_url) as conn:
        unowned = catalog.public_tables(conn) - catalog.creator_owned_tables(conn)
    assert unowned == catalog.GLOBAL_TABLES


def test_every_creator_owned_table_has_a_fixture_row(owned_tables: list[str]) -> None:
    assert set(owned_tables) == set(INSERTS)


def test_every_creator_owned_table_forces_a_creator_policy(
    database: DatabaseTarget, owned_tables: list[str]
) -> None:
    with psycopg.connect(database.admin_url) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname"
            "   AND p.qual = %(policy)s AND p.with_check = %(policy)s),"
            # Policies the service's role could use: for it or for everyone (the owner's
            # read-only sweep policy on hitl_action_queue does not apply to it).
            " (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname"
            "   AND p.roles && ARRAY['public', 'fanagent_app']::name[])"
            " FROM pg_class c WHERE c.relname = ANY(%(tables)s)",
            {"tables": owned_tables, "policy": "(creator_id = app_current_creator())"},
        ).fetchall()
    not_isolated = [r[0] for r in rows if not (r[1] and r[2] and r[3] == 1 and r[4] == 1)]
    assert len(rows) == len(owned_tables)
    assert not_isolated == []


def test_app_role_owns_nothing_and_cannot_bypass_rls(database: DatabaseTarget) -> None:
    with psycopg.connect(database.admin_url) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = %s",
            [APP_ROLE],
        ).fetchone()
        owned = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = %s",
            [APP_ROLE],
        ).fetchone()
    assert role == (False, False, False)
    assert owned == (0,)


def test_without_a_scope_the_app_sees_no_rows(
    creators: tuple[UUID, UUID], owned_tables: list[str], app_conn: psycopg.Connection[Any]
) -> None:
    visible = {
        table: app_conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()
        for table in owned_tables
    }
    assert {t: n for t, n in visible.items() if n != (0,)} == {}


def test_scoped_reads_see_only_own_rows(
    creators: tuple[UUID, UUID], owned_tables: list[str], app_conn: psycopg.Connection[Any]
) -> None:
    creator_a, creator_b = creators
    leaks, empty = [], []
    with creator_scope(app_conn, creator_a):
        for table in owned_tables:
            t = sql.Identifier(table)
            other = app_conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE creator_id = %s").format(t), [creator_b]
            ).fetchone()
            foreign = app_conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE creator_id <> %s").format(t), [creator_a]
            ).fetchone()
            own = app_conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE creator_id = %s").format(t), [creator_a]
            ).fetchone()
            if other != (0,) or foreign != (0,):
                leaks.append(table)
            if own == (0,):
                empty.append(table)
    assert leaks == []
    assert empty == []  # the check above is not vacuous: A's own rows are visible


def test_scoped_updates_and_deletes_cannot_touch_other_creators_rows(
    database: DatabaseTarget,
    creators: tuple[UUID, UUID],
    owned_tables: list[str],
    app_conn: psycopg.Connection[Any],
) -> None:
    creator_a, creator_b = creators
    before = _rows_of(database, creator_b, owned_tables)
    touched = []
    for table in owned_tables:
        t = sql.Identifier(table)
        for statement in (
            sql.SQL("UPDATE {} SET creator_id = creator_id WHERE creator_id = %s").format(t),
            sql.SQL("DELETE FROM {} WHERE creator_id = %s").format(t),
        ):
            try:
                with creator_scope(app_conn, creator_a):
                    cursor = app_conn.execute(statement, [creator_b])
                    if cursor.rowcount != 0:
                        touched.append(table)
            except errors.InsufficientPrivilege:
                pass  # append-only tables: the app role is not granted UPDATE/DELETE at all
    assert touched == []
    assert _rows_of(database, creator_b, owned_tables) == before


def test_scoped_inserts_and_moves_into_another_creator_are_rejected(
    creators: tuple[UUID, UUID], owned_tables: list[str], app_conn: psycopg.Connection[Any]
) -> None:
    creator_a, creator_b = creators
    accepted = []
    for table in owned_tables:
        t = sql.Identifier(table)
        written = _written_columns(app_conn, table)
        names = sql.SQL(", ").join(map(sql.Identifier, written))
        copied = sql.SQL(", ").join(sql.Identifier("copy", name) for name in written)
        # A copy of one of A's rows, relabelled as B's.
        insert = sql.SQL(
            "INSERT INTO {t} ({names}) SELECT {copied} FROM {t} r,"
            " jsonb_populate_record(NULL::{t},"
            " to_jsonb(r) || jsonb_build_object('creator_id', %s::text)) copy"
            " WHERE r.creator_id = %s LIMIT 1"
        ).format(t=t, names=names, copied=copied)
        move = sql.SQL("UPDATE {} SET creator_id = %s WHERE creator_id = %s").format(t)
        for statement in (insert, move):
            try:
                with creator_scope(app_conn, creator_a):
                    app_conn.execute(statement, [creator_b, creator_a])
                accepted.append((table, statement.as_string(app_conn)[:6]))
            except errors.InsufficientPrivilege as error:
                # RLS WITH CHECK, or no UPDATE grant on an append-only table.
                assert "row-level security" in str(error) or "permission denied" in str(error)
    assert accepted == []


def _written_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    """The table's columns an INSERT may name (generated ones are computed)."""
    found = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in found]


def _rows_of(database: DatabaseTarget, creator: UUID, tables: list[str]) -> dict[str, Any]:
    with psycopg.connect(database.admin_url) as conn:
        return {
            table: conn.execute(
                sql.SQL(
                    "SELECT md5(string_agg(r::text, ',' ORDER BY r::text)) FROM {} r"
                    " WHERE creator_id = %s"
                ).format(sql.Identifier(table)),
                [creator],
            ).fetchone()
            for table in tables
        }
