"""The embedded server's own settings: applied when it starts, then left alone."""

import os

import psycopg
import pytest

from db import embedded
from tests.pg import maintenance_url


@pytest.mark.skipif(
    "FANAGENT_TEST_DATABASE_URL" in os.environ, reason="an external server keeps its own settings"
)
def test_the_embedded_server_runs_with_our_shared_buffers_and_needs_no_second_restart() -> None:
    url = maintenance_url()
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SHOW shared_buffers").fetchone() == (embedded.SHARED_BUFFERS,)
        assert embedded.configure(conn) is False  # already set: start() will not restart it
