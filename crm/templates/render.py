"""A template's variables and how a fan's message is made of it.

A variable is `{name}` or `{name|fallback}` (the fallback stands in when the fan has no value).
Only these exist, each read from the one fan the message is for (or the broadcast's media):

    {fan_name}     the fan's display name (never the real name: no personal field is a variable)
    {memory}       the fan's most important current memory that is not personal
    {media_title}  the offered media's title
    {media_price}  the offered price ("$24.99")

A body naming anything else is refused when the template is stored (UnknownVariable), so a
render never meets an unknown name; a fan lacking a value the template needs (no memory and no
fallback) is MissingValue, and the caller skips that fan.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

VARIABLES: dict[str, str] = {
    "fan_name": "the fan's display name",
    "memory": "the fan's most important current memory (never a personal one)",
    "media_title": "the offered media's title",
    "media_price": "the offered price, e.g. $24.99",
}
PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")


class UnknownVariable(ValueError):
    """The body names a variable that does not exist."""


class MissingValue(LookupError):
    """The fan (or the broadcast) has no value for a variable the body needs."""


@dataclass(frozen=True)
class Values:
    """What one message may say: this fan's own data and the offered media."""

    fan_name: str
    memory: str | None = None
    media_title: str | None = None
    media_price: Decimal | None = None

    def get(self, name: str) -> str | None:
        if name == "media_price":
            return None if self.media_price is None else f"${self.media_price:.2f}"
        value: str | None = getattr(self, name)
        return value


def variables_of(body: str) -> list[str]:
    """The variables `body` uses, in order, each once; UnknownVariable for any other name."""
    names = list(dict.fromkeys(match.group(1).strip() for match in PLACEHOLDER.finditer(body)))
    unknown = [name for name in names if name not in VARIABLES]
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in VARIABLES)
        raise UnknownVariable(
            f"unknown variable {', '.join(f'{{{n}}}' for n in unknown)}: use {known}"
        )
    return names


def check_bodies(bodies: Iterable[str]) -> list[str]:
    """The variables the bodies (a template's and its variants') use together."""
    return list(dict.fromkeys(name for body in bodies for name in variables_of(body)))


def pick_body(body: str, variants: Mapping[str, str], platform: str | None) -> str:
    """The variant for the fan's platform, else the template's own body."""
    return variants.get(platform or "", body)


def render(body: str, values: Values) -> str:
    """`body` with every variable filled from `values`; MissingValue names the first lacking."""

    def fill(match: re.Match[str]) -> str:
        name, fallback = match.group(1).strip(), match.group(2)
        value = values.get(name)
        if value is None or not value.strip():
            if fallback is None:
                raise MissingValue(f"no {name} for this fan and no fallback ({{{name}|...}})")
            return fallback
        return " ".join(value.split())

    return PLACEHOLDER.sub(fill, body)
