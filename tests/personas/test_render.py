import pytest

from personas.model import Persona
from personas.render import render_persona


def test_hard_rules_come_first_and_match_what_the_check_enforces() -> None:
    persona = Persona(
        name="p",
        vocabulary_avoid=("sir", "as an AI"),
        vocabulary_use=("babe",),
        max_chars=150,
        emoji_style="none",
        max_emoji=4,
        punctuation_style="lowercase",
    )
    lines = render_persona(persona).splitlines()
    assert lines[:5] == [
        '- Never use these words or phrases: "sir", "as an AI".',
        "- At most 150 characters.",
        "- Use no emoji.",
        "- Explicitness: flirty or suggestive words are fine; nothing sensual, nude or graphic.",
        "- Write everything in lowercase: no capital letters at all.",
    ]
    assert lines[-1] == '- Words to use when they fit: "babe".'


@pytest.mark.parametrize(
    ("threshold", "line"),
    [
        (0.0, "- Keep it clean: no flirting and nothing sexual."),
        (
            0.5,
            "- Explicitness: flirty, suggestive or sensual words are fine;"
            " nothing nude or graphic.",
        ),
        (1.0, "- Explicit language is allowed."),
    ],
)
def test_the_explicitness_threshold_is_put_in_words(threshold: float, line: str) -> None:
    assert line in render_persona(Persona(name="p", explicitness_threshold=threshold)).splitlines()


def test_sliders_are_put_in_words() -> None:
    cool = render_persona(Persona(name="p", warmth=0.1, formality=0.9, promotional=0.9))
    warm = render_persona(Persona(name="p", warmth=0.9, formality=0.1, promotional=0.0))
    assert "Tone: cool and a little reserved, polished and formal" in cool
    assert "suggest content or offers" in cool
    assert "Tone: very warm and affectionate, casual (like texting a friend)" in warm
    assert "do not pitch content or offers" in warm


def test_heavy_emoji_invites_them_within_the_limit() -> None:
    text = render_persona(Persona(name="p", emoji_style="heavy", max_emoji=6))
    assert "- Use at most 6 emoji." in text and "Emoji are part of this voice" in text


def test_the_same_persona_always_renders_the_same_text() -> None:
    persona = Persona(name="p", vocabulary_use=("b", "a"))
    copy = Persona.model_validate(persona.model_dump())
    assert render_persona(persona) == render_persona(copy)
    assert '"b", "a"' in render_persona(persona)  # the creator's order, not a set's
