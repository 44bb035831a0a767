"""The compact draft prompt, for small local models: a short chat they can continue.

A model of a few hundred million parameters cannot follow a 2,000-token prompt of tagged
sections and tool schemas; it copies it back. It does continue a chat well. So the prompt is: a
system message of three plain lines (who is writing to whom, the voice in words, the few facts
that matter most), then 2-3 examples of the creator's own past replies to similar fan messages
as earlier turns, then the last few messages of this conversation, then the fan's message. No
tools: what to offer is the graph's decision, not this model's; the system message names the
offer and its price when the graph picked one.

Fan text goes in as the fan's own turns (neutralised, never HTML-escaped); the examples and the
conversation are dropped oldest first until the prompt is within its token budget.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from personas.model import Persona
from personas.render import LENGTHS, band
from prompts.context import ConversationTurn, MemoryFact
from prompts.messages import ChatMessage
from prompts.registry import load
from prompts.render import RenderedPrompt
from prompts.sanitize import one_line
from prompts.tokens import count_message_tokens, truncate

BUDGET = 700  # tokens (cl100k), all messages
MESSAGE_BUDGET = 200  # the fan's message, cut at the end beyond it
MEMORIES = 3
RECENT_TURNS = 4
EXAMPLES = 3


@dataclass(frozen=True)
class Offer:
    """The PPV the graph picked to offer with the reply."""

    title: str
    price: Decimal
    percent_off: int | None = None  # a discount the fan asked for, already in the price


@dataclass(frozen=True)
class Example:
    """A fan message and the reply the creator's team sent to it."""

    fan: str
    reply: str


def render_compact_draft(
    *,
    creator_name: str,
    fan_name: str,
    persona: Persona,
    memories: Sequence[MemoryFact],
    conversation: Sequence[ConversationTurn],
    examples: Sequence[Example],
    message: str,
    offer: Offer | None = None,
    version: str = "v1",
) -> RenderedPrompt:
    template = load(version, "draft_compact")
    [(_, system)] = template.messages
    best = sorted(memories, key=lambda m: (-m.score, m.id))[:MEMORIES]
    about = "; ".join(one_line(m.body).rstrip(".") for m in best)
    system_text = system.substitute(
        creator_name=one_line(creator_name),
        fan_name=one_line(fan_name),
        length=LENGTHS[persona.length_style],
        tone=_tone(persona),
        about=f"What you know about {one_line(fan_name)}: {about}." if about else "",
        offer=_offer_line(offer, one_line(fan_name)),
        other_price="any other price" if offer else "a price",
    )
    system_message = ChatMessage("system", "\n".join(filter(None, system_text.splitlines())))
    final = ChatMessage("user", truncate(one_line(message), MESSAGE_BUDGET))
    shots = list(examples[:EXAMPLES])
    recent = sorted(conversation, key=lambda t: (t.at, t.id))[-RECENT_TURNS:]
    while True:
        messages = (system_message, *_shots(shots), *_turns(recent), final)
        tokens = count_message_tokens(messages)
        if tokens <= BUDGET or not (shots or recent):
            kept = {
                "examples": tuple(e.reply for e in shots),
                "conversation": tuple(t.id for t in recent),
            }
            return RenderedPrompt(template.version, template.name, messages, tokens, kept)
        if recent:
            recent = recent[1:]
        else:
            shots = shots[:-1]


def _offer_line(offer: Offer | None, fan_name: str) -> str:
    if offer is None:
        return ""
    deal = f", {offer.percent_off}% off just for {fan_name}" if offer.percent_off else ""
    return (
        f'You are offering {fan_name} your "{one_line(offer.title)}" to unlock for '
        f"${offer.price:.2f}{deal}: tease it and say the price."
    )


def _tone(persona: Persona) -> str:
    words = [band(getattr(persona, s), s) for s in ("warmth", "formality", "playfulness")]
    emoji = "no emoji" if persona.emoji_limit == 0 else f"at most {persona.emoji_limit} emoji"
    return f"{', '.join(words)}, {emoji}"


def _shots(examples: Sequence[Example]) -> list[ChatMessage]:
    return [
        message
        for example in examples
        for message in (
            ChatMessage("user", one_line(example.fan)),
            ChatMessage("assistant", one_line(example.reply)),
        )
    ]


def _turns(turns: Sequence[ConversationTurn]) -> list[ChatMessage]:
    return [
        ChatMessage("user" if turn.direction == "inbound" else "assistant", one_line(turn.body))
        for turn in turns
    ]
