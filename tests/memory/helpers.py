"""Creators, fans and messages for memory tests, written through the application role."""

import uuid
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import numpy as np
import numpy.typing as npt
import psycopg

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import Embedder


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


def assert_own_vectors(embedder: Embedder, stored: Mapping[str, npt.ArrayLike]) -> None:
    """Each stored vector is its own text's. The int8 encoder scales activations per batch, so a
    text's vector varies a little with the batch it was embedded in: it must be the nearest of
    all the texts' vectors embedded now, and at cosine > 0.95."""
    bodies = sorted(stored)
    fresh = np.array(embedder.embed(bodies))
    similarities = np.array([np.asarray(stored[body]) for body in bodies]) @ fresh.T
    nearest = [bodies[n] for n in similarities.argmax(axis=1)]
    assert nearest == bodies
    assert similarities.diagonal().min() > 0.95
