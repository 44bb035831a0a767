"""What every part of one fan's generation shares: the random source, the creator, the fan's
ids and accounts, the creator-wide external-id sequences, and the buffer the fan's rows go to."""

from dataclasses import dataclass, field
from uuid import UUID

from db.demo.creators import Creator
from db.demo.draw import Draw
from db.demo.rows import Rows
from db.demo.vocabulary import PLATFORM_PREFIX

_FIRST_PLATFORM_ID = {"onlyfans": 100_000_000, "fansly": 400_000_000_000_000, "fanvue": 7_000_000}


@dataclass
class Sequences:
    """Counters for platform-style external ids, unique within one creator."""

    next: dict[str, int] = field(default_factory=dict)

    def external_id(self, platform: str, kind: str) -> str:
        number = self.next.get(kind, 1_000_001)
        self.next[kind] = number + 1
        return f"{PLATFORM_PREFIX[platform]}-{kind}-{number}"

    def platform_fan_id(self, platform: str, draw: Draw) -> str:
        """The platform's own id of a new fan: increasing with random gaps, like real ids."""
        key = f"fan:{platform}"
        number = self.next.get(key, _FIRST_PLATFORM_ID[platform]) + draw.integer(1, 40)
        self.next[key] = number
        return str(number)


@dataclass(frozen=True)
class Account:
    id: UUID
    platform: str
    joined: int


@dataclass
class FanContext:
    draw: Draw
    creator: Creator
    sequences: Sequences
    fan_id: UUID
    accounts: list[Account] = field(default_factory=list)
    rows: Rows = field(default_factory=Rows)

    def account_at(self, at: int) -> Account:
        """The account a fan uses at `at`: the newest one that existed then, half the time."""
        newest = self.accounts[-1]
        if newest.joined <= at and (len(self.accounts) == 1 or self.draw.chance(0.5)):
            return newest
        return self.accounts[0]
