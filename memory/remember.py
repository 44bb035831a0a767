"""Remembering facts about a fan: skip what is already known, replace what changed, add the rest.

For each fact, in order:
1. duplicate: a current memory of the same fan and kind at least `dedupe_similarity` cosine-
   similar is the same fact, unless the two name different subjects or different numbers
   ("Birthday is March 14" vs "March 15"). It is kept and reinforced (confidence and importance
   rise to the new values if higher; a missing subject is filled in); nothing is inserted.
2. superseded: the fan has a current fact of the same kind and subject ("city"): the new fact
   replaces it; the old row stays, linked by superseded_by, so the history remains.
   history: the same, but the fact was said (`said_at`) before the current one was: it joins
   the history and the current fact stays (a backlog of old messages taken in late).
3. added: otherwise.

Writers of one fan's memories are serialised by an advisory lock held until the caller's
transaction ends, so two messages of one fan cannot both add the same fact.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import psycopg

from memory import store
from memory.embedders import Embedder
from memory.settings import MemorySettings
from memory.types import Fact, Memory

RememberOutcome = Literal["added", "duplicate", "superseded", "history"]
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Remembered:
    fact: Fact
    outcome: RememberOutcome
    memory: Memory  # the row that now holds the fact: new, reinforced or the new version
    replaced: Memory | None = None  # superseded: the previous version


def remember(
    conn: psycopg.Connection[Any],
    embedder: Embedder,
    fan_id: UUID,
    facts: Sequence[Fact],
    settings: MemorySettings,
) -> list[Remembered]:
    """Stores `facts` about the fan (in the caller's creator scope); one outcome per fact."""
    if not facts:
        return []
    vectors = embedder.embed([fact.body for fact in facts])
    store.lock_fan(conn, fan_id)
    return [
        _remember(conn, fan_id, fact, vector, settings.dedupe_similarity)
        for fact, vector in zip(facts, vectors, strict=True)
    ]


def same_fact(fact: Fact, memory: Memory) -> bool:
    """Whether a near-identical memory states the same thing: no other subject, same numbers."""
    if fact.subject and memory.subject and fact.subject != memory.subject:
        return False
    return NUMBER.findall(fact.body) == NUMBER.findall(memory.body)


def _remember(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    fact: Fact,
    vector: Sequence[float],
    dedupe_similarity: float,
) -> Remembered:
    for candidate, _ in store.similar_current(conn, fan_id, fact.kind, vector, dedupe_similarity):
        if same_fact(fact, candidate):
            kept = store.reinforce(conn, candidate.id, fact)
            return Remembered(fact, "duplicate", kept)
    if fact.subject is not None:
        current = store.current_for_subject(conn, fan_id, fact.kind, fact.subject)
        if current is not None and fact.said_at is not None and fact.said_at < current.created_at:
            older = store.add_as_history(conn, fan_id, current.id, fact, vector)
            return Remembered(fact, "history", older)
        if current is not None:
            new = store.supersede(conn, current.id, fact, vector)
            return Remembered(fact, "superseded", new, replaced=current)
    return Remembered(fact, "added", store.add(conn, fan_id, fact, vector))
