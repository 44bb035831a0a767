"""A persona: the voice the agent writes in for one fan (or a creator's default).

Fields and ranges match the columns of fan_personas (migration 0004), so a row validates into a
Persona and a Persona writes back into a row unchanged. Sliders run 0..1 with 0.001 resolution
(the column is a `real`: rounding keeps a value read back equal to the value written).
"""

import re
from dataclasses import dataclass
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

EmojiStyle = Literal["none", "light", "heavy"]
LengthStyle = Literal["short", "medium", "long"]
PunctuationStyle = Literal["casual", "lowercase", "proper", "expressive"]
PersonaSource = Literal["fan", "creator", "builtin"]

MAX_TERMS = 50
MAX_TERM_CHARS = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _slider(value: float) -> float:
    return round(value, 3)


def _terms(values: tuple[str, ...]) -> tuple[str, ...]:
    """Whitespace collapsed, duplicates (ignoring case) dropped, order kept."""
    seen: set[str] = set()
    kept: list[str] = []
    for raw in values:
        term = " ".join(raw.split())
        if not term.strip("*") or len(term) > MAX_TERM_CHARS or _CONTROL.search(term):
            raise ValueError(f"vocabulary terms are 1-{MAX_TERM_CHARS} printable characters")
        if term.casefold() not in seen:
            seen.add(term.casefold())
            kept.append(term)
    return tuple(kept)


Slider = Annotated[float, Field(ge=0, le=1), AfterValidator(_slider)]
Terms = Annotated[tuple[str, ...], Field(max_length=MAX_TERMS), AfterValidator(_terms)]


class Persona(BaseModel):
    """Vocabulary rules, tone sliders, formatting limits and response style for one voice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    # Vocabulary rules.
    vocabulary_use: Terms = ()
    vocabulary_avoid: Terms = ()
    # Tone.
    warmth: Slider = 0.7
    formality: Slider = 0.2
    playfulness: Slider = 0.6
    explicitness_threshold: Slider = 0.3  # the most explicit a draft may score (personas.check)
    # Formatting. emoji_style "none" means no emoji whatever max_emoji says.
    emoji_style: EmojiStyle = "light"
    max_emoji: int = Field(default=2, ge=0, le=20)
    length_style: LengthStyle = "short"
    max_chars: int = Field(default=280, ge=20, le=4000)
    punctuation_style: PunctuationStyle = "casual"
    # Response style.
    directness: Slider = 0.5
    personal_touch: Slider = 0.7
    promotional: Slider = 0.3

    @model_validator(mode="after")
    def _no_term_both_used_and_avoided(self) -> "Persona":
        both = {t.casefold() for t in self.vocabulary_use} & {
            t.casefold() for t in self.vocabulary_avoid
        }
        if both:
            raise ValueError(f"terms both to use and to avoid: {', '.join(sorted(both))}")
        return self

    @property
    def emoji_limit(self) -> int:
        """How many emoji a draft may hold."""
        return 0 if self.emoji_style == "none" else self.max_emoji


@dataclass(frozen=True)
class EffectivePersona:
    """The persona that applies to a fan and where it came from (id None for the built-in)."""

    persona: Persona
    source: PersonaSource
    id: UUID | None
