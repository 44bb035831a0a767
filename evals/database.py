"""The throwaway database of an eval run: created and migrated on a server, dropped afterwards.

The server is FANAGENT_EVALS_DATABASE_URL (the admin URL of any PostgreSQL with pgvector where
this user may create databases) or else an embedded server of its own under the data directory
(.data/evals-pg), so an eval run never touches the development database. Every case gets its own
creator in the run's database; row-level security keeps them apart, as in production.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from db import scratch
from db.connect import DatabaseTarget

SERVER_ENV = "FANAGENT_EVALS_DATABASE_URL"


@contextmanager
def run_database(server: str | None = None) -> Iterator[DatabaseTarget]:
    """A new, migrated database for one run; dropped when the block ends."""
    base = server or scratch.server_url(SERVER_ENV, "evals-pg")
    with scratch.scratch_database(base, "evals", migrated=True) as target:
        yield target
