"""CLI: `fanagent creators list`, `fanagent users add`, `fanagent keys create | revoke | demo`
(as the admin)."""

import argparse
import sys
from typing import Any

import psycopg

from auth.creators import every_creator
from auth.keys import UnknownUser, add_user, create_key, revoke_key
from auth.operator import CommandFailed, UsageError, add_creator_option, resolve_creator
from db import connect
from db.connect import DatabaseTarget
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
    creators = subparsers.add_parser("creators", help="the creators (admin)")
    creator_actions = creators.add_subparsers(required=True, metavar="ACTION")
    creator_actions.add_parser(
        "list", help="every creator: id, handle, display name and fans"
    ).set_defaults(handler=_list_creators)

    users = subparsers.add_parser("users", help="people who use the API (admin)")
    user_actions = users.add_subparsers(required=True, metavar="ACTION")
    add = user_actions.add_parser("add", help="add a user, or assign one to another creator")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add_creator_option(add, required=True)
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


def _admin(target: DatabaseTarget | None = None) -> "psycopg.Connection[Any]":
    return psycopg.connect((target or connect.resolve()).admin_url, autocommit=True)


def _list_creators(_: argparse.Namespace) -> int:
    with _admin() as admin:
        found = every_creator(admin)
    for creator in found:
        print(f"{creator.id}  {creator.handle:<24} {creator.display_name}  ({creator.fans} fans)")
    if not found:
        print(
            "no creators (`fanagent seed` loads demo data; an admin held to row-level security"
            " sees none)"
        )
    return 0


def _add_user(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = resolve_creator(target, args.creator)
    with _admin(target) as admin:
        try:
            user = add_user(admin, args.email, args.name, creator, args.role)
        except psycopg.errors.CheckViolation as error:
            raise UsageError(f"{args.email!r} is not an email address") from error
    print(f"user {user} ({args.email}) is {args.role} of creator {creator}")
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
