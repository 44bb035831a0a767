"""Episodic memory: the fan's own past messages, each a memory of what they said.

An inbound message keeps its vector (migration 0020): the draft that answers it stores the one
it computes for recall, and a job worker (crm/jobs.py) takes in the messages a webhook
delivered (`ingest_new_messages`): their vectors, and the facts each states (memory.extract,
remembered with the message as their source), so a birthday said in the first of three messages
is remembered though the draft answers the last.

Recall scores the fan's past messages against the new one as memory.search scores the facts
(similarity, recency, shared words, and a fixed importance below a fact's: an utterance, not a
checked fact), each with the reply it got; messages the prompt shows anyway (the recent
conversation), messages too short to say anything ("hey u 😘") and weak matches sharing no rare
word (nor said on the days the message names) are left out.
"""

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.intelligence.refresh_queue import queue_refresh
from db.connect import creator_scope
from db.deadlocks import retry_deadlocks
from db.lanes import ONE, Lane
from memory.embedders import Embedder
from memory.extract import extract_facts
from memory.remember import remember
from memory.search import (
    LEXICAL,
    QUERY_WORDS,
    RECENCY,
    SAID_THEN,
    SCORE,
    SHARES_RARE_WORD,
    SIMILARITY,
    score_params,
)
from memory.settings import MemorySettings
from memory.store import as_vector
from memory.types import Fact

IMPORTANCE = 0.3  # a fact's default is 0.5
MIN_WORDS = 4
MIN_SIMILARITY = 0.35
BATCH = 256  # messages embedded at a time

EPISODES = sql.SQL("""
WITH candidate AS (
    SELECT m.id, m.body, m.created_at, {similarity} AS similarity, {recency} AS recency,
           {said_then} AS said_then, m.lexemes
    FROM fan_messages m
    WHERE m.fan_id = %(fan_id)s AND m.direction = 'inbound' AND m.embedding IS NOT NULL
      AND m.created_at <= %(as_of)s AND NOT m.id = ANY(%(exclude)s)
      AND cardinality(regexp_split_to_array(btrim(m.body), '\\s+')) >= %(min_words)s
), {query_words}
SELECT scored.id, scored.body, scored.created_at, scored.similarity, {score} AS score,
       reply.body AS reply
FROM (
    SELECT candidate.*, {lexical} AS lexical, {shares_rare_word} AS shares_rare_word
    FROM candidate
) AS scored
LEFT JOIN LATERAL (
    SELECT r.body FROM fan_messages r
    WHERE r.in_reply_to_id = scored.id AND r.direction = 'outbound'
      AND r.status IN ('queued', 'sent')
    ORDER BY r.created_at, r.id
    LIMIT 1
) AS reply ON true
WHERE scored.similarity >= %(min_similarity)s OR scored.shares_rare_word OR scored.said_then = 1
ORDER BY score DESC, scored.id
LIMIT %(limit)s
""").format(
    score=sql.SQL(SCORE).format(importance=sql.Literal(IMPORTANCE)),
    similarity=SIMILARITY,
    recency=RECENCY,
    said_then=sql.SQL(SAID_THEN),
    query_words=sql.SQL(QUERY_WORDS),
    lexical=sql.SQL(LEXICAL),
    shares_rare_word=sql.SQL(SHARES_RARE_WORD),
)
STORED_VECTOR = "SELECT embedding FROM fan_messages WHERE id = %s AND direction = 'inbound'"
STORE_VECTOR = """
UPDATE fan_messages SET embedding = %s
WHERE id = %s AND direction = 'inbound' AND embedding IS NULL
"""
# A message some memory cites already (the demo's, an import's) is not read for facts again.
# A lane takes the fans whose id hashes to it (hashtext: PostgreSQL's stable hash, made
# non-negative by the mask).
UNEMBEDDED = """
SELECT m.id, m.fan_id, m.body, m.created_at,
       EXISTS (SELECT 1 FROM fan_memories x WHERE x.source_message_id = m.id) AS cited
FROM fan_messages m
WHERE m.direction = 'inbound' AND m.embedding IS NULL
  AND mod(hashtext(m.fan_id::text) & 2147483647, %(lanes)s) = %(lane)s
ORDER BY m.created_at, m.id
LIMIT %(batch)s
"""
CREATORS = "SELECT fanagent_creators_with_unembedded_messages()"


@dataclass(frozen=True)
class Episode:
    message_id: UUID
    body: str
    at: datetime
    similarity: float
    score: float
    reply: str | None  # what the creator's team answered, if they did

    def as_memory(self) -> dict[str, Any]:
        """As a recalled memory ({id, kind, body, score}): what the fan said, and when."""
        return {
            "id": str(self.message_id),
            "kind": "message",
            "body": f'said on {self.at:%b %-d}: "{" ".join(self.body.split())}"',
            "score": round(self.score, 6),
        }


def recall_episodes(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    query: Sequence[float],
    settings: MemorySettings,
    *,
    text: str = "",
    exclude: Collection[UUID],
    limit: int,
    as_of: datetime | None = None,
) -> list[Episode]:
    """The fan's past messages that matter for `query` (an embedding of `text`), best first;
    `exclude` the messages the prompt has already (the one answered, the recent conversation).
    A message sharing a word with `text` counts however weak its similarity."""
    params = {
        "fan_id": fan_id,
        "exclude": list(exclude),
        "min_words": MIN_WORDS,
        "min_similarity": MIN_SIMILARITY,
        "limit": limit,
        **score_params(query, text, settings, as_of),
    }
    return [
        Episode(row[0], row[1], row[2], float(row[3]), float(row[4]), row[5])
        for row in conn.execute(EPISODES, params)
    ]


def stored_vector(conn: psycopg.Connection[Any], message_id: UUID) -> list[float] | None:
    """The inbound message's vector, when it has one."""
    row = conn.execute(STORED_VECTOR, [message_id]).fetchone()
    return None if row is None or row[0] is None else [float(x) for x in row[0].to_list()]


def store_vector(conn: psycopg.Connection[Any], message_id: UUID, vector: Sequence[float]) -> None:
    """Keeps the inbound message's vector (a message embedded already keeps its own)."""
    conn.execute(STORE_VECTOR, [as_vector(vector), message_id])


def ingest_new_messages(
    conn: psycopg.Connection[Any], embedder: Embedder, *, batch: int = BATCH, lane: Lane = ONE
) -> int:
    """Takes in every creator's inbound messages that have no vector yet (of the fans of `lane`),
    a creator at a time in its scope, `batch` messages at a time: embeds them (outside any
    transaction), then, a fan per transaction, stores the fan's vectors and remembers the facts
    its messages state, dated when they were sent (a message a memory cites already is not read
    again); returns how many messages. `conn` is the application role's, in autocommit, with
    pgvector's types registered.

    A transaction holds one fan's rows, so lanes side by side and the refresh of queued fans
    seldom meet (a batch per transaction deadlocked on texts and queued fans); two lanes adding
    the same two new texts in opposite orders still can, and the aborted fan is run again."""
    creators = [UUID(str(row[0])) for row in conn.execute(CREATORS)]
    settings = MemorySettings()
    taken_in = 0
    for creator in creators:
        while True:
            with creator_scope(conn, creator):
                params = {"lanes": lane.count, "lane": lane.index, "batch": batch}
                rows = conn.execute(UNEMBEDDED, params).fetchall()
            if rows:
                vectors = embedder.embed([row[2] for row in rows])
                for fan_id, said in _by_fan(rows, vectors).items():
                    retry_deadlocks(
                        functools.partial(_take_in, conn, creator, fan_id, said, embedder, settings)
                    )
            taken_in += len(rows)
            if len(rows) < batch:
                break
    return taken_in


Row = tuple[Any, ...]  # (id, fan_id, body, created_at, cited) of UNEMBEDDED


def _take_in(
    conn: psycopg.Connection[Any],
    creator: UUID,
    fan_id: UUID,
    said: Sequence[tuple[Row, Sequence[float]]],
    embedder: Embedder,
    settings: MemorySettings,
) -> None:
    """In one transaction: the fan's messages' vectors stored, their facts remembered."""
    with creator_scope(conn, creator), conn.cursor() as cursor:
        cursor.executemany(STORE_VECTOR, [(as_vector(vector), row[0]) for row, vector in said])
        facts = _stated_facts([row for row, _ in said])
        remember(conn, embedder, fan_id, facts, settings)
        if any(fact.kind == "key_date" for fact in facts):
            queue_refresh(conn, fan_id)  # its alerts: a birthday days away


def _by_fan(
    rows: Sequence[Row], vectors: Sequence[Sequence[float]]
) -> dict[UUID, list[tuple[Row, Sequence[float]]]]:
    """Each fan's messages with their vectors, in message order."""
    said: dict[UUID, list[tuple[Row, Sequence[float]]]] = {}
    for row, vector in zip(rows, vectors, strict=True):
        said.setdefault(row[1], []).append((row, vector))
    return said


def _stated_facts(rows: Sequence[Row]) -> list[Fact]:
    """The facts the messages no memory cites yet state, in message order, each dated when it
    was said."""
    facts: list[Fact] = []
    for message_id, _, body, created_at, cited in rows:
        if not cited:
            found = extract_facts(body, source_message_id=message_id, said_on=created_at.date())
            facts += [replace(fact, said_at=created_at) for fact in found]
    return facts
