"""Who a fan is, drawn before any of their rows: identity, personality (fan type, tone,
emotional drivers, preferred content format and length), writing style, active hours, how much
they talk and how much they will spend.

Spend is long-tailed on purpose: most fans buy nothing beyond the subscription or a little
(lognormal), about 2% are whales (Pareto), so the top 1% of fans hold a large share of revenue.
"""

from dataclasses import dataclass

from db.demo import vocabulary as v
from db.demo.draw import Draw, Weighted
from db.demo.texts import FanVoice
from db.demo.timeline import Timeline

_CITIES: Weighted[tuple[str, str, str, int]] = Weighted([(c, c[3]) for c in v.CITIES])
# Inbound messages per fan before noise, by stage.
_INBOUND_MEAN: dict[str, float] = {
    "new": 2, "warming": 4, "active_buyer": 9, "cooling_off": 6, "at_risk": 5, "churned": 3,
    "reactivated": 7,
}  # fmt: skip
_BASE_SIGNALS: dict[str, float] = {
    v.NO_SIGNAL: 45, "ready_to_buy": 4, "wants_custom": 3, "price_question": 5,
    "discount_request": 3, "wants_more": 4, "high_intent": 1.5, "churn_risk": 1,
    "escalation_intent": 2, "trust_intent": 2, "attention_intent": 3, "status_intent": 1.5,
    "emotional_support": 3, "entertainment": 5, "boundary_testing": 3,
}  # fmt: skip
WHALE_SHARE = 0.02
MAX_INBOUND = 400


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    display_name: str
    nickname: str | None
    city: str
    country: str
    timezone: str


@dataclass(frozen=True)
class Traits:
    identity: Identity
    fan_type: str
    tone: str
    drivers: list[str]
    content_format: str
    length: str
    voice: FanVoice
    hours: tuple[int, ...]  # UTC hours the fan is usually online
    inbound: int  # how many messages the fan sends
    whale: bool
    extra_spend: int  # cents the fan means to spend beyond subscriptions
    signals: Weighted[str]
    topic: str

    @property
    def call_name(self) -> str:
        """What the creator calls the fan."""
        return self.identity.nickname or self.identity.first_name


def identity(draw: Draw) -> Identity:
    first, last = draw.pick(v.FIRST_NAMES), draw.pick(v.LAST_NAMES)
    city, country, tz, _ = draw.weighted(_CITIES)
    style = draw.integer(0, 3)
    if style == 0:
        display = first
    elif style == 1:
        display = f"{first} {last[0]}."
    elif style == 2:
        display = f"{first.lower()}{draw.integer(1, 99)}"
    else:
        display = f"{draw.pick(v.USERNAME_WORDS).capitalize()}{first}"
    nickname = v.NICKNAMES.get(first) if draw.chance(0.4) else None
    return Identity(first, last, display, nickname, city, country, tz)


def traits(draw: Draw, timeline: Timeline) -> Traits:
    fan_type = draw.pick(v.FAN_TYPES)
    whale = timeline.buys and draw.chance(WHALE_SHARE / 0.55)
    extra = 0
    if whale:
        extra = min(15_000_000, int(80_000 * draw.pareto(1.2)))
    elif timeline.buys:
        extra = int(100 * draw.lognormal(3.0, 1.2))
    volume = _INBOUND_MEAN[timeline.stage] * draw.lognormal(-0.25, 0.9) * (3 if whale else 1)
    peak = draw.integer(0, 23)
    hours = tuple(sorted({peak, (peak + 1) % 24, draw.integer(0, 23)}))
    return Traits(
        identity=identity(draw),
        fan_type=fan_type,
        tone=draw.pick(v.TONE_PREFERENCES),
        drivers=sorted(draw.sample(v.EMOTIONAL_DRIVERS, draw.integer(1, 3))),
        content_format=draw.pick(v.CONTENT_FORMATS),
        length=draw.pick(v.LENGTH_PREFERENCES),
        voice=FanVoice.draw(draw),
        hours=hours,
        inbound=min(MAX_INBOUND, round(volume)),
        whale=whale,
        extra_spend=extra,
        signals=_signal_weights(timeline, fan_type, whale),
        topic=draw.pick(v.TOPICS),
    )


def _signal_weights(timeline: Timeline, fan_type: str, whale: bool) -> Weighted[str]:
    """How likely each intent signal is in this fan's messages."""
    weights = dict(_BASE_SIGNALS)
    if timeline.buys:
        weights["ready_to_buy"] *= 2
        weights["wants_more"] *= 2
    else:
        weights["boundary_testing"] *= 2
        weights["discount_request"] *= 2
    if whale:
        weights["high_intent"] *= 5
        weights["status_intent"] *= 3
        weights["wants_custom"] *= 2
    if timeline.stage in ("cooling_off", "at_risk", "churned"):
        weights["churn_risk"] *= 6
        weights["attention_intent"] *= 2
    if fan_type == "lonely":
        weights["emotional_support"] *= 4
        weights["attention_intent"] *= 2
    elif fan_type == "transactional":
        weights["price_question"] *= 2
        weights["discount_request"] *= 2
    elif fan_type == "romantic":
        weights["attention_intent"] *= 1.5
    return Weighted(sorted(weights.items()))
