"""The creator's own annotations on the fan: tags with an optional value (fan_tag_values) and
free-text notes (fan_notes), written as the run's user."""

from typing import Annotated, Any

import psycopg
from pydantic import BeforeValidator, Field, StringConstraints

from db.rows import fetch_one
from tools.base import RunContext, Tool, ToolArgs, ToolResult

TAG_PATTERN = r"^[a-z0-9][a-z0-9_:-]{0,62}$"  # the CHECK on fan_tag_values.tag

UPSERT_TAG = """
INSERT INTO fan_tag_values (creator_id, fan_id, tag, value, created_by)
VALUES (app_current_creator(), %(fan_id)s, %(tag)s, %(value)s, %(user_id)s)
ON CONFLICT (fan_id, tag) DO UPDATE SET value = EXCLUDED.value, created_by = EXCLUDED.created_by
RETURNING tag, value
"""
INSERT_NOTE = """
INSERT INTO fan_notes (creator_id, fan_id, author_user_id, body)
VALUES (app_current_creator(), %(fan_id)s, %(user_id)s, %(body)s)
RETURNING id AS note_id, body, created_at
"""


def _lower_stripped(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class AddTagArgs(ToolArgs):
    tag: Annotated[
        str, StringConstraints(pattern=TAG_PATTERN), BeforeValidator(_lower_stripped)
    ] = Field(
        description='A short label: lowercase letters, digits, "_", ":" or "-", e.g. "whale" '
        'or "likes:feet".'
    )
    value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        default=None, description="An optional value; setting a tag again replaces its value."
    )


class AddNoteArgs(ToolArgs):
    body: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="The note, for the creator and the chatters; the fan never sees it.")


def add_fan_tag(conn: psycopg.Connection[Any], ctx: RunContext, args: AddTagArgs) -> ToolResult:
    params = {"fan_id": ctx.fan_id, "tag": args.tag, "value": args.value, "user_id": ctx.user_id}
    tagged = fetch_one(conn, UPSERT_TAG, params)
    assert tagged is not None
    return tagged


def add_fan_note(conn: psycopg.Connection[Any], ctx: RunContext, args: AddNoteArgs) -> ToolResult:
    params = {"fan_id": ctx.fan_id, "body": args.body, "user_id": ctx.user_id}
    note = fetch_one(conn, INSERT_NOTE, params)
    assert note is not None
    return note


ADD_TAG_TOOL = Tool(
    name="add_fan_tag",
    description="Tag the fan (e.g. whale, likes:cosplay), with an optional value.",
    args=AddTagArgs,
    kind="write",
    run=add_fan_tag,
)
ADD_NOTE_TOOL = Tool(
    name="add_fan_note",
    description="Add an internal note about the fan for the creator and chatters.",
    args=AddNoteArgs,
    kind="write",
    run=add_fan_note,
)
