"""The creator's own annotations on the fan: tags with an optional value (fan_tag_values) and
free-text notes (fan_notes), written as the run's user (crm/fans/annotations.py)."""

from typing import Annotated, Any

import psycopg
from pydantic import BeforeValidator, Field, StringConstraints

from crm.fans.annotations import TAG_PATTERN, add_note, set_tag
from tools.base import RunContext, Tool, ToolArgs, ToolResult


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
    return set_tag(conn, ctx.fan_id, args.tag, args.value, ctx.user_id)


def add_fan_note(conn: psycopg.Connection[Any], ctx: RunContext, args: AddNoteArgs) -> ToolResult:
    return add_note(conn, ctx.fan_id, args.body, ctx.user_id)


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
