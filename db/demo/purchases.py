"""What a fan buys beyond the subscription: tips, PPV (from the feed or offered in a DM),
paid messages and customs, until the fan's spend budget is used; the PPV offers they did not
buy; and the odd refund or chargeback (new ledger rows, never edits)."""

from dataclasses import dataclass
from uuid import UUID

from db.demo import customs, texts
from db.demo.context import FanContext
from db.demo.conversation import Conversation, drafted_by
from db.demo.creators import VaultItem
from db.demo.draw import DAY, HOUR, MINUTE, Weighted, cents
from db.demo.rows import Message, Transaction
from db.demo.timeline import Timeline, moment
from db.demo.traits import Traits

_STYLES: dict[str, Weighted[str]] = {
    "ppv": Weighted([("ppv", 70), ("tip", 10), ("paid_message", 15), ("custom", 5)]),
    "tipper": Weighted([("tip", 70), ("ppv", 15), ("paid_message", 10), ("custom", 5)]),
    "custom": Weighted([("custom", 45), ("tip", 20), ("ppv", 30), ("paid_message", 5)]),
    "mixed": Weighted([("ppv", 30), ("tip", 30), ("paid_message", 20), ("custom", 20)]),
}
_STYLE: Weighted[str] = Weighted([("ppv", 45), ("tipper", 25), ("custom", 10), ("mixed", 20)])
_TIPS = (500, 1000, 1000, 2000, 2500, 5000)
_WHALE_TIPS = (2000, 5000, 10_000, 20_000, 50_000, 100_000)
_PAID_MESSAGES = (300, 500, 800, 1000, 1500)
MAX_PURCHASES = 3000
CUSTOM_BUDGET = 10_000  # cents a fan must still mean to spend to order a custom


@dataclass(frozen=True)
class _Purchase:
    at: int
    kind: str
    amount: int
    media_id: UUID | None


@dataclass(frozen=True)
class PpvOffers:
    sent: int
    bought: int

    @property
    def conversion(self) -> float | None:
        return None if self.sent == 0 else round(self.bought / self.sent, 3)


def purchase(
    ctx: FanContext, timeline: Timeline, traits: Traits, conversation: Conversation
) -> PpvOffers:
    """Adds the fan's purchases (and the DM offers behind PPV ones) to ctx.rows."""
    draw = ctx.draw
    kinds = _STYLES[draw.weighted(_STYLE)]
    unbought = list(ctx.creator.vault)
    asks = list(conversation.of("wants_custom"))
    sent = bought = spent = 0
    purchases: list[_Purchase] = []
    while spent < traits.extra_spend and len(purchases) < MAX_PURCHASES:
        kind = draw.weighted(kinds)
        at = moment(draw, timeline.windows, traits.hours)
        media_id: UUID | None = None
        if kind == "ppv" and unbought:
            item = unbought.pop(int(draw.rng.random() * len(unbought)))
            amount = item.price_cents
            media_id = item.id
            if draw.chance(0.6):
                _offer(ctx, traits, item, max(timeline.joined, at - draw.seconds(2 * MINUTE, HOUR)))
                sent += 1
                bought += 1
            _transaction(ctx, "ppv", amount, at, media_id=media_id)
        elif kind == "custom" and traits.extra_spend - spent >= CUSTOM_BUDGET:
            amount = draw.integer(50, 1500 if traits.whale else 250) * 100
            request = customs.fulfilled(ctx, traits, asks, at, amount, timeline.joined)
            _transaction(ctx, "custom", amount, at, request=request)
        elif kind == "paid_message":
            amount = draw.pick(_PAID_MESSAGES)
            _transaction(ctx, "paid_message", amount, at)
        else:  # a tip, also when nothing is left to buy as PPV or a custom would not fit
            kind = "tip"
            amount = draw.pick(_WHALE_TIPS if traits.whale else _TIPS)
            _transaction(ctx, "tip", amount, at)
        purchases.append(_Purchase(at, kind, amount, media_id))
        spent += amount
    customs.still_open(ctx, asks, traits.whale)
    for _ in range(int(traits.inbound * draw.uniform(0.0, 0.35))):
        at = moment(draw, timeline.windows, traits.hours)
        _offer(ctx, traits, draw.pick(ctx.creator.vault), at)
        sent += 1
    _reversals(ctx, purchases)
    return PpvOffers(sent, bought)


def _offer(ctx: FanContext, traits: Traits, item: VaultItem, at: int) -> None:
    """An outbound DM offering `item` as PPV."""
    draw = ctx.draw
    account = ctx.account_at(at)
    body = texts.ppv_offer(draw, {"name": traits.call_name, "title": item.title.lower()})
    when = draw.at(at)
    ctx.rows.fan_messages.append(
        Message(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, account.id, "outbound", "sent", body,
            draw.unit(0.6, 0.2), None, None, drafted_by(ctx), item.id, cents(item.price_cents),
            ctx.sequences.external_id(account.platform, "msg"), when, when,
        )
    )  # fmt: skip


def _transaction(
    ctx: FanContext,
    kind: str,
    amount: int,
    at: int,
    *,
    media_id: UUID | None = None,
    request: UUID | None = None,
) -> None:
    draw = ctx.draw
    account = ctx.account_at(at)
    when = draw.at(at)
    ctx.rows.fan_transactions.append(
        Transaction(
            draw.uuid(), ctx.creator.creator_id, ctx.fan_id, account.id, kind, cents(amount),
            "USD", media_id, request, ctx.sequences.external_id(account.platform, "tx"), when,
            when,
        )
    )  # fmt: skip


def _reversals(ctx: FanContext, purchases: list[_Purchase]) -> None:
    """Now and then a refunded PPV or a charged-back purchase."""
    draw = ctx.draw
    ppv = [p for p in purchases if p.kind == "ppv"]
    for kind, chance, delay, candidates in (
        ("refund", 0.02, 3 * DAY, ppv),
        ("chargeback", 0.006, 40 * DAY, purchases),
    ):
        if candidates and draw.chance(chance):
            bought = draw.pick(candidates)
            later = min(bought.at + draw.seconds(HOUR, delay), -MINUTE)
            _transaction(ctx, kind, bought.amount, max(bought.at, later), media_id=bought.media_id)
