"""The fan_profiles row, with every derived field computed from the fan's generated rows, so
the profile agrees with the ledger and the chat history:

- lifetime_spend, purchase_count, avg_order_value, biggest_purchase, first/last purchase: over
  the fan's PURCHASE_KINDS transactions (refunds and chargebacks are separate ledger rows and do
  not reduce it); price_range and buyer_type follow from them.
- message_count, last_message_at: over all the fan's messages, both directions.
- active_hours: the (up to 3) UTC hours with most inbound messages; avg_reply_seconds: the mean
  response time of the replies the fan got; sentiment fields: over inbound messages.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from db.demo import vocabulary as v
from db.demo.context import FanContext
from db.demo.draw import DAY, Draw
from db.demo.purchases import PpvOffers
from db.demo.rows import FanProfile, Message, Transaction
from db.demo.timeline import Timeline
from db.demo.traits import Traits

PURCHASE_KINDS = frozenset({"subscription", "tip", "ppv", "custom", "paid_message"})
_BUYER_TYPE = {
    "ppv": "ppv_buyer",
    "paid_message": "ppv_buyer",
    "tip": "tipper",
    "custom": "custom_buyer",
}
_PRICE_RANGES = ((5_000, "low"), (30_000, "mid"), (150_000, "high"))  # lifetime cents below
_TEMPERATURES = ((2, "hot"), (7, "warm"), (21, "cooling"), (60, "cold"))  # days since below
_CENT = Decimal("0.01")


def profile(ctx: FanContext, timeline: Timeline, traits: Traits, offers: PpvOffers) -> FanProfile:
    """The fan's profile row; contact details only for fans who shared them."""
    draw, rows = ctx.draw, ctx.rows
    identity = traits.identity
    purchases = [t for t in rows.fan_transactions if t.kind in PURCHASE_KINDS]
    money = _money(purchases)
    inbound = [m for m in rows.fan_messages if m.direction == "inbound"]
    signals = Counter(e.signal for e in rows.fan_intent_events)
    last_message = max((m.created_at for m in rows.fan_messages), default=None)
    last_inbound = max(inbound, key=lambda m: m.created_at, default=None)
    replies = [m.response_seconds for m in rows.fan_messages if m.response_seconds is not None]
    extras = sum(1 for t in purchases if t.kind != "subscription")
    waster = min(100, len(inbound) * 8 // (1 + 3 * extras))
    objections = _objections(draw, signals)
    action, reason = _next_action(draw, timeline, money.lifetime, len(rows.fan_messages))
    follow_up = None
    if timeline.stage in ("cooling_off", "at_risk") or draw.chance(0.05):
        follow_up = draw.at(draw.seconds(DAY // 2, 7 * DAY))
    shown = draw.chance(0.7)
    aliases = sorted({a.username for a in rows.fan_platform_accounts} - {identity.display_name})
    if identity.nickname:
        aliases.append(identity.nickname)
    return FanProfile(
        id=ctx.fan_id,
        creator_id=ctx.creator.creator_id,
        display_name=identity.display_name,
        aliases=aliases,
        real_name=f"{identity.first_name} {identity.last_name}" if draw.chance(0.6) else None,
        email=_email(draw, traits) if draw.chance(0.5) else None,
        phone_number=_phone(draw, identity.country) if draw.chance(0.15) else None,
        city=identity.city if shown else None,
        country=identity.country if shown else None,
        timezone=identity.timezone,
        language="en",
        lifetime_spend=money.lifetime,
        purchase_count=len(purchases),
        avg_order_value=money.average,
        biggest_purchase=money.biggest,
        first_purchase_at=money.first.occurred_at if money.first else None,
        last_purchase_at=money.last.occurred_at if money.last else None,
        last_purchase_kind=money.last.kind if money.last else None,
        last_purchase_amount=money.last.amount if money.last else None,
        price_range=money.price_range,
        buyer_type=money.buyer_type,
        ppv_conversion_rate=offers.conversion,
        discount_sensitivity=_discount_sensitivity(signals, bool(inbound)),
        chargeback_risk=any(t.kind == "chargeback" for t in rows.fan_transactions),
        fan_type=traits.fan_type,
        tone_preference=traits.tone,
        emotional_drivers=traits.drivers,
        content_format_pref=traits.content_format,
        length_preference=traits.length,
        narrative_summary=_narrative(traits, timeline, money.lifetime),
        relationship_stage=timeline.stage,
        stage_updated_at=draw.at(timeline.stage_updated),
        temperature=_temperature(draw, last_inbound),
        message_count=len(rows.fan_messages),
        last_message_at=last_message,
        active_hours=_active_hours(inbound),
        avg_reply_seconds=round(sum(replies) / len(replies)) if replies else None,
        positive_message_ratio=(
            round(sum(1 for m in inbound if m.sentiment > 0.2) / len(inbound), 3)
            if inbound
            else None
        ),
        last_sentiment=last_inbound.sentiment if last_inbound else None,
        time_waster_score=waster,
        follow_up_due_at=follow_up,
        next_best_action=action,
        next_best_action_reason=reason,
        deprioritized_until=(
            draw.at(draw.seconds(DAY, 7 * DAY))
            if waster >= 70 and timeline.stage != "churned"
            else None
        ),
        last_objection=objections[0],
        top_objection=objections[1],
        created_at=draw.at(timeline.joined),
        updated_at=draw.anchor,
    )


@dataclass(frozen=True)
class _Money:
    """The purchase-derived fields."""

    lifetime: Decimal
    average: Decimal | None
    biggest: Decimal | None
    first: Transaction | None
    last: Transaction | None
    price_range: str | None
    buyer_type: str | None


def _money(purchases: list[Transaction]) -> _Money:
    total = sum((t.amount for t in purchases), Decimal(0)).quantize(_CENT)
    if not purchases:
        return _Money(total, None, None, None, None, None, None)
    return _Money(
        lifetime=total,
        average=(total / len(purchases)).quantize(_CENT, ROUND_HALF_UP),
        biggest=max(t.amount for t in purchases),
        first=min(purchases, key=lambda t: t.occurred_at),
        last=max(purchases, key=lambda t: t.occurred_at),
        price_range=_price_range(int(total * 100)),
        buyer_type=_buyer_type(purchases),
    )


def _price_range(lifetime_cents: int) -> str:
    for limit, name in _PRICE_RANGES:
        if lifetime_cents < limit:
            return name
    return "whale"


def _buyer_type(purchases: list[Transaction]) -> str:
    spend: Counter[str] = Counter()
    for t in purchases:
        if t.kind != "subscription":
            spend[_BUYER_TYPE[t.kind]] += int(t.amount * 100)
    if not spend:
        return "subscriber_only"
    kind, top = spend.most_common(1)[0]
    return kind if top >= 0.6 * sum(spend.values()) else "mixed"


def _discount_sensitivity(signals: Counter[str], talked: bool) -> str | None:
    asks = signals["discount_request"]
    if not talked:
        return None
    return "never" if asks == 0 else "sometimes" if asks < 3 else "always"


def _objections(draw: Draw, signals: Counter[str]) -> tuple[str | None, str | None]:
    """(last, top) objection, for fans who haggled or asked about prices."""
    if not signals["discount_request"] and not signals["price_question"]:
        return None, None
    top = draw.pick(v.OBJECTIONS)
    return (top if draw.chance(0.5) else draw.pick(v.OBJECTIONS)), top


def _temperature(draw: Draw, last_inbound: Message | None) -> str:
    if last_inbound is None:
        return "ice_cold"
    idle = draw.anchor - last_inbound.created_at
    for days, name in _TEMPERATURES:
        if idle < timedelta(days=days):
            return name
    return "ice_cold"


def _active_hours(inbound: list[Message]) -> list[int]:
    hours = Counter(m.created_at.hour for m in inbound)
    top = sorted(hours.items(), key=lambda item: (-item[1], item[0]))[:3]
    return sorted(hour for hour, _ in top)


def _next_action(
    draw: Draw, timeline: Timeline, lifetime: Decimal, messages: int
) -> tuple[str, str]:
    action, reason = v.NEXT_ACTIONS[timeline.stage]
    since = (
        timeline.changes[-1].at
        if timeline.stage in ("new", "reactivated")
        else timeline.last_active
    )
    return action, reason.format(days=max(0, -since) // DAY, spend=lifetime, messages=messages)


def _narrative(traits: Traits, timeline: Timeline, lifetime: Decimal) -> str:
    stage = timeline.stage.replace("_", " ")
    spend = f"has spent ${lifetime}" if lifetime else "has not spent anything yet"
    drivers = " and ".join(traits.drivers)
    return (
        f"{traits.fan_type.capitalize()} fan ({stage}) from {traits.identity.city}; {spend}."
        f" Driven by {drivers}; likes {traits.content_format} content, {traits.length} messages"
        f" and {'an' if traits.tone[0] in 'aeiou' else 'a'} {traits.tone} tone."
        f" Often talks about {traits.topic}."
    )


def _email(draw: Draw, traits: Traits) -> str:
    identity = traits.identity
    local = f"{identity.first_name}.{identity.last_name}".lower()
    return f"{local}{draw.integer(1, 99)}@{draw.pick(v.EMAIL_DOMAINS)}"


def _phone(draw: Draw, country: str) -> str:
    if country == "GB":
        return f"+44 7700 900{draw.integer(0, 999):03d}"
    return f"+1 555 01{draw.integer(0, 99):02d}"
