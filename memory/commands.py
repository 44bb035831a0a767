"""`fanagent memories ...`: search, list, add, extract and backfill a fan's memories.

Reads and writes go through the application role in the creator's scope. Without --creator the
creator is looked up as the admin (the fan's, or every creator with memories to embed): that
sees every creator when the admin is a superuser (the embedded server); an admin that only owns
the tables is held to row-level security and finds none, so pass --creator then.
"""

import argparse
from typing import Any
from uuid import UUID

import psycopg

from auth.operator import (
    CommandFailed,
    UsageError,
    add_creator_option,
    app_connection,
    creator_of,
    positive_int,
    resolve_creator,
)
from db import connect
from db.connect import DatabaseTarget, creator_scope
from memory import backfill, search, store
from memory.embedders import EmbeddingError, build_embedder
from memory.extract import extract_facts
from memory.remember import remember
from memory.settings import MemorySettings
from memory.types import MEMORY_KINDS, Fact, Memory


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    memories = subparsers.add_parser("memories", help="fan memory: search, list, add, extract")
    actions = memories.add_subparsers(required=True, metavar="ACTION")

    find = actions.add_parser(
        "search", help="a fan's memories for a query (--fan), or the fans who mentioned it"
    )
    _scope_arguments(find, fan_required=False)
    find.add_argument("query", help='what to look for, e.g. "trip"')
    find.add_argument("--limit", type=positive_int, default=10)
    find.set_defaults(handler=_search)

    listing = actions.add_parser("list", help="a fan's current memories")
    _scope_arguments(listing, fan_required=True)
    listing.add_argument("--history", action="store_true", help="with the versions they replaced")
    listing.set_defaults(handler=_list)

    add = actions.add_parser("add", help="remember a fact (de-duplicated, supersedes by subject)")
    _scope_arguments(add, fan_required=True)
    add.add_argument("--kind", choices=MEMORY_KINDS, required=True)
    add.add_argument("--subject", help="what the fact is about, e.g. city; replaces the old one")
    add.add_argument(
        "--importance", type=_unit_float, default=None, help="default: the kind's (0.4 to 0.8)"
    )
    add.add_argument("--confidence", type=_unit_float, default=1.0)
    add.add_argument("body", help='the fact in the third person, e.g. "Has a dog named Max"')
    add.set_defaults(handler=_add)

    extract = actions.add_parser("extract", help="the facts in a fan message, remembered")
    _scope_arguments(extract, fan_required=True)
    extract.add_argument("--message-id", type=UUID, help="the fan_messages row it came from")
    extract.add_argument("--dry-run", action="store_true", help="print the facts, store nothing")
    extract.add_argument("text", help="what the fan wrote")
    extract.set_defaults(handler=_extract)

    missing = actions.add_parser(
        "embed-missing",
        help="embed the memories written without a vector before every write had one",
    )
    add_creator_option(missing, "only this creator's (default: all)")
    missing.add_argument("--batch-size", type=positive_int, default=backfill.BATCH_SIZE)
    missing.set_defaults(handler=_embed_missing)


def _search(args: argparse.Namespace) -> int:
    if args.fan is None and args.creator is None:
        raise UsageError("give --fan (that fan's memories) or --creator (across their fans)")
    target = connect.resolve()
    creator = _creator(args, target)
    settings = MemorySettings()
    try:
        query = build_embedder().embed([args.query])[0]
    except EmbeddingError as error:
        raise CommandFailed(str(error)) from error
    with app_connection(target) as conn, creator_scope(conn, creator):
        if args.fan is not None:
            ranked = search.within_fan(
                conn, args.fan, query, settings, text=args.query, limit=args.limit
            )
            for hit in ranked:
                print(f"{hit.score:.3f}  sim {hit.similarity:.3f}  {_line(hit.memory)}")
            found = len(ranked)
        else:
            matches = search.across_fans(conn, query, settings, limit=args.limit)
            for match in matches:
                print(f"fan {match.fan_id}  sim {match.similarity:.3f}  {_line(match.memory)}")
            found = len(matches)
    if not found:
        print("no matching memories")
    return 0


def _list(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = _creator(args, target)
    with app_connection(target) as conn, creator_scope(conn, creator):
        memories = store.list_current(conn, args.fan)
        for memory in memories:
            print(_line(memory))
            if args.history:
                for older in reversed(store.history(conn, memory.id)[:-1]):
                    print(f"    replaced: {_line(older)}")
    if not memories:
        print(f"fan {args.fan} has no memories")
    return 0


def _add(args: argparse.Namespace) -> int:
    try:
        fact = Fact(args.kind, args.body, args.subject, args.confidence, args.importance)
    except ValueError as error:
        raise CommandFailed(str(error)) from error
    _remember(args, [fact])
    return 0


def _extract(args: argparse.Namespace) -> int:
    facts = extract_facts(args.text, source_message_id=args.message_id)
    if not facts:
        print("no facts found")
        return 0
    if args.dry_run:
        for fact in facts:
            print(f"{fact.kind:<17}  {fact.body}  (subject {fact.subject}, {fact.confidence:.2f})")
        return 0
    _remember(args, facts)
    return 0


def _remember(args: argparse.Namespace, facts: list[Fact]) -> None:
    target = connect.resolve()
    creator = _creator(args, target)
    try:
        embedder = build_embedder()
        with app_connection(target) as conn, creator_scope(conn, creator):
            outcomes = remember(conn, embedder, args.fan, facts, MemorySettings())
    except psycopg.errors.ForeignKeyViolation as error:  # not this creator's fan or message
        missing = (
            f"fan {args.fan}"
            if "fan_profiles" in (error.diag.message_detail or "")
            else f"message {args.message_id}"
        )
        raise CommandFailed(f"creator {creator} has no {missing}") from error
    except EmbeddingError as error:
        raise CommandFailed(str(error)) from error
    for outcome in outcomes:
        print(f"{outcome.outcome:<10}  {_line(outcome.memory)}")
        if outcome.replaced is not None:
            print(f"    replaced: {_line(outcome.replaced)}")


def _embed_missing(args: argparse.Namespace) -> int:
    target = connect.resolve()
    if args.creator is not None:
        creators = [resolve_creator(target, args.creator)]
    else:
        creators = backfill.creators_missing_embeddings(target.admin_url)
    try:
        done = backfill.embed_missing(target, build_embedder, creators, batch_size=args.batch_size)
    except EmbeddingError as error:
        raise CommandFailed(str(error)) from error
    for creator, count in done.items():
        print(f"creator {creator}: embedded {count} memories")
    if backfill.validate(target.admin_url):
        print("every memory has its embedding")
    else:
        print("some memories still have no embedding (other creators': pass --creator)")
    return 0


def _creator(args: argparse.Namespace, target: DatabaseTarget) -> UUID:
    if args.creator is not None:
        return resolve_creator(target, args.creator)
    return creator_of(target, "fan", args.fan)


def _line(memory: Memory) -> str:
    subject = f" [{memory.subject}]" if memory.subject else ""
    return (
        f"{memory.kind:<17}  {memory.body}{subject}  "
        f"({memory.created_at:%Y-%m-%d}, imp {memory.importance:.2f}, {memory.id})"
    )


def _scope_arguments(parser: argparse.ArgumentParser, *, fan_required: bool) -> None:
    parser.add_argument("--fan", type=UUID, required=fan_required, help="the fan's id")
    add_creator_option(parser, "the creator (default: the fan's)")


def _unit_float(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value
