"""Outbound actions of a rule wait in the approval gate unless the rule's autonomy policy lets
them through for this fan now; an auto-approval is recorded as such; the outbound guard stops an
automation's message that asks for payment off the platform, and logs it."""

from typing import Any
from uuid import UUID

import pytest

from agent.service import Decision, DraftService
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from tests.agent.rows import outbox, rows
from tests.automations.world import Fans, evaluate, store

HELLO = {"kind": "message", "text": "welcome in babe, so happy you are here"}
AUTO = {"auto_approve": True, "max_discount": 20, "max_messages_per_fan_per_day": 1}


def welcome(
    database: DatabaseTarget, fans: Fans, actions: list[dict[str, Any]], autonomy: dict[str, Any]
) -> UUID:
    rule = {
        "name": "welcome",
        "trigger": {"kind": "new_subscriber"},
        "actions": actions,
        "autonomy": autonomy,
    }
    return store(database, fans.creator, rule)


def queued(database: DatabaseTarget, fans: Fans) -> list[tuple[Any, ...]]:
    return rows(
        database,
        fans.creator,
        "SELECT action, status, decided_by, decision_note FROM hitl_action_queue"
        " ORDER BY created_at, tool_call_id",
    )


def run_details(database: DatabaseTarget, fans: Fans) -> list[tuple[Any, ...]]:
    return rows(
        database,
        fans.creator,
        "SELECT action, outcome, detail->>'approval', detail->>'why'"
        " FROM automation_rule_actions WHERE run_id IS NOT NULL ORDER BY executed_at, action",
    )


def test_without_a_policy_a_message_waits_for_the_owner(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    async def approve(service: DraftService) -> None:
        [(action_id,)] = rows(database, fans.creator, "SELECT id FROM hitl_action_queue")
        await service.decide(fans.creator, action_id, Decision("approved", fans.owner))

    welcome(database, fans, [HELLO], {})
    assert evaluate(database, embedder, fans.creator, _rule(database, fans)).fired == 1
    assert outbox(database, fans.creator) == []
    assert run_details(database, fans) == [
        ("message", "queued", "pending", "the rule's policy asks for approval")
    ]
    evaluate(database, embedder, fans.creator, _rule(database, fans), then=approve)
    assert outbox(database, fans.creator) == [(HELLO["text"], None, None)]
    assert queued(database, fans)[0][:3] == ("send_message", "executed", fans.owner)


def test_a_policy_within_its_limits_sends_at_once_recorded_as_auto_approved(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    discount = {"kind": "discount", "percent": 15, "days": 3}
    welcome(database, fans, [discount, HELLO], AUTO)
    evaluate(database, embedder, fans.creator, _rule(database, fans))
    note = "auto-approved by the rule 'welcome' within its autonomy policy"
    assert queued(database, fans) == [
        ("offer_discount", "executed", None, note),
        ("send_message", "executed", None, note),
    ]
    assert outbox(database, fans.creator) == [(HELLO["text"], None, None)]
    assert run_details(database, fans) == [
        ("discount", "executed", "auto", None),
        ("message", "executed", "auto", None),
    ]
    offers = rows(database, fans.creator, "SELECT fan_id, percent FROM fan_offers")
    assert offers == [(fans.newcomer, 15)]


@pytest.mark.parametrize(
    ("actions", "autonomy", "why"),
    [
        (
            [{"kind": "discount", "percent": 30}],
            AUTO,
            "30% is above the policy's max discount (20)",
        ),
        ([HELLO], {**AUTO, "quiet_hours": {"start": 11, "end": 13}}, "quiet hours"),
        ([HELLO, HELLO | {"text": "and one more"}], AUTO, "message(s) in 24 hours"),
    ],
    ids=["discount", "quiet_hours", "daily_cap"],
)
def test_an_action_outside_the_limits_waits(
    database: DatabaseTarget,
    embedder: LocalEmbedder,
    fans: Fans,
    actions: list[dict[str, Any]],
    autonomy: dict[str, Any],
    why: str,
) -> None:
    welcome(database, fans, actions, autonomy)
    evaluate(database, embedder, fans.creator, _rule(database, fans))
    held = [d for d in run_details(database, fans) if d[1] == "queued"]
    assert len(held) == 1 and why in held[0][3]
    assert rows(
        database, fans.creator, "SELECT count(*) FROM hitl_action_queue WHERE status = 'pending'"
    ) == [(1,)]


def test_never_auto_approved_for_a_fan_who_cancelled(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    rule = {
        "name": "win back",
        "trigger": {"kind": "expired"},
        "actions": [{"kind": "message", "text": "i miss you, come back?"}],
        "autonomy": AUTO,
    }
    evaluate(database, embedder, fans.creator, store(database, fans.creator, rule))
    assert run_details(database, fans) == [
        ("message", "queued", "pending", "the fan is churning by cancellation")
    ]
    assert outbox(database, fans.creator) == []


@pytest.mark.parametrize("policy", [AUTO, {}], ids=["auto-approving", "approval asked"])
def test_never_auto_approved_for_a_fan_in_distress_and_the_approver_is_told(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans, policy: dict[str, Any]
) -> None:
    [(message,)] = rows(
        database,
        fans.creator,
        "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body)"
        " VALUES (app_current_creator(), %s, 'inbound', 'received', 'rough week') RETURNING id",
        fans.newcomer,
    )
    rows(
        database,
        fans.creator,
        # A weak reading 10 days ago still counts (crm.fans.distress: any reading in 14 days).
        "INSERT INTO fan_intent_events (creator_id, fan_id, message_id, signal, confidence,"
        " classifier, created_at) VALUES (app_current_creator(), %s, %s, 'emotional_support',"
        " 0.3, 'test', now() - interval '10 days') RETURNING id",
        fans.newcomer,
        message,
    )
    welcome(database, fans, [HELLO], policy)
    evaluate(database, embedder, fans.creator, _rule(database, fans))
    distress = "the fan is in distress (emotional_support in the last 14 days)"
    assert run_details(database, fans) == [("message", "queued", "pending", distress)]
    [(reason,)] = rows(database, fans.creator, "SELECT reason FROM hitl_action_queue")
    fired = "The automation rule 'welcome' (new_subscriber) fired for this fan"
    assert reason == f"{fired}; it waits because {distress}"


def test_the_guard_blocks_an_automation_asking_for_payment_off_the_platform(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    cashapp = "20% off if you pay me on cashapp instead babe"
    welcome(
        database, fans, [{"kind": "message", "text": cashapp}, {"kind": "tag", "tag": "x"}], AUTO
    )
    summary = evaluate(database, embedder, fans.creator, _rule(database, fans))
    assert summary.outcome == "partial"
    assert queued(database, fans) == []
    assert outbox(database, fans.creator) == []
    logged = rows(
        database, fans.creator, "SELECT fan_id, path, category, body FROM outbound_guard_blocks"
    )
    assert logged == [(fans.newcomer, "automation", "off_platform_payment", cashapp)]
    assert [d[:2] for d in run_details(database, fans)] == [("message", "blocked")]


def _rule(database: DatabaseTarget, fans: Fans) -> UUID:
    [(rule_id,)] = rows(database, fans.creator, "SELECT id FROM automation_rules")
    return UUID(str(rule_id))
