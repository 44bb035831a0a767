"""The rules' history: automation_rule_runs (one row per evaluation) and the per-fan
automation_rule_actions of each run, both append-only. A run's actions are written first and its
own row last, in one transaction (the foreign keys to the run are deferred), so the row carries
its outcome from the start. An action row's args carry its step: its place in the rule's chain."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from crm.automations.model import Run, RunAction

ActionOutcome = Literal["executed", "failed", "skipped", "queued", "blocked"]
RunOutcome = Literal["succeeded", "partial", "failed", "skipped"]

_ACTIONS = """
INSERT INTO automation_rule_actions (creator_id, run_id, fan_id, action, args, outcome, detail)
SELECT app_current_creator(), %(run_id)s, r.fan_id, r.action, r.args, r.outcome, r.detail
FROM unnest(%(fan_ids)s::uuid[], %(actions)s::text[], %(args)s::jsonb[], %(outcomes)s::text[],
            %(details)s::jsonb[]) AS r (fan_id, action, args, outcome, detail)
"""
_RUN = """
INSERT INTO automation_rule_runs
    (id, creator_id, rule_id, triggered_by, matched_fan_count, outcome, detail, started_at,
     finished_at)
VALUES (%(id)s, app_current_creator(), %(rule_id)s, %(triggered_by)s, %(matched)s, %(outcome)s,
        %(detail)s, %(started_at)s, clock_timestamp())
"""
_RUNS = """
SELECT id, rule_id, triggered_by, matched_fan_count, outcome, detail, started_at, finished_at
FROM automation_rule_runs
WHERE rule_id = %(rule_id)s
ORDER BY started_at DESC, id
LIMIT %(limit)s
"""
_RUN_ACTIONS = """
SELECT x.id, x.run_id, x.fan_id, p.display_name, x.action, x.args, x.outcome, x.detail,
       x.executed_at
FROM automation_rule_actions x
JOIN fan_profiles p ON p.id = x.fan_id
WHERE x.run_id = %(run_id)s
ORDER BY x.executed_at, p.display_name, x.fan_id, (x.args->>'step')::int, x.id
LIMIT %(limit)s
"""


@dataclass(frozen=True)
class ActionRecord:
    fan_id: UUID
    action: str
    args: dict[str, Any]
    outcome: ActionOutcome
    detail: dict[str, Any]


def record_actions(
    conn: psycopg.Connection[Any], run_id: UUID, records: list[ActionRecord]
) -> None:
    """The run's per-fan action rows, in one statement (a broad rule's first run writes one per
    fan; COPY is refused under row-level security)."""
    conn.execute(
        _ACTIONS,
        {
            "run_id": run_id,
            "fan_ids": [r.fan_id for r in records],
            "actions": [r.action for r in records],
            "args": [Jsonb(r.args) for r in records],
            "outcomes": [r.outcome for r in records],
            "details": [Jsonb(r.detail) for r in records],
        },
    )


def record_run(
    conn: psycopg.Connection[Any],
    run_id: UUID,
    rule_id: UUID,
    *,
    triggered_by: str,
    matched: int,
    outcome: RunOutcome,
    detail: dict[str, Any],
    started_at: datetime,
) -> None:
    conn.execute(
        _RUN,
        {
            "id": run_id,
            "rule_id": rule_id,
            "triggered_by": triggered_by,
            "matched": matched,
            "outcome": outcome,
            "detail": Jsonb(detail),
            "started_at": started_at,
        },
    )


def runs(conn: psycopg.Connection[Any], rule_id: UUID, *, limit: int = 20) -> list[Run]:
    """The rule's latest evaluations, newest first."""
    with conn.cursor(row_factory=class_row(Run)) as cursor:
        return cursor.execute(_RUNS, {"rule_id": rule_id, "limit": limit}).fetchall()


def run_actions(
    conn: psycopg.Connection[Any], run_id: UUID, *, limit: int = 200
) -> list[RunAction]:
    """What the run did per fan (only display names identify the fans)."""
    with conn.cursor(row_factory=class_row(RunAction)) as cursor:
        return cursor.execute(_RUN_ACTIONS, {"run_id": run_id, "limit": limit}).fetchall()
