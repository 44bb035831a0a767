"""Message texts: vocabulary templates with their {slots} filled, written in a fan's own style
(lowercase, slang, typos, emoji habits), so the same template reads differently per fan."""

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from db.demo import vocabulary as v
from db.demo.draw import Draw


@dataclass(frozen=True)
class Template:
    text: str
    slots: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "Template":
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        return cls(text, tuple(sorted(names)))

    def fill(self, draw: Draw, fixed: Mapping[str, str] | None = None) -> str:
        """The text with each slot taken from `fixed`, else drawn from the vocabulary."""
        if not self.slots:
            return self.text
        return self.text.format_map(slot_values(draw, self.slots, fixed))


_SLOT_VALUES: dict[str, Sequence[str]] = {**v.SLOTS, **v.MEMORY_SLOTS}


def slot_values(
    draw: Draw, names: Sequence[str], fixed: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A value for each slot name: from `fixed` where given, else drawn from the vocabulary."""
    values = {}
    for name in names:
        if fixed is not None and name in fixed:
            values[name] = fixed[name]
        else:
            values[name] = draw.pick(_SLOT_VALUES[name])
    return values


def _templates(texts: Sequence[str]) -> tuple[Template, ...]:
    return tuple(Template.parse(text) for text in texts)


INBOUND: dict[str, tuple[Template, ...]] = {
    signal: _templates(texts) for signal, texts in v.INBOUND_TEMPLATES.items()
}
OUTBOUND: dict[str, tuple[Template, ...]] = {
    kind: _templates(texts) for kind, texts in v.OUTBOUND_TEMPLATES.items()
}
PPV_OFFERS = _templates(v.PPV_OFFERS)


@dataclass(frozen=True)
class FanVoice:
    """How one fan writes."""

    lowercase: bool
    slang: float  # probability a message uses slang
    typos: float  # probability a message has a typo
    emoji: float  # probability a message ends with emoji
    chatty: float  # probability a message gets an opener or a filler

    @classmethod
    def draw(cls, draw: Draw) -> "FanVoice":
        return cls(
            lowercase=draw.chance(0.55),
            slang=draw.pick((0.0, 0.1, 0.4, 0.8)),
            typos=draw.pick((0.0, 0.05, 0.15, 0.3)),
            emoji=draw.pick((0.05, 0.2, 0.5, 0.8)),
            chatty=draw.pick((0.05, 0.15, 0.35)),
        )


def inbound(draw: Draw, signal: str, voice: FanVoice) -> str:
    """A fan's message carrying `signal` (or small talk for vocabulary.NO_SIGNAL)."""
    return styled(draw, draw.pick(INBOUND[signal]).fill(draw), voice)


def styled(draw: Draw, text: str, voice: FanVoice) -> str:
    """`text` as this fan would type it."""
    if draw.chance(voice.chatty):
        if draw.chance(0.5):
            text = f"{draw.pick(v.OPENERS)} {text}"
        else:
            text = f"{text} {draw.pick(v.FILLERS)}"
    if draw.chance(voice.slang):
        text = " ".join(v.SLANG.get(word, word) for word in text.split(" "))
    if draw.chance(voice.typos):
        text = _typo(draw, text)
    if voice.lowercase:
        text = text.lower()
    if draw.chance(voice.emoji):
        text = f"{text} {draw.pick(v.SLOTS['emoji']) * draw.integer(1, 3)}"
    return text


def _typo(draw: Draw, text: str) -> str:
    """Swaps two neighbouring letters of one word."""
    words = text.split(" ")
    index = draw.integer(0, len(words) - 1)
    word = words[index]
    if len(word) > 3 and word.isalpha():
        at = draw.integer(1, len(word) - 2)
        words[index] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


def reply(draw: Draw, signal: str, fixed: Mapping[str, str]) -> str:
    """The creator's answer to a message carrying `signal`."""
    return draw.pick(OUTBOUND[v.REPLY_KIND[signal]]).fill(draw, fixed)


def ppv_offer(draw: Draw, fixed: Mapping[str, str]) -> str:
    return draw.pick(PPV_OFFERS).fill(draw, fixed)
