"""Memories written before every write carried its vector: embedded, then the rule made binding.

Migration 0019 adds `fan_memories_embedding_required` (CHECK (embedding IS NOT NULL)) NOT VALID:
from then on no row is written without a vector, but the rows already there are not checked,
and the migration validates the constraint itself only where none lacks one (a new database).
A migration cannot run the embedder, so `fanagent db migrate` calls `ensure_embedded` right
after migrating (as `make run` does on every start): while the constraint is not yet validated
it embeds every memory without a vector, a batch per transaction in each creator's scope, and
then validates it. Once validated, the check is one catalog lookup and no model is loaded.
`fanagent memories embed-missing` does the same for one creator or all.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from memory import store
from memory.embedders import Embedder

CONSTRAINT = "fan_memories_embedding_required"
ENFORCED = (
    "SELECT convalidated FROM pg_constraint"
    " WHERE conrelid = 'fan_memories'::regclass AND conname = %s"
)
VALIDATE = f"ALTER TABLE fan_memories VALIDATE CONSTRAINT {CONSTRAINT}"
# As the admin: every creator when it is a superuser; one held to row-level security sees none.
CREATORS_MISSING_EMBEDDINGS = (
    "SELECT DISTINCT creator_id FROM fan_memories WHERE embedding IS NULL ORDER BY creator_id"
)
BATCH_SIZE = 256


@dataclass(frozen=True)
class Backfill:
    embedded: dict[UUID, int]  # creator -> memories given their vector now
    enforced: bool  # the constraint is validated: no memory anywhere lacks its vector

    @property
    def total(self) -> int:
        return sum(self.embedded.values())


def is_enforced(admin_url: str) -> bool:
    """Whether the constraint is validated (False too before migration 0019)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(ENFORCED, [CONSTRAINT]).fetchone()
    return bool(row and row[0])


def validate(admin_url: str) -> bool:
    """Validates the constraint; False (and it stays NOT VALID) while a memory lacks a vector."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        try:
            conn.execute(VALIDATE)
        except psycopg.errors.CheckViolation:
            return False
    return True


def creators_missing_embeddings(admin_url: str) -> list[UUID]:
    """The creators with memories without a vector, as far as the admin sees (see above)."""
    with psycopg.connect(admin_url) as conn:
        return [row[0] for row in conn.execute(CREATORS_MISSING_EMBEDDINGS)]


def embed_missing(
    target: DatabaseTarget,
    make_embedder: Callable[[], Embedder],
    creators: Sequence[UUID],
    *,
    batch_size: int = BATCH_SIZE,
) -> dict[UUID, int]:
    """Embeds the memories without a vector of each of `creators`; how many, per creator. The
    embedder is made only if there are any."""
    done: dict[UUID, int] = {}
    if not creators:
        return done
    embedder = make_embedder()
    with app_connection(target) as conn:
        for creator in creators:
            done[creator] = embed_creator(conn, creator, embedder, batch_size)
    return done


def embed_creator(
    conn: psycopg.Connection[Any], creator: UUID, embedder: Embedder, batch_size: int
) -> int:
    """Embeds the creator's memories that have no vector, a batch per transaction (each distinct
    text once); how many."""
    done = 0
    while True:
        with creator_scope(conn, creator):
            rows = store.missing_embeddings(conn, batch_size)
            texts = sorted({body for _, body in rows})
            vectors = dict(zip(texts, embedder.embed(texts), strict=True))
            store.set_embeddings(conn, [(id_, vectors[body]) for id_, body in rows])
        done += len(rows)
        if len(rows) < batch_size:
            return done


def ensure_embedded(
    target: DatabaseTarget, make_embedder: Callable[[], Embedder], *, batch_size: int = BATCH_SIZE
) -> Backfill:
    """Nothing if the constraint holds already; else embeds every memory without a vector that
    the admin can see and validates the constraint (`enforced` False if some are left)."""
    if is_enforced(target.admin_url):
        return Backfill({}, enforced=True)
    creators = creators_missing_embeddings(target.admin_url)
    embedded = embed_missing(target, make_embedder, creators, batch_size=batch_size)
    return Backfill(embedded, enforced=validate(target.admin_url))
