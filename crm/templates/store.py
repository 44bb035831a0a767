"""The SQL of message_templates, in the caller's creator scope: create (its variables checked
and recorded), list, get, delete. A template a broadcast used stays (the broadcast names it)."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from psycopg import errors
from psycopg.rows import class_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crm.templates.render import check_bodies

Tone = Literal["playful", "assertive", "romantic", "direct"]
Platform = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,30}$")]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TEMPLATE_EXISTS = "SELECT 1 FROM message_templates WHERE id = %s"
COLUMNS = "id, name, body, platform_variants, tone, variables, created_at, updated_at"
INSERT = f"""
INSERT INTO message_templates (creator_id, name, body, platform_variants, tone, variables)
VALUES (app_current_creator(), %(name)s, %(body)s, %(variants)s, %(tone)s, %(variables)s)
RETURNING {COLUMNS}
"""  # noqa: S608
SELECT_ALL = f"SELECT {COLUMNS} FROM message_templates ORDER BY name"  # noqa: S608
SELECT_ONE = f"SELECT {COLUMNS} FROM message_templates WHERE id = %s"  # noqa: S608
DELETE = "DELETE FROM message_templates WHERE id = %s"


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    body: Body = Field(
        description="the message, with {fan_name}, {memory}, {media_title}, "
        "{media_price}; {name|fallback} when a fan may lack the value"
    )
    platform_variants: dict[Platform, Body] = Field(
        default_factory=dict, max_length=10, description="a body per platform, e.g. fansly"
    )
    tone: Tone | None = None


class Template(BaseModel):
    id: UUID
    name: str
    body: str
    platform_variants: dict[str, str]
    tone: str | None
    variables: list[str]
    created_at: datetime
    updated_at: datetime


class TemplateError(ValueError):
    """A template that cannot be stored or removed as asked."""


class TemplateNotFound(LookupError):
    """No template with that id for this creator."""


def create_template(conn: psycopg.Connection[Any], new: TemplateCreate) -> Template:
    """Stores the template; UnknownVariable (render.py) for a variable that does not exist,
    TemplateError for a name the creator already uses."""
    variables = check_bodies([new.body, *new.platform_variants.values()])
    params = {
        "name": new.name,
        "body": new.body,
        "variants": Jsonb(new.platform_variants),
        "tone": new.tone,
        "variables": variables,
    }
    try:
        with conn.transaction(), conn.cursor(row_factory=class_row(Template)) as cursor:
            created = cursor.execute(INSERT, params).fetchone()
    except errors.UniqueViolation as error:
        raise TemplateError(f"a template named {new.name!r} exists") from error
    assert created is not None
    return created


def list_templates(conn: psycopg.Connection[Any]) -> list[Template]:
    with conn.cursor(row_factory=class_row(Template)) as cursor:
        return cursor.execute(SELECT_ALL).fetchall()


def get_template(conn: psycopg.Connection[Any], template_id: UUID) -> Template:
    with conn.cursor(row_factory=class_row(Template)) as cursor:
        found = cursor.execute(SELECT_ONE, [template_id]).fetchone()
    if found is None:
        raise TemplateNotFound(f"no template {template_id}")
    return found


def delete_template(conn: psycopg.Connection[Any], template_id: UUID) -> None:
    """TemplateNotFound, or TemplateError when a broadcast used it."""
    try:
        with conn.transaction():
            deleted = conn.execute(DELETE, [template_id]).rowcount
    except errors.ForeignKeyViolation as error:
        raise TemplateError("a broadcast used this template: it stays") from error
    if not deleted:
        raise TemplateNotFound(f"no template {template_id}")
