"""`fanagent webhooks secret --creator HANDLE|ID --platform P [--rotate]`: the secret a creator
shares with a platform to sign its webhooks.

The secret is printed once, when it is made: it is stored for verification but never shown
again, so a lost one is replaced with --rotate (the old secret stops working at once). Runs as
the application role in the creator's scope.
"""

import argparse
import sys
from typing import Any

from auth.operator import CommandFailed, add_creator_option, app_connection, resolve_creator
from crm.webhooks import store
from crm.webhooks.events import PLATFORMS
from crm.webhooks.signature import new_secret
from db import connect
from db.connect import creator_scope


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    webhooks = subparsers.add_parser("webhooks", help="platform webhooks: signing secrets")
    actions = webhooks.add_subparsers(required=True, metavar="ACTION")
    secret = actions.add_parser(
        "secret",
        help="make a creator's webhook secret for a platform (printed once)",
        description="Makes the secret a platform signs its webhooks to this creator with and "
        "prints it once. With --rotate, replaces the current one (which stops working at once).",
    )
    add_creator_option(secret, required=True)
    secret.add_argument("--platform", choices=PLATFORMS, required=True)
    secret.add_argument(
        "--rotate", action="store_true", help="replace the current secret with a new one"
    )
    secret.set_defaults(handler=make_secret)


def make_secret(args: argparse.Namespace) -> int:
    target = connect.resolve()
    secret = new_secret()
    creator = resolve_creator(target, args.creator)
    with app_connection(target) as conn, creator_scope(conn, creator):
        if args.rotate:
            store.rotate_secret(conn, args.platform, secret)
        elif not store.create_secret(conn, args.platform, secret):
            raise CommandFailed(
                f"creator {args.creator} already has a {args.platform} webhook secret; it is not "
                "shown again: --rotate replaces it"
            )
    print(secret)
    print(
        f"the {args.platform} webhook secret of creator {args.creator}"
        f"{' (rotated: the old one no longer works)' if args.rotate else ''}; shown only now:"
        f" sign with it as X-Fanagent-Signature",
        file=sys.stderr,
    )
    return 0
