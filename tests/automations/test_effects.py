"""The actions that stay inside the CRM: an alert for the team and a follow-up task, done for the
fan a rule fired for and recorded per fan."""

from datetime import timedelta

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from tests.agent.rows import rows
from tests.automations.world import NOW, build, evaluate, store


def test_an_alert_and_a_follow_up_task(database: DatabaseTarget, embedder: LocalEmbedder) -> None:
    fans = build(database)
    rule = {
        "name": "VIP care",
        "trigger": {"kind": "tag_added", "tag": "vip"},
        "actions": [
            {"kind": "alert", "message": "a new VIP: say hi in person", "priority": "high"},
            {"kind": "follow_up", "note": "ask how the trip went", "in_hours": 48},
        ],
    }
    evaluate(database, embedder, fans.creator, store(database, fans.creator, rule))
    alerts = rows(database, fans.creator, "SELECT fan_id, type, priority, message FROM fan_alerts")
    assert alerts == [(fans.spender, "automation", "high", "a new VIP: say hi in person")]
    task = rows(
        database,
        fans.creator,
        "SELECT id, follow_up_due_at, next_best_action FROM fan_profiles"
        " WHERE follow_up_due_at IS NOT NULL",
    )
    assert task == [(fans.spender, NOW + timedelta(hours=48), "ask how the trip went")]
    events = rows(database, fans.creator, "SELECT fan_id, kind, detail FROM fan_lifecycle_events")
    assert events == [(fans.spender, "follow_up", "follow up (VIP care): ask how the trip went")]
    done = rows(
        database,
        fans.creator,
        "SELECT action, outcome, args->>'step' FROM automation_rule_actions ORDER BY action",
    )
    assert done == [("alert", "executed", "0"), ("follow_up", "executed", "1")]
