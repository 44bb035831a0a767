"""The template grammar of the phrase banks: `{a|b|}` picks one alternative (empty allowed),
`[slot]` picks a phrase of the slot bank (whose phrases may hold alternatives and slots too)."""

import random
import re
from collections.abc import Mapping, Sequence

_SLOT = re.compile(r"\[([a-z_]+)\]")
_CHOICE = re.compile(r"\{([^{}]*)\}")
_SPACES = re.compile(r" {2,}")


def render(template: str, slots: Mapping[str, Sequence[str]], rng: random.Random) -> str:
    """One text of `template`: slots filled, alternatives chosen, spaces tidied."""
    text = template
    for _ in range(8):  # slot phrases nest a few levels at most
        expanded = _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]), text)
        expanded = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), expanded)
        if expanded == text:
            break
        text = expanded
    if _SLOT.search(text) or _CHOICE.search(text):
        raise ValueError(f"template nests too deep: {template!r}")
    return _SPACES.sub(" ", text).strip()
