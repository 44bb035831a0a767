"""`fanagent rules list|show|create|pause|resume|run|history`: the automation rules from the
command line, as the application role in the creator's scope. `create` takes the rule as JSON
(the body of POST /v1/automations/rules); `run` evaluates a rule now, as the worker does every
minute; `history` prints a rule's runs, or with --run what one run did per fan."""

import argparse
import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from pydantic import ValidationError

from agent.automations import evaluate_rule
from agent.runtime import open_service
from auth.operator import (
    CommandFailed,
    UsageError,
    add_creator_option,
    app_connection,
    resolve_creator,
)
from crm.automations.history import run_actions, runs
from crm.automations.model import Rule, RuleCreate
from crm.automations.store import SegmentNotFound, create_rule, get_rule, list_rules, set_paused
from crm.intelligence.errors import InvalidRequest, NotFound
from crm.templates.store import TemplateNotFound
from db import connect
from db.connect import creator_scope


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    rules = subparsers.add_parser("rules", help="automation rules: list, create, pause, run")
    actions = rules.add_subparsers(required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the creator's rules")
    add_creator_option(listing, required=True)
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", help="a rule as JSON")
    create = actions.add_parser("create", help="a new rule from JSON (see the API's schema)")
    create.add_argument("rule", help="the rule as JSON, or @FILE")
    pause = actions.add_parser("pause", help="stop a rule until resumed")
    resume = actions.add_parser("resume", help="let a paused rule run again")
    run = actions.add_parser("run", help="evaluate a rule now, as the worker does every minute")
    history = actions.add_parser("history", help="a rule's runs, newest first")
    history.add_argument("--run", type=UUID, help="what this run did per fan instead")
    history.add_argument("--limit", type=int, default=20)
    for parser in (show, pause, resume, run, history):
        parser.add_argument("id", type=UUID, help="the rule's id")
    for parser, handler in (
        (show, _show),
        (create, _create),
        (pause, _pause),
        (resume, _resume),
        (run, _run),
        (history, _history),
    ):
        add_creator_option(parser, required=True)
        parser.set_defaults(handler=handler)


@contextmanager
def _scope(handle_or_id: str) -> Iterator[psycopg.Connection[Any]]:
    target = connect.resolve()
    creator = resolve_creator(target, handle_or_id)
    try:
        with app_connection(target) as conn, creator_scope(conn, creator):
            yield conn
    except NotFound as error:
        raise CommandFailed(str(error)) from error


def _line(rule: Rule) -> str:
    state = "paused" if rule.paused else "active"
    steps = " -> ".join(action.kind for action in rule.actions)
    return f"{rule.id}  {rule.name}  ({rule.trigger.kind}; {steps}; {state})"


def _list(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        for rule in list_rules(conn):
            print(_line(rule))
    return 0


def _show(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        print(get_rule(conn, args.id).model_dump_json(indent=2))
    return 0


def _create(args: argparse.Namespace) -> int:
    text = args.rule
    if text.startswith("@"):
        with open(text[1:]) as file:
            text = file.read()
    try:
        new = RuleCreate.model_validate_json(text)
    except ValidationError as error:
        raise UsageError(f"not a valid rule: {error}") from error
    try:
        with _scope(args.creator) as conn:
            print(_line(create_rule(conn, new)))
    except (InvalidRequest, TemplateNotFound, SegmentNotFound) as error:
        raise CommandFailed(str(error)) from error
    return 0


def _pause(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        print(_line(set_paused(conn, args.id, True)))
    return 0


def _resume(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        print(_line(set_paused(conn, args.id, False)))
    return 0


def _run(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = resolve_creator(target, args.creator)
    with _scope(args.creator) as conn:
        rule = get_rule(conn, args.id)
    if rule.paused:
        raise CommandFailed(f"the rule {rule.name!r} is paused: resume it first")

    async def main() -> str:
        async with open_service(target) as service:
            summary = await asyncio.to_thread(
                evaluate_rule, service.deps, creator, rule, service.deps.clock(), triggered_by="cli"
            )
        return (
            f"run {summary.run_id}: {summary.outcome}, fired for {summary.fired} fan(s),"
            f" {len(summary.auto_approved)} action(s) auto-approved"
        )

    print(asyncio.run(main()))
    return 0


def _history(args: argparse.Namespace) -> int:
    with _scope(args.creator) as conn:
        if args.run is not None:
            for done in run_actions(conn, args.run, limit=args.limit):
                why = json.dumps(done.detail, sort_keys=True)
                print(f"{done.display_name}  {done.action}  {done.outcome}  {why}")
            return 0
        for run in runs(conn, args.id, limit=args.limit):
            print(
                f"{run.id}  {run.started_at:%Y-%m-%d %H:%M:%S}  {run.triggered_by}  {run.outcome}"
                f"  fired {run.matched_fan_count}  {json.dumps(run.detail, sort_keys=True)}"
            )
    return 0
