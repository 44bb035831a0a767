"""The checks a chat model's facts go through before they are remembered."""

from typing import Any
from uuid import uuid4

from memory.extract_model import as_subject, facts_from_answer, grounded
from memory.types import Fact

MESSAGE = "my dog max got into the trash again, and im a nurse so i was on shift all night"


def item(fact: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "personal_detail", "fact": fact, "subject": "", "confidence": 0.9,
            "importance": 0.6} | fields  # fmt: skip


def test_a_fact_the_message_grounds_is_kept_with_its_source() -> None:
    source = uuid4()
    (fact,) = facts_from_answer(
        {"facts": [item("Works as a nurse", subject="Job")]}, MESSAGE, source_message_id=source
    )
    assert (fact.body, fact.subject, fact.source_message_id) == ("Works as a nurse", "job", source)


def test_made_up_unsure_malformed_and_repeated_facts_are_dropped() -> None:
    answer = {
        "facts": [
            item("Lives in Denver"),  # nothing of it in the message
            item("Works night shifts", confidence=0.3),  # unsure
            {"kind": "hobby", "fact": "Likes trash", "confidence": 0.9},  # no such kind
            "Has a dog",  # not an object
            item("Works as a nurse"),
            item("works  as a NURSE"),  # the same fact again
        ]
    }
    assert [f.body for f in facts_from_answer(answer, MESSAGE)] == ["Works as a nurse"]


def test_what_the_patterns_found_is_not_added_again() -> None:
    known = [Fact("personal_detail", "Has a dog named Max", "pet:dog:max")]
    answer = {
        "facts": [
            item("Has a dog named Max"),
            item("Owns a dog called Max", subject="pet:dog:max"),
            item("Works as a nurse"),
        ]
    }
    found = facts_from_answer(answer, MESSAGE, known=known)
    assert [f.body for f in found] == ["Works as a nurse"]


def test_no_answer_or_no_list_is_no_fact() -> None:
    assert facts_from_answer(None, MESSAGE) == []
    assert facts_from_answer({"facts": "none"}, MESSAGE) == []


def test_grounded_needs_a_shared_word_that_is_not_a_function_word() -> None:
    assert grounded("Has a dog named Max", "my dog's name is max")
    assert not grounded("Has a cat", "i have a dog")
    assert not grounded("Max", "max")  # one word is no fact


def test_subjects_become_keys_or_nothing() -> None:
    assert as_subject("Home City") == "home_city"
    assert as_subject("pet : dog") == "pet:dog"
    assert as_subject("") is None
    assert as_subject("42") is None


def test_grounded_needs_the_facts_names_and_numbers_in_the_message() -> None:
    assert grounded("Birthday is March 14", "my bday is march 14th!!")
    assert grounded("Likes being called 'babe'", "i love it when u call me babe")
    assert not grounded("Has a dog named Rex", "my dog max got into the trash")  # made-up name
    assert not grounded("Birthday is March 15", "my bday is march 14th")
    # SmolLM2's answer to "hey babe whats up" (tests/llm/test_model_facts_recorded.py): "up" is
    # no content word, and the 2 is made up
    assert not grounded("Makes up a team of 2 and is a great leader.", "hey babe whats up")
