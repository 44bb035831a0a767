import pytest
from pydantic import ValidationError

from personas.defaults import BUILTIN_PERSONA
from personas.model import Persona


@pytest.mark.parametrize(
    "field",
    [
        {"warmth": 1.01},
        {"formality": -0.1},
        {"explicitness_threshold": 2},
        {"max_emoji": 21},
        {"max_chars": 19},
        {"max_chars": 4001},
        {"emoji_style": "lots"},
        {"length_style": "tiny"},
        {"punctuation_style": "shouty"},
        {"name": ""},
        {"vocabulary_avoid": [""]},
        {"vocabulary_avoid": ["*"]},
        {"vocabulary_use": ["bell\x07"]},
        {"vocabulary_use": ["x" * 61]},
        {"vocabulary_use": [f"w{i}" for i in range(51)]},
        {"unknown_field": 1},
    ],
)
def test_out_of_range_values_are_rejected(field: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Persona.model_validate({"name": "p", **field})


def test_a_term_cannot_be_both_used_and_avoided() -> None:
    with pytest.raises(ValidationError, match="babe"):
        Persona(name="p", vocabulary_use=("Babe",), vocabulary_avoid=("babe",))


def test_terms_are_tidied_and_deduplicated_keeping_order() -> None:
    persona = Persona(name="p", vocabulary_avoid=("  sir ", "as  an\tAI", "SIR", "dear"))
    assert persona.vocabulary_avoid == ("sir", "as an AI", "dear")


def test_sliders_keep_three_decimals_so_a_real_column_reads_back_equal() -> None:
    stored = 0.699999988079071  # 0.7 as a PostgreSQL real
    assert Persona(name="p", warmth=stored).warmth == 0.7


def test_no_emoji_style_means_no_emoji_whatever_the_maximum() -> None:
    assert Persona(name="p", emoji_style="none", max_emoji=5).emoji_limit == 0
    assert Persona(name="p", emoji_style="heavy", max_emoji=5).emoji_limit == 5


def test_builtin_default_uses_the_column_defaults() -> None:
    column_defaults = Persona(name="Default")
    assert BUILTIN_PERSONA.model_dump(exclude={"name", "vocabulary_avoid"}) == (
        column_defaults.model_dump(exclude={"name", "vocabulary_avoid"})
    )
