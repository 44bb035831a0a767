"""`fanagent personas show | set | reset | check`: a fan's persona from the terminal.

Without --creator, the fan's creator is looked up as the admin (an operator command; an admin
held to row-level security finds no fan, so pass --creator then); every persona read or write
runs as the application role inside that creator's scope.
"""

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from pydantic import ValidationError

from auth.operator import (
    CommandFailed,
    UsageError,
    add_creator_option,
    creator_of,
    resolve_creator,
)
from db import connect
from personas import store
from personas.check import check_draft
from personas.model import EffectivePersona, Persona
from personas.render import render_persona

Connection = psycopg.Connection[Any]
SOURCES = {"fan": "the fan's override", "creator": "the creator's default", "builtin": "built in"}


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    personas = subparsers.add_parser("personas", help="per-fan voice personas")
    actions = personas.add_subparsers(required=True, metavar="ACTION")

    show = actions.add_parser("show", help="the persona that applies, and its prompt text")
    _target_arguments(show)
    show.set_defaults(handler=show_persona)

    set_ = actions.add_parser(
        "set",
        help="save fields (JSON) over the persona that applies now, as the fan's override"
        " (without --fan: as the creator's default)",
    )
    _target_arguments(set_)
    set_.add_argument(
        "fields", type=json.loads, help='JSON object, e.g. \'{"emoji_style": "none"}\''
    )
    set_.set_defaults(handler=set_persona)

    reset = actions.add_parser("reset", help="remove the fan's override (or the creator default)")
    _target_arguments(reset)
    reset.set_defaults(handler=reset_persona)

    check = actions.add_parser("check", help="check a draft against the persona that applies")
    _target_arguments(check)
    check.add_argument("draft")
    check.set_defaults(handler=check_persona)


def _target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fan", type=UUID, help="fan id (without it: the creator's default)")
    add_creator_option(parser, "the creator (default: the fan's)")


def show_persona(args: argparse.Namespace) -> int:
    with _session(args) as (conn, creator, fan):
        effective = _effective(conn, creator, fan)
    _print(effective)
    return 0


def set_persona(args: argparse.Namespace) -> int:
    if not isinstance(args.fields, dict):
        raise UsageError("fields must be a JSON object")
    with _session(args) as (conn, creator, fan):
        current = _effective(conn, creator, fan).persona
        try:
            persona = Persona.model_validate({**current.model_dump(), **args.fields})
        except ValidationError as error:
            raise CommandFailed(f"invalid persona: {error}") from error
        if fan is None:
            store.save_creator_default(conn, creator, persona)
        else:
            try:
                store.save_fan_persona(conn, creator, fan, persona)
            except store.UnknownFan as error:
                raise CommandFailed(str(error)) from error
        effective = _effective(conn, creator, fan)
    _print(effective)
    return 0


def reset_persona(args: argparse.Namespace) -> int:
    with _session(args) as (conn, creator, fan):
        removed = store.delete_persona(conn, creator, fan)
    print("removed" if removed else "nothing to remove")
    return 0


def check_persona(args: argparse.Namespace) -> int:
    with _session(args) as (conn, creator, fan):
        effective = _effective(conn, creator, fan)
    violations = check_draft(args.draft, effective.persona)
    for violation in violations:
        print(f"{violation.rule}: {violation.detail} (fix: {violation.hint})")
    if not violations:
        print("the draft follows the persona")
    return 1 if violations else 0


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[tuple[Connection, UUID, UUID | None]]:
    """The app connection, the creator and the fan (None: the creator's default) of a command."""
    target = connect.resolve()
    fan: UUID | None = args.fan
    if args.creator is not None:
        creator = resolve_creator(target, args.creator)
    elif fan is not None:
        creator = creator_of(target, "fan", fan)
    else:
        raise UsageError("give --fan, --creator or both")
    with psycopg.connect(target.app_url) as conn:
        yield conn, creator, fan


def _effective(conn: Connection, creator: UUID, fan: UUID | None) -> EffectivePersona:
    if fan is None:
        return store.creator_default(conn, creator)
    return store.effective_persona(conn, creator, fan)


def _print(effective: EffectivePersona) -> None:
    where = SOURCES[effective.source] + (f" ({effective.id})" if effective.id else "")
    print(f"persona: {where}")
    print(json.dumps(effective.persona.model_dump(mode="json"), indent=2))
    print("prompt text:")
    print(render_persona(effective.persona))
