"""Memory search: the facts of one fan that matter for a message, and the fans who said something.

Within one fan (`within_fan`), every current memory with an embedding is scored exactly (the
B-tree on (creator_id, fan_id) finds them; one fan has tens, not millions):

    score = w_sim * similarity + w_rec * recency + w_imp * importance + w_text * lexical
    similarity = 1 - cosine distance(embedding, query)           (-1..1, in practice 0..1)
    recency    = 0.5 ** (age in days / half-life in days)        (1 today, 0.5 one half-life ago)
                 1 for the durable kinds (a pet's name, a birthday, a job, a taste: still true)
    importance = the row's importance                            (0..1; by kind unless given)
    lexical    = full-text match of the message's rare words     (0..1; 0 without one shared)

with the weights of MemorySettings (default 0.75 / 0.10 / 0.15 / 0.5, half-life 90 days); ties
are broken by id, so the order is deterministic. The lexical part finds what the embedding
blurs: a name, a place, a rare word the message shares with a memory ("bella learned to say
hello" and "Has a parrot named Bella", beside "Has a dog named Max"). It is PostgreSQL's cover
density rank of the text against the message's rare words (memory/rare_words.py: everyday words
match too many memories to tell them apart; any one rare word matching, English stemming),
scaled to 0..1 as rank / (rank + 1): about 0.09 for one shared word, 0.17 for two.

Across the creator's fans (`across_fans`), the HNSW index over the distinct memory texts finds
the nearest texts, and through them the current memories (one vector per text, not per memory:
templated facts repeated by hundreds of fans made a per-memory graph fall apart into islands).
Row-level security filters the texts to the scope's creator after the index returns its
candidates, so a plain HNSW scan can come back short or empty; `hnsw.iterative_scan =
relaxed_order` (pgvector 0.8) keeps scanning until the LIMIT is met.

The query is a vector, so a message embedded once serves search and classification alike. With
`with_personal=False` (what chatters get) both leave out the personal memories, in their SQL.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from db.text_search import ANY_WORD
from memory.rare_words import rare_words
from memory.settings import MemorySettings
from memory.store import COLUMNS, N_COLUMNS, as_vector
from memory.types import DURABLE_KINDS, Memory

# The score's parts over a row's `embedding`, `created_at` and an importance expression; the
# parameters are those of `score_params`.
SIMILARITY = sql.SQL("1 - (embedding <=> %(query)s)")
RECENCY = sql.SQL(
    "power(0.5, GREATEST(0, extract(epoch FROM %(as_of)s - created_at))::float8"
    " / 86400 / %(half_life_days)s)"
)
LEXICAL = "coalesce(ts_rank_cd(to_tsvector('english', {body}), " + ANY_WORD + ", 32), 0)"
SCORE = (
    "%(w_sim)s * similarity + %(w_rec)s * recency + %(w_imp)s * {importance} + %(w_text)s * lexical"
)
WITHIN_FAN = sql.SQL("""
SELECT {columns}, similarity, recency, lexical, {score} AS score
FROM (
    SELECT {columns}, {similarity} AS similarity,
           CASE WHEN kind = ANY(%(durable)s::text[]) THEN 1 ELSE {recency} END AS recency,
           {lexical} AS lexical
    FROM fan_memories
    WHERE fan_id = %(fan_id)s AND superseded_by IS NULL AND embedding IS NOT NULL
      AND (%(with_personal)s OR NOT personal)
) AS scored
ORDER BY score DESC, id
LIMIT %(limit)s
""").format(
    columns=COLUMNS,
    score=sql.SQL(SCORE).format(importance=sql.SQL("importance")),
    similarity=SIMILARITY,
    recency=RECENCY,
    lexical=sql.SQL(LEXICAL).format(body=sql.SQL("body")),
)
# Both settings end with the transaction (SET LOCAL); set_config takes them as parameters.
HNSW_SETTINGS = """
SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true),
       set_config('hnsw.ef_search', %s, true)
"""
# The HNSW index over the scope's distinct memory texts (fan_memory_texts, migration 0011) finds
# the nearest texts; each text's current memories follow, first ids first, until the LIMIT. The
# texts come in the index's order (relaxed: nearly by distance), and the incremental sort on
# (distance, id) streams: only the texts needed are joined. Similarity is the memory's own.
NEAREST = sql.SQL("""
SELECT memory.*
FROM (
    SELECT creator_id, body_md5, embedding <=> %(query)s AS distance
    FROM fan_memory_texts
    ORDER BY embedding <=> %(query)s
    LIMIT %(limit)s
) AS nearest_text
CROSS JOIN LATERAL (
    SELECT {columns}, 1 - (embedding <=> %(query)s) AS similarity
    FROM fan_memories
    WHERE creator_id = nearest_text.creator_id AND md5(body) = nearest_text.body_md5
      AND superseded_by IS NULL AND embedding IS NOT NULL
      AND (%(with_personal)s OR NOT personal) AND (expires_at IS NULL OR expires_at > now())
    ORDER BY id
    LIMIT %(limit)s
) AS memory
ORDER BY nearest_text.distance, memory.id
LIMIT %(limit)s
""").format(columns=COLUMNS)
CANDIDATES_PER_FAN = 4  # nearest memories fetched per fan wanted, as several can be one fan's


@dataclass(frozen=True)
class ScoredMemory:
    memory: Memory
    similarity: float
    recency: float
    lexical: float
    score: float


@dataclass(frozen=True)
class FanMatch:
    """A fan whose memory matches a cross-fan query, with that memory."""

    fan_id: UUID
    memory: Memory
    similarity: float


def within_fan(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    query: Sequence[float],
    settings: MemorySettings,
    *,
    text: str = "",
    limit: int = 5,
    as_of: datetime | None = None,
    with_personal: bool = True,
) -> list[ScoredMemory]:
    """The fan's current memories ranked for `query` (an embedding of `text`, whose words the
    lexical part matches); `as_of` fixes "now"."""
    params = within_fan_params(fan_id, query, text, settings, limit, as_of, with_personal)
    return [
        ScoredMemory(Memory(*row[:N_COLUMNS]), *(float(value) for value in row[N_COLUMNS:]))
        for row in conn.execute(WITHIN_FAN, params)
    ]


def within_fan_params(
    fan_id: UUID,
    query: Sequence[float],
    text: str,
    settings: MemorySettings,
    limit: int,
    as_of: datetime | None,
    with_personal: bool,
) -> dict[str, Any]:
    """The parameters of WITHIN_FAN."""
    return {
        "fan_id": fan_id,
        "limit": limit,
        "with_personal": with_personal,
        "durable": sorted(DURABLE_KINDS),
        **score_params(query, text, settings, as_of),
    }


def score_params(
    query: Sequence[float], text: str, settings: MemorySettings, as_of: datetime | None
) -> dict[str, Any]:
    """The parameters of SIMILARITY, RECENCY, LEXICAL and SCORE."""
    return {
        "query": as_vector(query),
        "text": rare_words(text),
        "w_text": settings.weight_text,
        "w_sim": settings.weight_similarity,
        "w_rec": settings.weight_recency,
        "w_imp": settings.weight_importance,
        "half_life_days": settings.recency_half_life_days,
        "as_of": as_of or datetime.now().astimezone(),
    }


def nearest(
    conn: psycopg.Connection[Any],
    query: Sequence[float],
    settings: MemorySettings,
    *,
    limit: int,
    with_personal: bool = True,
) -> list[tuple[Memory, float]]:
    """The scope's current memories nearest to `query` by the HNSW index, with similarities:
    by their text's distance, then id (memories of one text are as near as each other).

    Runs in the caller's creator scope, which must be a transaction of its own or the HNSW
    settings last until the enclosing one ends.
    """
    conn.execute(HNSW_SETTINGS, [str(settings.ef_search)])
    params = {"query": as_vector(query), "limit": limit, "with_personal": with_personal}
    rows = conn.execute(NEAREST, params)
    return [(Memory(*row[:N_COLUMNS]), float(row[N_COLUMNS])) for row in rows]


def across_fans(
    conn: psycopg.Connection[Any],
    query: Sequence[float],
    settings: MemorySettings,
    *,
    limit: int = 20,
    with_personal: bool = True,
) -> list[FanMatch]:
    """The scope's fans with a current memory like `query` ("trip"), best match first: each
    fan once, with its most similar memory, down to `cross_fan_min_similarity`."""
    best: dict[UUID, FanMatch] = {}
    candidates = nearest(
        conn, query, settings, limit=limit * CANDIDATES_PER_FAN, with_personal=with_personal
    )
    for memory, similarity in candidates:
        if similarity < settings.cross_fan_min_similarity or len(best) == limit:
            break
        best.setdefault(memory.fan_id, FanMatch(memory.fan_id, memory, similarity))
    return list(best.values())
