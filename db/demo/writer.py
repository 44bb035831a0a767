"""Writing `Rows` into PostgreSQL with COPY, in foreign-key order.

PostgreSQL refuses COPY FROM into a table whose row-level security applies to the current role
("COPY FROM not supported with row-level security"): that is the case for an admin that owns the
tables without being a superuser, since every creator-owned table forces row-level security.
For such tables the rows are copied into a temporary table of the same shape and moved with
INSERT ... SELECT, which the policy checks row by row. A superuser copies directly.
"""

from collections import Counter
from typing import Any

import psycopg
from psycopg import sql

from db.demo.rows import Rows, columns


class RowWriter:
    """Copies rows over one connection, inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._staged: dict[str, bool] = {}  # table -> copied through a temporary table

    def write(self, rows: Rows, counts: Counter[str]) -> None:
        """Copies every non-empty table of `rows`; adds the row counts to `counts`."""
        for table, table_rows in rows.tables():
            if table_rows:
                self._write_table(table, table_rows)
                counts[table] += len(table_rows)

    def _write_table(self, table: str, rows: list[Any]) -> None:
        names = sql.SQL(", ").join(map(sql.Identifier, columns(table)))
        target = sql.Identifier(table)
        if not self._needs_staging(table):
            self._copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, names), rows)
            return
        stage = sql.Identifier(f"demo_stage_{table}")
        like = sql.SQL("CREATE TEMPORARY TABLE IF NOT EXISTS {} (LIKE {} INCLUDING GENERATED)")
        self._conn.execute(like.format(stage, target))
        self._copy(sql.SQL("COPY {} ({}) FROM STDIN").format(stage, names), rows)
        self._conn.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(target, names, names, stage)
        )
        self._conn.execute(sql.SQL("TRUNCATE {}").format(stage))

    def _copy(self, statement: sql.Composed, rows: list[Any]) -> None:
        with self._conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def _needs_staging(self, table: str) -> bool:
        if table not in self._staged:
            row = self._conn.execute("SELECT row_security_active(%s)", [table]).fetchone()
            self._staged[table] = bool(row and row[0])
        return self._staged[table]
