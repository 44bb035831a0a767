"""Which fans a rule fires for now: the trigger's (fan, period) rows that meet the conditions
(the segment rule compiler's WHERE over s, p and a) and have not fired for this rule and period
before. Claiming them writes automation_rule_firings in the same statement (ON CONFLICT DO
NOTHING on the key), so a fan fires once per period however often, or however concurrently, the
rule is evaluated; the caller's transaction carries the run's other rows with it.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from crm.automations.model import Rule
from crm.automations.triggers import trigger_query
from crm.intelligence.segments.compiler import compile_rules

_CLAIM = """
WITH candidates AS MATERIALIZED ({trigger})
INSERT INTO automation_rule_firings (creator_id, rule_id, fan_id, period, run_id)
SELECT app_current_creator(), %(rule_id)s, c.fan_id, c.period, %(run_id)s
FROM candidates c
{joins}
WHERE {where}
ON CONFLICT (rule_id, fan_id, period) DO NOTHING
RETURNING fan_id, period
"""
_JOINS = {
    "s": "JOIN fan_scores s ON s.fan_id = c.fan_id",
    "a": "JOIN fan_activity a ON a.fan_id = c.fan_id",
    "p": "JOIN fan_profiles p ON p.id = c.fan_id",
}


def claim_firings(
    conn: psycopg.Connection[Any], rule: Rule, run_id: UUID, as_of: datetime
) -> list[tuple[UUID, str]]:
    """The (fan, period) pairs the rule fires for now, recorded as fired by `run_id`."""
    trigger = trigger_query(rule.trigger, as_of, rule.created_at)
    params: dict[str, Any] = {**trigger.params, "rule_id": rule.id, "run_id": run_id}
    where: sql.Composable = sql.SQL("true")
    aliases: list[str] = []
    if rule.conditions is not None:
        compiled = compile_rules(rule.conditions, as_of)
        where, aliases = compiled.where, ["s", *sorted(compiled.sources)]
        params.update(compiled.params)
    joins = sql.SQL("\n").join(sql.SQL(_JOINS[alias]) for alias in aliases)
    query = sql.SQL(_CLAIM).format(trigger=sql.SQL(trigger.sql), joins=joins, where=where)
    return [(row[0], row[1]) for row in conn.execute(query, params)]
