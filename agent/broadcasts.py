"""Broadcasts through the approval gate: creating one proposes its single approval (a
`send_broadcast` row of hitl_action_queue, for every fan of it at once); approving or rejecting
claims that row atomically (a second decision is refused) and moves the broadcast with it, in one
transaction; the job that sends it (agent/broadcast_jobs.py) settles the row with the counters
when the last delivery is written. What is sent, and to whom: crm/broadcasts/."""

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from agent.gate import queue
from crm.broadcasts import store
from crm.intelligence.segments import get_segment
from crm.templates.store import get_template

MEDIA = "SELECT title, price FROM media_assets WHERE id = %s"
NEEDS_MEDIA = frozenset({"media_title", "media_price"})


class BroadcastCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    template_id: UUID
    segment_id: UUID
    media_id: UUID | None = Field(default=None, description="the media offered (PPV)")
    price: Decimal | None = Field(
        default=None, ge=0, le=10_000, decimal_places=2, description="default: the media's price"
    )
    exclude_buyers: bool = Field(default=True, description="leave out who bought the media")
    exclude_distress: bool = Field(
        default=True, description="leave out fans with an emotional_support signal in 7 days"
    )
    exclude_messaged_hours: int | None = Field(
        default=24, ge=1, le=720, description="leave out fans we messaged this recently (null: no)"
    )
    attribution_hours: int = Field(
        default=72, ge=1, le=720, description="a purchase of the media this soon after converts"
    )
    scheduled_at: AwareDatetime | None = Field(default=None, description="default: on approval")


class InvalidBroadcast(ValueError):
    """A broadcast that cannot be made as asked (a template needing media none offers, ...)."""


class BroadcastDecided(RuntimeError):
    """The broadcast's approval was decided already."""


def create_broadcast(
    conn: psycopg.Connection[Any], new: BroadcastCreate, user_id: UUID | None
) -> store.Broadcast:
    """Stores the broadcast awaiting its approval (TemplateNotFound, NotFound for the segment,
    InvalidBroadcast)."""
    template = get_template(conn, new.template_id)
    segment = get_segment(conn, new.segment_id)
    media = conn.execute(MEDIA, [new.media_id]).fetchone() if new.media_id else None
    if new.media_id is not None and media is None:
        raise InvalidBroadcast(f"no media {new.media_id}")
    if new.media_id is None and new.price is not None:
        raise InvalidBroadcast("a price needs media to offer (media_id)")
    needed = NEEDS_MEDIA & set(template.variables)
    if needed and media is None:
        raise InvalidBroadcast(f"the template uses {{{min(needed)}}}: offer media (media_id)")
    if "media_price" in needed and media is not None and (new.price or media[1]) is None:
        raise InvalidBroadcast("the template uses {media_price}: the media has no price, give one")
    broadcast_id = uuid.uuid4()
    offered = f" offering '{media[0]}'" if media else ""
    action_id = queue.propose_broadcast(
        conn,
        f"broadcast:{broadcast_id}",
        {"broadcast_id": str(broadcast_id), "template": template.name, "segment": segment.name},
        f"Send the template '{template.name}' to the segment '{segment.name}'{offered}",
        user_id,
    )
    store.insert_broadcast(
        conn,
        store.NewBroadcast(
            id=broadcast_id,
            segment_name=segment.name,
            hitl_action_id=action_id,
            created_by=user_id,
            **new.model_dump(),
        ),
    )
    return store.get_broadcast(conn, broadcast_id)


def decide_broadcast(
    conn: psycopg.Connection[Any],
    broadcast_id: UUID,
    decision: Literal["approved", "rejected"],
    user_id: UUID | None,
    note: str | None = None,
) -> store.Broadcast:
    """Claims the broadcast's approval (BroadcastDecided when decided already) and moves it."""
    broadcast = store.get_broadcast(conn, broadcast_id)
    if not queue.decide_broadcast(
        conn, broadcast.hitl_action_id, decision, decided_by=user_id, note=note
    ):
        raise BroadcastDecided(f"broadcast {broadcast_id} was already {broadcast.status}")
    moved = store.move(conn, broadcast_id, "awaiting_approval", decision)
    assert moved, "the claimed approval was pending, so was the broadcast"
    return store.get_broadcast(conn, broadcast_id)


def settle_sent(
    conn: psycopg.Connection[Any], broadcast: store.Broadcast, counters: dict[str, Any]
) -> None:
    """The broadcast is sent: its approval is executed, with the counters."""
    queue.settle_broadcast(conn, broadcast.hitl_action_id, counters)
