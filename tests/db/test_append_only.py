"""Append-only logs reject UPDATE, DELETE and TRUNCATE for every role, the superuser included."""

from typing import Any

import psycopg
import pytest
from psycopg import errors, sql

from db.connect import DatabaseTarget, creator_scope
from tests.db import catalog
from tests.db.crm_rows import create_creator_with_everything

APPEND_ONLY = {
    "fan_subscription_events",
    "automation_rule_runs",
    "automation_rule_actions",
    "fan_intent_events",
    "fan_lifecycle_events",
    "outbound_guard_blocks",
}
MUTATIONS = (
    "UPDATE {} SET creator_id = creator_id",
    "DELETE FROM {}",
    "TRUNCATE {} CASCADE",
)


@pytest.fixture(scope="module")
def creator(database: DatabaseTarget) -> Any:
    return create_creator_with_everything(database)[0]


def test_the_append_only_tables_are_exactly_the_declared_ones(database: DatabaseTarget) -> None:
    with psycopg.connect(database.admin_url) as conn:
        assert catalog.tables_with_trigger(conn, "append_only_rows") == APPEND_ONLY
        assert catalog.tables_with_trigger(conn, "append_only_truncate") == APPEND_ONLY


@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_admin_cannot_rewrite_history(
    database: DatabaseTarget, creator: Any, table: str, mutation: str
) -> None:
    with psycopg.connect(database.admin_url) as conn:
        count = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        before = conn.execute(count).fetchone()
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            conn.execute(sql.SQL(mutation).format(sql.Identifier(table)))
        conn.rollback()
        assert before is not None and before[0] > 0
        assert conn.execute(count).fetchone() == before


@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_app_role_is_not_even_granted_rewrites(
    database: DatabaseTarget, creator: Any, table: str, mutation: str
) -> None:
    with (
        psycopg.connect(database.app_url) as conn,
        pytest.raises(errors.InsufficientPrivilege, match="permission denied"),
        creator_scope(conn, creator),
    ):
        conn.execute(sql.SQL(mutation).format(sql.Identifier(table)))


def test_app_role_can_still_append(database: DatabaseTarget, creator: Any) -> None:
    with psycopg.connect(database.app_url) as conn, creator_scope(conn, creator):
        fan, message = conn.execute(
            "SELECT fan_id, message_id FROM fan_intent_events LIMIT 1"
        ).fetchone() or (None, None)
        conn.execute(
            "INSERT INTO fan_intent_events (creator_id, fan_id, message_id, signal, confidence,"
            " classifier) VALUES (%s, %s, %s, 'wants_more', 0.7, 'test')",
            [creator, fan, message],
        )
        counted = conn.execute("SELECT count(*) FROM fan_intent_events").fetchone()
    assert counted == (2,)
