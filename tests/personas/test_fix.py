from hypothesis import given, settings
from hypothesis import strategies as st

from personas.check import Rule, check_draft
from personas.fix import apply_fixes
from personas.model import Persona

MECHANICAL = {Rule.EMOJI_FORBIDDEN, Rule.TOO_MANY_EMOJI, Rule.TOO_LONG, Rule.PUNCTUATION}
PIECES = [*"abcXYZ éÉ .,!?…'\"()\n", "😘", "👍🏽", "❤️", "🇺🇸", "word ", "Sentence. "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
PERSONAS = st.builds(
    Persona,
    name=st.just("p"),
    emoji_style=st.sampled_from(["none", "light", "heavy"]),
    max_emoji=st.integers(0, 4),
    max_chars=st.integers(20, 120),
    punctuation_style=st.sampled_from(["casual", "lowercase", "proper", "expressive"]),
)


@settings(max_examples=200, deadline=None)
@given(TEXT, PERSONAS)
def test_fixed_drafts_break_no_mechanical_rule(draft: str, persona: Persona) -> None:
    fixed = apply_fixes(draft, persona)
    broken = {violation.rule for violation in check_draft(fixed, persona)}
    assert not broken & MECHANICAL, (fixed, broken)


def test_fixes_keep_a_draft_that_already_follows_the_persona() -> None:
    persona = Persona(name="p", punctuation_style="proper", max_emoji=1)
    assert apply_fixes("Hey you! How was the trip? 😘", persona) == "Hey you! How was the trip? 😘"


def test_an_overlong_draft_is_cut_at_a_sentence_end() -> None:
    persona = Persona(name="p", max_chars=40)
    draft = "Missed you so much today. The shoot ran late and I am so tired."
    assert apply_fixes(draft, persona) == "Missed you so much today."


def test_proper_style_gets_its_capital_and_full_stop_before_the_emoji() -> None:
    persona = Persona(name="p", punctuation_style="proper", max_emoji=1)
    assert apply_fixes("hey you 😘😘", persona) == "Hey you. 😘"
