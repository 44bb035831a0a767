"""CLI: `fanagent draft` runs the whole graph for a fan message; `fanagent approvals` drives the
gate (list, show, approve, edit, reject, sweep) from the terminal."""

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypeVar, get_args
from uuid import UUID

from agent import broadcast_approvals
from agent.broadcasts import BroadcastDecided
from agent.gate import queue
from agent.graph.fan_context import FanNotFound
from agent.llm.types import LLMError
from agent.runtime import open_service
from agent.service import (
    ActionNotFound,
    AlreadyDecided,
    Decided,
    Decision,
    DraftOutcome,
    DraftRequest,
    DraftService,
    InvalidEdit,
)
from auth.operator import (
    CommandFailed,
    add_creator_option,
    app_connection,
    creator_of,
    resolve_creator,
)
from crm.conversation import MessageNotFound
from db import connect
from db.connect import DatabaseTarget, creator_scope

T = TypeVar("T")


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    draft = subparsers.add_parser("draft", help="draft a reply to a fan message (the whole agent)")
    draft.add_argument("--fan", type=UUID, required=True, help="the fan's id")
    source = draft.add_mutually_exclusive_group()
    source.add_argument(
        "--message", help="a preview for free text: nothing is stored, sent or proposed"
    )
    source.add_argument(
        "--message-id", type=UUID, help="a stored fan message to answer (default: the latest)"
    )
    draft.add_argument("--json", action="store_true", help="print JSON")
    draft.set_defaults(handler=draft_reply)

    approvals = subparsers.add_parser("approvals", help="the approval gate: list and decide")
    actions = approvals.add_subparsers(required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="queued actions, pending first")
    add_creator_option(listing, required=True)
    listing.add_argument("--status", choices=get_args(queue.ActionStatus))
    listing.add_argument("--fan", type=UUID)
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(handler=list_actions)
    show = actions.add_parser("show", help="one queued action")
    show.add_argument("id", type=UUID)
    show.set_defaults(handler=show_action)
    approve = actions.add_parser("approve", help="approve and execute")
    approve.add_argument("id", type=UUID)
    approve.set_defaults(handler=decide, status="approved")
    edit = actions.add_parser("edit", help="execute with changed arguments")
    edit.add_argument("id", type=UUID)
    edit.add_argument("--args", required=True, type=_json_object, help="the arguments, as JSON")
    edit.set_defaults(handler=decide, status="edited")
    reject = actions.add_parser("reject", help="reject; the model is told the reason")
    reject.add_argument("id", type=UUID)
    reject.add_argument("--reason", required=True)
    reject.set_defaults(handler=decide, status="rejected")
    sweep = actions.add_parser(
        "sweep", help="expire overdue actions; finish approved ones a crash left unexecuted"
    )
    sweep.set_defaults(handler=sweep_queue)


def draft_reply(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = creator_of(target, "fan", args.fan)
    request = DraftRequest(creator, args.fan, text=args.message, message_id=args.message_id)
    outcome = _serve(target, lambda service: service.draft(request))
    print(json.dumps(asdict(outcome), indent=2) if args.json else outcome_text(outcome))
    return 0


def decide(args: argparse.Namespace) -> int:
    """Decides the action; prints what became of it and the reply the agent finished after (a
    broadcast's approval: what it became; a job worker sends it, no reply follows)."""
    target = connect.resolve()
    creator = creator_of(target, "queued action", args.id)
    note = getattr(args, "reason", None)
    with app_connection(target) as conn, creator_scope(conn, creator):
        try:
            broadcast = broadcast_approvals.decide(
                conn, args.id, args.status, None, note, datetime.now(UTC)
            )
        except (BroadcastDecided, broadcast_approvals.NotEditable) as error:
            raise CommandFailed(f"{error}; nothing changed") from error
    if broadcast is not None:
        print(f"action {args.id} send_broadcast: {broadcast['status']}: {broadcast['summary']}")
        return 0
    decision = Decision(args.status, edited_args=getattr(args, "args", None), note=note)
    print(decided_text(_serve(target, lambda service: service.decide(creator, args.id, decision))))
    return 0


def list_actions(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = resolve_creator(target, args.creator)
    with app_connection(target) as conn, creator_scope(conn, creator):
        found = queue.list_actions(conn, status=args.status, fan_id=args.fan, limit=args.limit)
        broadcasts = []
        if args.fan is None:
            now = datetime.now(UTC)
            broadcasts = broadcast_approvals.listed(conn, now, status=args.status, limit=args.limit)
    for action in found:
        arguments = json.dumps(action.effective_args, sort_keys=True)
        print(
            f"{action.id}  {action.status:<10} {action.action:<22} fan {action.fan_id}  {arguments}"
        )
    for row in broadcasts:
        print(f"{row['id']}  {row['status']:<10} {row['action']:<22} {row['summary']}")
    if not found and not broadcasts:
        print("no queued actions")
    return 0


def show_action(args: argparse.Namespace) -> int:
    target = connect.resolve()
    creator = creator_of(target, "queued action", args.id)
    with app_connection(target) as conn, creator_scope(conn, creator):
        action = queue.get(conn, args.id)
    assert action is not None
    print(json.dumps(action.as_json(), indent=2, sort_keys=True))
    return 0


def sweep_queue(_: argparse.Namespace) -> int:
    async def run() -> int:
        async with open_service(connect.resolve()) as service:
            return await service.sweep()

    print(f"resumed {asyncio.run(run())} thread(s)")
    return 0


def decided_text(decided: Decided) -> str:
    """What became of the action (executed, failed with why, rejected with the reason), then
    the agent's reply after it."""
    action = decided.action
    arguments = json.dumps(action.effective_args, sort_keys=True)
    why = action.error if action.status == "failed" else action.decision_note
    status = action.status + (f" ({why})" if why else "")
    lines = [f"action {action.id} {action.action}({arguments}): {status}"]
    if decided.reply is not None:
        lines.append(outcome_text(decided.reply))
    elif decided.reply_error is not None:
        lines.append(f"no reply: the model failed: {decided.reply_error}")
    else:
        lines.append("no reply: the text sent is the reply")
    return "\n".join(lines)


def outcome_text(outcome: DraftOutcome) -> str:
    lines = [f"draft ({outcome.outcome}):", f"  {outcome.draft or '(none yet)'}"]
    intents = ", ".join(f"{i['signal']} {i['confidence']:.2f}" for i in outcome.intents)
    lines.append(f"intents ({outcome.classifier}): {intents or 'none'}")
    lines.append("memories used:" if outcome.memories else "memories used: none")
    lines += [f"  [{m['kind']}] {m['body']} (score {m['score']:.2f})" for m in outcome.memories]
    lines.append("tool calls:" if outcome.tool_calls else "tool calls: none")
    lines += [
        f"  {c['name']}({json.dumps(c['arguments'], sort_keys=True)}) -> {c['status']}"
        for c in outcome.tool_calls
    ]
    lines.append("pending approvals:" if outcome.pending else "pending approvals: none")
    lines += [
        f"  {p['id']} {p['action']} {json.dumps(p['args'], sort_keys=True)}"
        for p in outcome.pending
    ]
    if outcome.violations:
        lines.append("persona problems left: " + "; ".join(v["detail"] for v in outcome.violations))
    usage = outcome.usage
    timings = outcome.timings_ms
    context_ms = sum(timings.get(k, 0.0) for k in ("context", "recall", "classify"))
    lines.append(
        f"tokens: {usage.get('prompt_tokens', 0)} prompt + {usage.get('completion_tokens', 0)} "
        f"completion in {usage.get('model_calls', 0)} model call(s)"
    )
    lines.append(
        f"time: context {context_ms:.0f} ms (load {timings.get('context', 0):.0f}, recall "
        f"{timings.get('recall', 0):.0f}, classify {timings.get('classify', 0):.0f}), model "
        f"{timings.get('model', 0):.0f} ms, tools {timings.get('tools', 0):.0f} ms, finalize "
        f"{timings.get('finalize', 0):.0f} ms, total {timings.get('total', 0):.0f} ms"
    )
    return "\n".join(lines)


def _serve(target: DatabaseTarget, run: Callable[[DraftService], Awaitable[T]]) -> T:
    """run(service) on a service of `target`; the domain's refusals and the model's failure
    fail the command."""

    async def main() -> T:
        async with open_service(target) as service:
            return await run(service)

    try:
        return asyncio.run(main())
    except (FanNotFound, MessageNotFound, ActionNotFound, InvalidEdit) as error:
        raise CommandFailed(str(error)) from error
    except AlreadyDecided as error:
        raise CommandFailed(f"{error}; nothing changed") from error
    except LLMError as error:
        raise CommandFailed(f"the model failed: {error}") from error


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from error
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("the arguments must be a JSON object")
    return value
