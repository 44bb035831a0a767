"""The actions of a rule that stay inside the CRM, done at once in the run's transaction for every
fan the step reaches (one statement each): tag the fans, raise an alert, set a follow-up task for
the team (fan_profiles.follow_up_due_at and a follow_up event in fan_lifecycle_events)."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from crm.automations.model import AlertAction, FollowUpAction, TagAction
from crm.fans.annotations import tag_fans
from crm.intelligence.alerts import raise_alerts

_FOLLOW_UP = """
WITH task AS (
    UPDATE fan_profiles SET follow_up_due_at = %(due_at)s, next_best_action = %(note)s
    WHERE id = ANY(%(fan_ids)s)
    RETURNING id
)
INSERT INTO fan_lifecycle_events (creator_id, fan_id, kind, detail, occurred_at)
SELECT app_current_creator(), id, 'follow_up', %(detail)s, %(due_at)s FROM task
"""


def apply_effect(
    conn: psycopg.Connection[Any],
    fan_ids: list[UUID],
    action: TagAction | AlertAction | FollowUpAction,
    *,
    rule_name: str,
    now: datetime,
) -> dict[str, Any]:
    """Does the action for every fan of `fan_ids`; returns what it did (each action row's
    detail)."""
    if isinstance(action, TagAction):
        tag_fans(conn, fan_ids, action.tag, action.value, None)
        return {"tag": action.tag, "value": action.value}
    if isinstance(action, AlertAction):
        raise_alerts(conn, fan_ids, action.priority, action.message, {"rule": rule_name})
        return {"alert": action.message}
    due_at = now + timedelta(hours=action.in_hours)
    conn.execute(
        _FOLLOW_UP,
        {
            "fan_ids": fan_ids,
            "due_at": due_at,
            "note": action.note,
            "detail": f"follow up ({rule_name}): {action.note}",
        },
    )
    return {"due_at": due_at.isoformat()}
