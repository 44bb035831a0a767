"""automation_rule_actions: the append-only record of every action the gate executed."""

from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from agent.gate.queue import QueuedAction

INSERT = """
INSERT INTO automation_rule_actions
    (creator_id, hitl_action_id, fan_id, action, args, outcome, detail)
VALUES (app_current_creator(), %(hitl_action_id)s, %(fan_id)s, %(action)s, %(args)s, %(outcome)s,
        %(detail)s)
"""


def record_execution(
    conn: psycopg.Connection[Any],
    action: QueuedAction,
    outcome: Literal["executed", "failed"],
    detail: dict[str, Any],
) -> None:
    """One row per queue row (hitl_action_id is unique): a second execution fails here."""
    conn.execute(
        INSERT,
        {
            "hitl_action_id": action.id,
            "fan_id": action.fan_id,
            "action": action.action,
            "args": Jsonb(action.effective_args),
            "outcome": outcome,
            "detail": Jsonb(detail),
        },
    )
