"""Filling a phrasing: the intent corpus's grammar (`{a|b}` alternatives, `[slot]` phrases) and
then `<key>` placeholders with the thread's values."""

import random
import re
from collections.abc import Mapping

from agent.intent.corpus.grammar import render
from agent.intent.corpus.slots import SLOTS

_KEY = re.compile(r"<([a-z_0-9]+)>")


def fill(template: str, rng: random.Random, values: Mapping[str, str]) -> str:
    """One text of `template` with every `<key>` replaced by `values[key]`."""
    return _KEY.sub(lambda m: values[m.group(1)], render(template, SLOTS, rng))


def pick(templates: tuple[str, ...], rng: random.Random, values: Mapping[str, str]) -> str:
    return fill(rng.choice(templates), rng, values)
