"""Durable facts a fan shared (recalled in replies): some of the fan's small-talk messages are
rewritten to tell something (a pet, a job, a birthday) and the fact is stored in fan_memories
with that message as its source. A fact that can change carries a subject ("city", "job",
"pet:dog:max"), at most one current fact per subject; a fact that did change (a move, a new job)
is kept, with `superseded_by` pointing at the newer memory of the same subject. The embedding is
added when the rows are loaded (vectors.py): generating needs no model."""

from dataclasses import dataclass
from datetime import timedelta

from db.demo import texts
from db.demo import vocabulary as v
from db.demo.context import FanContext
from db.demo.conversation import Conversation
from db.demo.draw import MINUTE
from db.demo.rows import Memory
from db.demo.texts import Template
from db.demo.traits import Traits

SHARE = 0.6  # of fans with two small-talk messages or more
CHANGED_SHARE = 0.15  # of those with three facts or more: one fact changed over time


@dataclass(frozen=True)
class Fact:
    kind: str
    said: Template  # how the fan put it
    remembered: Template  # the memory body
    importance: float
    subject: str | None  # e.g. "pet:{pet_species}:{pet_slug}"; None: replaces no other fact

    @property
    def slots(self) -> list[str]:
        return sorted({*self.said.slots, *self.remembered.slots})


_FACTS = tuple(
    Fact(kind, Template.parse(said), Template.parse(fact), importance, subject)
    for kind, said, fact, importance, subject in v.MEMORY_FACTS
)
_CHANGES = tuple(
    (
        Fact(kind, Template.parse(old_said), Template.parse(old), 0.6, subject),
        Fact(kind, Template.parse(new_said), Template.parse(new), 0.7, subject),
    )
    for kind, old_said, old, new_said, new, subject in v.CHANGING_FACTS
)


def remember(ctx: FanContext, traits: Traits, conversation: Conversation) -> None:
    """Turns some small talk into facts and stores the facts."""
    draw = ctx.draw
    smalltalk = conversation.of(v.NO_SIGNAL)
    if len(smalltalk) < 2 or not draw.chance(SHARE):
        return
    positions = sorted(draw.sample(smalltalk, draw.integer(2, 8)))
    fixed = {"city": traits.identity.city}
    if traits.identity.nickname:
        fixed["nickname"] = traits.identity.nickname
    usable = [f for f in _FACTS if "nickname" not in f.said.slots or "nickname" in fixed]
    if len(positions) >= 3 and draw.chance(CHANGED_SHARE):
        old, new = draw.pick(_CHANGES)
        usable = [f for f in usable if f.subject != new.subject]
        values = _values(ctx, sorted({*old.slots, *new.slots}), fixed)
        newer = _store(ctx, traits, positions.pop(), new, values, None)
        _store(ctx, traits, positions.pop(0), old, values, newer)
    for position, fact in zip(positions, draw.sample(usable, len(positions)), strict=False):
        _store(ctx, traits, position, fact, _values(ctx, fact.slots, fixed), None)


def _values(ctx: FanContext, slots: list[str], fixed: dict[str, str]) -> dict[str, str]:
    values = texts.slot_values(ctx.draw, slots, fixed)
    if "pet_kind" in values:
        values["pet_species"] = v.PET_SPECIES[values["pet_kind"]]
        values["pet_slug"] = values["pet_name"].lower()  # one slot per pet: species and name
    return values


def _store(
    ctx: FanContext,
    traits: Traits,
    position: int,
    fact: Fact,
    values: dict[str, str],
    replaced_by: Memory | None,
) -> Memory:
    """Rewrites the message at `position` to say the fact and stores the memory."""
    draw = ctx.draw
    message = ctx.rows.fan_messages[position]
    body = texts.styled(draw, fact.said.text.format_map(values), traits.voice)
    ctx.rows.fan_messages[position] = message._replace(body=body)
    created = message.created_at + timedelta(seconds=draw.seconds(MINUTE, 30 * MINUTE))
    if replaced_by is not None:  # the two messages may be minutes apart
        created = min(created, replaced_by.created_at - timedelta(seconds=1))
    last_used = None
    if draw.chance(0.3):
        idle = int((draw.anchor - created).total_seconds())
        last_used = created + timedelta(seconds=draw.seconds(0, idle))
    memory = Memory(
        draw.uuid(), ctx.creator.creator_id, ctx.fan_id, fact.kind,
        None if fact.subject is None else fact.subject.format_map(values),
        fact.remembered.text.format_map(values), message.id, draw.unit(0.85, 0.12),
        draw.unit(fact.importance, 0.1), None if replaced_by is None else replaced_by.id,
        created, created if replaced_by is None else replaced_by.created_at, last_used,
    )  # fmt: skip
    ctx.rows.fan_memories.append(memory)
    return memory
