"""One test per rule of the post-check, and a draft that breaks none."""

import pytest

from personas.check import Rule, Violation, check_draft
from personas.emoji import find_emoji
from personas.explicitness import explicitness
from personas.model import Persona

STRICT = Persona(
    name="strict",
    vocabulary_avoid=("sir", "as an AI", "don't worry", "<3"),
    emoji_style="light",
    max_emoji=1,
    max_chars=80,
    explicitness_threshold=0.3,
    punctuation_style="proper",
)


def rules(violations: list[Violation]) -> list[Rule]:
    return [violation.rule for violation in violations]


def test_a_draft_that_follows_the_persona_has_no_violations() -> None:
    assert check_draft("Hey you! Missed our chats, how was the trip? 😘", STRICT) == []


def test_an_empty_draft_is_a_violation() -> None:
    assert rules(check_draft("  \n ", STRICT)) == [Rule.EMPTY]


def test_a_model_looping_on_a_line_is_a_violation_a_little_emphasis_is_not() -> None:
    looping = check_draft("ibid,\n\nibid,\n\nIbid,\n\nibid,", STRICT)
    assert rules(looping)[0] == Rule.REPETITIVE
    assert looping[0].found == ("ibid,",) and looping[0].detail == 'repeats "ibid," 4 times'
    assert Rule.REPETITIVE not in rules(check_draft("No! No! No! Not that one 😂", STRICT))
    assert Rule.REPETITIVE not in rules(check_draft("ha. ha. ha. ha-ha.", STRICT))


@pytest.mark.parametrize(
    ("draft", "found"),
    [
        ("Of course, Sir.", ("sir",)),
        ("As an   AI I can't do that.", ("as an AI",)),
        ("Don\u2019t worry about it.", ("don't worry",)),
        ("Love you<3 sir!", ("sir", "<3")),
    ],
)
def test_avoided_words_are_found_case_insensitively(draft: str, found: tuple[str, ...]) -> None:
    [violation] = check_draft(draft, STRICT)
    assert violation.rule is Rule.AVOIDED_VOCABULARY
    assert violation.found == found
    assert all(f'"{term}"' in violation.hint for term in found)


@pytest.mark.parametrize("draft", ["The sirloin was great.", "Desire is a word.", "Sirius."])
def test_avoided_words_match_whole_words_only(draft: str) -> None:
    assert check_draft(draft, STRICT) == []


def test_any_emoji_breaks_a_no_emoji_persona() -> None:
    persona = Persona(name="p", emoji_style="none", max_emoji=3)
    [violation] = check_draft("hey you ❤️", persona)
    assert violation.rule is Rule.EMOJI_FORBIDDEN
    assert violation.found == ("❤️",)


def test_more_emoji_than_allowed_is_a_violation() -> None:
    [violation] = check_draft("Hey you! 😘🔥", STRICT)
    assert violation.rule is Rule.TOO_MANY_EMOJI
    assert violation.found == ("🔥",)
    assert "at most 1" in violation.hint


def test_emoji_are_counted_as_the_reader_sees_them() -> None:
    assert len(find_emoji("👍🏽 🇺🇸 👨\u200d👩\u200d👧 1️⃣ ❤ ✨")) == 6
    assert find_emoji("(c) © ® ™ → :) <3 #1") == []


def test_a_draft_over_max_chars_is_a_violation() -> None:
    draft = "Hey you! " + "So good to hear from you. " * 3 + "Talk soon."
    [violation] = check_draft(draft, STRICT)
    assert violation.rule is Rule.TOO_LONG
    assert f"{len(draft)} characters" in violation.detail


def test_a_draft_over_the_explicitness_threshold_is_a_violation() -> None:
    [violation] = check_draft("Want to see me naked tonight?", STRICT)
    assert violation.rule is Rule.TOO_EXPLICIT
    assert violation.found == ("naked",)
    assert '"naked"' in violation.hint


def test_explicitness_within_the_threshold_passes() -> None:
    assert check_draft("You are so sexy, I'm blushing!", STRICT) == []
    permissive = STRICT.model_copy(update={"explicitness_threshold": 1.0})
    assert check_draft("Want to see me naked tonight?", permissive) == []


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("See you tomorrow.", 0.0),
        ("a kiss for you", 0.15),
        ("so SEXY", 0.25),
        ("new lingerie set", 0.45),
        ("nudes?", 0.6),
        ("fucking hot", 0.9),
    ],
)
def test_explicitness_is_the_weight_of_the_most_explicit_term(text: str, score: float) -> None:
    assert explicitness(text) == score


def test_lowercase_style_forbids_capital_letters() -> None:
    persona = Persona(name="p", punctuation_style="lowercase")
    assert check_draft("hey you, missed you", persona) == []
    [violation] = check_draft("hey You, missed you OK", persona)
    assert violation.rule is Rule.PUNCTUATION
    assert violation.found == ("You,", "OK")


@pytest.mark.parametrize(
    ("draft", "problem"),
    [
        ("hey you, how was it?", "capital letter"),
        ("Hey you, how was it", "end with"),
        ("Hey you, how was it 😘", "end with"),
    ],
)
def test_proper_style_needs_a_capital_start_and_a_sentence_end(draft: str, problem: str) -> None:
    [violation] = check_draft(draft, STRICT)
    assert violation.rule is Rule.PUNCTUATION
    assert problem in violation.detail


def test_proper_style_accepts_closing_quotes_and_trailing_emoji() -> None:
    assert check_draft('Hey, you said "soon!" 😘', STRICT) == []


def test_violations_come_in_rule_order_with_a_hint_each() -> None:
    draft = "hey sir, want nudes 😘😘 " + "x" * 80
    violations = check_draft(draft, STRICT)
    assert rules(violations) == [
        Rule.AVOIDED_VOCABULARY,
        Rule.TOO_MANY_EMOJI,
        Rule.TOO_LONG,
        Rule.TOO_EXPLICIT,
        Rule.PUNCTUATION,
    ]
    assert all(violation.hint for violation in violations)
