"""search_fan_memories and remember_fact over memory/, with the local MiniLM: the fan's facts,
most relevant first; a new fact remembered once, a changed one replacing the old."""

import functools
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from db.connect import creator_scope
from memory.embedders import LocalEmbedder
from tests.tools.world import Creator, call
from tools.base import RunContext, ToolError


@pytest.fixture
def ctx(creator_a: Creator, embedder: LocalEmbedder) -> Callable[..., RunContext]:
    """Creator A's run contexts, embedding with the session's MiniLM as the agent's do."""
    return functools.partial(creator_a.ctx, embedder=embedder)


def test_remembered_facts_are_found_by_meaning_for_this_fan_only(
    conn: psycopg.Connection[Any], creator_a: Creator, ctx: Callable[..., RunContext]
) -> None:
    call(
        conn,
        ctx(),
        "remember_fact",
        kind="personal_detail",
        fact="Has a golden retriever named Biscuit",
        subject="pet:dog",
    )
    call(
        conn,
        ctx(),
        "remember_fact",
        kind="key_date",
        fact="Birthday is March 14",
        subject="birthday",
    )
    call(
        conn,
        ctx(fan_id=creator_a.other_fan, message_id=None),
        "remember_fact",
        kind="personal_detail",
        fact="Has a cat named Luna",
    )
    found = call(conn, ctx(), "search_fan_memories", query="his dog")["memories"]
    assert [m["fact"] for m in found] == [
        "Has a golden retriever named Biscuit",
        "Birthday is March 14",
    ]
    assert found[0]["score"] > found[1]["score"]
    assert (found[0]["kind"], found[0]["subject"]) == ("personal_detail", "pet:dog")
    limited = call(conn, ctx(), "search_fan_memories", query="dog", limit=1)
    assert [m["fact"] for m in limited["memories"]] == ["Has a golden retriever named Biscuit"]


def test_remember_fact_skips_a_duplicate_and_supersedes_a_changed_fact(
    conn: psycopg.Connection[Any], creator_a: Creator, ctx: Callable[..., RunContext]
) -> None:
    run = ctx()
    added = call(
        conn, run, "remember_fact", kind="personal_detail", fact="Lives in Columbus", subject="city"
    )
    duplicate = call(
        conn, run, "remember_fact", kind="personal_detail", fact="Lives in Columbus", subject="city"
    )
    moved = call(
        conn, run, "remember_fact", kind="personal_detail", fact="Moved to Denver", subject="city"
    )
    assert (added["outcome"], added["replaced"]) == ("added", None)
    assert duplicate == {**added, "outcome": "duplicate"}
    assert (moved["outcome"], moved["replaced"]) == ("superseded", added["memory_id"])
    found = call(conn, run, "search_fan_memories", query="where does he live")["memories"]
    assert [m["fact"] for m in found] == ["Moved to Denver"]


def test_a_remembered_fact_points_at_the_message_it_came_from(
    conn: psycopg.Connection[Any], creator_a: Creator, ctx: Callable[..., RunContext]
) -> None:
    done = call(conn, ctx(), "remember_fact", kind="preference", fact="Loves beach sets")
    with creator_scope(conn, creator_a.id):
        row = conn.execute(
            "SELECT source_message_id FROM fan_memories WHERE id = %s", [done["memory_id"]]
        ).fetchone()
    assert row == (creator_a.inbound,)


def test_a_run_without_an_embedder_cannot_search_or_remember(
    conn: psycopg.Connection[Any], creator_a: Creator
) -> None:
    with pytest.raises(ToolError, match="no embedder"):
        call(conn, creator_a.ctx(), "search_fan_memories", query="dog")
    with pytest.raises(ToolError, match="no embedder"):
        call(conn, creator_a.ctx(), "remember_fact", kind="preference", fact="Loves beach sets")
