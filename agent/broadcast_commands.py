"""`fanagent templates` and `fanagent broadcasts`: message templates and broadcasts from the
command line, as the operator (an approval from here names no user). Each runs as the
application role in the --creator's scope; what the API answers with a 4xx fails the command."""

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from pydantic import ValidationError

from agent.broadcasts import (
    BroadcastCreate,
    BroadcastDecided,
    InvalidBroadcast,
    create_broadcast,
    decide_broadcast,
)
from auth.operator import CommandFailed, add_creator_option, app_connection, resolve_creator
from crm.broadcasts.dry_run import dry_run_broadcast
from crm.broadcasts.store import Broadcast, BroadcastNotFound, get_broadcast, list_broadcasts
from crm.intelligence.errors import NotFound
from crm.templates.render import UnknownVariable
from crm.templates.store import (
    TemplateCreate,
    TemplateError,
    TemplateNotFound,
    create_template,
    list_templates,
)
from db import connect
from db.connect import creator_scope

FAILURES = (
    ValidationError,
    UnknownVariable,
    TemplateError,
    TemplateNotFound,
    NotFound,
    InvalidBroadcast,
    BroadcastDecided,
    BroadcastNotFound,
)


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    templates = subparsers.add_parser("templates", help="message templates: list, create")
    template_actions = templates.add_subparsers(required=True, metavar="ACTION")
    listing = template_actions.add_parser("list", help="the creator's templates")
    add_creator_option(listing, required=True)
    listing.set_defaults(handler=_templates_list)
    create = template_actions.add_parser(
        "create", help="a template: {fan_name} {memory} {media_title} {media_price}"
    )
    add_creator_option(create, required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--body", required=True)
    create.add_argument("--tone", choices=["playful", "assertive", "romantic", "direct"])
    create.add_argument(
        "--variant", action="append", default=[], metavar="PLATFORM=BODY", help="repeatable"
    )
    create.set_defaults(handler=_templates_create)

    broadcasts = subparsers.add_parser(
        "broadcasts", help="broadcasts to a segment: list, create, dry-run, approve, reject, show"
    )
    actions = broadcasts.add_subparsers(required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the creator's broadcasts with their counters")
    add_creator_option(listing, required=True)
    listing.set_defaults(handler=_list)
    create = actions.add_parser("create", help="a broadcast awaiting its approval")
    add_creator_option(create, required=True)
    create.add_argument(
        "--json", required=True, help='BroadcastCreate: {"name", "template_id", "segment_id", ...}'
    )
    create.set_defaults(handler=_create)
    for name, handler, text in (
        ("show", _show, "a broadcast and its counters"),
        ("dry-run", _dry_run, "the count, exclusions and 5 sample messages; nothing written"),
        ("approve", _approve, "the one approval: a job worker sends it"),
        ("reject", _reject, "refuse it"),
    ):
        action = actions.add_parser(name, help=text)
        add_creator_option(action, required=True)
        action.add_argument("broadcast", type=UUID)
        if name == "reject":
            action.add_argument("--reason", required=True)
        action.set_defaults(handler=handler)


@contextmanager
def _scope(handle_or_id: str) -> Iterator[psycopg.Connection[Any]]:
    target = connect.resolve()
    creator = resolve_creator(target, handle_or_id)
    try:
        with app_connection(target) as conn, creator_scope(conn, creator):
            yield conn
    except FAILURES as error:
        raise CommandFailed(str(error)) from error


def _print(broadcast: Broadcast) -> None:
    print(json.dumps(broadcast.model_dump(mode="json"), indent=2))


def _templates_list(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        for template in list_templates(conn):
            print(f"{template.id}  {template.name}  {template.body}")
    return 0


def _templates_create(args: argparse.Namespace) -> int:
    variants = dict(variant.partition("=")[::2] for variant in args.variant)
    with _scope(args.creator) as conn:
        new = TemplateCreate(
            name=args.name, body=args.body, tone=args.tone, platform_variants=variants
        )
        template = create_template(conn, new)
    print(f"{template.id}  {template.name}  variables: {', '.join(template.variables)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        for b in list_broadcasts(conn, 200):
            print(f"{b.id}  {b.status:<17} {b.name}  queued {b.queued}/{b.recipients}")
    return 0


def _create(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        _print(create_broadcast(conn, BroadcastCreate.model_validate_json(args.json), None))
    return 0


def _show(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        _print(get_broadcast(conn, args.broadcast))
    return 0


def _dry_run(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        run = dry_run_broadcast(conn, args.broadcast, datetime.now(UTC))
    print(
        f"recipients {run.recipients}, would queue {run.would_queue}, blocked {run.blocked},"
        f" skipped {run.skipped}, excluded {json.dumps(run.excluded)}"
    )
    for sample in run.samples:
        print(
            f"  [{sample.status}] {sample.fan_name}: {sample.body}"
            + (f"  ({sample.reason})" if sample.reason else "")
        )
    return 0


def _approve(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        _print(decide_broadcast(conn, args.broadcast, "approved", None))
    return 0


def _reject(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        _print(decide_broadcast(conn, args.broadcast, "rejected", None, args.reason))
    return 0
