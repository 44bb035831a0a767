"""Creators, fans and messages for memory tests, written through the application role."""

import uuid
from typing import Any
from uuid import UUID

import psycopg

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope


def new_creator(target: DatabaseTarget, fans: int) -> tuple[UUID, list[UUID]]:
    """A creator with `fans` fans; returns their ids."""
    creator = uuid.uuid4()
    with app_connection(target) as conn, creator_scope(conn, creator):
        conn.execute(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%s, %s, 'Creator')",
            [creator, f"m{creator.hex[:12]}"],
        )
        fan_ids = [
            UUID(str(row[0]))
            for row in conn.execute(
                "INSERT INTO fan_profiles (creator_id, display_name)"
                " SELECT %s, 'Fan ' || n FROM generate_series(1, %s) AS n RETURNING id",
                [creator, fans],
            )
        ]
    return creator, fan_ids


def new_message(conn: psycopg.Connection[Any], fan_id: UUID, body: str) -> UUID:
    """An inbound message of the fan (in the caller's creator scope)."""
    row = conn.execute(
        "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
        " VALUES (app_current_creator(), %s, 'inbound', 'received', %s) RETURNING id",
        [fan_id, body],
    ).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def stored_memory(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    kind: str,
    body: str,
    *,
    subject: str | None = None,
    importance: float = 0.5,
    source_message_id: UUID | None = None,
) -> UUID:
    """A memory of the fan written as is (in the caller's creator scope), with a placeholder
    vector: for tests that read memories but never search them by meaning."""
    row = conn.execute(
        "INSERT INTO fan_memories (creator_id, fan_id, kind, subject, body, importance,"
        " source_message_id, embedding) VALUES (app_current_creator(), %s, %s, %s, %s, %s, %s,"
        " array_fill(0.1::real, ARRAY[384])::vector) RETURNING id",
        [fan_id, kind, subject, body, importance, source_message_id],
    ).fetchone()
    assert row is not None
    return UUID(str(row[0]))
