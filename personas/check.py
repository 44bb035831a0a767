"""The post-check of a draft against its persona: what is wrong and how to fix it.

Only the rules a program can verify are checked: a draft that repeats itself (a model looping,
whatever the persona), avoided vocabulary, emoji, length, explicitness and punctuation style.
Tone sliders and the words to use are guidance for the model, not checkable rules. The agent
sends the hints back to the model for a bounded repair and flags the draft when violations
remain.
"""

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from personas.emoji import find_emoji, split_trailing_emoji
from personas.explicitness import allowed_tiers, explicit_terms
from personas.matching import find_term
from personas.model import Persona

SENTENCE_END = ".!?…"
CLOSERS = "\"')]\u00bb\u201d\u2019"  # closing quotes and brackets after the final mark
# A line or sentence this often in one draft is a model looping ("ibid,\n\nibid,\n\n..."), not
# a reply; three still allows "No! No! No!".
REPEATS = 4
PARTS = re.compile(r"[\n.!?…]+")


class Rule(StrEnum):
    EMPTY = "empty"
    REPETITIVE = "repetitive"
    AVOIDED_VOCABULARY = "avoided_vocabulary"
    EMOJI_FORBIDDEN = "emoji_forbidden"
    TOO_MANY_EMOJI = "too_many_emoji"
    TOO_LONG = "too_long"
    TOO_EXPLICIT = "too_explicit"
    PUNCTUATION = "punctuation"


@dataclass(frozen=True)
class Violation:
    rule: Rule
    detail: str  # what is wrong, for the chatter
    hint: str  # how to fix it, for the model's repair turn
    found: tuple[str, ...] = ()  # the offending pieces of the draft, as written


def check_draft(draft: str, persona: Persona) -> list[Violation]:
    """Every rule of `persona` that `draft` breaks, in the order of Rule; [] when it passes."""
    text = draft.strip()
    if not text:
        return [Violation(Rule.EMPTY, "the draft is empty", "Write the reply.")]
    checks = (_repetition, _vocabulary, _emoji, _length, _explicitness, _punctuation)
    return [violation for check in checks for violation in check(text, persona)]


def _repetition(text: str, persona: Persona) -> list[Violation]:
    parts = Counter(part.strip().lower() for part in PARTS.split(text))
    found = tuple(part for part, times in parts.items() if part and times >= REPEATS)
    if not found:
        return []
    return [
        Violation(
            Rule.REPETITIVE,
            f'repeats "{found[0]}" {parts[found[0]]} times',
            "Write the reply once, without repeating a line or a sentence.",
            found,
        )
    ]


def _vocabulary(text: str, persona: Persona) -> list[Violation]:
    found = tuple(term for term in persona.vocabulary_avoid if find_term(term, text))
    if not found:
        return []
    quoted = ", ".join(f'"{term}"' for term in found)
    return [
        Violation(
            Rule.AVOIDED_VOCABULARY,
            f"uses avoided words: {quoted}",
            f"Rephrase without {quoted}.",
            found,
        )
    ]


def _emoji(text: str, persona: Persona) -> list[Violation]:
    found = find_emoji(text)
    if not found:
        return []
    if persona.emoji_style == "none":
        return [
            Violation(
                Rule.EMOJI_FORBIDDEN,
                f"has {len(found)} emoji; this persona uses none",
                "Remove every emoji.",
                tuple(found),
            )
        ]
    if len(found) <= persona.max_emoji:
        return []
    return [
        Violation(
            Rule.TOO_MANY_EMOJI,
            f"has {len(found)} emoji; at most {persona.max_emoji} allowed",
            f"Use at most {persona.max_emoji} emoji.",
            tuple(found[persona.max_emoji :]),
        )
    ]


def _length(text: str, persona: Persona) -> list[Violation]:
    if len(text) <= persona.max_chars:
        return []
    return [
        Violation(
            Rule.TOO_LONG,
            f"{len(text)} characters; at most {persona.max_chars} allowed",
            f"Shorten the reply to under {persona.max_chars} characters.",
        )
    ]


def _explicitness(text: str, persona: Persona) -> list[Violation]:
    threshold = persona.explicitness_threshold
    over = [term for term in explicit_terms(text) if term.tier.weight > threshold]
    if not over:
        return []
    found = tuple(dict.fromkeys(term.text for term in over))
    allowed, _ = allowed_tiers(threshold)
    quoted = ", ".join(f'"{word}"' for word in found)
    keep = f"keep it {' or '.join(allowed)} at most" if allowed else "keep it clean"
    return [
        Violation(
            Rule.TOO_EXPLICIT,
            f"explicitness {over[0].tier.weight:.2f} is over this persona's {threshold:.2f}",
            f"Replace {quoted}; {keep}.",
            found,
        )
    ]


def _punctuation(text: str, persona: Persona) -> list[Violation]:
    if persona.punctuation_style == "lowercase":
        capitals = tuple(dict.fromkeys(w for w in text.split() if any(c.isupper() for c in w)))
        if capitals:
            return [
                Violation(
                    Rule.PUNCTUATION,
                    "has capital letters; this persona writes in lowercase",
                    "Write everything in lowercase letters.",
                    capitals,
                )
            ]
    if persona.punctuation_style == "proper":
        problems = _proper_problems(split_trailing_emoji(text)[0])
        if problems:
            return [
                Violation(
                    Rule.PUNCTUATION,
                    " and ".join(problems),
                    "Start with a capital letter and end with . ! or ?",
                )
            ]
    return []


def ends_sentence(text: str) -> bool:
    """Whether `text` ends with . ! ? or …, maybe followed by closing quotes or brackets."""
    return text.rstrip().rstrip(CLOSERS).endswith(tuple(SENTENCE_END))


def _proper_problems(text: str) -> list[str]:
    """What `text` (the draft without its trailing emoji) lacks; nothing if it is all emoji."""
    problems = []
    first_letter = next((c for c in text if c.isalpha()), "")
    if first_letter.islower():
        problems.append("does not start with a capital letter")
    if text.strip() and not ends_sentence(text):
        problems.append("does not end with . ! or ?")
    return problems
