"""The SQL of fan_memories: add, supersede, reinforce, delete, list, history, embeddings.

Every function runs in the caller's `db.connect.creator_scope` (row-level security shows and
accepts only that creator's rows; inserts take the creator from the scope) on a connection with
pgvector's types registered (`pgvector.psycopg.register_vector`).

Rule: a read a chatter gets passes `with_personal=False`, and its SQL leaves out the personal
memories (fan_memories.personal: where the fan lives, their job, real name, contact details).

Rule: a memory is written with its vector. `add` and `supersede` refuse one without it
(MissingEmbedding), and so does the database (fan_memories_embedding_required, migration 0019).
"""

import dataclasses
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString
from uuid import UUID

import numpy as np
import psycopg
from pgvector import Vector
from psycopg import sql

from memory.types import Fact, Memory, MemoryKind

FIELDS = tuple(field.name for field in dataclasses.fields(Memory))
COLUMNS = sql.SQL(", ").join(map(sql.Identifier, FIELDS))  # a Memory, in its field order
N_COLUMNS = len(FIELDS)
# The key dates (current, not personal memories with a recurs_on: migration 0030) whose next
# occurrence is today (UTC) or at most %(key_date_days)s days away, as (fan_id, id, subject, body,
# next_on, days_away, occasion: the memory and that day, which an alert or a rule acts on once);
# recurs_on is in the year 2000, so years are added until it is not past. Parameters:
# `key_date_params`.
UPCOMING_KEY_DATES: LiteralString = """
SELECT m.fan_id, m.id, m.subject, m.body, n.next_on, n.next_on - %(today)s AS days_away,
       'key_date:' || m.id || ':' || n.next_on AS occasion
FROM fan_memories m
CROSS JOIN LATERAL (
    SELECT min(d) AS next_on FROM (
        SELECT (m.recurs_on + make_interval(years => %(year)s - 2000 + y))::date AS d
        FROM generate_series(0, 1) y
    ) occurrences
    WHERE d >= %(today)s
) n
WHERE m.recurs_on IS NOT NULL AND m.superseded_by IS NULL AND NOT m.personal
  AND n.next_on <= %(today)s + %(key_date_days)s
"""
# pg_advisory_xact_lock(MEMORY_LOCK_SPACE, hashtext(fan id)): one writer of a fan's memories.
MEMORY_LOCK_SPACE = 0x6D656D6F  # "memo"

INSERT = sql.SQL("""
INSERT INTO fan_memories
    (creator_id, fan_id, kind, subject, body, source_message_id, confidence, importance,
     expires_at, embedding, created_at)
VALUES (app_current_creator(), %(fan_id)s, %(kind)s, %(subject)s, %(body)s,
        %(source_message_id)s, %(confidence)s, %(importance)s, %(expires_at)s, %(embedding)s,
        coalesce(%(said_at)s, now()))
RETURNING {columns}
""").format(columns=COLUMNS)
SELECT_CURRENT_FOR_UPDATE = (
    "SELECT fan_id FROM fan_memories WHERE id = %s AND superseded_by IS NULL FOR UPDATE"
)
MARK_SUPERSEDED = "UPDATE fan_memories SET superseded_by = %(new)s WHERE id = %(old)s"
REINFORCE = sql.SQL("""
UPDATE fan_memories
SET confidence = GREATEST(confidence, %(confidence)s),
    importance = GREATEST(importance, %(importance)s),
    subject = COALESCE(subject, %(subject)s),
    expires_at = GREATEST(expires_at, %(expires_at)s)
WHERE id = %(id)s
RETURNING {columns}
""").format(columns=COLUMNS)
SELECT_ONE = sql.SQL("SELECT {columns} FROM fan_memories WHERE id = %s").format(columns=COLUMNS)
# %(with_personal)s OR NOT personal: the personal memories only for those who may see them.
LIST_CURRENT = sql.SQL("""
SELECT {columns} FROM fan_memories
WHERE fan_id = %(fan_id)s AND superseded_by IS NULL AND (%(with_personal)s OR NOT personal)
ORDER BY created_at, id
""").format(columns=COLUMNS)
CURRENT_FOR_SUBJECT = sql.SQL("""
SELECT {columns} FROM fan_memories
WHERE fan_id = %(fan_id)s AND kind = %(kind)s AND subject = %(subject)s AND superseded_by IS NULL
ORDER BY created_at DESC, id
LIMIT 1
FOR UPDATE
""").format(columns=COLUMNS)
# Ordered by the similarity expression, not by `embedding <=> q`, so the planner cannot pick
# the HNSW index (which would stop at ef_search rows); one fan's rows come from the B-tree.
SIMILAR_CURRENT = sql.SQL("""
SELECT {columns}, 1 - (embedding <=> %(query)s) AS similarity
FROM fan_memories
WHERE fan_id = %(fan_id)s AND kind = %(kind)s AND superseded_by IS NULL
  AND embedding IS NOT NULL AND 1 - (embedding <=> %(query)s) >= %(min_similarity)s
ORDER BY similarity DESC, id
""").format(columns=COLUMNS)
# The chain of versions through one fact: older ones by superseded_by, newer ones after it.
CHAIN = sql.SQL("""
WITH RECURSIVE older (id, step) AS (
    SELECT id, 0 FROM fan_memories WHERE id = %(id)s
    UNION ALL
    SELECT m.id, o.step - 1 FROM fan_memories m JOIN older o ON m.superseded_by = o.id
) CYCLE id SET looped USING older_path,
newer (id, next, step) AS (
    SELECT id, superseded_by, 0 FROM fan_memories WHERE id = %(id)s
    UNION ALL
    SELECT m.id, m.superseded_by, n.step + 1 FROM fan_memories m JOIN newer n ON m.id = n.next
) CYCLE id SET looped USING newer_path,
chain AS (
    SELECT id, step FROM older WHERE NOT looped
    UNION
    SELECT id, step FROM newer WHERE NOT looped
)
""")
HISTORY = sql.SQL("""
{chain} SELECT {columns} FROM chain JOIN fan_memories USING (id)
WHERE %(with_personal)s OR NOT personal
ORDER BY step
""").format(chain=CHAIN, columns=COLUMNS)
DELETE_CHAIN = sql.SQL(
    "{chain} DELETE FROM fan_memories WHERE id IN (SELECT id FROM chain)"
).format(chain=CHAIN)
MISSING_EMBEDDINGS = """
SELECT id, body FROM fan_memories WHERE embedding IS NULL
ORDER BY id
LIMIT %s
FOR UPDATE SKIP LOCKED
"""
SET_EMBEDDING = "UPDATE fan_memories SET embedding = %s WHERE id = %s"
LOCK_FAN = "SELECT pg_advisory_xact_lock(%s, hashtext(%s::text))"
PERSONAL_AMONG = "SELECT id FROM fan_memories WHERE id = ANY(%s) AND personal"


class NotCurrent(LookupError):
    """The fact does not exist for this creator, or was already superseded."""


class MissingEmbedding(ValueError):
    """A memory was to be written without its vector; nothing was written."""


def key_date_params(as_of: datetime, days: int) -> dict[str, Any]:
    """UPCOMING_KEY_DATES' parameters: key dates from as_of's day (UTC) to `days` days on."""
    today = as_of.astimezone(UTC).date()
    return {"today": today, "year": today.year, "key_date_days": days}


def as_vector(values: Sequence[float]) -> Vector:
    """A query parameter for a vector column (the connection must have pgvector registered)."""
    return Vector(np.asarray(values, dtype=np.float32))


def as_stored(values: Sequence[float]) -> list[float]:
    """The vector as a vector column keeps it (float32): a fresh vector and the same one read
    back then score alike (a classifier threshold must not flip on the rounding)."""
    return [float(x) for x in np.asarray(values, dtype=np.float32)]


def add(
    conn: psycopg.Connection[Any], fan_id: UUID, fact: Fact, embedding: Sequence[float]
) -> Memory:
    """Inserts `fact` as a current memory of the fan (no de-duplication: see remember.py)."""
    row = conn.execute(INSERT, _insert_params(fan_id, fact, embedding)).fetchone()
    assert row is not None
    return _memory(row)


def supersede(
    conn: psycopg.Connection[Any], old_id: UUID, fact: Fact, embedding: Sequence[float]
) -> Memory:
    """Adds `fact` as the new version of the current memory `old_id`, which stays as history.

    Raises NotCurrent (and changes nothing) when `old_id` is not a current memory.
    """
    with conn.transaction():  # a savepoint: both rows or neither
        found = conn.execute(SELECT_CURRENT_FOR_UPDATE, [old_id]).fetchone()
        if found is None:
            raise NotCurrent(f"memory {old_id} is not a current memory of this creator")
        new = add(conn, found[0], fact, embedding)
        conn.execute(MARK_SUPERSEDED, {"new": new.id, "old": old_id})
    return new


def add_as_history(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    newer_id: UUID,
    fact: Fact,
    embedding: Sequence[float],
) -> Memory:
    """Adds `fact`, said before the fan's current memory `newer_id` on the same subject, as that
    memory's history: superseded by it from the start."""
    with conn.transaction():  # a savepoint: the row is never current
        older = add(conn, fan_id, fact, embedding)
        conn.execute(MARK_SUPERSEDED, {"new": newer_id, "old": older.id})
    return dataclasses.replace(older, superseded_by=newer_id)


def reinforce(conn: psycopg.Connection[Any], memory_id: UUID, again: Fact) -> Memory:
    """The memory `memory_id` heard `again`: its confidence, importance and end (a plan said
    again for a later time) rise to the new values if higher; it takes the new subject if it
    had none."""
    params = {
        "id": memory_id,
        "confidence": again.confidence,
        "importance": again.importance,
        "subject": again.subject,
        "expires_at": again.expires_at,
    }
    row = conn.execute(REINFORCE, params).fetchone()
    if row is None:
        raise NotCurrent(f"memory {memory_id} does not exist for this creator")
    return _memory(row)


def get(conn: psycopg.Connection[Any], memory_id: UUID) -> Memory | None:
    row = conn.execute(SELECT_ONE, [memory_id]).fetchone()
    return _memory(row) if row else None


def list_current(
    conn: psycopg.Connection[Any], fan_id: UUID, *, with_personal: bool = True
) -> list[Memory]:
    """The fan's current memories (not superseded), oldest first."""
    params = {"fan_id": fan_id, "with_personal": with_personal}
    return [_memory(row) for row in conn.execute(LIST_CURRENT, params)]


def current_for_subject(
    conn: psycopg.Connection[Any], fan_id: UUID, kind: MemoryKind, subject: str
) -> Memory | None:
    """The fan's current fact of this kind about `subject`, locked until the transaction ends."""
    params = {"fan_id": fan_id, "kind": kind, "subject": subject}
    row = conn.execute(CURRENT_FOR_SUBJECT, params).fetchone()
    return _memory(row) if row else None


def similar_current(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    kind: MemoryKind,
    embedding: Sequence[float],
    min_similarity: float,
) -> list[tuple[Memory, float]]:
    """The fan's current memories of `kind` at least this cosine-similar, most similar first."""
    params = {
        "fan_id": fan_id,
        "kind": kind,
        "query": as_vector(embedding),
        "min_similarity": min_similarity,
    }
    return [(_memory(row), float(row[N_COLUMNS])) for row in conn.execute(SIMILAR_CURRENT, params)]


def history(
    conn: psycopg.Connection[Any], memory_id: UUID, *, with_personal: bool = True
) -> list[Memory]:
    """Every version of the fact `memory_id` belongs to, oldest first ([] if it does not exist)."""
    params = {"id": memory_id, "with_personal": with_personal}
    return [_memory(row) for row in conn.execute(HISTORY, params)]


def personal_ids(conn: psycopg.Connection[Any], memory_ids: Collection[UUID]) -> set[UUID]:
    """Those of `memory_ids` that are personal memories of this creator."""
    return {row[0] for row in conn.execute(PERSONAL_AMONG, [list(memory_ids)])}


def delete(conn: psycopg.Connection[Any], memory_id: UUID) -> int:
    """Forgets a fact with all its versions (deleting only the newest would make the previous
    one current again); returns how many rows went."""
    return conn.execute(DELETE_CHAIN, {"id": memory_id}).rowcount


def missing_embeddings(conn: psycopg.Connection[Any], limit: int) -> list[tuple[UUID, str]]:
    """Up to `limit` memories without an embedding (rows another backfill holds are skipped)."""
    return [(row[0], row[1]) for row in conn.execute(MISSING_EMBEDDINGS, [limit])]


def set_embeddings(
    conn: psycopg.Connection[Any], rows: Sequence[tuple[UUID, Sequence[float]]]
) -> None:
    params = [(_required_vector(vector, f"memory {id_}"), id_) for id_, vector in rows]
    with conn.cursor() as cursor:
        cursor.executemany(SET_EMBEDDING, params)


def lock_fan(conn: psycopg.Connection[Any], fan_id: UUID) -> None:
    """Serialises writers of one fan's memories until the transaction ends."""
    conn.execute(LOCK_FAN, [MEMORY_LOCK_SPACE, fan_id])


def _insert_params(fan_id: UUID, fact: Fact, embedding: Sequence[float]) -> dict[str, Any]:
    return {
        "fan_id": fan_id,
        "kind": fact.kind,
        "subject": fact.subject,
        "body": fact.body.strip(),
        "source_message_id": fact.source_message_id,
        "confidence": fact.confidence,
        "importance": fact.importance,
        "expires_at": fact.expires_at,
        "said_at": fact.said_at,
        "embedding": _required_vector(embedding, fact.body),
    }


def _required_vector(embedding: Sequence[float] | None, what: str) -> Vector:
    if embedding is None or len(embedding) == 0:
        raise MissingEmbedding(
            f"{what!r} has no embedding: a memory is written with its vector"
            " (embed the text with memory.embedders first)"
        )
    return as_vector(embedding)


def _memory(row: Sequence[Any]) -> Memory:
    return Memory(*row[:N_COLUMNS])
