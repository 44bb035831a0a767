"""automation_rules of the current creator: create, read, list, pause and resume. Call inside
the creator's scope (db.connect.creator_scope)."""

from typing import Any, LiteralString
from uuid import UUID

import psycopg
from psycopg import errors
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from crm.automations.model import MessageAction, Rule, RuleCreate, SegmentEntered
from crm.intelligence.errors import InvalidRequest, NotFound
from crm.intelligence.segments.store import SEGMENT_EXISTS
from crm.templates.store import get_template

RULE_EXISTS: LiteralString = "SELECT 1 FROM automation_rules WHERE id = %s"
_COLUMNS = """
SELECT id, name, jsonb_build_object('kind', trigger) || trigger_params AS trigger,
       nullif(conditions, '{}'::jsonb) AS conditions, actions, autonomy, paused, created_at,
       updated_at
FROM automation_rules
"""
_INSERT = """
INSERT INTO automation_rules
    (creator_id, name, trigger, trigger_params, conditions, actions, autonomy, paused)
VALUES (app_current_creator(), %(name)s, %(trigger)s, %(trigger_params)s, %(conditions)s,
        %(actions)s, %(autonomy)s, %(paused)s)
RETURNING id
"""


class SegmentNotFound(LookupError):
    """A segment_entered trigger names a segment that is not the creator's."""


_PAUSE = "UPDATE automation_rules SET paused = %(paused)s WHERE id = %(id)s RETURNING id"


def create_rule(conn: psycopg.Connection[Any], new: RuleCreate) -> Rule:
    """Stores a new rule; InvalidRequest when the creator has one of that name, TemplateNotFound
    when a message names a template that is not the creator's, SegmentNotFound when the trigger
    names a segment that is not the creator's."""
    segment = new.trigger.segment_id if isinstance(new.trigger, SegmentEntered) else None
    if segment is not None and conn.execute(SEGMENT_EXISTS, [segment]).fetchone() is None:
        raise SegmentNotFound(f"no segment {segment}")
    for action in new.actions:
        if isinstance(action, MessageAction) and action.template_id is not None:
            get_template(conn, action.template_id)
    params = {
        "name": new.name,
        "trigger": new.trigger.kind,
        "trigger_params": Jsonb(new.trigger.model_dump(mode="json", exclude={"kind"})),
        "conditions": Jsonb(new.conditions.as_json() if new.conditions is not None else {}),
        "actions": Jsonb([action.model_dump(mode="json") for action in new.actions]),
        "autonomy": Jsonb(new.autonomy.model_dump(mode="json")),
        "paused": new.paused,
    }
    try:
        with conn.transaction():
            row = conn.execute(_INSERT, params).fetchone()
    except errors.UniqueViolation as error:
        raise InvalidRequest(f"a rule named {new.name!r} exists") from error
    assert row is not None
    return get_rule(conn, row[0])


def get_rule(conn: psycopg.Connection[Any], rule_id: UUID) -> Rule:
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(_COLUMNS + " WHERE id = %s", [rule_id]).fetchone()
    if row is None:
        raise NotFound(f"no rule {rule_id} for this creator")
    return Rule.model_validate(row)


def list_rules(conn: psycopg.Connection[Any], *, active_only: bool = False) -> list[Rule]:
    where = " WHERE NOT paused" if active_only else ""
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(_COLUMNS + where + " ORDER BY name").fetchall()
    return [Rule.model_validate(row) for row in rows]


def set_paused(conn: psycopg.Connection[Any], rule_id: UUID, paused: bool) -> Rule:
    if conn.execute(_PAUSE, {"id": rule_id, "paused": paused}).fetchone() is None:
        raise NotFound(f"no rule {rule_id} for this creator")
    return get_rule(conn, rule_id)
