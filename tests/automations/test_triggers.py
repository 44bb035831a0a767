"""Each trigger fires for the fans it names, once per fan and period; conditions narrow it; a
follow-up is cancelled by the fan's answer; a paused rule does nothing."""

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from agent.automations import evaluate_active_rules
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from tests.agent.conftest import running
from tests.agent.fakes import ScriptedChatModel
from tests.agent.rows import fan_writes, rows
from tests.automations.world import NOW, TAG, Fans, evaluate, store, tagged

TRIGGERS: list[tuple[dict[str, Any], str]] = [
    ({"kind": "expiring", "days": 3}, "expiring"),
    ({"kind": "expired", "within_days": 30}, "expired"),
    ({"kind": "new_subscriber", "within_days": 1}, "newcomer"),
    ({"kind": "no_reply", "hours": 24}, "waiting"),
    ({"kind": "spend_milestone", "amount": 500}, "spender"),
    ({"kind": "score_threshold", "score": "churn_risk", "at_least": 0.8}, "spender"),
    ({"kind": "tag_added", "tag": "vip"}, "spender"),
]


@pytest.mark.parametrize(("trigger", "fan"), TRIGGERS, ids=[t["kind"] for t, _ in TRIGGERS])
def test_a_trigger_fires_once_per_fan_and_period(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans, trigger: dict[str, Any], fan: str
) -> None:
    rule = store(database, fans.creator, {"name": "r", "trigger": trigger, "actions": [TAG]})
    first = evaluate(database, embedder, fans.creator, rule)
    again = evaluate(database, embedder, fans.creator, rule, at=NOW + timedelta(minutes=1))
    assert (first.fired, first.outcome, again.fired, again.outcome) == (
        1,
        "succeeded",
        0,
        "succeeded",
    )
    assert tagged(database, fans) == [getattr(fans, fan)]
    runs = rows(
        database,
        fans.creator,
        "SELECT matched_fan_count, outcome FROM automation_rule_runs WHERE rule_id = %s"
        " ORDER BY started_at",
        rule,
    )
    assert runs == [(1, "succeeded"), (0, "succeeded")]
    actions = rows(
        database,
        fans.creator,
        "SELECT x.fan_id, x.action, x.outcome FROM automation_rule_actions x"
        " JOIN automation_rule_runs r ON r.id = x.run_id WHERE r.rule_id = %s",
        rule,
    )
    assert actions == [(getattr(fans, fan), "tag", "executed")]


def test_a_score_threshold_fires_again_in_its_next_period(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    trigger = {"kind": "score_threshold", "score": "churn_risk", "at_least": 0.8, "every_days": 7}
    rule = store(database, fans.creator, {"name": "r", "trigger": trigger, "actions": [TAG]})
    fired = [
        evaluate(database, embedder, fans.creator, rule, at=NOW + timedelta(days=d)).fired
        for d in (0, 1, 8)
    ]
    assert fired == [1, 0, 1]


def test_conditions_narrow_the_fans_a_trigger_names(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    def rule(name: str, op: str) -> UUID:
        return store(
            database,
            fans.creator,
            {
                "name": name,
                "trigger": {"kind": "expired"},
                "conditions": {"field": "lifetime_spend", "op": op, "value": 100},
                "actions": [TAG],
            },
        )

    assert evaluate(database, embedder, fans.creator, rule("big", "gte")).fired == 0
    assert evaluate(database, embedder, fans.creator, rule("small", "lt")).fired == 1
    assert tagged(database, fans) == [fans.expired]


def test_a_condition_on_a_media_the_fan_bought_or_not(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    [(media,)] = rows(
        database,
        fans.creator,
        "INSERT INTO media_assets (creator_id, title, kind, price)"
        " VALUES (app_current_creator(), 'Red set', 'photo', 25) RETURNING id",
    )
    rows(
        database,
        fans.creator,
        "INSERT INTO fan_transactions (creator_id, fan_id, kind, amount, media_id, occurred_at)"
        " VALUES (app_current_creator(), %s, 'ppv', 25, %s, %s) RETURNING id",
        fans.spender,
        media,
        NOW - timedelta(days=2),
    )

    def rule(name: str, bought: dict[str, Any]) -> UUID:
        trigger = {"kind": "spend_milestone", "amount": 10}  # every fan spent 20 or more
        new = {"name": name, "trigger": trigger, "conditions": bought, "actions": [TAG]}
        return store(database, fans.creator, new)

    bought = {"bought": str(media)}
    assert evaluate(database, embedder, fans.creator, rule("bought", bought)).fired == 1
    assert tagged(database, fans) == [fans.spender]
    assert evaluate(database, embedder, fans.creator, rule("not", {"not": bought})).fired == 5


def follow_up(database: DatabaseTarget, fans: Fans) -> UUID:
    message = {"kind": "message", "text": "still there? thinking of you"}
    rule = {"name": "f", "trigger": {"kind": "no_reply", "hours": 24}, "actions": [message]}
    return store(database, fans.creator, rule)


def test_a_follow_up_is_cancelled_when_the_fan_answers(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    rule = follow_up(database, fans)
    fan_writes(database, fans.creator, fans.waiting, "sorry, was busy!")
    assert evaluate(database, embedder, fans.creator, rule).fired == 0


def test_a_pending_follow_up_is_superseded_when_the_fan_answers(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    rule = follow_up(database, fans)
    assert evaluate(database, embedder, fans.creator, rule).fired == 1
    fan_writes(database, fans.creator, fans.waiting, "sorry, was busy!")
    statuses = rows(database, fans.creator, "SELECT status FROM hitl_action_queue")
    assert statuses == [("superseded",)]


def test_a_paused_rule_does_nothing(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    store(
        database,
        fans.creator,
        {"name": "p", "trigger": {"kind": "expired"}, "actions": [TAG], "paused": True},
    )

    async def scenario() -> int:
        async with running(database, ScriptedChatModel([]), embedder) as service:
            return await asyncio.to_thread(evaluate_active_rules, service.deps)

    asyncio.run(scenario())
    assert rows(database, fans.creator, "SELECT count(*) FROM automation_rule_runs") == [(0,)]
    assert rows(database, fans.creator, "SELECT count(*) FROM automation_rule_firings") == [(0,)]
    assert tagged(database, fans) == []
