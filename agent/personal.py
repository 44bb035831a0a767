"""A draft's outcome as a chatter sees it: without the fan's personal memories (where the fan
lives, their job, real name, contact details: fan_memories.personal), as the memory routes show
them none. The model drafts with them all the same.

Rule: the chatter's outcome leaves out the personal memories the prompt used, the personal ones
among search_fan_memories' results, and the remember_fact calls that wrote or replaced one.
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import UUID

from agent.service import StreamEvent
from auth.access import Caller
from memory.store import personal_ids
from tools.memories import REMEMBER_FACT_TOOL, SEARCH_MEMORIES_TOOL

Outcome = dict[str, Any]  # a DraftOutcome as JSON (dataclasses.asdict)


def as_seen_by(caller: Caller, creator_id: UUID, outcome: Outcome) -> Outcome:
    """The outcome as the caller may see it: a chatter's without the personal memories."""
    if caller.role(creator_id) != "chatter":
        return outcome
    ids = {UUID(memory_id) for memory_id in _memory_ids(outcome)}
    with caller.scoped(creator_id) as conn:
        personal = {str(memory_id) for memory_id in personal_ids(conn, ids)}
    if not personal:
        return outcome
    calls = [_call_without(call, personal) for call in outcome["tool_calls"]]
    return {
        **outcome,
        "memories": [m for m in outcome["memories"] if m["id"] not in personal],
        "tool_calls": [call for call in calls if call is not None],
    }


async def stream_as_seen_by(
    caller: Caller, creator_id: UUID, events: AsyncIterator[StreamEvent]
) -> AsyncIterator[StreamEvent]:
    """A draft's stream with its outcome event as the caller may see it (`as_seen_by`)."""
    async for event in events:
        if event.event == "outcome":  # the database is not read on the event loop
            seen = await asyncio.to_thread(as_seen_by, caller, creator_id, event.data)
            event = StreamEvent("outcome", seen)
        yield event


def _memory_ids(outcome: Outcome) -> Iterator[str]:
    """Every memory id the outcome shows: recalled, found by a search, remembered."""
    yield from (m["id"] for m in outcome["memories"])
    for call in outcome["tool_calls"]:
        result = call.get("result")
        if not isinstance(result, dict):
            continue  # not run, or an error message
        if call["name"] == SEARCH_MEMORIES_TOOL.name:
            yield from (m["memory_id"] for m in result.get("memories", []))
        elif call["name"] == REMEMBER_FACT_TOOL.name:
            yield from (result[key] for key in ("memory_id", "replaced") if result.get(key))


def _call_without(call: dict[str, Any], personal: set[str]) -> dict[str, Any] | None:
    """The tool call without the personal memories it shows; None when it wrote one."""
    result = call.get("result")
    if not isinstance(result, dict):
        return call
    if call["name"] == SEARCH_MEMORIES_TOOL.name:
        found = [m for m in result.get("memories", []) if m["memory_id"] not in personal]
        return {**call, "result": {**result, "memories": found}}
    if call["name"] == REMEMBER_FACT_TOOL.name:
        wrote = {result.get("memory_id"), result.get("replaced")}
        return None if wrote & personal else call
    return call
