"""Deterministic demo data, without a database: the same (seed, creators, fans per creator,
as_of) always gives the same rows, ids and timestamps included; creators differ from each other.

Each creator draws from its own seeded random sources (one for the creator, one for its fans),
so a creator's data does not depend on how many creators are generated, and its fans come in
batches of any size without changing what they are.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from db.demo.context import Sequences
from db.demo.creators import Creator, chatter_user, generate_creator
from db.demo.draw import Draw, id_clock, midnight_utc
from db.demo.fans import generate_fan
from db.demo.rows import Rows

FAN_BATCH = 2000


@dataclass(frozen=True)
class DemoCreator:
    """One creator to seed: its creator-level rows now, its fans batch by batch."""

    seed: int
    index: int
    fans: int
    anchor: datetime
    creator: Creator
    rows: Rows  # profile, owner and manager users, assignments, vault, default persona, templates

    def fan_batches(self, size: int = FAN_BATCH) -> Iterator[Rows]:
        """The creator's fans with their histories, `size` fans per batch."""
        clock = id_clock(self.anchor, 2 * self.index)
        draw = Draw(f"fanagent-demo:{self.seed}:fans:{self.index}", self.anchor, clock)
        sequences = Sequences()
        batch = Rows()
        for number in range(1, self.fans + 1):
            batch.extend(generate_fan(draw, self.creator, sequences))
            if number % size == 0 or number == self.fans:
                yield batch
                batch = Rows()


def demo_creators(
    *, creators: int, fans_per_creator: int, seed: int, as_of: date
) -> list[DemoCreator]:
    anchor = midnight_utc(as_of)
    chatter = chatter_user(anchor)
    plans = []
    for index in range(creators):
        creator, rows = generate_creator(seed, index, anchor, chatter.id)
        plans.append(DemoCreator(seed, index, fans_per_creator, anchor, creator, rows))
    return plans


def generate(*, creators: int, fans_per_creator: int, seed: int, as_of: date) -> Rows:
    """Every row at once, the shared chatter user included (for small sizes and tests)."""
    rows = Rows(users=[chatter_user(midnight_utc(as_of))])
    for plan in demo_creators(
        creators=creators, fans_per_creator=fans_per_creator, seed=seed, as_of=as_of
    ):
        rows.extend(plan.rows)
        for batch in plan.fan_batches():
            rows.extend(batch)
    return rows
