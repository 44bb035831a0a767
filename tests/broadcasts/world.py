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
from tests.memory.helpers import stored_memory

BODY = "hey {fan_name}, {memory|thinking of you} 💕 {media_title} is yours for {media_price}"
# A weak reading 10 days ago: still in distress (crm.fans.distress: any reading in 14 days).
DISTRESS = """
INSERT INTO fan_intent_events
    (creator_id, fan_id, message_id, signal, confidence, classifier, created_at)
SELECT app_current_creator(), fan_id, id, 'emotional_support', 0.3, 'test',
       now() - interval '10 days'
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
        stored_memory(conn, fans.returning, "preference", "pays me on venmo", importance=0.9)
        stored_memory(conn, fans.hot, "preference", "loves the beach", importance=0.9)
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
