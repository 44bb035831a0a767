"""Recall in a crowded memory: one fan holding every memory case's memories (targets,
distractors) and the whole background pool, about 290 facts, as a fan with a long history has.
Each case's message must find its own target among them: far harder than the suite's own cases
(seven memories a fan), and where names and rare words matter. Scored with the configured
weights and by meaning alone (no full-text part), so hybrid retrieval is measured against
vector-only on every run. No model is involved."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from evals.cases import MemoryCase, memory_pool
from evals.metrics import Metric, rate
from evals.world import CLOCK, case_uuid, insert_creator_and_fans, insert_memories
from memory.embedders import Embedder
from memory.search import within_fan
from memory.settings import MemorySettings

KEY = "memory/crowded"
RECALL_AT = (1, 3, 5, 10)


def score(
    target: DatabaseTarget,
    cases: Sequence[MemoryCase],
    embedder: Embedder,
    settings: MemorySettings,
) -> dict[str, Metric]:
    """memory.crowded_* (configured weights) and memory.crowded_vector_only_* figures."""
    memories = [m for case in cases for m in case.fan.memories] + [
        entry.memory for entry in memory_pool()
    ]
    creator, fan = case_uuid(KEY, "creator"), case_uuid(KEY, "fan")
    vectors = embedder.embed([m.body for m in memories])
    queries = embedder.embed([case.message for case in cases])
    targets = [next(m.body for m in case.fan.memories if m.target) for case in cases]
    ranks: dict[str, list[int | None]] = {}
    with app_connection(target) as conn, creator_scope(conn, creator):
        insert_creator_and_fans(conn, creator, "evals-crowded", "Crowded", {fan: "Crowd"})
        insert_memories(conn, creator, fan, memories, vectors, KEY, "fan")
        for name, weights in (
            ("crowded", settings),
            ("crowded_vector_only", settings.model_copy(update={"weight_text": 0.0})),
        ):
            ranks[name] = [
                _rank(conn, fan, query, case.message, body, weights)
                for case, query, body in zip(cases, queries, targets, strict=True)
            ]
    named = [case.named for case in cases]
    metrics: dict[str, Metric] = {}
    for name, found in ranks.items():
        for k in RECALL_AT:
            metrics[f"memory.{name}_recall_at_{k}"] = _recall(found, k)
            metrics[f"memory.{name}_named_recall_at_{k}"] = _recall(
                [r for r, is_named in zip(found, named, strict=True) if is_named], k
            )
    return metrics


def _rank(
    conn: psycopg.Connection[Any],
    fan: UUID,
    query: Sequence[float],
    text: str,
    body: str,
    settings: MemorySettings,
) -> int | None:
    found = within_fan(conn, fan, query, settings, text=text, limit=max(RECALL_AT), as_of=CLOCK)
    bodies = [hit.memory.body for hit in found]
    return bodies.index(body) + 1 if body in bodies else None


def _recall(ranks: Sequence[int | None], k: int) -> Metric:
    return rate(sum(r is not None and r <= k for r in ranks), len(ranks))
