"""What a person reads of a queued action: the fan's display name and one plain sentence per
action kind ("Send the PPV 'Beach set' to Brian for $24.99"), from the arguments that run (the
edited ones, if any), with the titles of the media they name, and for a message to the fan why
the outbound guard would block it (crm/outbound_guard.py), if it would.

Arguments the action's tool does not read (an action this version does not know) get a generic
sentence: a summary never fails.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from agent.gate.queue import QueuedAction
from crm.fans.profile import display_names
from crm.outbound_guard import screen
from tools.annotations import AddNoteArgs, AddTagArgs
from tools.base import ToolArgs, ToolError
from tools.customs import AcceptCustomArgs, DeclineCustomArgs, OpenCustomArgs
from tools.media import require_media
from tools.memories import RememberFactArgs
from tools.messages import SendMessageArgs, SendPpvOfferArgs
from tools.offers import DEFAULT_DAYS, OfferDiscountArgs
from tools.registry import ALL_TOOLS

UNKNOWN_FAN = "the fan"


@dataclass(frozen=True)
class Readable:
    fan_name: str
    summary: str
    outbound_guard: str | None = None  # why the message it sends would be blocked


def parse(action: str, args: dict[str, Any]) -> ToolArgs | None:
    """The arguments as the action's tool reads them; None when it cannot."""
    tool = ALL_TOOLS.get(action)
    if tool is None:
        return None
    try:
        parsed: ToolArgs = tool.parse(args)
    except ToolError:
        return None
    return parsed


def summary(action: str, args: ToolArgs | None, fan: str, titles: Mapping[UUID, str]) -> str:
    """One sentence saying what the action does, for whom; `titles` by media id."""
    match args:
        case SendMessageArgs():
            return f"Send this reply to {fan}"
        case SendPpvOfferArgs(media_id=media_id, price=price):
            return f"Send {_media(titles, media_id)} to {fan} for {money(price)}"
        case OfferDiscountArgs(percent=percent, media_id=media_id):
            on = _media(titles, media_id) if media_id else "the next purchase"
            return f"Offer {fan} {percent}% off {on}, {_lasting(args)}"
        case OpenCustomArgs(offered_price=offered):
            offer = f" (offered {money(offered)})" if offered is not None else ""
            return f"Record {_possessive(fan)} custom request{offer}"
        case AcceptCustomArgs(price=price, deadline=deadline):
            due = _day(deadline)
            return f"Accept {_possessive(fan)} custom request for {money(price)}, due {due}"
        case DeclineCustomArgs():
            return f"Decline {_possessive(fan)} custom request"
        case AddTagArgs(tag=tag, value=value):
            return f"Tag {fan} as '{tag}'" + (f" ({value})" if value else "")
        case AddNoteArgs():
            return f"Add a note about {fan}"
        case RememberFactArgs():
            return f"Remember a fact about {fan}"
        case _:
            return f"Run {action} for {fan}"


def readable(conn: psycopg.Connection[Any], actions: Sequence[QueuedAction]) -> list[Readable]:
    """Each action's fan name and summary (run in the actions' creator scope)."""
    parsed = [parse(action.action, action.effective_args) for action in actions]
    names = display_names(conn, {action.fan_id for action in actions})
    titles = _titles(conn, {media for args in parsed if (media := _media_id(args))})
    described = []
    for action, args in zip(actions, parsed, strict=True):
        name = names.get(action.fan_id, UNKNOWN_FAN)
        said = summary(action.action, args, name, titles)
        described.append(Readable(name, said, _blocked(args)))
    return described


def _blocked(args: ToolArgs | None) -> str | None:
    match args:
        case SendMessageArgs(text=text) | SendPpvOfferArgs(message=text):
            block = screen(text)
            return block.reason if block else None
        case _:
            return None


def _media_id(args: ToolArgs | None) -> UUID | None:
    media_id = getattr(args, "media_id", None)
    return media_id if isinstance(media_id, UUID) else None


def _titles(conn: psycopg.Connection[Any], media_ids: set[UUID]) -> dict[UUID, str]:
    """The titles of the creator's media among `media_ids` (one lookup per item: an approval
    list names a few)."""
    titles = {}
    for media_id in media_ids:
        try:
            titles[media_id] = require_media(conn, media_id)["title"]
        except ToolError:
            continue
    return titles


def _media(titles: Mapping[UUID, str], media_id: UUID) -> str:
    title = titles.get(media_id)
    return f"the PPV '{title}'" if title is not None else "a PPV item"


def money(amount: float) -> str:
    """$120, $24.99, $1,250.50: cents only when there are some."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return f"${value:,.0f}" if value == value.to_integral_value() else f"${value:,.2f}"


def _possessive(name: str) -> str:
    return f"{name}'s"


def _day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


def _lasting(args: OfferDiscountArgs) -> str:
    if args.expires_at is not None:
        return f"until {_day(args.expires_at)}"
    days = args.days or DEFAULT_DAYS
    return f"for {days} day" + ("s" if days != 1 else "")
