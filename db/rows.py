"""Query results as the JSON-ready dicts tools return: UUIDs and datetimes as strings,
numerics as floats."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg.abc import Params, QueryNoTemplate
from psycopg.rows import dict_row


def jsonable(value: Any) -> Any:
    """`value` with every UUID, Decimal, date and datetime in it made JSON-serialisable."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def fetch_all(
    conn: psycopg.Connection[Any], query: QueryNoTemplate, params: Params
) -> list[dict[str, Any]]:
    """Every row of `query`, each as a JSON-ready dict keyed by column name."""
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(query, params)
        return [jsonable(row) for row in cursor]


def fetch_one(
    conn: psycopg.Connection[Any], query: QueryNoTemplate, params: Params
) -> dict[str, Any] | None:
    """The first row of `query` as a JSON-ready dict, or None."""
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute(query, params).fetchone()
    return None if row is None else jsonable(row)
