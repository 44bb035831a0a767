"""The fan's memories (fan_memories, through memory/): searching what they told the creator,
and remembering a new fact (de-duplicated; a fact with the subject of a current one replaces
it)."""

from typing import Annotated, Any

import psycopg
from pydantic import Field, StringConstraints

from memory.remember import remember
from memory.search import within_fan
from memory.settings import MemorySettings
from memory.types import MAX_BODY, SUBJECT, Fact, MemoryKind
from tools.base import RunContext, Tool, ToolArgs, ToolResult


class SearchMemoriesArgs(ToolArgs):
    query: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = Field(description='What to look for, e.g. "birthday" or "his dog".')
    limit: int = Field(default=5, ge=1, le=20, description="How many facts, at most (1 to 20).")


class RememberFactArgs(ToolArgs):
    kind: MemoryKind = Field(description="What sort of fact it is.")
    fact: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY)
    ] = Field(description='The fact in the third person, e.g. "Has a dog named Max".')
    subject: Annotated[str, StringConstraints(pattern=SUBJECT.pattern)] | None = Field(
        default=None,
        description='What the fact is about if it can change, e.g. "city", "job", "pet:dog": '
        "it replaces the fan's current fact about that subject. Omit for facts that add up.",
    )


def search_fan_memories(
    conn: psycopg.Connection[Any], ctx: RunContext, args: SearchMemoriesArgs
) -> ToolResult:
    query = ctx.require_embedder().embed([args.query])[0]
    ranked = within_fan(
        conn, ctx.fan_id, query, MemorySettings(), text=args.query, limit=args.limit
    )
    return {
        "memories": [
            {
                "memory_id": str(hit.memory.id),
                "kind": hit.memory.kind,
                "subject": hit.memory.subject,
                "fact": hit.memory.body,
                "remembered_at": hit.memory.created_at.isoformat(),
                "score": round(hit.score, 3),
            }
            for hit in ranked
        ]
    }


def remember_fact(
    conn: psycopg.Connection[Any], ctx: RunContext, args: RememberFactArgs
) -> ToolResult:
    fact = Fact(args.kind, args.fact, args.subject, source_message_id=ctx.message_id)
    [done] = remember(conn, ctx.require_embedder(), ctx.fan_id, [fact], MemorySettings())
    replaced = str(done.replaced.id) if done.replaced is not None else None
    return {"outcome": done.outcome, "memory_id": str(done.memory.id), "replaced": replaced}


SEARCH_MEMORIES_TOOL = Tool(
    name="search_fan_memories",
    description="Search what the fan told the creator before (pet names, key dates, "
    "preferences, personal details, past conversations), most relevant first.",
    args=SearchMemoriesArgs,
    kind="read",
    run=search_fan_memories,
)
REMEMBER_FACT_TOOL = Tool(
    name="remember_fact",
    description="Remember a durable fact the fan shared, for later conversations.",
    args=RememberFactArgs,
    kind="write",
    run=remember_fact,
)
