"""segment_entered fires for a fan who entered the segment's materialised membership since the
rule was created, again after leaving and coming back; trial_started and trial_converted fire
for the fan with that subscription event, once."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from auth.operator import app_connection
from crm.intelligence.segments.store import SegmentCreate, create_segment, materialise
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.rows import rows
from tests.automations.world import NOW, TAG, Fans, evaluate, store, subscription_event, tagged
from tests.memory.helpers import stored_memory

BIG_SPENDERS = {"field": "lifetime_spend", "op": "gte", "value": 500}


def spends_then_materialise(
    database: DatabaseTarget, fans: Fans, segment: UUID, spend: int, at: datetime
) -> None:
    """The spender's lifetime spend becomes `spend`, then the segment is materialised at `at`."""
    with app_connection(database) as conn, creator_scope(conn, fans.creator):
        conn.execute(
            "UPDATE fan_profiles SET lifetime_spend = %s WHERE id = %s",
            [Decimal(spend), fans.spender],
        )
        materialise(conn, segment, as_of=at)


def test_a_fan_entering_a_segment_fires_once_per_entry(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    with app_connection(database) as conn, creator_scope(conn, fans.creator):
        segment = create_segment(
            conn, SegmentCreate.model_validate({"name": "big", "rules": BIG_SPENDERS})
        ).id
        materialise(conn, segment, as_of=NOW)  # a member from before the rule
    trigger = {"kind": "segment_entered", "segment_id": str(segment)}
    rule = store(database, fans.creator, {"name": "r", "trigger": trigger, "actions": [TAG]})
    start = datetime.now(UTC) + timedelta(minutes=1)
    assert evaluate(database, embedder, fans.creator, rule, at=start).fired == 0

    spends_then_materialise(database, fans, segment, 10, start + timedelta(minutes=1))  # leaves
    spends_then_materialise(database, fans, segment, 600, start + timedelta(minutes=2))  # back
    spends_then_materialise(database, fans, segment, 600, start + timedelta(minutes=3))  # stays
    fired = [
        evaluate(database, embedder, fans.creator, rule, at=start + timedelta(minutes=m)).fired
        for m in (4, 5)
    ]
    assert fired == [1, 0]
    assert tagged(database, fans) == [fans.spender]

    spends_then_materialise(database, fans, segment, 10, start + timedelta(minutes=6))
    spends_then_materialise(database, fans, segment, 600, start + timedelta(minutes=7))
    assert (
        evaluate(database, embedder, fans.creator, rule, at=start + timedelta(minutes=8)).fired == 1
    )
    firings = rows(
        database,
        fans.creator,
        "SELECT fan_id, count(*) FROM automation_rule_firings WHERE rule_id = %s GROUP BY 1",
        rule,
    )
    assert firings == [(fans.spender, 2)]


@pytest.mark.parametrize("event", ["trial_started", "trial_converted"])
def test_a_trial_trigger_fires_once_for_its_event(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans, event: str
) -> None:
    with app_connection(database) as conn, creator_scope(conn, fans.creator):
        subscription_event(conn, fans.creator, fans.quiet, event, NOW - timedelta(hours=3))
        subscription_event(conn, fans.creator, fans.spender, event, NOW - timedelta(days=3))
    trigger = {"kind": event, "within_days": 1}
    rule = store(database, fans.creator, {"name": "r", "trigger": trigger, "actions": [TAG]})
    fired = [
        evaluate(database, embedder, fans.creator, rule, at=NOW + timedelta(minutes=m)).fired
        for m in (0, 1)
    ]
    assert fired == [1, 0]
    assert tagged(database, fans) == [fans.quiet]


@pytest.mark.parametrize(("which", "expected"), [("birthday", 1), ("any", 2)])
def test_a_key_date_trigger_fires_once_per_occurrence(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans, which: str, expected: int
) -> None:
    tomorrow, later = NOW + timedelta(days=1), NOW + timedelta(days=9)
    anniversary = f"Subscription anniversary is {tomorrow:%B} {tomorrow.day}"
    with app_connection(database) as conn, creator_scope(conn, fans.creator):
        for fan, subject, body in [
            (fans.quiet, "birthday", f"Birthday is {tomorrow:%B} {tomorrow.day}"),
            (fans.spender, "anniversary", anniversary),
            (fans.spender, "birthday", f"Birthday is {later:%B} {later.day}"),
        ]:
            stored_memory(conn, fan, "key_date", body, subject=subject)
    trigger = {"kind": "key_date", "days": 2, "which": which}
    rule = store(database, fans.creator, {"name": "r", "trigger": trigger, "actions": [TAG]})
    fired = [
        evaluate(database, embedder, fans.creator, rule, at=NOW + timedelta(minutes=m)).fired
        for m in (0, 1)
    ]
    assert fired == [expected, 0]
    everyone = sorted([fans.quiet, fans.spender])
    assert sorted(tagged(database, fans)) == ([fans.quiet] if which == "birthday" else everyone)
