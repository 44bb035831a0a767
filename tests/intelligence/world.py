"""Hand-built creators and fans for the intelligence tests, written through the application role
in the creator's scope, every time relative to one fixed moment (AS_OF)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, LiteralString
from uuid import UUID

import psycopg

from auth.operator import app_connection
from crm.intelligence import recompute_creator
from db.connect import DatabaseTarget, creator_scope

AS_OF = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def ago(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    return AS_OF - timedelta(days=days, hours=hours, minutes=minutes)


def day_at(days_ago: int, hour: int) -> datetime:
    """`days_ago` calendar days before AS_OF's date, at `hour`:00 UTC."""
    day = (AS_OF - timedelta(days=days_ago)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class World:
    """Writes one creator's rows; every method runs in that creator's scope."""

    def __init__(self, conn: psycopg.Connection[Any], creator: UUID) -> None:
        self.conn = conn
        self.creator = creator

    def _one(self, statement: LiteralString, **params: Any) -> UUID:
        with creator_scope(self.conn, self.creator):
            row = self.conn.execute(statement, {"creator": self.creator, **params}).fetchone()
        assert row is not None
        return UUID(str(row[0]))

    def fan(
        self,
        name: str,
        *,
        joined: datetime,
        stage: str = "new",
        stage_since: datetime | None = None,
    ) -> UUID:
        fan = self._one(
            "INSERT INTO fan_profiles (creator_id, display_name, real_name, email,"
            " relationship_stage, stage_updated_at, created_at)"
            " VALUES (%(creator)s, %(name)s, 'Secret Name', 'secret@example.com', %(stage)s,"
            " %(since)s, %(joined)s) RETURNING id",
            name=name,
            stage=stage,
            since=stage_since or joined,
            joined=joined,
        )
        self._one(
            "INSERT INTO fan_platform_accounts (creator_id, fan_id, platform, platform_fan_id,"
            " joined_at) VALUES (%(creator)s, %(fan)s, 'onlyfans', %(pfid)s, %(joined)s)"
            " RETURNING id",
            fan=fan,
            pfid=f"of-{fan.hex[:12]}",
            joined=joined,
        )
        return fan

    def account(self, fan: UUID) -> UUID:
        with creator_scope(self.conn, self.creator):
            row = self.conn.execute(
                "SELECT id FROM fan_platform_accounts WHERE fan_id = %s ORDER BY created_at"
                " LIMIT 1",
                [fan],
            ).fetchone()
        assert row is not None
        return UUID(str(row[0]))

    def subscription(
        self,
        fan: UUID,
        *,
        status: str,
        started: datetime,
        price: str = "9.99",
        tier: str = "standard",
        auto_renew: bool = True,
        renews_at: datetime | None = None,
        ended_at: datetime | None = None,
        events: tuple[tuple[str, datetime, str | None], ...] = (),
    ) -> UUID:
        """The subscription and its events (type, when, amount); no transactions."""
        subscription = self._one(
            "INSERT INTO fan_subscriptions (creator_id, fan_id, platform_account_id, tier,"
            " status, price, auto_renew, started_at, renews_at, ended_at)"
            " VALUES (%(creator)s, %(fan)s, %(account)s, %(tier)s, %(status)s, %(price)s,"
            " %(auto_renew)s, %(started)s, %(renews_at)s, %(ended_at)s) RETURNING id",
            fan=fan,
            account=self.account(fan),
            tier=tier,
            status=status,
            price=Decimal(price),
            auto_renew=auto_renew,
            started=started,
            renews_at=renews_at,
            ended_at=ended_at,
        )
        for event_type, when, amount in events:
            self.subscription_event(fan, subscription, event_type, when, amount)
        return subscription

    def subscription_event(
        self, fan: UUID, subscription: UUID, event_type: str, when: datetime, amount: str | None
    ) -> UUID:
        return self._one(
            "INSERT INTO fan_subscription_events (creator_id, fan_id, subscription_id,"
            " event_type, amount, occurred_at) VALUES (%(creator)s, %(fan)s, %(subscription)s,"
            " %(type)s, %(amount)s, %(when)s) RETURNING id",
            fan=fan,
            subscription=subscription,
            type=event_type,
            amount=None if amount is None else Decimal(amount),
            when=when,
        )

    def tx(
        self, fan: UUID, kind: str, amount: str, when: datetime, media: UUID | None = None
    ) -> UUID:
        return self._one(
            "INSERT INTO fan_transactions (creator_id, fan_id, kind, amount, media_id,"
            " occurred_at) VALUES (%(creator)s, %(fan)s, %(kind)s, %(amount)s, %(media)s,"
            " %(when)s) RETURNING id",
            fan=fan,
            kind=kind,
            amount=Decimal(amount),
            media=media,
            when=when,
        )

    def message(
        self,
        fan: UUID,
        direction: str,
        when: datetime,
        *,
        sentiment: float | None = None,
        response_seconds: int | None = None,
        media: UUID | None = None,
        price: str | None = None,
        status: str | None = None,
    ) -> UUID:
        return self._one(
            "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, sentiment,"
            " response_seconds, media_id, price, created_at)"
            " VALUES (%(creator)s, %(fan)s, %(direction)s, %(status)s, 'hello', %(sentiment)s,"
            " %(response)s, %(media)s, %(price)s, %(when)s) RETURNING id",
            fan=fan,
            direction=direction,
            status=status or ("received" if direction == "inbound" else "sent"),
            sentiment=sentiment,
            response=response_seconds,
            media=media,
            price=None if price is None else Decimal(price),
            when=when,
        )

    def media(self, title: str, price: str | None) -> UUID:
        return self._one(
            "INSERT INTO media_assets (creator_id, title, kind, price)"
            " VALUES (%(creator)s, %(title)s, 'photo', %(price)s) RETURNING id",
            title=title,
            price=None if price is None else Decimal(price),
        )

    def tag(self, fan: UUID, tag: str, value: str | None = None) -> None:
        self._one(
            "INSERT INTO fan_tag_values (creator_id, fan_id, tag, value)"
            " VALUES (%(creator)s, %(fan)s, %(tag)s, %(value)s) RETURNING fan_id",
            fan=fan,
            tag=tag,
            value=value,
        )

    def query(self, statement: LiteralString, *params: Any) -> list[tuple[Any, ...]]:
        with creator_scope(self.conn, self.creator):
            return self.conn.execute(statement, list(params)).fetchall()

    @contextmanager
    def scope(self) -> Iterator[psycopg.Connection[Any]]:
        with creator_scope(self.conn, self.creator):
            yield self.conn


def new_creator(conn: psycopg.Connection[Any]) -> World:
    creator = uuid.uuid4()
    with creator_scope(conn, creator):
        conn.execute(
            "INSERT INTO creator_profiles (creator_id, handle, display_name)"
            " VALUES (%s, %s, 'Creator')",
            [creator, f"i{creator.hex[:12]}"],
        )
    return World(conn, creator)


@contextmanager
def connection(target: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    with app_connection(target) as conn:
        yield conn


# The three fans the formulas are pinned on (see test_scores.py for the arithmetic).
WHALE_TIPS = (("1000", 200), ("500", 100), ("250", 20), ("100", 3))


def build_whale(world: World) -> tuple[UUID, UUID]:
    """Walt: 400 days a VIP subscriber (14 charges of $19.99), $1,850 in tips, a $400 custom,
    a $30 PPV bought an hour after it was offered, a refund; 16 messages at three hours of day,
    each answered in 10 minutes. Returns (fan, the PPV's media)."""
    fan = world.fan("Walt", joined=ago(400), stage="active_buyer", stage_since=ago(300))
    charges = [ago(400 - 30 * k) for k in range(14)]  # 400, 370, ..., 10 days ago
    events: list[tuple[str, datetime, str | None]] = [("subscribed", charges[0], "19.99")]
    events += [("rebilled", when, "19.99") for when in charges[1:]]
    world.subscription(
        fan,
        status="active",
        started=ago(400),
        price="19.99",
        tier="vip",
        renews_at=ago(-20),
        events=tuple(events),
    )
    for when in charges:
        world.tx(fan, "subscription", "19.99", when)
    for amount, days in WHALE_TIPS:
        world.tx(fan, "tip", amount, ago(days))
    world.tx(fan, "custom", "400", ago(60))
    media = world.media("Red set", "25")
    world.message(fan, "outbound", ago(2, hours=1), media=media, price="30")
    world.tx(fan, "ppv", "30", ago(2), media=media)
    world.tx(fan, "refund", "30", ago(1))
    inbound = [day_at(d, 21) for d in range(1, 11)]  # 10 at 21:00, the latest 15 hours ago
    inbound += [day_at(d, 9) for d in range(40, 44)] + [day_at(d, 14) for d in (70, 71)]
    for when in inbound:
        latest = when == inbound[0]
        world.message(fan, "inbound", when, sentiment=-0.3 if latest else 0.5)
        world.message(fan, "outbound", when + timedelta(minutes=10), response_seconds=600)
    world.message(fan, "outbound", ago(0, hours=1), status="draft")  # not a message yet
    return fan, media


def build_lapsed(world: World) -> UUID:
    """Lena: subscribed 200 days ago, five charges, cancelled 50 days ago, expired 40 days
    ago; one $20 tip; three messages, the last 60 days ago."""
    fan = world.fan("Lena", joined=ago(200), stage="active_buyer", stage_since=ago(100))
    charges = [ago(200 - 30 * k) for k in range(5)]  # 200, 170, 140, 110, 80
    world.subscription(
        fan,
        status="expired",
        started=ago(200),
        auto_renew=False,
        ended_at=ago(40),
        events=(
            ("subscribed", charges[0], "9.99"),
            *(("rebilled", when, "9.99") for when in charges[1:]),
            ("cancelled", ago(50), None),
            ("expired", ago(40), None),
        ),
    )
    for when in charges:
        world.tx(fan, "subscription", "9.99", when)
    world.tx(fan, "tip", "20", ago(100))
    for days in (95, 90, 60):
        world.message(fan, "inbound", ago(days), sentiment=0.1)
    return fan


def build_trial(world: World) -> UUID:
    """Tom: started a free trial two days ago, no purchase, two messages (one answered)."""
    fan = world.fan("Tom", joined=ago(2))
    world.subscription(
        fan,
        status="trial",
        started=ago(2),
        renews_at=ago(-5),
        events=(("trial_started", ago(2), "0"),),
    )
    world.message(fan, "inbound", ago(1), sentiment=0.8)
    world.message(fan, "inbound", ago(0, hours=3), sentiment=0.9)
    world.message(fan, "outbound", ago(0, hours=3) + timedelta(minutes=5), response_seconds=300)
    return fan


def build_quitting(world: World) -> UUID:
    """Quinn: subscribed 200 days ago, one renewal failed before; quiet for 80 days and has
    switched auto-renew off, with the next renewal in 2 days; never bought anything."""
    fan = world.fan("Quinn", joined=ago(200), stage="active_buyer")
    world.subscription(
        fan, status="active", started=ago(200), auto_renew=False, renews_at=ago(-2),
        events=(("subscribed", ago(200), "9.99"), ("rebilled", ago(170), "9.99"),
                ("expired", ago(150), None)),
    )  # fmt: skip
    world.message(fan, "inbound", ago(80))
    return fan


@dataclass(frozen=True)
class Supporters:
    """A creator's cast for the inbox and alerts: the three fans above and five more."""

    whale: UUID
    lapsed: UUID
    trial: UUID
    hot: UUID  # Hank: buys often, wrote 10 minutes ago and waits for a reply
    dormant: UUID  # Dora: quiet for 10 days
    newbie: UUID  # Nell: joined 6 days ago, just tipped past $100
    renewing: UUID  # Quinn: long quiet, auto-renew off, renews in 2 days
    returning: UUID  # Rex: wrote 20 minutes ago after 20 quiet days
    media: UUID


def build_supporters(world: World) -> Supporters:
    whale, media = build_whale(world)
    lapsed = build_lapsed(world)
    trial = build_trial(world)

    hot = world.fan("Hank", joined=ago(60), stage="active_buyer", stage_since=ago(50))
    world.subscription(
        hot, status="active", started=ago(60), renews_at=ago(-30),
        events=(("subscribed", ago(60), "9.99"), ("rebilled", ago(30), "9.99")),
    )  # fmt: skip
    for days in (60, 30):
        world.tx(hot, "subscription", "9.99", ago(days))
    offer = world.media("Blue set", "30")
    world.message(hot, "outbound", ago(2, hours=1), media=offer, price="30")
    for amount, when in (("20", ago(25)), ("20", ago(18)), ("30", ago(2)), ("40", ago(1))):
        world.tx(
            hot, "ppv" if amount == "30" else "tip", amount, when, offer if amount == "30" else None
        )
    world.message(hot, "outbound", ago(0, hours=2))
    world.message(hot, "inbound", ago(0, minutes=30), sentiment=0.6)
    world.message(hot, "inbound", ago(0, minutes=10), sentiment=0.7)

    dormant = world.fan("Dora", joined=ago(120), stage="cooling_off", stage_since=ago(5))
    world.subscription(
        dormant, status="active", started=ago(120), renews_at=ago(-20),
        events=(("subscribed", ago(120), "9.99"),),
    )  # fmt: skip
    world.tx(dormant, "subscription", "9.99", ago(120))
    world.tx(dormant, "tip", "15", ago(100))
    world.message(dormant, "inbound", ago(10))

    newbie = world.fan("Nell", joined=ago(6), stage="warming", stage_since=ago(3))
    world.subscription(
        newbie, status="active", started=ago(6), renews_at=ago(-24),
        events=(("subscribed", ago(6), "9.99"),),
    )  # fmt: skip
    world.tx(newbie, "subscription", "9.99", ago(6))
    world.tx(newbie, "tip", "95", ago(0, hours=5))

    renewing = build_quitting(world)

    returning = world.fan("Rex", joined=ago(90), stage="cooling_off", stage_since=ago(5))
    world.subscription(
        returning, status="active", started=ago(90), renews_at=ago(-10),
        events=(("subscribed", ago(90), "9.99"),),
    )  # fmt: skip
    world.message(returning, "inbound", ago(20))
    world.message(returning, "inbound", ago(0, minutes=20))
    return Supporters(whale, lapsed, trial, hot, dormant, newbie, renewing, returning, media)


def recomputed_supporters(conn: psycopg.Connection[Any]) -> tuple[World, Supporters]:
    """A new creator with the supporters cast, every figure recomputed at AS_OF."""
    world = new_creator(conn)
    fans = build_supporters(world)
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
    return world, fans
