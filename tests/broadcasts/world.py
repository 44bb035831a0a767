"""A creator with fans to broadcast to (tests/intelligence/world.py's supporters, scored), a
template, media and an everyone segment; and what a broadcast test reads back."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from agent.broadcasts import BroadcastCreate, create_broadcast
from crm.broadcasts.store import Broadcast
from crm.intelligence.segments import RuleSet, SegmentCreate, create_segment
from crm.templates.store import TemplateCreate, create_template
from tests.intelligence.world import Supporters, World, recomputed_supporters

BODY = "hey {fan_name}, {memory|thinking of you} 💕 {media_title} is yours for {media_price}"
MEMORY = "INSERT INTO fan_memories (creator_id, fan_id, kind, body, importance, embedding)"
MEMORY += " VALUES (app_current_creator(), %s, 'preference', %s, 0.9,"
MEMORY += " array_fill(0.1::real, ARRAY[384])::vector)"
DISTRESS = """
INSERT INTO fan_intent_events (creator_id, fan_id, message_id, signal, confidence, classifier)
SELECT app_current_creator(), fan_id, id, 'emotional_support', 0.9, 'test'
FROM fan_messages WHERE fan_id = %s AND direction = 'inbound' LIMIT 1
"""
OUTBOUND = """
INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)
VALUES (app_current_creator(), %s, 'outbound', 'sent', 'hi', %s)
"""


@dataclass(frozen=True)
class Cast:
    world: World
    fans: Supporters
    template: UUID
    segment: UUID


def build_cast(conn: psycopg.Connection[Any]) -> Cast:
    """The supporters (8 fans), Rex with a memory the guard blocks, Hank with a memory, the
    whale who bought the offered media, Dora opted out, Tom in distress, Nell messaged an hour
    ago."""
    world, fans = recomputed_supporters(conn)
    now = datetime.now(UTC)
    with world.scope():
        conn.execute(MEMORY, [fans.returning, "pays me on venmo"])
        conn.execute(MEMORY, [fans.hot, "loves the beach"])
        conn.execute(DISTRESS, [fans.trial])
        conn.execute(OUTBOUND, [fans.newbie, now - timedelta(hours=1)])
        template = create_template(conn, TemplateCreate(name="teaser", body=BODY))
        segment = create_segment(
            conn, SegmentCreate(name="everyone", rules=RuleSet.model_validate({"all": []}))
        )
    world.tag(fans.dormant, "opt_out")
    return Cast(world, fans, template.id, segment.id)


def new_broadcast(conn: psycopg.Connection[Any], cast: Cast, **changes: Any) -> Broadcast:
    return broadcast_to(conn, cast.world, cast.template, cast.segment, cast.fans.media, **changes)


def broadcast_to(
    conn: psycopg.Connection[Any],
    world: World,
    template: UUID,
    segment: UUID,
    media: UUID,
    **changes: Any,
) -> Broadcast:
    """A new broadcast, awaiting its approval."""
    new = BroadcastCreate(
        name="Red set drop", template_id=template, segment_id=segment, media_id=media, **changes
    )
    with world.scope():
        return create_broadcast(conn, new, None)
