"""Reading a fan's custom content requests (fan_custom_requests): what the agent's tools read of
one (tools/customs.py, which also records and decides them), and for the team (the dossier, the
HTTP API) the decision's details besides."""

from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from db.rows import fetch_all

REQUEST_COLUMNS = (
    "id AS request_id, description, status, proposed_price, agreed_price, deadline, created_at"
)
DETAIL_COLUMNS = (
    "id, description, status, proposed_price, agreed_price, deadline, decline_reason, media_id,"
    " payout, created_at, decided_at, fulfilled_at"
)
LIST_REQUESTS = """
SELECT {columns} FROM fan_custom_requests
WHERE fan_id = %(fan_id)s AND (%(status)s::text IS NULL OR status = %(status)s)
ORDER BY created_at DESC, id
LIMIT %(limit)s
"""


def custom_requests(
    conn: psycopg.Connection[Any],
    fan_id: UUID,
    *,
    status: str | None = None,
    limit: int | None = None,
    detail: bool = False,
) -> list[dict[str, Any]]:
    """The fan's requests (of `status`), newest first; `limit` None is all of them. `detail`:
    the team's columns (DETAIL_COLUMNS), else the agent's (REQUEST_COLUMNS)."""
    columns = sql.SQL(DETAIL_COLUMNS if detail else REQUEST_COLUMNS)
    query = sql.SQL(LIST_REQUESTS).format(columns=columns)
    return fetch_all(conn, query, {"fan_id": fan_id, "status": status, "limit": limit})
