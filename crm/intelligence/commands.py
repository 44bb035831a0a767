"""`fanagent scores|segments|inbox|alerts|price`: fan intelligence from the command line.

Everything per creator runs as the application role inside that creator's scope. Without
--creator, `scores recompute` recomputes every creator the admin can see (all of them on the
embedded server, a superuser) and the fan commands use the fan's creator (looked up as the
admin); an admin held to row-level security sees none, so pass --creator there.
"""

import argparse
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from pydantic import ValidationError

from auth.creators import every_creator
from auth.operator import (
    CommandFailed,
    UsageError,
    add_creator_option,
    app_connection,
    creator_of,
    resolve_creator,
)
from crm.intelligence import alerts, refresh_queue, segments
from crm.intelligence.errors import InvalidRequest, NotFound
from crm.intelligence.inbox import InboxTab, inbox
from crm.intelligence.pricing import suggest_price
from crm.intelligence.refresh import recompute_creator, refresh_fan
from crm.intelligence.segments import RuleSet, SegmentCreate
from db import connect
from db.connect import DatabaseTarget, creator_scope


def register(subparsers: "argparse._SubParsersAction[Any]") -> None:
    scores = subparsers.add_parser("scores", help="fan scores, stages and figures: recompute")
    score_actions = scores.add_subparsers(required=True, metavar="ACTION")
    recompute = score_actions.add_parser(
        "recompute",
        help="recompute every fan's temperature, stage (with decay) and scores; run it as a "
        "cron job (hourly); --full also rebuilds every figure from the ledgers",
    )
    add_creator_option(recompute, "only this creator (default: all)")
    recompute.add_argument(
        "--full",
        action="store_true",
        help="also rebuild the event-derived figures and fan_activity (after a first load, an "
        "import, or events that arrived without refresh_fan)",
    )
    recompute.add_argument(
        "--alerts",
        action="store_true",
        help="then generate the alerts due (what `fanagent alerts` does per creator)",
    )
    _as_of_argument(recompute)
    recompute.set_defaults(handler=_recompute)
    refresh = score_actions.add_parser(
        "refresh",
        help="recompute one fan (and its alerts), or --queued: the fans webhook events queued "
        "(what the server does every second)",
    )
    which = refresh.add_mutually_exclusive_group(required=True)
    which.add_argument("--fan", type=UUID)
    which.add_argument("--queued", action="store_true", help="every creator's queued fans")
    add_creator_option(refresh, "the creator (default: the fan's)")
    _as_of_argument(refresh)
    refresh.set_defaults(handler=_refresh)

    segment = subparsers.add_parser("segments", help="dynamic audience segments")
    segment_actions = segment.add_subparsers(required=True, metavar="ACTION")
    listing = segment_actions.add_parser("list", help="the creator's segments (presets added)")
    add_creator_option(listing, required=True)
    listing.set_defaults(handler=_segments_list)
    show = segment_actions.add_parser("show", help="a segment's rules and stored members")
    add_creator_option(show, required=True)
    show.add_argument("segment", help="the segment's id or name")
    show.set_defaults(handler=_segments_show)
    create = segment_actions.add_parser("create", help="store a new segment")
    add_creator_option(create, required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--description")
    create.add_argument("--rules", required=True, help='JSON, e.g. \'{"tag": "vip"}\'')
    create.set_defaults(handler=_segments_create)
    evaluate = segment_actions.add_parser("evaluate", help="the fans a segment matches now")
    add_creator_option(evaluate, required=True)
    evaluate.add_argument("segment", nargs="?", help="the segment's id or name")
    evaluate.add_argument("--rules", help="JSON rules to evaluate instead of a stored segment")
    evaluate.add_argument("--limit", type=int, default=20, help="members to print (0: count)")
    _as_of_argument(evaluate)
    evaluate.set_defaults(handler=_segments_evaluate)
    materialise = segment_actions.add_parser(
        "materialise", help="store a segment's members in fan_segment_members"
    )
    add_creator_option(materialise, required=True)
    materialise.add_argument("segment", help="the segment's id or name")
    _as_of_argument(materialise)
    materialise.set_defaults(handler=_segments_materialise)

    box = subparsers.add_parser(
        "inbox", help="the CRM inbox: " + ", ".join(tab.value for tab in InboxTab)
    )
    add_creator_option(box, required=True)
    box.add_argument("--tab", choices=[tab.value for tab in InboxTab], default=InboxTab.ALL.value)
    box.add_argument("--limit", type=int, help="entries (default: 10 for vip, else 50)")
    box.add_argument("--offset", type=int, default=0)
    _as_of_argument(box)
    box.set_defaults(handler=_inbox)

    alert = subparsers.add_parser("alerts", help="smart alerts: generate the due ones, list")
    add_creator_option(alert, required=True)
    alert.add_argument("--no-generate", action="store_true", help="only list the open alerts")
    alert.add_argument("--unread", action="store_true", help="only unread alerts")
    alert.add_argument("--limit", type=int, default=50)
    _as_of_argument(alert)
    alert.set_defaults(handler=_alerts)

    price = subparsers.add_parser("price", help="suggest a PPV price for a fan and media item")
    price.add_argument("--fan", type=UUID, required=True)
    price.add_argument("--media", type=UUID, required=True)
    add_creator_option(price, "the creator (default: the fan's)")
    price.add_argument("--json", action="store_true", help="print JSON")
    _as_of_argument(price)
    price.set_defaults(handler=_price)


def _recompute(args: argparse.Namespace) -> int:
    target = connect.resolve()
    if args.creator is not None:
        creators = [resolve_creator(target, args.creator)]
    else:
        with psycopg.connect(target.admin_url) as admin:
            creators = [creator.id for creator in every_creator(admin)]
        if not creators:
            print("no creators visible to the admin (held to row-level security? --creator)")
    with app_connection(target) as conn:
        for creator in creators:
            with creator_scope(conn, creator):
                report = recompute_creator(conn, creator, as_of=args.as_of, full=args.full)
                added = alerts.generate(conn, as_of=args.as_of) if args.alerts else []
            steps = ", ".join(f"{step} {sec:.2f}s" for step, sec in report.seconds.items())
            print(
                f"creator {creator}: {report.fans} fans; {report.profiles_changed} profiles,"
                f" {report.temperatures_changed} temperatures, {report.stage_changes} stage"
                f" changes, {report.scores_written} scores ({steps})"
                + (f"; {len(added)} new alert(s)" if args.alerts else "")
            )
    return 0


def _refresh(args: argparse.Namespace) -> int:
    target = connect.resolve()
    if args.queued:
        with app_connection(target) as conn:
            print(f"{refresh_queue.drain(conn, as_of=args.as_of)} queued fan(s) refreshed")
        return 0
    with _scope(target, _creator_of_fan(args, target)) as conn:
        result = refresh_fan(conn, args.fan, as_of=args.as_of)
    s = result.scores
    print(
        f"fan {result.fan_id}: stage {result.stage}, temperature {result.temperature};"
        f" churn {s.churn_risk:.2f}, LTV ${s.predicted_ltv:,.2f},"
        f" upsell {s.upsell_readiness:.2f}, loyalty {s.loyalty:.2f}"
    )
    for change in result.stage_changes:
        print(f"stage {change.from_stage} -> {change.to_stage} ({change.reason})")
    for new in result.alerts:
        print(f"alert [{new.priority}] {new.type}: {new.message}")
    return 0


def _segments_list(args: argparse.Namespace) -> int:
    with _named_scope(args.creator) as conn:
        segments.install_presets(conn)
        found = segments.list_segments(conn)
    for segment in found:
        kind = "preset" if segment.is_preset else "custom"
        stored = (
            f"{segment.members} members at {segment.materialised_at:%Y-%m-%d %H:%M}"
            if segment.materialised_at
            else "not materialised"
        )
        print(f"{segment.id}  {segment.name}  ({kind}; {stored})")
    return 0


def _segments_show(args: argparse.Namespace) -> int:
    with _named_scope(args.creator) as conn:
        segments.install_presets(conn)
        segment = segments.get_segment(conn, args.segment)
    print(f"{segment.name} ({segment.id})")
    if segment.description:
        print(segment.description)
    print(json.dumps(segment.rules, indent=2))
    print(f"stored members: {segment.members}")
    return 0


def _segments_create(args: argparse.Namespace) -> int:
    try:
        rules = _rules_json(args.rules)
        new = SegmentCreate.model_validate(
            {"name": args.name, "description": args.description, "rules": rules}
        )
    except ValidationError as error:
        raise CommandFailed(_problems(error)) from error
    with _named_scope(args.creator) as conn:
        segment = segments.create_segment(conn, new)
    print(f"created segment {segment.name} ({segment.id})")
    return 0


def _segments_evaluate(args: argparse.Namespace) -> int:
    if (args.segment is None) == (args.rules is None):
        raise UsageError("give a segment (id or name) or --rules, not both")
    with _named_scope(args.creator) as conn:
        if args.rules is not None:
            result = segments.evaluate(
                conn, parse_rules(args.rules), as_of=args.as_of, limit=args.limit
            )
        else:
            segments.install_presets(conn)
            result = segments.evaluate_segment(
                conn, args.segment, as_of=args.as_of, limit=args.limit
            )
    print(f"{result.total} fans match")
    for member in result.members:
        print(f"{member.fan_id}  {member.display_name}  ${member.lifetime_spend:,.2f}")
    return 0


def _segments_materialise(args: argparse.Namespace) -> int:
    with _named_scope(args.creator) as conn:
        segments.install_presets(conn)
        done = segments.materialise(conn, args.segment, as_of=args.as_of)
    print(f"{done.members} members stored ({done.added} added, {done.removed} removed)")
    return 0


def _inbox(args: argparse.Namespace) -> int:
    with _named_scope(args.creator) as conn:
        page = inbox(
            conn,
            InboxTab(args.tab),
            as_of=args.as_of,
            limit=args.limit,
            offset=args.offset,
            count=True,
        )
    print(f"{page.tab.value}: {page.total} fans")
    for e in page.entries:
        online = " online" if e.online else ""
        unread = f", {e.unread} unread" if e.unread else ""
        print(
            f"{e.priority_score:>3}  {e.display_name} [{e.segment}{online}]  {e.stage},"
            f" {e.temperature}; ${e.lifetime_spend:,.2f} lifetime, ${e.spend_30d:,.2f} in 30 days,"
            f" {e.conversion_probability}% likely to buy{unread}  {e.fan_id}"
        )
    return 0


def _alerts(args: argparse.Namespace) -> int:
    with _named_scope(args.creator) as conn:
        if not args.no_generate:
            added = alerts.generate(conn, as_of=args.as_of)
            print(f"{len(added)} new alert(s)")
        found = alerts.open_alerts(
            conn, as_of=args.as_of, unread_only=args.unread, limit=args.limit
        )
    for alert in found:
        print(
            f"[{alert.priority}] {alert.type}: {alert.message}"
            f"  (suggested: {alert.suggested_action}; fan {alert.fan_id}; alert {alert.id})"
        )
    return 0


def _price(args: argparse.Namespace) -> int:
    target = connect.resolve()
    with _scope(target, _creator_of_fan(args, target)) as conn:
        suggestion = suggest_price(conn, args.fan, args.media, as_of=args.as_of)
    if args.json:
        print(suggestion.model_dump_json(indent=2))
        return 0
    print(suggestion.explanation)
    print(
        f"suggested ${suggestion.suggested_price} (bounds ${suggestion.min_price} to"
        f" ${suggestion.max_price}); offer: {'yes' if suggestion.offer else 'no'}"
    )
    return 0


def parse_rules(text: str) -> RuleSet:
    """Rules from JSON text; UsageError if it is not a JSON object, CommandFailed with every
    problem when the rules are invalid."""
    try:
        return RuleSet.model_validate(_rules_json(text))
    except ValidationError as error:
        raise CommandFailed(_problems(error)) from error


def _rules_json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"--rules is not JSON: {error}") from error
    if not isinstance(value, dict):
        raise UsageError("--rules must be a JSON object")
    return value


def _problems(error: ValidationError) -> str:
    return "invalid rules: " + "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'rules'}: {e['msg']}" for e in error.errors()
    )


@contextmanager
def _scope(target: DatabaseTarget, creator: UUID) -> Iterator[psycopg.Connection[Any]]:
    """The application role in the creator's scope; the intelligence functions' NotFound and
    InvalidRequest in it fail the command."""
    try:
        with app_connection(target) as conn, creator_scope(conn, creator):
            yield conn
    except (NotFound, InvalidRequest) as error:
        raise CommandFailed(str(error)) from error


@contextmanager
def _named_scope(handle_or_id: str) -> Iterator[psycopg.Connection[Any]]:
    """_scope of the creator a --creator option names."""
    target = connect.resolve()
    with _scope(target, resolve_creator(target, handle_or_id)) as conn:
        yield conn


def _creator_of_fan(args: argparse.Namespace, target: DatabaseTarget) -> UUID:
    if args.creator is not None:
        return resolve_creator(target, args.creator)
    return creator_of(target, "fan", args.fan)


def _as_of_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=_moment,
        help="evaluate at this moment (ISO 8601, UTC if no zone; default: now)",
    )


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text} is not an ISO 8601 date or time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
