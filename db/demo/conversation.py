"""A fan's chat history: inbound messages written in the fan's voice, each carrying one of the
14 buying-intent signals (or small talk), labelled in fan_intent_events, and the creator's
replies linked to what they answer.

Every inbound message gets at least one `seed_label` intent event; small talk is labelled with
the schema's 'none' signal, so the labels are a complete ground truth for a classifier.
"""

from dataclasses import dataclass, field
from uuid import UUID

from db.demo import texts
from db.demo import vocabulary as v
from db.demo.context import Account, FanContext
from db.demo.draw import DAY, Draw
from db.demo.rows import IntentEvent, Message
from db.demo.timeline import Timeline, moment
from db.demo.traits import Traits

CLASSIFIER = "seed_label"
REPLY_RATE = 0.9


@dataclass
class Conversation:
    """Where the fan's inbound messages are in ctx.rows.fan_messages, by primary signal."""

    by_signal: dict[str, list[int]] = field(default_factory=dict)

    def of(self, signal: str) -> list[int]:
        return self.by_signal.get(signal, [])


def converse(ctx: FanContext, timeline: Timeline, traits: Traits) -> Conversation:
    """Adds the fan's messages and intent labels to ctx.rows."""
    draw = ctx.draw
    times = sorted(moment(draw, timeline.windows, traits.hours) for _ in range(traits.inbound))
    conversation = Conversation()
    closing_churn = timeline.stage in ("cooling_off", "at_risk", "churned") and draw.chance(0.5)
    for index, at in enumerate(times):
        if closing_churn and index == len(times) - 1:
            signal = "churn_risk"
        else:
            signal = draw.weighted(traits.signals)
        account = ctx.account_at(at)
        message_id = _inbound(ctx, traits, signal, account, at)
        conversation.by_signal.setdefault(signal, []).append(len(ctx.rows.fan_messages) - 1)
        if draw.chance(REPLY_RATE):
            _reply(ctx, traits, signal, account, message_id, at)
    return conversation


def _inbound(ctx: FanContext, traits: Traits, signal: str, account: Account, at: int) -> UUID:
    draw, rows = ctx.draw, ctx.rows
    message_id = draw.uuid()
    when = draw.at(at)
    rows.fan_messages.append(
        Message(
            message_id, ctx.creator.creator_id, ctx.fan_id, account.id, "inbound", "received",
            texts.inbound(draw, signal, traits.voice), sentiment(draw, signal), None, None,
            None, None, None, ctx.sequences.external_id(account.platform, "msg"), when, None,
        )
    )  # fmt: skip
    _label(ctx, message_id, signal, draw.unit(0.9, 0.08), at)
    if signal in v.CO_SIGNALS:
        extra, chance = v.CO_SIGNALS[signal]
        if draw.chance(chance):
            _label(ctx, message_id, extra, draw.unit(0.72, 0.12), at)
    return message_id


def _label(ctx: FanContext, message_id: UUID, signal: str, confidence: float, at: int) -> None:
    draw = ctx.draw
    ctx.rows.fan_intent_events.append(
        IntentEvent(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, message_id, signal, confidence,
            CLASSIFIER, draw.at(at + draw.integer(1, 30)),
        )
    )  # fmt: skip


def _reply(
    ctx: FanContext, traits: Traits, signal: str, account: Account, answers: UUID, at: int
) -> None:
    draw = ctx.draw
    delay = min(2 * DAY, max(15, int(draw.lognormal(6.8, 1.3))))
    if at + delay > 0:
        return  # still unanswered at the anchor
    price = draw.pick(ctx.creator.vault).price_cents
    body = texts.reply(draw, signal, {"name": traits.call_name, "price": f"${price // 100}"})
    when = draw.at(at + delay)
    ctx.rows.fan_messages.append(
        Message(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, account.id, "outbound", "sent", body,
            draw.unit(0.6, 0.3), delay, answers, drafted_by(ctx), None, None,
            ctx.sequences.external_id(account.platform, "msg"), when, when,
        )
    )  # fmt: skip


def drafted_by(ctx: FanContext) -> UUID | None:
    """Who wrote an outbound message: mostly the agency chatter, sometimes the creator, and
    now and then nobody (a scheduled or automated send)."""
    roll = ctx.draw.rng.random()
    if roll < 0.7:
        return ctx.creator.chatter_id
    if roll < 0.9:
        return ctx.creator.owner_id
    return None


def sentiment(draw: Draw, signal: str) -> float:
    """The sentiment of a fan message carrying `signal`, in [-1, 1]."""
    value = v.SIGNAL_SENTIMENT[signal] + draw.uniform(-0.3, 0.3)
    return round(max(-1.0, min(1.0, value)), 2)
