"""The SQL of fan_personas: which persona applies to a fan, and saving or removing one.

A row with fan_id NULL is the creator's default; a row with a fan_id overrides it for that fan.
Every function runs inside `creator_scope`, so row-level security shows only the given creator's
rows (inside a caller's scope for the same creator it becomes a savepoint). The creator_id
filters in the SQL say the same thing again for the reader and for the planner.
"""

from typing import Any
from uuid import UUID

import psycopg
from psycopg import errors, sql

from db.connect import creator_scope
from personas.defaults import BUILTIN_PERSONA
from personas.model import EffectivePersona, Persona

COLUMNS = tuple(Persona.model_fields)
_COLUMN_LIST = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
_VALUES = sql.SQL(", ").join(sql.Placeholder(c) for c in COLUMNS)
_UPDATES = sql.SQL(", ").join(
    sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in COLUMNS
)

SELECT_EFFECTIVE = sql.SQL(
    "SELECT id, fan_id, {columns} FROM fan_personas"
    " WHERE creator_id = %(creator_id)s AND (fan_id = %(fan_id)s OR fan_id IS NULL)"
    " ORDER BY fan_id NULLS LAST LIMIT 1"
).format(columns=_COLUMN_LIST)
SELECT_DEFAULT = sql.SQL(
    "SELECT id, fan_id, {columns} FROM fan_personas"
    " WHERE creator_id = %(creator_id)s AND fan_id IS NULL"
).format(columns=_COLUMN_LIST)
UPSERT_FAN = sql.SQL(
    "INSERT INTO fan_personas (creator_id, fan_id, {columns})"
    " VALUES (%(creator_id)s, %(fan_id)s, {values})"
    " ON CONFLICT (creator_id, fan_id) WHERE fan_id IS NOT NULL DO UPDATE SET {updates}"
    " RETURNING id"
).format(columns=_COLUMN_LIST, values=_VALUES, updates=_UPDATES)
UPSERT_DEFAULT = sql.SQL(
    "INSERT INTO fan_personas (creator_id, fan_id, {columns})"
    " VALUES (%(creator_id)s, NULL, {values})"
    " ON CONFLICT (creator_id) WHERE fan_id IS NULL DO UPDATE SET {updates}"
    " RETURNING id"
).format(columns=_COLUMN_LIST, values=_VALUES, updates=_UPDATES)
DELETE_FAN = (
    "DELETE FROM fan_personas WHERE creator_id = %(creator_id)s AND fan_id = %(fan_id)s"
    " RETURNING id"
)
DELETE_DEFAULT = (
    "DELETE FROM fan_personas WHERE creator_id = %(creator_id)s AND fan_id IS NULL RETURNING id"
)


class UnknownFan(LookupError):
    """The fan does not exist for this creator (or belongs to another one)."""

    def __init__(self, fan_id: UUID) -> None:
        super().__init__(f"no fan {fan_id} for this creator")
        self.fan_id = fan_id


def effective_persona(
    conn: psycopg.Connection[Any], creator_id: UUID, fan_id: UUID
) -> EffectivePersona:
    """The fan's override, else the creator's default, else the built-in persona."""
    with creator_scope(conn, creator_id):
        params = {"creator_id": creator_id, "fan_id": fan_id}
        return _effective(conn.execute(SELECT_EFFECTIVE, params).fetchone())


def creator_default(conn: psycopg.Connection[Any], creator_id: UUID) -> EffectivePersona:
    """The creator's default, else the built-in persona."""
    with creator_scope(conn, creator_id):
        row = conn.execute(SELECT_DEFAULT, {"creator_id": creator_id}).fetchone()
        return _effective(row)


def save_fan_persona(
    conn: psycopg.Connection[Any], creator_id: UUID, fan_id: UUID, persona: Persona
) -> UUID:
    """Creates or replaces the fan's override; returns its id. UnknownFan if not this creator's."""
    params = {**_params(persona), "creator_id": creator_id, "fan_id": fan_id}
    try:
        with creator_scope(conn, creator_id):
            row = conn.execute(UPSERT_FAN, params).fetchone()
    except errors.ForeignKeyViolation as error:
        raise UnknownFan(fan_id) from error
    assert row is not None
    return UUID(str(row[0]))


def save_creator_default(conn: psycopg.Connection[Any], creator_id: UUID, persona: Persona) -> UUID:
    """Creates or replaces the creator's default persona; returns its id."""
    with creator_scope(conn, creator_id):
        params = {**_params(persona), "creator_id": creator_id}
        row = conn.execute(UPSERT_DEFAULT, params).fetchone()
    assert row is not None
    return UUID(str(row[0]))


def delete_persona(conn: psycopg.Connection[Any], creator_id: UUID, fan_id: UUID | None) -> bool:
    """Removes the fan's override (or, with fan_id None, the creator's default); False if none."""
    statement = DELETE_DEFAULT if fan_id is None else DELETE_FAN
    with creator_scope(conn, creator_id):
        row = conn.execute(statement, {"creator_id": creator_id, "fan_id": fan_id}).fetchone()
    return row is not None


def _params(persona: Persona) -> dict[str, Any]:
    values = persona.model_dump()
    values["vocabulary_use"] = list(persona.vocabulary_use)
    values["vocabulary_avoid"] = list(persona.vocabulary_avoid)
    return values


def _effective(row: tuple[Any, ...] | None) -> EffectivePersona:
    if row is None:
        return EffectivePersona(BUILTIN_PERSONA, "builtin", None)
    persona_id, fan_id, *values = row
    persona = Persona.model_validate(dict(zip(COLUMNS, values, strict=True)))
    return EffectivePersona(persona, "creator" if fan_id is None else "fan", persona_id)
