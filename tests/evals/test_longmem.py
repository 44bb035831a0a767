"""The long-conversation memory benchmark: its file is what the seeded generator writes, its
conversations and labels hold what the README promises, and the scorer finds what it should."""

import re

import pytest

from db.connect import DatabaseTarget
from evals.longmem import generate
from evals.longmem.dataset import DATASET, Conversation, Question, dumps, load
from evals.longmem.plan import KINDS
from evals.longmem.score import Outcome, measure
from memory.embedders import LocalEmbedder
from memory.settings import MemorySettings

CONVERSATIONS = load()


def test_the_committed_file_is_what_the_generator_writes() -> None:
    assert dumps(generate.build()) == DATASET.read_text(encoding="utf-8"), (
        "evals/datasets/longmem.jsonl differs from a regeneration: "
        "run `fanagent evals longmem generate` and commit the result"
    )


def test_there_are_twenty_long_conversations_over_months_with_every_kind_asked() -> None:
    assert len(CONVERSATIONS) >= 20
    for conversation in CONVERSATIONS:
        turns = conversation.turns
        assert len(turns) >= 300
        assert (conversation.end - turns[0].at).days >= 120
        assert [t.at for t in turns] == sorted(t.at for t in turns)
        assert len({t.id for t in turns}) == len(turns)
        assert len(conversation.questions) >= 15
        assert {q.kind for q in conversation.questions} == set(KINDS)


def test_every_evidence_turn_is_a_fan_turn_holding_the_answer() -> None:
    for conversation in CONVERSATIONS:
        turns = {t.id: t for t in conversation.turns}
        for question in conversation.questions:
            assert question.evidence, question.id
            said = [turns[e] for e in question.evidence]
            assert all(t.speaker == "fan" and t.content == "fact" for t in said), question.id
            for turn in said:
                assert any(v in turn.text.lower() for v in question.values), (question, turn)
            for value in question.values:  # multi: each value in one of its turns
                assert any(value in t.text.lower() for t in said), (question, value)


def test_an_updated_facts_evidence_is_the_turn_that_said_the_new_value() -> None:
    for conversation in CONVERSATIONS:
        for question in (q for q in conversation.questions if q.kind == "updated"):
            [evidence] = question.evidence
            [value] = question.values
            earlier = [t for t in conversation.turns if t.id < evidence and t.speaker == "fan"]
            assert not any(value in t.text.lower() for t in earlier), question


def test_no_question_copies_four_words_of_its_evidence() -> None:
    for conversation in CONVERSATIONS:
        turns = {t.id: t for t in conversation.turns}
        for question in conversation.questions:
            asked = _runs(question.question)
            for evidence in question.evidence:
                assert not asked & _runs(turns[evidence].text), (question, turns[evidence])


def test_a_hit_is_an_evidence_turn_and_the_old_value_is_a_miss() -> None:
    question = Question(
        id="q",
        kind="updated",
        question="where does he live now?",
        answer="austin",
        values=("austin",),
        evidence=("t9",),
    )
    moved = Outcome("turns", question, (frozenset({"t1"}), frozenset({"t9"})))
    stale = Outcome("turns", question, (frozenset({"t1"}), frozenset({"t2"})))
    assert (moved.rank(), stale.rank()) == (2, None)
    assert (moved.evidence_found(), stale.evidence_found()) == (1.0, 0.0)


@pytest.fixture(scope="module")
def scored(database: DatabaseTarget, embedder: LocalEmbedder) -> tuple[Conversation, list[Outcome]]:
    """The first conversation stored both ways and searched."""
    conversation = CONVERSATIONS[0]
    outcomes, _ = measure(database, [conversation], embedder, MemorySettings())
    return conversation, outcomes


def test_a_fan_message_naming_a_rare_name_finds_its_turn_in_the_top_five(
    scored: tuple[Conversation, list[Outcome]],
) -> None:
    _, outcomes = scored
    callbacks = [o for o in outcomes if o.variant == "turns" and o.question.kind == "callback"]
    assert callbacks
    for outcome in callbacks:
        rank = outcome.rank()
        assert rank is not None and rank <= 5, outcome.question


def test_every_result_is_a_fan_turn_of_the_conversation_in_every_variant(
    scored: tuple[Conversation, list[Outcome]],
) -> None:
    conversation, outcomes = scored
    fan_turns = {t.id for t in conversation.turns if t.speaker == "fan"}
    variants = {"turns", "turns_vector_only", "product", "product_vector_only"}
    assert {o.variant for o in outcomes} == variants
    assert len(outcomes) == len(variants) * len(conversation.questions)
    for outcome in outcomes:
        assert 0 < len(outcome.ranked) <= 10
        assert all(ids and ids <= fan_turns for ids in outcome.ranked), outcome


def _runs(text: str, size: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
