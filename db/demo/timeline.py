"""A fan's life with a creator: when they joined, their subscription periods, when they were
active, and the relationship stages they went through to reach the current one (in order:
new -> warming -> active_buyer -> cooling_off -> at_risk -> churned, reactivated loops back).

Everything else about a fan (messages, purchases, the subscription rows) is placed inside this
timeline, so the stage, the subscription status and the activity always agree.
"""

from dataclasses import dataclass

from db.demo.draw import DAY, HOUR, MONTH, Draw, Weighted

TRIAL = 7 * DAY

STAGES: Weighted[str] = Weighted(
    [
        ("new", 8), ("warming", 12), ("active_buyer", 22), ("cooling_off", 12),
        ("at_risk", 10), ("churned", 28), ("reactivated", 8),
    ]
)  # fmt: skip
# Chance that a fan in the stage buys anything beyond the subscription.
BUYS: dict[str, float] = {
    "new": 0.15, "warming": 0.35, "active_buyer": 1.0, "cooling_off": 0.6, "at_risk": 0.5,
    "churned": 0.3, "reactivated": 0.7,
}  # fmt: skip


@dataclass(frozen=True)
class Period:
    """One continuous subscription: an optional 7-day free trial, then paid months."""

    start: int
    paid_months: int | None  # None: still renewing at the anchor
    trial: bool

    @property
    def paid_from(self) -> int:
        return self.start + TRIAL if self.trial else self.start

    @property
    def end(self) -> int | None:
        return None if self.paid_months is None else self.paid_from + self.paid_months * MONTH


@dataclass(frozen=True)
class StageChange:
    from_stage: str | None
    to_stage: str
    at: int


@dataclass(frozen=True)
class Timeline:
    stage: str
    joined: int
    periods: tuple[Period, ...]
    windows: tuple[tuple[int, int], ...]  # when the fan was active (messages, purchases)
    changes: tuple[StageChange, ...]
    buys: bool

    @property
    def stage_updated(self) -> int:
        return self.changes[-1].at

    @property
    def last_active(self) -> int:
        return self.windows[-1][1]


def plan(draw: Draw, page_started: int) -> Timeline:
    """A random fan life that fits between the creator's first day and the anchor."""
    stage = draw.weighted(STAGES)
    buys = draw.chance(BUYS[stage])
    earliest = page_started + DAY
    if stage == "new":
        joined = -draw.seconds(HOUR, 14 * DAY)
        return _open(draw, stage, joined, draw.chance(0.4), ["new"], joined, buys)
    if stage == "warming":
        joined = -draw.seconds(7 * DAY, 60 * DAY)
        warmed = joined + draw.seconds(DAY, 6 * DAY)
        return _open(draw, stage, joined, draw.chance(0.2), ["new", "warming"], warmed, buys)
    if stage in ("active_buyer", "cooling_off", "at_risk"):
        return _subscribed(draw, stage, earliest, buys)
    if stage == "churned":
        return _churned(draw, earliest, buys)
    return _reactivated(draw, earliest, buys)


def _months(draw: Draw, mean: float, most: int) -> int:
    """A long-tailed number of months, at least 1 and at most `most`."""
    return max(1, min(most, 1 + int(draw.rng.expovariate(1 / mean))))


def _subscribed(draw: Draw, stage: str, earliest: int, buys: bool) -> Timeline:
    least = 1 if stage == "active_buyer" else 2
    months = max(least, _months(draw, 6, (-earliest) // MONTH - 1))
    joined = -months * MONTH - draw.seconds(0, MONTH - DAY)
    trial = draw.chance(0.15)
    bought = ["active_buyer"] if buys else []
    if stage == "active_buyer":
        final = joined + draw.seconds(3 * DAY, 25 * DAY)
        return _open(draw, stage, joined, trial, ["new", "warming", "active_buyer"], final, buys)
    last_active = -draw.seconds(12 * DAY, 35 * DAY if stage == "cooling_off" else 60 * DAY)
    cooled = last_active + draw.seconds(5 * DAY, 10 * DAY)
    if stage == "cooling_off":
        chain = ["new", "warming", *bought, "cooling_off"]
        return _open(draw, stage, joined, trial, chain, cooled, buys, last_active)
    at_risk = min(cooled + draw.seconds(5 * DAY, 15 * DAY), -HOUR)
    period = Period(joined, None, trial)
    if draw.chance(0.55):  # auto-renew switched off: paid up to a date after the anchor
        period = Period(joined, (-period.paid_from) // MONTH + 1, trial)
    chain = ["new", "warming", *bought, "cooling_off", "at_risk"]
    return Timeline(
        stage, joined, (period,), ((joined, last_active),),
        _chain(draw, chain, joined, at_risk), buys,
    )  # fmt: skip


def _churned(draw: Draw, earliest: int, buys: bool) -> Timeline:
    end = -draw.seconds(20 * DAY, min(600 * DAY, -earliest - 60 * DAY))
    if draw.chance(0.1):  # a free trial that never converted
        period = Period(end - TRIAL, 0, True)
        chain = ["new", "churned"]
    else:
        trial = draw.chance(0.15)
        months = _months(draw, 2.5, (end - earliest - TRIAL) // MONTH)
        period = Period(end - months * MONTH - (TRIAL if trial else 0), months, trial)
        chain = ["new", "warming", *(["active_buyer"] if buys else []), "at_risk", "churned"]
    start = period.start
    last_active = max(start, end - draw.seconds(0, 15 * DAY))
    if draw.chance(0.3):
        last_active = start + (last_active - start) // 3  # went quiet long before leaving
    return Timeline(
        "churned", start, (period,), ((start, last_active),), _chain(draw, chain, start, end), buys
    )


def _reactivated(draw: Draw, earliest: int, buys: bool) -> Timeline:
    resumed = -draw.seconds(5 * DAY, 90 * DAY)
    room = resumed - earliest
    gap = draw.seconds(20 * DAY, max(21 * DAY, room // 3))
    ended = resumed - gap
    months = _months(draw, 3, max(1, (ended - earliest) // MONTH))
    first = Period(ended - months * MONTH, months, False)
    chain = ["new", "warming", *(["active_buyer"] if buys else []), "at_risk", "churned"]
    changes = (
        *_chain(draw, chain, first.start, ended),
        StageChange("churned", "reactivated", resumed),
    )
    last_before = max(first.start, ended - draw.seconds(0, 10 * DAY))
    return Timeline(
        "reactivated",
        first.start,
        (first, Period(resumed, None, False)),
        ((first.start, last_before), (resumed, 0)),
        changes,
        buys,
    )


def _open(
    draw: Draw,
    stage: str,
    joined: int,
    trial: bool,
    chain: list[str],
    final: int,
    buys: bool,
    last_active: int = 0,
) -> Timeline:
    """A fan still subscribed (renewing) at the anchor."""
    changes = _chain(draw, chain, joined, min(final, -HOUR))
    period = Period(joined, None, trial)
    return Timeline(stage, joined, (period,), ((joined, last_active),), changes, buys)


def _chain(draw: Draw, stages: list[str], start: int, end: int) -> tuple[StageChange, ...]:
    """Stage changes through `stages`, the first at `start`, the last at `end`."""
    end = max(end, start + len(stages))
    if len(stages) == 1:
        return (StageChange(None, stages[0], start),)
    middle = sorted(draw.seconds(start + 1, end) for _ in range(len(stages) - 2))
    times = [start, *middle, end]
    previous: str | None = None
    changes = []
    for stage, at in zip(stages, times, strict=True):
        changes.append(StageChange(previous, stage, at))
        previous = stage
    return tuple(changes)


def moment(draw: Draw, windows: tuple[tuple[int, int], ...], hours: tuple[int, ...]) -> int:
    """A random moment inside `windows`, usually during one of the fan's active `hours` (UTC)."""
    total = sum(end - start for start, end in windows)
    offset = draw.seconds(0, total)
    for start, end in windows:
        if offset <= end - start:
            at = start + offset
            if draw.chance(0.65):
                shifted = at - at % DAY + draw.pick(hours) * HOUR + draw.seconds(0, HOUR)
                if start <= shifted <= end:
                    at = shifted
            return at
        offset -= end - start
    return windows[-1][1]
