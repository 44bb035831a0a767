"""Seeded randomness and the demo clock.

All generated data comes from a `Draw`: a `random.Random` plus the instant the histories end
(`as_of` at 00:00 UTC). Times are handled as integer seconds relative to that instant (negative
is the past) and turned into datetimes only when a row is built, so nothing reads the real clock.

Ids are UUIDv7 made of seeded bits: the 48-bit millisecond field is a counter (one tick per id)
starting at the Draw's `id_clock`, the other 74 bits are random. So ids are unique, repeatable,
and increase in the order rows are generated, which keeps the B-tree inserts of a large load
at the right edge of each index instead of scattered over it (measured: loading 100,000 fans
took 195 s with random v4 ids, 174 s with these, on the same busy 2-core machine).
"""

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")

MINUTE = 60
HOUR = 3600
DAY = 86_400
MONTH = 30 * DAY  # a billing period

_UUID7_BITS = (7 << 76) | (0b10 << 62)
_RAND_B = (1 << 62) - 1
ID_SPAN_MS = 1 << 27  # the ids of one Draw fit in this many milliseconds (134 million ids)


def midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def id_clock(anchor: datetime, slot: int) -> int:
    """Where the id counter of random source number `slot` starts: slots get disjoint ranges of
    ID_SPAN_MS milliseconds, going back in time from the anchor."""
    return int(anchor.timestamp()) * 1000 - (slot + 1) * ID_SPAN_MS


def cents(amount: int) -> Decimal:
    """Integer cents as a two-place Decimal (1299 -> 12.99)."""
    return Decimal(amount).scaleb(-2)


class Weighted(Generic[T]):
    """A fixed population with weights, drawn from in O(log n)."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cumulative = list(accumulate(weight for _, weight in pairs))
        self._total = self._cumulative[-1]

    def at(self, fraction: float) -> T:
        """The item at `fraction` (in [0, 1)) of the cumulative weight."""
        index = bisect(self._cumulative, fraction * self._total)
        return self._items[min(index, len(self._items) - 1)]


class Draw:
    """A seeded random source with helpers for ids, choices, amounts and demo times."""

    __slots__ = ("anchor", "clock", "rng")

    def __init__(self, key: str, anchor: datetime, id_clock: int = 0) -> None:
        self.rng = random.Random(key)  # noqa: S311 - demo data, not secrets
        self.anchor = anchor
        self.clock = id_clock

    def uuid(self) -> UUID:
        """The next id: a version-7 UUID, later than the previous one."""
        self.clock += 1
        bits = self.rng.getrandbits(74)
        return UUID(int=(self.clock << 80) | _UUID7_BITS | (bits >> 62) << 64 | (bits & _RAND_B))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def weighted(self, population: Weighted[T]) -> T:
        return population.at(self.rng.random())

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(items, min(k, len(items)))

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.rng.random() * (high - low + 1))

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.rng.random()

    def unit(self, mean: float, spread: float) -> float:
        """A value near `mean`, clamped to [0, 1] and rounded to two places."""
        return round(min(1.0, max(0.0, mean + spread * (2 * self.rng.random() - 1))), 2)

    def lognormal(self, mu: float, sigma: float) -> float:
        return self.rng.lognormvariate(mu, sigma)

    def pareto(self, alpha: float) -> float:
        return self.rng.paretovariate(alpha)

    def seconds(self, low: int, high: int) -> int:
        """A moment in [low, high] (seconds relative to the anchor)."""
        return low + int(self.rng.random() * (high - low))

    def at(self, offset: int) -> datetime:
        """The datetime `offset` seconds after the anchor."""
        return self.anchor + timedelta(seconds=offset)
