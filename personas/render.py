"""A persona as short instructions for the model, one per line, the hard rules first.

The same persona always gives the same text. Sliders are put in words (three bands each), since
a small model follows "very warm" better than "warmth 0.8". The hard rules are those
personas.check enforces, so the model is told exactly what the post-check will hold it to; they
come first, so cutting the text to a token budget drops style before rules.
"""

from personas.explicitness import allowed_tiers
from personas.model import Persona

# Low (< 1/3), middle, high (>= 2/3) for each slider.
BANDS: dict[str, tuple[str, str, str]] = {
    "warmth": ("cool and a little reserved", "friendly", "very warm and affectionate"),
    "formality": ("casual (like texting a friend)", "relaxed but polite", "polished and formal"),
    "playfulness": ("serious", "lightly playful", "playful and teasing"),
    "directness": (
        "hint rather than say things outright",
        "be clear about what you mean",
        "get straight to the point",
    ),
    "personal_touch": (
        "keep it general",
        "mention what you know about the fan now and then",
        "make it personal: use what you know about the fan",
    ),
    "promotional": (
        "do not pitch content or offers",
        "mention content or offers only when the fan shows interest",
        "look for a natural chance to suggest content or offers",
    ),
}
LENGTHS = {
    "short": "one or two short sentences",
    "medium": "a few sentences",
    "long": "a full paragraph",
}
PUNCTUATION = {
    "casual": "Casual punctuation is fine.",
    "lowercase": "Write everything in lowercase: no capital letters at all.",
    "proper": "Start with a capital letter and end every sentence with . ! or ?",
    "expressive": "Expressive punctuation is welcome (!!, ?!, ...).",
}


def render_persona(persona: Persona) -> str:
    return "\n".join(f"- {line}" for line in _hard_rules(persona) + _style(persona))


def band(value: float, slider: str) -> str:
    low, middle, high = BANDS[slider]
    return low if value < 1 / 3 else middle if value < 2 / 3 else high


def _hard_rules(persona: Persona) -> list[str]:
    rules = []
    if persona.vocabulary_avoid:
        rules.append(f"Never use these words or phrases: {_quoted(persona.vocabulary_avoid)}.")
    rules.append(f"At most {persona.max_chars} characters.")
    if persona.emoji_limit == 0:
        rules.append("Use no emoji.")
    else:
        rules.append(f"Use at most {persona.emoji_limit} emoji.")
    rules.append(_explicitness(persona.explicitness_threshold))
    rules.append(PUNCTUATION[persona.punctuation_style])
    return rules


def _style(persona: Persona) -> list[str]:
    tone = ", ".join(
        band(getattr(persona, slider), slider) for slider in ("warmth", "formality", "playfulness")
    )
    lines = [
        f"Tone: {tone}.",
        f"Length: {LENGTHS[persona.length_style]}.",
        f"Style: {band(persona.directness, 'directness')}; "
        f"{band(persona.personal_touch, 'personal_touch')}; "
        f"{band(persona.promotional, 'promotional')}.",
    ]
    if persona.emoji_style == "heavy":
        lines.append("Emoji are part of this voice: use them.")
    if persona.vocabulary_use:
        lines.append(f"Words to use when they fit: {_quoted(persona.vocabulary_use)}.")
    return lines


def _explicitness(threshold: float) -> str:
    allowed, over = allowed_tiers(threshold)
    if not over:
        return "Explicit language is allowed."
    if not allowed:
        return "Keep it clean: no flirting and nothing sexual."
    return f"Explicitness: {_listed(allowed, 'or')} words are fine; nothing {_listed(over, 'or')}."


def _listed(names: list[str], conjunction: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def _quoted(terms: tuple[str, ...]) -> str:
    return ", ".join(f'"{term}"' for term in terms)
