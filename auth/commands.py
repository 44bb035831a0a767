"""CLI: `fanagent users add`, `fanagent keys create | revoke | demo` (as the admin)."""

import argparse
import sys
from typing import Any
from uuid import UUID

import psycopg

from auth.keys import UnknownUser, add_user, create_key, revoke_key
from auth.operator import CommandFailed, UsageError
from db import connect
from db.demo.creators import CHATTER_EMAIL

# Well-known keys of the demo data, so the README's curl works after `make run`. Demo only:
# `fanagent keys revoke fa_demo_ow` (and fa_demo_ch) before real data goes in.
DEMO_KEYS = {"owner": "fa_demo_owner_key", "chatter": "fa_demo_chatter_key"}
FIRST_DEMO_OWNER = """
SELECT u.email FROM creator_profiles c
JOIN creator_assignments a ON a.creator_id = c.creator_id AND a.role = 'owner'
JOIN users u ON u.id = a.user_id
ORDER BY c.created_at, c.handle LIMIT 1
"""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    users = subparsers.add_parser("users", help="people who use the API (admin)")
    user_actions = users.add_subparsers(required=True, metavar="ACTION")
    add = user_actions.add_parser("add", help="add a user, or assign one to another creator")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--creator", type=UUID, required=True)
    add.add_argument("--role", choices=["owner", "manager", "chatter"], required=True)
    add.set_defaults(handler=_add_user)

    keys = subparsers.add_parser("keys", help="API keys (admin)")
    key_actions = keys.add_subparsers(required=True, metavar="ACTION")
    create = key_actions.add_parser("create", help="a new key for a user, shown once")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="api", help="what the key is for")
    create.set_defaults(handler=_create_key)
    revoke = key_actions.add_parser("revoke", help="revoke keys by their shown prefix")
    revoke.add_argument("prefix")
    revoke.set_defaults(handler=_revoke)
    demo = key_actions.add_parser("demo", help="the demo data's well-known keys (demo only)")
    demo.set_defaults(handler=_demo_keys)


def _admin() -> "psycopg.Connection[Any]":
    return psycopg.connect(connect.resolve().admin_url, autocommit=True)


def _add_user(args: argparse.Namespace) -> int:
    with _admin() as admin:
        try:
            user = add_user(admin, args.email, args.name, args.creator, args.role)
        except psycopg.errors.ForeignKeyViolation as error:
            raise CommandFailed(f"no creator {args.creator}") from error
        except psycopg.errors.CheckViolation as error:
            raise UsageError(f"{args.email!r} is not an email address") from error
    print(f"user {user} ({args.email}) is {args.role} of creator {args.creator}")
    return 0


def _create_key(args: argparse.Namespace) -> int:
    with _admin() as admin:
        try:
            key = create_key(admin, args.email, args.name)
        except UnknownUser as error:
            raise CommandFailed(str(error)) from error
    print(key)
    print("(shown once: only its digest is stored)", file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with _admin() as admin:
        print(f"revoked {revoke_key(admin, args.prefix)} key(s)")
    return 0


def _demo_keys(_: argparse.Namespace) -> int:
    with _admin() as admin:
        row = admin.execute(FIRST_DEMO_OWNER).fetchone()
        if row is None:
            raise CommandFailed("no demo data: run `fanagent seed` first")
        try:
            create_key(admin, row[0], "demo", DEMO_KEYS["owner"])
            create_key(admin, CHATTER_EMAIL, "demo", DEMO_KEYS["chatter"])
        except UnknownUser as error:
            raise CommandFailed(str(error)) from error
    print(f"demo owner key ({row[0]}): {DEMO_KEYS['owner']}")
    print(f"demo chatter key ({CHATTER_EMAIL}): {DEMO_KEYS['chatter']}")
    return 0
