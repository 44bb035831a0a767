"""What the operator's commands (the CLI) need to act in a creator's scope: the creator a
--creator option names (a handle or an id), the creator a fan or a queued action belongs to
(looked up as the admin), and the service role's connection.

The admin sees every creator only as a superuser (the embedded server's); an owner held to the
forced policies of an external server sees nothing here, and the commands take --creator with
the creator's id (a handle is looked up as the admin too).

Also how the commands report failure, one convention for all of them: a handler returns its exit
status (0 on success) or raises UsageError when it was called wrongly (missing or contradicting
options, a malformed option value: exit status 2, as argparse's own errors) or CommandFailed when
it was called right but could not do it (no such row, a model failure, input the domain rejects:
exit status 1). run_command prints either as `fanagent: <message>` on stderr.
"""

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from pgvector.psycopg import register_vector

from auth import creators
from db.connect import DatabaseTarget, creator_scope

CREATOR_OF = {
    "fan": "SELECT creator_id FROM fan_profiles WHERE id = %s",
    "queued action": "SELECT creator_id FROM hitl_action_queue WHERE id = %s",
}


Handler = Callable[[argparse.Namespace], int]


class CommandFailed(Exception):
    """The command could not do what was asked: printed, exit status 1."""


class UsageError(Exception):
    """The command was called wrongly: printed, exit status 2."""


class RowNotFound(LookupError):
    """No such creator, fan or queued action; run_command takes it for a CommandFailed."""


def creator_of(target: DatabaseTarget, what: str, row_id: UUID) -> UUID:
    """The creator of the fan or queued action `row_id` ("fan" or "queued action")."""
    with psycopg.connect(target.admin_url) as admin:
        row = admin.execute(CREATOR_OF[what], [row_id]).fetchone()
    if row is None:
        raise RowNotFound(f"no {what} {row_id} (an admin held to row-level security: --creator)")
    return UUID(str(row[0]))


def add_creator_option(
    parser: argparse.ArgumentParser, help: str = "the creator", *, required: bool = False
) -> None:
    """The --creator option of every command: a handle or an id, resolved by resolve_creator."""
    parser.add_argument("--creator", required=required, metavar="HANDLE|ID", help=help)


def resolve_creator(target: DatabaseTarget, handle_or_id: str) -> UUID:
    """The creator a --creator option names. An id is checked in its own scope as the service
    role (so it works for an admin held to row-level security), a handle is looked up as the
    admin; RowNotFound when there is no such creator."""
    try:
        given = UUID(handle_or_id)
    except ValueError:
        with psycopg.connect(target.admin_url) as admin:
            found = creators.by_handle(admin, handle_or_id)
    else:
        with app_connection(target) as conn, creator_scope(conn, given):
            found = given if creators.in_scope(conn) else None
    if found is None:
        raise RowNotFound(f"no creator with handle or id {handle_or_id}")
    return found


@contextmanager
def app_connection(target: DatabaseTarget) -> Iterator[psycopg.Connection[Any]]:
    """The service's role, pgvector registered, autocommit (each creator_scope is a
    transaction of its own, not a savepoint in a longer one)."""
    with psycopg.connect(target.app_url, autocommit=True) as conn:
        register_vector(conn)
        yield conn


def run_command(
    handler: Handler, args: argparse.Namespace, *, failures: tuple[type[Exception], ...] = ()
) -> int:
    """handler(args), its UsageError (2), CommandFailed or RowNotFound (1), or one of `failures` (1)
    printed as `fanagent: <message>` on stderr; otherwise the status the handler returns."""
    failed: tuple[type[Exception], ...] = (CommandFailed, RowNotFound, *failures)
    try:
        return handler(args)
    except UsageError as error:
        return _report(error, 2)
    except failed as error:
        return _report(error, 1)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (argparse exits 2 on anything else)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _report(error: Exception, status: int) -> int:
    print(f"fanagent: {error}", file=sys.stderr)
    return status
