"""The CRM inbox: which fans each tab holds, in what order, with which badge and
priority score, and nothing a chatter must not see."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from crm.intelligence import recompute_creator
from crm.intelligence.inbox import InboxEntry, InboxPage, InboxTab, inbox, preview, tab_totals
from crm.intelligence.supporters import priority_score, segment_of
from tests.intelligence.world import (
    AS_OF,
    Supporters,
    World,
    ago,
    new_creator,
    recomputed_supporters,
)


@pytest.fixture(scope="module")
def cast(conn: psycopg.Connection[Any]) -> tuple[World, Supporters]:
    return recomputed_supporters(conn)


def page(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters], tab: InboxTab, **kw: Any
) -> InboxPage:
    world, _ = cast
    with world.scope():
        return inbox(conn, tab, as_of=AS_OF, **kw)


def names(result: InboxPage) -> list[str]:
    return [entry.display_name for entry in result.entries]


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        (InboxTab.AWAITING_REPLY, ["Hank", "Rex", "Dora", "Quinn", "Lena"]),  # wrote last
        (InboxTab.VIP, ["Walt"]),  # lifetime spend of $1,000 or more
        (InboxTab.HOT_LEADS, ["Hank", "Walt"]),  # conversion >= 70%, highest first
        (InboxTab.ALL, ["Hank", "Nell", "Walt", "Dora", "Lena"]),  # buyers, latest engaged first
        (InboxTab.DORMANT, ["Dora"]),  # last engaged 7 to 30 days ago
        (InboxTab.NEW, ["Nell"]),  # first purchase in the last 30 days
    ],
)
def test_each_tab_holds_its_fans_in_its_order(
    conn: psycopg.Connection[Any],
    cast: tuple[World, Supporters],
    tab: InboxTab,
    expected: list[str],
) -> None:
    result = page(conn, cast, tab, count=True)
    assert names(result) == expected
    assert result.total == len(expected) and not result.has_more
    assert page(conn, cast, tab).total is None  # counted only when asked


def test_paging(conn: psycopg.Connection[Any], cast: tuple[World, Supporters]) -> None:
    second = page(conn, cast, InboxTab.ALL, limit=2, offset=2)
    assert names(second) == ["Walt", "Dora"]
    assert (second.offset, second.has_more) == (2, True)
    last = page(conn, cast, InboxTab.ALL, limit=2, offset=4)
    assert (names(last), last.has_more) == (["Lena"], False)


def test_entries_carry_badges_spend_unread_and_the_priority_score(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    entries = {e.display_name: e for e in page(conn, cast, InboxTab.ALL).entries}
    hank, walt, dora, lena = entries["Hank"], entries["Walt"], entries["Dora"], entries["Lena"]
    assert (hank.segment, walt.segment, dora.segment, lena.segment) == (
        "hot_lead",
        "vip",
        "dormant",
        "cold",
    )
    assert hank.online and hank.unread == 2 and not walt.online and walt.unread == 0
    assert hank.spend_30d == Decimal("110.00") and hank.spend_7d == Decimal("70.00")  # not 30d ago
    assert walt.spend_30d == Decimal("399.99")  # tips, the PPV and the last charge
    assert hank.priority_score == hank.conversion_probability + 20 + 10 + 10
    assert walt.priority_score == walt.conversion_probability + 15 + 10
    assert dora.unread == 1 and dora.priority_score == dora.conversion_probability + 10
    assert hank.conversion_probability >= 70 and lena.conversion_probability == 0


def test_no_personal_data_reaches_the_inbox(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    forbidden = {"real_name", "email", "phone_number", "city", "country", "aliases"}
    assert not forbidden & set(InboxEntry.model_fields)
    dumped = page(conn, cast, InboxTab.ALL).model_dump_json()
    assert "Secret Name" not in dumped and "secret@example.com" not in dumped


def test_the_priority_score_and_badges_follow_seed_004() -> None:
    assert (
        priority_score(0.5, online=False, vip=False, waiting_reply=False, bought_last_7_days=False)
        == 50
    )
    assert (
        priority_score(0.5, online=True, vip=True, waiting_reply=True, bought_last_7_days=True)
        == 105
    )
    assert (
        priority_score(0.99, online=True, vip=True, waiting_reply=True, bought_last_7_days=True)
        == 150
    )
    assert segment_of(Decimal(1000), 0.1, None, AS_OF) == "vip"
    assert segment_of(Decimal(999), 0.7, None, AS_OF) == "hot_lead"
    assert segment_of(Decimal(10), 0.2, None, AS_OF) == "cold"
    assert segment_of(Decimal(10), 0.2, ago(30), AS_OF) == "cold"
    assert segment_of(Decimal(10), 0.2, ago(7), AS_OF) == "dormant"
    assert segment_of(Decimal(10), 0.2, ago(6.9), AS_OF) == "active"


def test_awaiting_reply_puts_this_months_messages_first_then_vips_then_likely_buyers(
    conn: psycopg.Connection[Any],
) -> None:
    world = new_creator(conn)
    fans = {name: world.fan(name, joined=ago(400)) for name in ("Vic", "Cal", "Ann", "Bea")}
    world.tx(fans["Vic"], "tip", "1500", ago(20))
    for name, minutes in (("Vic", 5), ("Cal", 50), ("Ann", 180), ("Bea", 60)):
        world.message(fans[name], "inbound", ago(minutes=minutes))
    # A VIP whose message waits since last year is not the first conversation to pick up: it
    # follows every message of the last 30 days.
    stale_vip = world.fan("Old", joined=ago(400))
    world.tx(stale_vip, "tip", "5000", ago(300))
    world.message(stale_vip, "inbound", ago(31))
    world.message(fans["Ann"], "outbound", ago(minutes=170), status="draft")  # not an answer
    answered = world.fan("Dan", joined=ago(30))
    world.message(answered, "inbound", ago(minutes=40))
    world.message(answered, "outbound", ago(minutes=30), status="queued")
    late = world.fan("Eve", joined=ago(30))
    world.message(late, "inbound", AS_OF + timedelta(minutes=1))  # after as_of: not yet
    with world.scope():
        recompute_creator(conn, world.creator, as_of=AS_OF, full=True)
        for name, readiness in (("Vic", 0.1), ("Cal", 0.9), ("Ann", 0.5), ("Bea", 0.5)):
            conn.execute(
                "UPDATE fan_scores SET upsell_readiness = %s WHERE fan_id = %s",
                [readiness, fans[name]],
            )
        result = inbox(conn, InboxTab.AWAITING_REPLY, as_of=AS_OF, count=True)

    assert names(result) == ["Vic", "Cal", "Ann", "Bea", "Old"] and result.total == 5
    assert all(e.awaiting_reply for e in result.entries)
    ann = result.entries[2].last_message
    assert ann is not None and (ann.direction, ann.at) == ("inbound", ago(minutes=180))


def test_tab_totals_count_every_tab_in_order(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    world, _ = cast
    with world.scope():
        totals = tab_totals(conn, as_of=AS_OF)
        expected = [inbox(conn, tab, as_of=AS_OF, count=True).total for tab in InboxTab]
    assert [t.tab for t in totals] == list(InboxTab)
    assert [t.total for t in totals] == expected == [5, 1, 2, 5, 1, 1]


def test_entries_carry_the_last_message_as_the_fan_saw_it(
    conn: psycopg.Connection[Any], cast: tuple[World, Supporters]
) -> None:
    entries = {e.display_name: e for e in page(conn, cast, InboxTab.ALL).entries}
    walt, nell = entries["Walt"], entries["Nell"]
    assert walt.last_message is not None and not walt.awaiting_reply
    # his latest sent reply, not the later draft
    assert (walt.last_message.direction, walt.last_message.text) == ("outbound", "hello")
    assert nell.last_message is None and not nell.awaiting_reply


def test_preview_cuts_on_a_word() -> None:
    assert preview("short  and\nsweet") == "short and sweet"
    long = "word " * 50
    cut = preview(long)
    assert len(cut) <= 160 and cut.endswith("word…") and "  " not in cut
    assert preview("x" * 200) == "x" * 159 + "…"
    exact = "a" * 155 + " bcde"
    assert preview(exact) == exact and preview(exact + "f") == "a" * 155 + "…"
