"""What a template may say about a fan, read from that fan's rows only: the display name, the
platform (which variant), the most important current memory that is not personal (a chatter
never sees a personal memory, so a message never carries one either). `FAN_VALUES` are columns
over fan_profiles aliased `p`, for any query that renders for many fans at once."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

FAN_VALUES = sql.SQL("""
    p.display_name AS fan_name,
    (SELECT a.platform FROM fan_platform_accounts a
     WHERE a.fan_id = p.id ORDER BY a.created_at, a.id LIMIT 1) AS platform,
    (SELECT m.body FROM fan_memories m
     WHERE m.fan_id = p.id AND m.superseded_by IS NULL AND NOT m.personal
       AND (m.expires_at IS NULL OR m.expires_at > %(now)s)
     ORDER BY m.importance DESC, m.created_at DESC, m.id LIMIT 1) AS memory
""")
ONE_FAN = sql.SQL("SELECT {values} FROM fan_profiles p WHERE p.id = %(fan_id)s").format(
    values=FAN_VALUES
)
MANY_FANS = sql.SQL(
    "SELECT p.id AS fan_id, {values} FROM fan_profiles p WHERE p.id = ANY(%(fan_ids)s::uuid[])"
).format(values=FAN_VALUES)


class FanNotFound(LookupError):
    """No fan with that id for this creator."""


def fan_values(conn: psycopg.Connection[Any], fan_id: UUID, now: datetime) -> dict[str, Any]:
    """The fan's fan_name, platform and memory (None when it has none)."""
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(ONE_FAN, {"fan_id": fan_id, "now": now}).fetchone()
    if row is None:
        raise FanNotFound(f"no fan {fan_id}")
    return row


def fans_values(
    conn: psycopg.Connection[Any], fan_ids: Sequence[UUID], now: datetime
) -> dict[UUID, dict[str, Any]]:
    """Each fan's own values (as `fan_values`), in one statement; a fan not found is absent."""
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(MANY_FANS, {"fan_ids": list(fan_ids), "now": now}).fetchall()
    return {row["fan_id"]: row for row in rows}
