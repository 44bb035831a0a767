"""Throwaway databases on the real test server: the embedded one under .data/test-pg, or the
server of FANAGENT_TEST_DATABASE_URL (its admin URL) when that is set."""

from collections.abc import Iterator
from contextlib import contextmanager

from db import scratch
from db.connect import DatabaseTarget


def maintenance_url() -> str:
    return scratch.server_url("FANAGENT_TEST_DATABASE_URL", "test-pg")


@contextmanager
def fresh_database(prefix: str = "test") -> Iterator[DatabaseTarget]:
    """An empty database, dropped afterwards; the target's URLs point into it."""
    with scratch.scratch_database(maintenance_url(), prefix) as target:
        yield target
