"""Segments of the current creator (fan_segments), evaluated at query time and materialised
into fan_segment_members on demand. Call everything inside the creator's scope.

`evaluate` runs a rule against the creator's scored fans now (no stored definition needed);
`evaluate_segment` and `materialise` take a stored segment by id or name. Materialising replaces
the membership in one statement (members no longer matching are removed, the rest stamped with
evaluated_at; a new member with entered_at, kept until the fan leaves) under a lock on the
segment's row, so two runs do not interleave.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, LiteralString
from uuid import UUID

import psycopg
from psycopg import errors, sql
from psycopg.rows import class_row, dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from crm.intelligence.clock import resolve
from crm.intelligence.errors import InvalidRequest, NotFound
from crm.intelligence.segments.compiler import CompiledRule, compile_rules
from crm.intelligence.segments.presets import PRESETS
from crm.intelligence.segments.rules import RuleSet
from db.connect import creator_scope

# The creator's scored fans (every fan once recompute_creator or refresh_fan has seen it), with
# their activity and profile joined only when the rule reads them.
_FROM = """
FROM fan_scores s
{joins}
WHERE {where}
"""
_JOINS: dict[str, LiteralString] = {
    "a": "JOIN fan_activity a ON a.fan_id = s.fan_id",
    "p": "JOIN fan_profiles p ON p.id = s.fan_id",
}
_MEMBERS = """
WITH matched AS (
    SELECT s.fan_id, s.predicted_ltv, count(*) OVER () AS total
    {source}
    ORDER BY s.predicted_ltv DESC, s.fan_id
    LIMIT %(limit)s
)
SELECT m.fan_id, p.display_name, p.lifetime_spend, m.predicted_ltv, m.total
FROM matched m
JOIN fan_profiles p ON p.id = m.fan_id
ORDER BY m.predicted_ltv DESC, m.fan_id
"""
_COUNT = "SELECT count(*) AS total {source}"
_FAN_IDS = "SELECT s.fan_id {source}"
_MATERIALISE = """
WITH members AS MATERIALIZED (SELECT s.fan_id {source}),
previous AS MATERIALIZED (
    SELECT fan_id FROM fan_segment_members WHERE segment_id = %(segment_id)s
),
gone AS (
    DELETE FROM fan_segment_members m
    WHERE m.segment_id = %(segment_id)s
      AND NOT EXISTS (SELECT 1 FROM members WHERE members.fan_id = m.fan_id)
    RETURNING m.fan_id
),
kept AS (
    INSERT INTO fan_segment_members (segment_id, fan_id, creator_id, evaluated_at, entered_at)
    SELECT %(segment_id)s, members.fan_id, app_current_creator(), %(as_of)s, %(as_of)s
    FROM members
    ON CONFLICT (segment_id, fan_id) DO UPDATE SET evaluated_at = excluded.evaluated_at
    RETURNING fan_id
)
SELECT (SELECT count(*) FROM kept) AS members,
       (SELECT count(*) FROM members
        WHERE NOT EXISTS (SELECT 1 FROM previous WHERE previous.fan_id = members.fan_id)) AS added,
       (SELECT count(*) FROM gone) AS removed
"""

# The stored membership, highest predicted lifetime value first.
_STORED_MEMBERS = """
SELECT m.fan_id, p.display_name, p.lifetime_spend, s.predicted_ltv
FROM fan_segment_members m
JOIN fan_profiles p ON p.id = m.fan_id
JOIN fan_scores s ON s.fan_id = m.fan_id
WHERE m.segment_id = %(segment_id)s
ORDER BY s.predicted_ltv DESC, m.fan_id
LIMIT %(limit)s OFFSET %(offset)s
"""

_CREATORS_WITH_SEGMENTS = "SELECT fanagent_creators_with_segments()"
SEGMENT_EXISTS: LiteralString = "SELECT 1 FROM fan_segments WHERE id = %s"
_SEGMENT = """
SELECT g.id, g.name, g.description, g.rules, g.is_preset, g.created_at, g.updated_at,
       (SELECT count(*) FROM fan_segment_members m WHERE m.segment_id = g.id) AS members,
       (SELECT max(m.evaluated_at) FROM fan_segment_members m WHERE m.segment_id = g.id)
           AS materialised_at
FROM fan_segments g
"""
_INSERT = """
INSERT INTO fan_segments (creator_id, name, description, rules, is_preset)
VALUES (app_current_creator(), %(name)s, %(description)s, %(rules)s, %(is_preset)s)
{conflict}
RETURNING id
"""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class SegmentCreate(BaseModel):
    name: Name
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    rules: RuleSet


class Segment(BaseModel):
    id: UUID
    name: str
    description: str | None
    rules: dict[str, Any]
    is_preset: bool
    created_at: datetime
    updated_at: datetime
    members: int = Field(description="materialised members (fan_segment_members)")
    materialised_at: datetime | None


class SegmentMember(BaseModel):
    fan_id: UUID
    display_name: str
    lifetime_spend: Decimal
    predicted_ltv: Decimal


class SegmentEvaluation(BaseModel):
    segment_id: UUID | None
    as_of: datetime
    total: int
    members: list[SegmentMember]  # the first `limit`, highest predicted lifetime value first


class Materialisation(BaseModel):
    segment_id: UUID
    as_of: datetime
    members: int
    added: int
    removed: int


def evaluate(
    conn: psycopg.Connection[Any],
    rules: RuleSet,
    *,
    as_of: datetime | None = None,
    limit: int = 100,
    segment_id: UUID | None = None,
) -> SegmentEvaluation:
    """The creator's fans matching `rules` at as_of: how many, and the first `limit` of them
    (0: the count only)."""
    moment = resolve(as_of)
    compiled = compile_rules(rules, moment)
    params = {**compiled.params, "limit": limit}
    with conn.cursor(row_factory=dict_row) as cursor:
        if limit <= 0:
            row = cursor.execute(_query(_COUNT, compiled), params).fetchone()
            return SegmentEvaluation(
                segment_id=segment_id, as_of=moment, total=row["total"] if row else 0, members=[]
            )
        rows = cursor.execute(_query(_MEMBERS, compiled), params).fetchall()
    return SegmentEvaluation(
        segment_id=segment_id,
        as_of=moment,
        total=rows[0]["total"] if rows else 0,
        members=[SegmentMember.model_validate(row) for row in rows],
    )


def matching_fans(rules: RuleSet, as_of: datetime) -> tuple[sql.Composed, dict[str, Any]]:
    """A query of the ids of the fans `rules` match at as_of (a column `fan_id`), and its
    parameters (named p0, p1, ...), for a caller to build on (a broadcast's audience)."""
    compiled = compile_rules(rules, as_of)
    return _query(_FAN_IDS, compiled), compiled.params


def evaluate_segment(
    conn: psycopg.Connection[Any],
    key: UUID | str,
    *,
    as_of: datetime | None = None,
    limit: int = 100,
) -> SegmentEvaluation:
    """Evaluates the stored segment `key` (its id or name)."""
    segment = get_segment(conn, key)
    return evaluate(conn, rules_of(segment), as_of=as_of, limit=limit, segment_id=segment.id)


def materialise(
    conn: psycopg.Connection[Any], key: UUID | str, *, as_of: datetime | None = None
) -> Materialisation:
    """Replaces the stored membership of segment `key` with its evaluation at as_of."""
    moment = resolve(as_of)
    segment = get_segment(conn, key, lock=True)
    compiled = compile_rules(rules_of(segment), moment)
    params = {**compiled.params, "segment_id": segment.id}
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(_query(_MATERIALISE, compiled), params).fetchone()
    assert row is not None
    return Materialisation(segment_id=segment.id, as_of=moment, **row)


def materialise_all(conn: psycopg.Connection[Any], *, as_of: datetime | None = None) -> int:
    """Materialises every segment of every creator (`conn` the application role's, in
    autocommit: a segment per transaction); returns how many segments."""
    creators = [row[0] for row in conn.execute(_CREATORS_WITH_SEGMENTS)]
    done = 0
    for creator_id in creators:
        with creator_scope(conn, creator_id):
            segment_ids = [row[0] for row in conn.execute("SELECT id FROM fan_segments")]
        for segment_id in segment_ids:
            with creator_scope(conn, creator_id):
                materialise(conn, segment_id, as_of=as_of)
            done += 1
    return done


def stored_members(
    conn: psycopg.Connection[Any], key: UUID | str, *, limit: int = 50, offset: int = 0
) -> list[SegmentMember]:
    """A page of segment `key`'s materialised members (see `materialise`)."""
    segment = get_segment(conn, key)
    params = {"segment_id": segment.id, "limit": limit, "offset": offset}
    with conn.cursor(row_factory=class_row(SegmentMember)) as cursor:
        return cursor.execute(_STORED_MEMBERS, params).fetchall()


def list_segments(conn: psycopg.Connection[Any]) -> list[Segment]:
    with conn.cursor(row_factory=class_row(Segment)) as cursor:
        return cursor.execute(_SEGMENT + " ORDER BY g.is_preset DESC, g.name").fetchall()


def get_segment(conn: psycopg.Connection[Any], key: UUID | str, *, lock: bool = False) -> Segment:
    """The segment with id or name `key`; NotFound otherwise."""
    segment_id = _as_uuid(key)
    where = "WHERE g.id = %(id)s" if segment_id is not None else "WHERE g.name = %(name)s"
    query = _SEGMENT + where + (" FOR UPDATE OF g" if lock else "")
    with conn.cursor(row_factory=class_row(Segment)) as cursor:
        segment = cursor.execute(query, {"id": segment_id, "name": str(key)}).fetchone()
    if segment is None:
        raise NotFound(f"no segment {key!s} for this creator")
    return segment


def create_segment(conn: psycopg.Connection[Any], new: SegmentCreate) -> Segment:
    """Stores a new segment; InvalidRequest when the creator already has one of that name."""
    try:
        with conn.transaction():
            row = conn.execute(
                _INSERT.format(conflict=""),
                {
                    "name": new.name,
                    "description": new.description,
                    "rules": Jsonb(new.rules.as_json()),
                    "is_preset": False,
                },
            ).fetchone()
    except errors.UniqueViolation as error:
        raise InvalidRequest(f"a segment named {new.name!r} exists") from error
    assert row is not None
    return get_segment(conn, row[0])


def delete_segment(conn: psycopg.Connection[Any], key: UUID | str) -> None:
    segment = get_segment(conn, key)
    conn.execute("DELETE FROM fan_segments WHERE id = %s", [segment.id])


def install_presets(conn: psycopg.Connection[Any]) -> int:
    """Adds the presets the creator does not have yet (by name); returns how many were added."""
    added = 0
    for preset in PRESETS:
        added += conn.execute(
            _INSERT.format(conflict="ON CONFLICT (creator_id, name) DO NOTHING"),
            {
                "name": preset.name,
                "description": preset.description,
                "rules": Jsonb(preset.rule_set().as_json()),
                "is_preset": True,
            },
        ).rowcount
    return added


def _query(template: LiteralString, compiled: CompiledRule) -> sql.Composed:
    """`template` with {source}: the scored fans matching the compiled rule."""
    joins = sql.SQL("\n").join(sql.SQL(_JOINS[alias]) for alias in sorted(compiled.sources))
    source = sql.SQL(_FROM).format(joins=joins, where=compiled.where)
    return sql.SQL(template).format(source=source)


def rules_of(segment: Segment) -> RuleSet:
    try:
        return RuleSet.model_validate(segment.rules)
    except ValidationError as error:
        raise InvalidRequest(f"segment {segment.name!r} has invalid rules: {error}") from error


def _as_uuid(key: UUID | str) -> UUID | None:
    if isinstance(key, UUID):
        return key
    try:
        return UUID(key)
    except ValueError:
        return None
