"""What the rule-based extractor (memory/extract.py) keeps of each fan turn, and its yield: how
many turns give a fact, how many of the turns stating a fact of the fan (the generator knows
them), how many of the questions' evidence turns, and how many turns about someone else give
one (a fact credited to the wrong person)."""

from collections.abc import Sequence
from uuid import UUID

from evals.longmem.dataset import Conversation
from evals.metrics import Metric, rate
from memory.extract import extract_facts
from memory.types import Fact


def facts_of(conversation: Conversation, message_ids: dict[str, UUID]) -> dict[str, list[Fact]]:
    """The facts of every fan turn, by turn id, each citing its message."""
    return {
        turn.id: extract_facts(
            turn.text, source_message_id=message_ids[turn.id], said_on=turn.at.date()
        )
        for turn in conversation.turns
        if turn.speaker == "fan"
    }


def yields(
    conversations: Sequence[Conversation], facts: Sequence[dict[str, list[Fact]]]
) -> dict[str, Metric]:
    """memory.longmem_yield_* and memory.longmem_distractor_fact_rate."""
    groups: dict[str, list[bool]] = {"turns": [], "fact_turns": [], "evidence_turns": []}
    other: list[bool] = []
    for conversation, found in zip(conversations, facts, strict=True):
        evidence = {e for q in conversation.questions for e in q.evidence}
        for turn in conversation.turns:
            if turn.speaker != "fan":
                continue
            kept = bool(found[turn.id])
            groups["turns"].append(kept)
            if turn.content == "fact":
                groups["fact_turns"].append(kept)
            if turn.id in evidence:
                groups["evidence_turns"].append(kept)
            if turn.content == "other":
                other.append(kept)
    metrics = {f"memory.longmem_yield_{name}": rate(sum(v), len(v)) for name, v in groups.items()}
    metrics["memory.longmem_distractor_fact_rate"] = rate(sum(other), len(other))
    return metrics
