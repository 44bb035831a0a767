"""Smart alerts: which fans trigger which type, and the per-fan, per-type cooldown."""

from collections import Counter
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest

from crm.intelligence import alerts, recompute_creator, refresh_fan
from crm.intelligence.errors import NotFound
from tests.intelligence.world import (
    AS_OF,
    Supporters,
    World,
    day_at,
    new_creator,
    recomputed_supporters,
)
from tests.memory.helpers import stored_memory


@pytest.fixture
def cast(conn: psycopg.Connection[Any]) -> tuple[World, Supporters]:
    return recomputed_supporters(conn)


def generate(conn: psycopg.Connection[Any], world: World, at: Any) -> list[alerts.Alert]:
    with world.scope():
        return alerts.generate(conn, as_of=at)


def test_each_alert_type_fires_for_the_fan_it_describes(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    world, fans = cast
    found = {(a.type, a.fan_id): a for a in generate(conn, world, AS_OF)}
    assert set(found) == {
        ("hot_lead_active", fans.hot),  # wrote 10 minutes ago, 91% likely to buy
        ("spending_spike", fans.hot),  # $70 this week against $3.33 a usual week
        ("spending_spike", fans.newbie),  # $95 with nothing before
        ("milestone", fans.newbie),  # lifetime spend passed $100 with today's tip
        ("renewal_due", fans.renewing),  # renews in 2 days, churn risk 0.79
        ("dormant_reactivation", fans.returning),  # wrote after 20 quiet days
    }
    assert found[("hot_lead_active", fans.hot)].priority == "high"
    assert "Hank is active now (91% likely to buy)" in found[("hot_lead_active", fans.hot)].message
    assert found[("milestone", fans.newbie)].metadata["milestone"] == 100
    assert (
        found[("dormant_reactivation", fans.returning)].message == "Rex is back after 19 quiet days"
    )
    assert found[("renewal_due", fans.renewing)].expires_at == AS_OF + timedelta(days=2)
    # The whale engaged 15 hours ago: a VIP alert only while the engagement is fresh.
    vip = generate(conn, world, day_at(1, 21) + timedelta(minutes=30))
    assert [(a.fan_id, a.priority) for a in vip if a.type == "vip_active"] == [
        (fans.whale, "urgent")
    ]


def test_an_alert_waits_out_its_cooldown_per_fan_and_type(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    world, fans = cast
    first = generate(conn, world, AS_OF)
    assert len(first) == 6
    assert generate(conn, world, AS_OF + timedelta(minutes=5)) == []  # all in cooldown
    # Hank writes again 25 minutes later: still within the hour of his last alert.
    world.message(fans.hot, "inbound", AS_OF + timedelta(minutes=25))
    with world.scope():
        refreshed = refresh_fan(conn, fans.hot, as_of=AS_OF + timedelta(minutes=30))
    assert refreshed.alerts == []
    # And again after the hour: a new hot-lead alert, but not a second spending spike (a day).
    world.message(fans.hot, "inbound", AS_OF + timedelta(minutes=65))
    with world.scope():
        refreshed = refresh_fan(conn, fans.hot, as_of=AS_OF + timedelta(minutes=70))
    assert [a.type for a in refreshed.alerts] == ["hot_lead_active"]
    # The milestone's cooldown is over too, but a milestone is announced once.
    later = generate(conn, world, AS_OF + timedelta(hours=2))
    assert ("milestone", fans.newbie) not in {(a.type, a.fan_id) for a in later}
    counts = Counter(row[0] for row in world.query("SELECT type FROM fan_alerts"))
    assert counts == {
        "hot_lead_active": 2,
        "spending_spike": 2,
        "milestone": 1,
        "renewal_due": 1,
        "dormant_reactivation": 1,
    }


def test_open_alerts_are_listed_most_urgent_first_and_can_be_read_or_dismissed(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    world, _ = cast
    generate(conn, world, AS_OF)
    with world.scope():
        listed = alerts.open_alerts(conn, as_of=AS_OF)
        priorities = [a.priority for a in listed]
        assert priorities == sorted(priorities, key=["urgent", "high", "medium", "low"].index)
        read = alerts.mark(conn, listed[0].id, "read", as_of=AS_OF)
        gone = alerts.mark(conn, listed[1].id, "dismissed", as_of=AS_OF)
        unread = alerts.open_alerts(conn, as_of=AS_OF, unread_only=True)
        still_open = alerts.open_alerts(conn, as_of=AS_OF)
        # Activity alerts expire an hour after they were raised.
        next_day = alerts.open_alerts(conn, as_of=AS_OF + timedelta(hours=2))
    assert read.read_at == AS_OF and gone.dismissed_at == AS_OF
    assert {a.id for a in unread} == {a.id for a in listed[2:]}
    assert {a.id for a in still_open} == {a.id for a in listed} - {gone.id}
    assert "hot_lead_active" not in {a.type for a in next_day}
    with world.scope(), pytest.raises(NotFound):
        alerts.mark(conn, world.creator, "read")  # not an alert id


def test_alerts_are_the_creators_own(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    world, _ = cast
    first = generate(conn, world, AS_OF)
    other = new_creator(conn)
    with other.scope():
        assert alerts.open_alerts(conn, as_of=AS_OF) == []
        with pytest.raises(NotFound):
            alerts.mark(conn, first[0].id, "dismissed")


def test_a_key_date_the_fan_told_of_is_announced_days_before_once_a_year(
    conn: psycopg.Connection[Any],
) -> None:
    world = new_creator(conn)
    josh, ann, dan = (world.fan(name, joined=AS_OF - timedelta(days=300)) for name in "JAD")
    soon = AS_OF + timedelta(days=2)
    later = AS_OF + timedelta(days=10)
    with world.scope():
        birthday = stored_memory(
            conn, josh, "key_date", f"Birthday is {soon:%B} {soon.day}", subject="birthday"
        )
        [(recurs_on,)] = conn.execute(
            "SELECT recurs_on FROM fan_memories WHERE id = %s", [birthday]
        ).fetchall()
        stored_memory(
            conn, ann, "key_date", f"Birthday is {later:%B} {later.day}", subject="birthday"
        )
        stored_memory(conn, dan, "preference", f"Loves {soon:%B} {soon.day}")
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
        first = alerts.generate(conn, as_of=AS_OF)
        again = alerts.generate(conn, as_of=AS_OF + timedelta(hours=3))
        next_year = alerts.generate(conn, as_of=AS_OF + timedelta(days=365))
    assert (recurs_on.year, recurs_on.month, recurs_on.day) == (2000, soon.month, soon.day)
    [alert] = [a for a in first if a.type == "key_date"]
    assert alert.fan_id == josh and alert.priority == "medium"
    assert alert.message == f"J: Birthday is {soon:%B} {soon.day} (in 2 days)"
    assert alert.metadata == {"memory_id": str(birthday), "on": soon.date().isoformat()}
    assert [a for a in again if a.type == "key_date"] == []  # once for this birthday
    assert [a.fan_id for a in next_year if a.type == "key_date"] == [josh]  # and next year's


@pytest.mark.parametrize(
    ("kind", "body", "recurs_on"),
    [
        ("key_date", "Birthday is March 14", date(2000, 3, 14)),
        ("key_date", "Daughter's birthday is february 29", date(2000, 2, 29)),
        ("key_date", "Wedding anniversary is June 2 ", date(2000, 6, 2)),
        ("key_date", "Birthday is February 30", None),  # no such day
        ("key_date", "Birthday is in March", None),
        ("preference", "Loves March 14", None),  # not a key date
    ],
)
def test_a_memory_recurs_on_the_day_its_key_date_names(
    conn: psycopg.Connection[Any], kind: str, body: str, recurs_on: date | None
) -> None:
    [(found,)] = conn.execute("SELECT fanagent_recurs_on(%s, %s)", [kind, body]).fetchall()
    assert found == recurs_on
