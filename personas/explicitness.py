"""How explicit a draft is, 0..1, from a small weighted lexicon.

The score is the weight of the most explicit term found (0 when none): a persona's
explicitness_threshold is then "the most explicit tier allowed", and the terms over it are
exactly what a repair has to remove. Terms match as whole words, case-insensitively; a trailing
"*" matches any ending (personas.matching). The lexicon is deliberately short: it catches the
usual vocabulary of each tier, not every euphemism; raise a weight or add a term here.
"""

from dataclasses import dataclass

from personas.matching import find_term


@dataclass(frozen=True)
class Tier:
    name: str
    weight: float
    terms: tuple[str, ...]


TIERS: tuple[Tier, ...] = (
    Tier("flirty", 0.15, ("flirt*", "tease", "teasing", "kiss", "kisses", "kissing", "cuddl*")),
    Tier("suggestive", 0.25, ("sexy", "naughty", "spicy", "seductive", "frisky", "steamy")),
    Tier(
        "sensual",
        0.45,
        (
            "lingerie",
            "undress*",
            "topless",
            "striptease",
            "stripping",
            "horny",
            "aroused",
            "turned on",
            "sultry",
        ),
    ),
    Tier("nude", 0.6, ("nude", "nudes", "naked", "boobs", "tits", "booty")),
    Tier(
        "graphic",
        0.9,
        (
            "sex",
            "sexual",
            "orgasm*",
            "masturbat*",
            "fuck*",
            "dick",
            "dicks",
            "cock",
            "cocks",
            "pussy",
            "cum",
            "cumming",
            "blowjob*",
            "porn*",
            "dildo*",
            "vibrator*",
        ),
    ),
)


@dataclass(frozen=True)
class ExplicitTerm:
    text: str  # as written in the draft
    tier: Tier


def explicit_terms(text: str) -> list[ExplicitTerm]:
    """Every lexicon term in `text`, most explicit first, then in lexicon order."""
    found = [
        ExplicitTerm(match, tier)
        for tier in TIERS
        for term in tier.terms
        for match in find_term(term, text)
    ]
    return sorted(found, key=lambda term: -term.tier.weight)


def explicitness(text: str) -> float:
    """0 for none of the lexicon; else the weight of the most explicit tier present."""
    return max((term.tier.weight for term in explicit_terms(text)), default=0.0)


def allowed_tiers(threshold: float) -> tuple[list[str], list[str]]:
    """The tier names at or under `threshold`, and those over it."""
    allowed = [tier.name for tier in TIERS if tier.weight <= threshold]
    return allowed, [tier.name for tier in TIERS if tier.weight > threshold]
