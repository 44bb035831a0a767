"""A fan's context to render prompts from, and hypothesis strategies for random ones."""

from datetime import UTC, datetime, timedelta
from typing import Literal

from hypothesis import strategies as st

from personas.model import Persona
from prompts.context import ConversationTurn, DraftContext, IntentScore, MemoryFact

PERSONA = Persona(
    name="Cheeky",
    vocabulary_use=("babe",),
    vocabulary_avoid=("sir", "customer"),
    max_emoji=3,
    punctuation_style="lowercase",
)
START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def memory(n: int, score: float, body: str | None = None) -> MemoryFact:
    return MemoryFact(f"m{n:03d}", "preference", body or f"Fact number {n} about the fan", score)


def turn(n: int, body: str | None = None) -> ConversationTurn:
    direction: Literal["inbound", "outbound"] = "inbound" if n % 2 == 0 else "outbound"
    return ConversationTurn(
        f"t{n:03d}", START + timedelta(minutes=n), direction, body or f"msg {n}"
    )


def context(**changes: object) -> DraftContext:
    values: dict[str, object] = {
        "creator_name": "Mia",
        "persona": PERSONA,
        "fan_summary": "Active buyer, spent $340 in 5 purchases. Likes beach sets.",
        "memories": [memory(i, score=i / 10) for i in range(8)],
        "conversation": [turn(i) for i in range(10)],
        "intents": [IntentScore("price_question", 0.82), IntentScore("wants_custom", 0.4)],
        "message": "how much for a custom vid?",
    }
    return DraftContext(**{**values, **changes})  # type: ignore[arg-type]


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
MEMORIES = st.lists(
    st.builds(
        MemoryFact,
        id=st.uuids().map(str),
        kind=st.sampled_from(["pet_name", "preference", "conversation_fact"]),
        body=TEXT,
        score=st.floats(0, 1),
    ),
    max_size=25,
    unique_by=lambda m: m.id,
)
CONVERSATION = st.lists(
    st.builds(
        ConversationTurn,
        id=st.uuids().map(str),
        at=st.datetimes(timezones=st.just(UTC)),
        direction=st.sampled_from(["inbound", "outbound"]),
        body=TEXT,
    ),
    max_size=25,
    unique_by=lambda t: t.id,
)
INTENTS = st.lists(
    st.builds(
        IntentScore,
        signal=st.sampled_from(["ready_to_buy", "price_question", "wants_more", "none"]),
        confidence=st.floats(0, 1),
    ),
    max_size=4,
    unique_by=lambda i: i.signal,
)
CONTEXTS = st.builds(
    DraftContext,
    creator_name=st.sampled_from(["Mia", "Zoë"]),
    persona=st.sampled_from([PERSONA, Persona(name="plain")]),
    fan_summary=TEXT,
    memories=MEMORIES,
    conversation=CONVERSATION,
    intents=INTENTS,
    message=st.text(max_size=3000),
)
