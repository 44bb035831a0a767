"""A rule's message can fill a template: each fan's message is rendered with that fan's own data
(never another fan's), a fan lacking a value the template needs is skipped with the reason, the
outbound guard screens each fan's message, and a template that is not the creator's is refused
when the rule is created."""

import uuid
from typing import Any

import pytest

from auth.operator import app_connection
from crm.automations.model import RuleCreate
from crm.automations.store import create_rule
from crm.templates.store import TemplateNotFound
from db.connect import DatabaseTarget, creator_scope
from memory.embedders import LocalEmbedder
from tests.agent.rows import rows
from tests.automations.world import Fans, build, evaluate, store, template
from tests.memory.helpers import stored_memory

EVERYONE = {"kind": "spend_milestone", "amount": 10}  # every fan of the world spent 20 or more
MEMORIES = {"newcomer": "is training for a marathon", "spender": "has a dog called Biscuit"}


@pytest.fixture
def fans(database: DatabaseTarget) -> Fans:
    built = build(database)
    with app_connection(database) as conn, creator_scope(conn, built.creator):
        for name, memory in MEMORIES.items():
            stored_memory(conn, getattr(built, name), "preference", memory, importance=0.9)
        stored_memory(conn, built.waiting, "preference", "pays me on venmo", importance=0.9)
    return built


def rule(message: dict[str, Any]) -> dict[str, Any]:
    return {"name": "milestone", "trigger": EVERYONE, "actions": [message]}


def per_fan(database: DatabaseTarget, fans: Fans, query: str) -> dict[str, tuple[Any, ...]]:
    found = rows(
        database,
        fans.creator,
        "SELECT p.display_name, " + query + " JOIN fan_profiles p ON p.id = x.fan_id",
    )
    return {name: tuple(rest) for name, *rest in found}


def test_each_fan_gets_the_template_filled_with_their_own_data(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    body = "hey {fan_name}, still thinking of how {memory}"
    rule_id = store(
        database,
        fans.creator,
        rule({"kind": "message", "template_id": str(template(database, fans.creator, body))}),
    )
    assert evaluate(database, embedder, fans.creator, rule_id).fired == 6

    queued = per_fan(database, fans, "x.args->>'text', x.draft, x.status FROM hitl_action_queue x")
    assert queued == {
        name: (text, text, "pending")
        for name, text in (
            ("newcomer", "hey newcomer, still thinking of how is training for a marathon"),
            ("spender", "hey spender, still thinking of how has a dog called Biscuit"),
        )
    }
    done = per_fan(database, fans, "x.outcome, x.detail->>'reason' FROM automation_rule_actions x")
    missing = "no memory for this fan and no fallback ({memory|...})"
    assert {name: outcome for name, (outcome, _) in done.items()} == {
        "newcomer": "queued",
        "spender": "queued",
        "waiting": "blocked",  # its own memory asks for payment off the platform
        "expiring": "skipped",
        "expired": "skipped",
        "quiet": "skipped",
    }
    assert done["expiring"][1] == done["quiet"][1] == missing
    logged = rows(database, fans.creator, "SELECT fan_id, path, body FROM outbound_guard_blocks")
    assert logged == [
        (fans.waiting, "automation", "hey waiting, still thinking of how pays me on venmo")
    ]


def test_a_fallback_and_a_fixed_text_beside_the_template(
    database: DatabaseTarget, embedder: LocalEmbedder, fans: Fans
) -> None:
    made = template(database, fans.creator, "hey {fan_name}, {memory|long time no see}!")
    message = {"kind": "message", "template_id": str(made), "text": "new set tonight"}
    evaluate(database, embedder, fans.creator, store(database, fans.creator, rule(message)))
    queued = per_fan(database, fans, "x.args->>'text' FROM hitl_action_queue x")
    assert queued["quiet"] == ("hey quiet, long time no see! new set tonight",)
    assert queued["spender"] == ("hey spender, has a dog called Biscuit! new set tonight",)
    others = [text for name, (text,) in queued.items() if name != "spender"]
    assert not any("Biscuit" in text for text in others)


def test_a_template_that_is_not_the_creators_is_refused(
    database: DatabaseTarget, fans: Fans
) -> None:
    other = build(database)
    theirs = template(database, other.creator, "hi {fan_name}")
    for template_id in (theirs, uuid.uuid4()):
        new = RuleCreate.model_validate(rule({"kind": "message", "template_id": str(template_id)}))
        with (
            app_connection(database) as conn,
            creator_scope(conn, fans.creator),
            pytest.raises(TemplateNotFound),
        ):
            create_rule(conn, new)


def test_a_message_needs_a_text_or_a_template() -> None:
    with pytest.raises(ValueError, match="text, a template_id or both"):
        RuleCreate.model_validate(rule({"kind": "message"}))
