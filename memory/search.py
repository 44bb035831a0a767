"""Memory search: the facts of one fan that matter for a message, and the fans who said something.

Within one fan (`within_fan`), every current memory with an embedding is scored exactly (the
B-tree on (creator_id, fan_id) finds them; one fan has tens, not millions):

    score = w_sim * similarity + w_rec * recency + w_imp * importance + w_text * lexical
            + w_when * said_then
    similarity = 1 - cosine distance(embedding, query)           (-1..1, in practice 0..1)
    recency    = 0.5 ** (age in days / half-life in days)        (1 today, 0.5 one half-life ago)
                 1 for the durable kinds (a pet's name, a birthday, a job, a taste: still true)
    importance = the row's importance                            (0..1; by kind unless given)
    lexical    = the share of the message's words the memory has     (0..1; 0 without one shared)
    said_then  = 1 if said within the days the message points back to ("last friday", "around
                 june 6": memory/said_when.py), else 0

with the weights of MemorySettings (default 0.75 / 0.10 / 0.15 / 0.1 / 0.3, half-life 90 days); ties
are broken by id, so the order is deterministic. The lexical part finds what the embedding
blurs: a name, a place, a rare word the message shares with a memory ("bella learned to say
hello" and "Has a parrot named Bella", beside "Has a dog named Max"). Each of the message's
words (English stems, stop words left out) weighs its BM25 inverse document frequency among the
fan's memories searched (a word in few of them tells them apart; one in most of them hardly),
times a prior: 1 for a rare word (memory/rare_words.py: not everyday English), 0.3 for an
everyday one ("work", "pizza"); a memory's lexical part is the weight of the words it has over
the weight of all of them.

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

from memory.rare_words import rare_words
from memory.said_when import said_when
from memory.settings import MemorySettings
from memory.store import COLUMNS, N_COLUMNS, as_vector
from memory.types import DURABLE_KINDS, Memory

COMMON_WORD_PRIOR = 0.3  # an everyday word's weight against a rare one's

# The score's parts over a row's `embedding`, `created_at` and an importance expression; the
# parameters are those of `score_params`.
SIMILARITY = sql.SQL("1 - (embedding <=> %(query)s)")
RECENCY = sql.SQL(
    "power(0.5, GREATEST(0, extract(epoch FROM %(as_of)s - created_at))::float8"
    " / 86400 / %(half_life_days)s)"
)
# The message's words, each with its weight among the rows of a CTE `candidate` that has their
# stems as `lexemes` (the column of migration 0025): BM25's idf over those rows times the word's
# prior.
QUERY_WORDS = """
query_word AS (
    SELECT word, rare,
           ln(1 + (counts.n - counts.df + 0.5) / (counts.df + 0.5))
           * CASE WHEN rare THEN 1 ELSE %(common_word_prior)s END AS weight
    FROM (
        SELECT word, word = ANY(tsvector_to_array(to_tsvector('english', %(rare_words)s))) AS rare
        FROM unnest(tsvector_to_array(to_tsvector('english', %(text)s))) AS word
    ) AS message_word
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, count(*) FILTER (WHERE word = ANY(lexemes)) AS df FROM candidate
    ) AS counts
)"""
LEXICAL = """coalesce(
    (SELECT sum(weight) FROM query_word WHERE word = ANY(candidate.lexemes))
    / nullif((SELECT sum(weight) FROM query_word), 0), 0)"""
SHARES_RARE_WORD = "EXISTS (SELECT FROM query_word WHERE rare AND word = ANY(candidate.lexemes))"
# 1 for a row said within the days the message points to ("last friday"), else 0.
SAID_THEN = (
    "CASE WHEN created_at >= %(said_from)s::timestamptz"
    " AND created_at < %(said_until)s::timestamptz THEN 1 ELSE 0 END"
)
SCORE = (
    "%(w_sim)s * similarity + %(w_rec)s * recency + %(w_imp)s * {importance} + %(w_text)s * lexical"
    " + %(w_when)s * said_then"
)
WITHIN_FAN = sql.SQL("""
WITH candidate AS (
    SELECT {columns}, {similarity} AS similarity,
           CASE WHEN kind = ANY(%(durable)s::text[]) THEN 1 ELSE {recency} END AS recency,
           {said_then} AS said_then, lexemes
    FROM fan_memories
    WHERE fan_id = %(fan_id)s AND superseded_by IS NULL AND embedding IS NOT NULL
      AND (%(with_personal)s OR NOT personal)
), {query_words}
SELECT {columns}, similarity, recency, lexical, {score} AS score
FROM (SELECT candidate.*, {lexical} AS lexical FROM candidate) AS scored
ORDER BY score DESC, id
LIMIT %(limit)s
""").format(
    columns=COLUMNS,
    score=sql.SQL(SCORE).format(importance=sql.SQL("importance")),
    similarity=SIMILARITY,
    recency=RECENCY,
    said_then=sql.SQL(SAID_THEN),
    query_words=sql.SQL(QUERY_WORDS),
    lexical=sql.SQL(LEXICAL),
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
    """The parameters of SIMILARITY, RECENCY, SAID_THEN, QUERY_WORDS and SCORE."""
    now = as_of or datetime.now().astimezone()
    window = said_when(text, now)
    return {
        "query": as_vector(query),
        "text": text,
        "rare_words": rare_words(text),
        "common_word_prior": COMMON_WORD_PRIOR,
        "w_text": settings.weight_text,
        "w_sim": settings.weight_similarity,
        "w_rec": settings.weight_recency,
        "w_imp": settings.weight_importance,
        "half_life_days": settings.recency_half_life_days,
        "as_of": now,
        "w_when": settings.weight_said_then,
        "said_from": window and window.start,
        "said_until": window and window.end,
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
