"""What the operator's commands (the CLI) need to act in a creator's scope: the creator a fan or
a queued action belongs to (looked up as the admin), and the service role's connection.

The admin sees every creator only as a superuser (the embedded server's); an owner held to the
forced policies of an external server sees nothing here, and the commands take --creator.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from pgvector.psycopg import register_vector

from db.connect import DatabaseTarget

CREATOR_OF = {
    "fan": "SELECT creator_id FROM fan_profiles WHERE id = %s",
    "queued action": "SELECT creator_id FROM hitl_action_queue WHERE id = %s",
}


class NotFound(LookupError):
    pass


def creator_of(target: DatabaseTarget, what: str, row_id: UUID) -> UUID:
    """The creator of the fan or queued action `row_id` ("fan" or "queued action")."""
    with psycopg.connect(target.admin_url) as admin:
        row = admin.execute(CREATOR_OF[what], [row_id]).fetchone()
    if row is None:
        raise NotFound(f"no {what} {row_id} (an admin held to row-level security: --creator)")
    return UUID(str(row[0]))


@contextmanager
def app_connection(target: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    """The service's role, pgvector registered, autocommit (each creator_scope is a
    transaction of its own, not a savepoint in a longer one)."""
    with psycopg.connect(target.app_url, autocommit=True) as conn:
        register_vector(conn)
        yield conn
