"""The long-conversation benchmark against the real memory: each conversation's fan in the run's
database, twice, and every question searched as the product searches (no chat model).

- `turns`: every fan turn stored as a memory (conversation_fact, dated as said) and searched
  with `memory.search.within_fan`.
- `product`: what the product keeps: the facts `memory.extract` finds in each fan turn, stored
  by `memory.remember` (each citing its turn), and the fan's messages themselves as episodic
  memory (`crm.episodes.recall_episodes`); the two lists merged by score.

Each also ranked by meaning alone (`weight_text=0`: `*_vector_only`), so hybrid retrieval is
measured against vector-only. A result is a hit when it is (or cites) an evidence turn;
recall@k is the share of questions with an evidence turn in the top k, overall and per kind;
`multi_evidence_at_10` the share of a multi question's evidence turns in the top 10. Searches
run "as of" the conversation's last turn."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

from auth.operator import app_connection
from crm.episodes import recall_episodes
from db.connect import DatabaseTarget, creator_scope
from evals.cases import MemorySpec
from evals.longmem.dataset import Conversation, Question
from evals.longmem.extraction import facts_of, yields
from evals.longmem.plan import KINDS
from evals.metrics import Metric, rate
from evals.world import CLOCK, case_uuid, insert_creator_and_fans, insert_memories
from memory.embedders import Embedder
from memory.remember import remember
from memory.search import within_fan
from memory.settings import MemorySettings
from memory.store import as_vector
from memory.types import KIND_IMPORTANCE, Fact

KEY = "memory/longmem"
RECALL_AT = (1, 5, 10)
DEPTH = max(RECALL_AT)
INBOUND = """
INSERT INTO fan_messages (id, creator_id, fan_id, direction, status, body, created_at, embedding)
VALUES (%s, %s, %s, 'inbound', 'received', %s, %s, %s)
"""
DATED = "UPDATE fan_memories SET created_at = %s, updated_at = %s WHERE id = ANY(%s)"


@dataclass(frozen=True)
class Outcome:
    """One question searched one way: the evidence turns of each result, best first."""

    variant: str  # turns, product, and each with _vector_only
    question: Question
    ranked: tuple[frozenset[str], ...]

    def rank(self) -> int | None:
        """The rank of the first result that is an evidence turn."""
        evidence = set(self.question.evidence)
        return next((i for i, ids in enumerate(self.ranked, start=1) if ids & evidence), None)

    def evidence_found(self) -> float:
        found = set().union(*self.ranked) if self.ranked else set()
        return len(found & set(self.question.evidence)) / len(self.question.evidence)


class Vectors:
    """An Embedder over texts embedded beforehand in one batch (each distinct text once)."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]) -> None:
        self.name, self.dimensions = embedder.name, embedder.dimensions
        distinct = sorted(set(texts))
        self._vectors = dict(zip(distinct, embedder.embed(distinct), strict=True))

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vectors[text] for text in texts]


def score(
    target: DatabaseTarget,
    conversations: Sequence[Conversation],
    embedder: Embedder,
    settings: MemorySettings,
) -> dict[str, Metric]:
    """Every memory.longmem_* figure."""
    outcomes, facts = measure(target, conversations, embedder, settings)
    return recall_metrics(outcomes) | yields(conversations, facts)


def measure(
    target: DatabaseTarget,
    conversations: Sequence[Conversation],
    embedder: Embedder,
    settings: MemorySettings,
) -> tuple[list[Outcome], list[dict[str, list[Fact]]]]:
    """Each question searched every way, and the facts extracted from each conversation."""
    ids = [{t.id: case_uuid(KEY, c.id, t.id) for t in c.turns} for c in conversations]
    facts = [facts_of(c, message_ids) for c, message_ids in zip(conversations, ids, strict=True)]
    texts = [t.text for c in conversations for t in c.turns if t.speaker == "fan"]
    texts += [q.question for c in conversations for q in c.questions]
    texts += [f.body for found in facts for kept in found.values() for f in kept]
    vectors = Vectors(embedder, texts)
    variants = {
        "": settings,
        "_vector_only": settings.model_copy(update={"weight_text": 0.0}),
    }
    outcomes: list[Outcome] = []
    for conversation, message_ids, found in zip(conversations, ids, facts, strict=True):
        with app_connection(target) as conn:
            store = _Stored(conn, conversation, message_ids, vectors, settings)
            store.turns()
            store.product(found)
            for suffix, weights in variants.items():
                outcomes += store.search(suffix, weights)
    return outcomes, facts


class _Stored:
    """One conversation's creator and its two fans (one per storage mode)."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        conversation: Conversation,
        message_ids: dict[str, UUID],
        vectors: Vectors,
        settings: MemorySettings,
    ) -> None:
        self.conn, self.conversation, self.vectors = conn, conversation, vectors
        self.settings = settings
        self.key = f"{KEY}/{conversation.id}"
        self.creator = case_uuid(self.key, "creator")
        self.fans = {mode: case_uuid(self.key, mode) for mode in ("turns", "product")}
        self.message_ids = message_ids
        self.turn_of = {message: turn for turn, message in message_ids.items()}
        self.fan_turns = [t for t in conversation.turns if t.speaker == "fan"]
        self.turns_by_text: dict[str, set[str]] = defaultdict(set)
        for turn in self.fan_turns:
            self.turns_by_text[turn.text].add(turn.id)

    def turns(self) -> None:
        """Every fan turn as a memory, dated as said."""
        memories = [
            MemorySpec(
                kind="conversation_fact",
                body=turn.text,
                importance=KIND_IMPORTANCE["conversation_fact"],
                days_ago=(CLOCK - turn.at) / dt.timedelta(days=1),
            )
            for turn in self.fan_turns
        ]
        with creator_scope(self.conn, self.creator):
            handle = f"evals-longmem-{self.conversation.id}"
            names = {fan: self.conversation.fan_name for fan in self.fans.values()}
            insert_creator_and_fans(self.conn, self.creator, handle, "Longmem", names)
            vectors = self.vectors.embed([m.body for m in memories])
            fan = self.fans["turns"]
            insert_memories(self.conn, self.creator, fan, memories, vectors, self.key, "turns")

    def product(self, facts: dict[str, list[Fact]]) -> None:
        """The fan's messages with their vectors, and the facts remembered from each, dated as
        the message (a fact heard again keeps its first date)."""
        fan = self.fans["product"]
        rows = [
            (self.message_ids[t.id], self.creator, fan, t.text, t.at, as_vector(vector))
            for t, vector in zip(
                self.fan_turns, self.vectors.embed([t.text for t in self.fan_turns]), strict=True
            )
        ]
        with creator_scope(self.conn, self.creator):
            with self.conn.cursor() as cursor:
                cursor.executemany(INBOUND, rows)
            for turn in self.fan_turns:
                kept = remember(self.conn, self.vectors, fan, facts[turn.id], self.settings)
                new = [r.memory.id for r in kept if r.outcome != "duplicate"]
                if new:
                    self.conn.execute(DATED, [turn.at, turn.at, new])

    def search(self, suffix: str, settings: MemorySettings) -> Iterator[Outcome]:
        end = self.conversation.end
        with creator_scope(self.conn, self.creator):
            for question in self.conversation.questions:
                [query] = self.vectors.embed([question.question])
                text = question.question
                stored = within_fan(
                    self.conn,
                    self.fans["turns"],
                    query,
                    settings,
                    text=text,
                    limit=DEPTH,
                    as_of=end,
                )
                yield Outcome(
                    f"turns{suffix}",
                    question,
                    tuple(frozenset(self.turns_by_text[hit.memory.body]) for hit in stored),
                )
                product = self.fans["product"]
                facts = within_fan(
                    self.conn, product, query, settings, text=text, limit=DEPTH, as_of=end
                )
                episodes = recall_episodes(
                    self.conn,
                    product,
                    query,
                    settings,
                    text=text,
                    exclude=(),
                    limit=DEPTH,
                    as_of=end,
                )
                merged = [(hit.score, self._cited(hit.memory.source_message_id)) for hit in facts]
                merged += [(e.score, frozenset({self.turn_of[e.message_id]})) for e in episodes]
                merged.sort(key=lambda pair: -pair[0])  # stable: facts first on a tie
                yield Outcome(f"product{suffix}", question, tuple(ids for _, ids in merged[:DEPTH]))

    def _cited(self, message: UUID | None) -> frozenset[str]:
        return frozenset() if message is None else frozenset({self.turn_of[message]})


def recall_metrics(outcomes: Sequence[Outcome]) -> dict[str, Metric]:
    """memory.longmem_<variant>[_<kind>]_recall_at_<k> and <variant>_multi_evidence_at_10."""
    by_variant: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_variant[outcome.variant].append(outcome)
    metrics: dict[str, Metric] = {}
    for variant, found in sorted(by_variant.items()):
        groups = {"": found} | {
            f"_{kind}": [o for o in found if o.question.kind == kind] for kind in KINDS
        }
        for group, members in groups.items():
            ranks = [o.rank() for o in members]
            for k in RECALL_AT:
                hits = sum(r is not None and r <= k for r in ranks)
                metrics[f"memory.longmem_{variant}{group}_recall_at_{k}"] = rate(hits, len(ranks))
        multi = [o.evidence_found() for o in groups["_multi"]]
        metrics[f"memory.longmem_{variant}_multi_evidence_at_{DEPTH}"] = Metric(
            sum(multi) / len(multi) if multi else 0.0, len(multi)
        )
    return metrics
