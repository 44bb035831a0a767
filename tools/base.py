"""What every agent tool is: typed arguments the model fills, the run it acts for, its result.

A tool never takes the creator or the fan from the model: both come from the RunContext, which
the caller builds from the authenticated request, and every query runs inside
`db.connect.creator_scope` (row-level security) on top of that.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

import psycopg
from pydantic import BaseModel, ConfigDict, ValidationError

from memory.embedders import Embedder

ToolKind = Literal["read", "write"]


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call; `parameters` is a JSON schema of its arguments."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class RunContext:
    """Who a tool acts for. Never filled from model output."""

    creator_id: UUID
    fan_id: UUID
    thread_id: str
    user_id: UUID | None = None  # the chatter or creator who asked for the draft
    message_id: UUID | None = None  # the inbound fan message being answered
    action_id: UUID | None = None  # set when a write tool executes an approved queue row
    # What the memory tools embed with (the agent's own embedder); a run without one cannot
    # search or remember.
    embedder: Embedder | None = field(default=None, kw_only=True)

    def require_embedder(self) -> Embedder:
        if self.embedder is None:
            raise ToolError("memories cannot be searched or stored in this run (no embedder)")
        return self.embedder


class ToolArgs(BaseModel):
    """Base of every tool's arguments: unknown fields are an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ToolError(Exception):
    """A failure the model is told about (as the tool's result), e.g. an unknown media id."""


A = TypeVar("A", bound=ToolArgs)
ToolResult = dict[str, Any]  # JSON-serialisable


@dataclass(frozen=True)
class Tool(Generic[A]):
    name: str
    description: str  # what the model reads
    args: type[A]
    kind: ToolKind
    # Runs in the caller's creator_scope transaction on a connection with pgvector registered.
    run: Callable[[psycopg.Connection[Any], RunContext, A], ToolResult]
    # What the database must say of the arguments (the rows they name exist and are the fan's,
    # dates are ahead, prices in bounds); raises ToolError. Runs before a gated call is queued
    # and again before every run, so edited arguments are checked too.
    check: Callable[[psycopg.Connection[Any], RunContext, A], None] | None = None

    def spec(self) -> ToolSpec:
        schema = self.args.model_json_schema()
        schema.pop("title", None)
        return ToolSpec(self.name, self.description, schema)

    def model_spec(self) -> ToolSpec:
        """The spec a chat model is offered: without string length limits, which llama.cpp
        turns into one nested grammar rule per character (a 5,000-character limit fails to
        compile and takes llama-cpp-python's server down); `parse` still enforces them."""
        spec = self.spec()
        return ToolSpec(spec.name, spec.description, _without_max_length(spec.parameters))

    def parse(self, arguments: dict[str, Any]) -> A:
        """The model's arguments, validated; raises ToolError with what was wrong."""
        try:
            return self.args.model_validate(arguments)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in error.errors()
            )
            raise ToolError(f"invalid arguments for {self.name}: {problems}") from error

    def verify(self, conn: psycopg.Connection[Any], ctx: RunContext, args: A) -> None:
        """Raises ToolError when the database refuses the arguments (see `check`)."""
        if self.check is not None:
            self.check(conn, ctx, args)

    def invoke(self, conn: psycopg.Connection[Any], ctx: RunContext, args: A) -> ToolResult:
        """The checked run: what every caller runs a tool with."""
        self.verify(conn, ctx, args)
        return self.run(conn, ctx, args)


def _without_max_length(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_max_length(v) for k, v in schema.items() if k != "maxLength"}
    if isinstance(schema, list):
        return [_without_max_length(item) for item in schema]
    return schema
