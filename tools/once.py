"""Executing an approved action again finds the row it wrote instead of writing another.

A row written for an approved queue item carries its id (ctx.action_id) in a unique
hitl_action_id column; the insert skips on that conflict, and the earlier row is read back.
Without an action id (an ungated write) every run inserts.
"""

from typing import Any

import psycopg
from psycopg.abc import QueryNoTemplate

from db.rows import fetch_one


def insert_once(
    conn: psycopg.Connection[Any],
    insert: QueryNoTemplate,
    written: QueryNoTemplate,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The row `insert` returns (it ends ON CONFLICT (hitl_action_id) DO NOTHING RETURNING ...),
    or, when this action already wrote one, that row as `written` selects it by
    %(action_id)s."""
    row = fetch_one(conn, insert, params) or fetch_one(conn, written, params)
    assert row is not None, "a conflict on hitl_action_id leaves that action's row"
    return row
