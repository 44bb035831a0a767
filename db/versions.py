"""The server's PostgreSQL and pgvector versions."""

from dataclasses import dataclass

import psycopg

VERSIONS_SQL = """
SELECT current_setting('server_version'),
       (SELECT extversion FROM pg_extension WHERE extname = 'vector')
"""


@dataclass(frozen=True)
class ServerVersions:
    postgres: str
    pgvector: str | None


def server_versions(url: str) -> ServerVersions:
    with psycopg.connect(url) as conn:
        row = conn.execute(VERSIONS_SQL).fetchone()
    assert row is not None
    return ServerVersions(row[0], row[1])
