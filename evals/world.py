"""A case's world in the run's database: one creator per case, its fan (and maybe a second fan),
their memories, conversation, purchases and scores, the media vault, the persona, and the fan's
new message, all written through the application role.

Everything a prompt or a tool result can show is fixed: ids are uuid5 of the case id and what
they name, times are counted back from the run's clock (CLOCK), memories carry their own
created_at. So a case renders the same prompts on every run and machine, and a replay matches.
"""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from pgvector import Vector

from auth.operator import app_connection
from db.connect import DatabaseTarget, creator_scope
from evals.cases import Case, FanSpec, MemoryCase, MemorySpec, Vault, memory_pool, pool_picks
from memory.embedders import Embedder
from personas.model import Persona
from personas.store import save_creator_default, save_fan_persona

CLOCK = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)  # "now" for every case of every run
NAMESPACE = UUID("6d1c3c52-5f6e-4f1e-9a57-0e7a1f4e7a11")


def case_uuid(case_id: str, *names: str) -> UUID:
    return uuid.uuid5(NAMESPACE, "/".join((case_id, *names)))


@dataclass(frozen=True)
class World:
    """What the scorers need to know about a case's world."""

    creator_id: UUID
    fan_id: UUID
    message_id: UUID  # the fan's new message, which the run answers
    persona: Persona
    media: dict[str, UUID]  # by title
    memory_ids: dict[str, UUID]  # the fan's memories by body
    target_memory: UUID | None  # memory cases: the memory a good reply uses
    other_memories: tuple[str, ...]  # bodies of the other fan's memories: never shown
    private: tuple[str, ...]  # both fans' PrivateData (cases.py): never in a prompt or draft
    seeded_outbound: tuple[UUID, ...]  # outbound messages the world itself wrote


def build(
    target: DatabaseTarget, case: Case, vault: Vault, embedder: Embedder, suite: str
) -> World:
    key = f"{suite}/{case.id}"
    creator = case_uuid(key, "creator")
    media = {m.title: case_uuid(key, "media", m.title) for m in vault.media}
    memories = _fan_memories(case)
    other = case.other_fan
    other_memories = list(other.memories) if other else []
    bodies = [m.body for m in memories + other_memories]
    vectors = embedder.embed(bodies) if bodies else []
    persona = case.persona or vault.persona
    fan_id, other_id = case_uuid(key, "fan"), case_uuid(key, "other_fan")
    with app_connection(target) as conn:
        with creator_scope(conn, creator):
            conn.execute(
                "INSERT INTO creator_profiles (creator_id, handle, display_name)"
                " VALUES (%s, %s, %s)",
                [creator, _handle(vault.creator.handle, key), vault.creator.name],
            )
            for title, media_id in media.items():
                _media(conn, creator, media_id, vault, title)
            private = _fan(conn, creator, fan_id, case.fan, vault, media, key, "fan")
            mine = vectors[: len(memories)]
            memory_ids = insert_memories(conn, creator, fan_id, memories, mine, key, "fan")
            outbound = _conversation(conn, creator, fan_id, case.fan, key, "fan")
            if other is not None:
                private += _fan(conn, creator, other_id, other, vault, media, key, "other_fan")
                theirs = vectors[len(memories) :]
                insert_memories(conn, creator, other_id, other_memories, theirs, key, "other_fan")
                outbound += _conversation(conn, creator, other_id, other, key, "other_fan")
            message_id = case_uuid(key, "message")
            conn.execute(
                "INSERT INTO fan_messages (id, creator_id, fan_id, direction, status, body,"
                " created_at) VALUES (%s, %s, %s, 'inbound', 'received', %s, %s)",
                [message_id, creator, fan_id, case.message, CLOCK - dt.timedelta(minutes=1)],
            )
        save_creator_default(conn, creator, vault.persona)
        if case.persona is not None:
            save_fan_persona(conn, creator, fan_id, case.persona)
    target_memory = next((memory_ids[m.body] for m in memories if m.target), None)
    return World(
        creator_id=creator,
        fan_id=fan_id,
        message_id=message_id,
        persona=persona,
        media=media,
        memory_ids=memory_ids,
        target_memory=target_memory,
        other_memories=tuple(m.body for m in other_memories),
        private=tuple(private),
        seeded_outbound=tuple(outbound),
    )


def _fan_memories(case: Case) -> list[MemorySpec]:
    """The fan's memories: the case's own and, for memory cases, the pool's background ones."""
    own = list(case.fan.memories)
    if isinstance(case, MemoryCase):
        known = {m.body for m in own}
        own += [m for m in pool_picks(case, memory_pool()) if m.body not in known]
    return own


def _handle(base: str, key: str) -> str:
    return f"{base}-{key.replace('/', '-')}".lower()[:40]


def _media(
    conn: psycopg.Connection[Any], creator: UUID, media_id: UUID, vault: Vault, title: str
) -> None:
    item = next(m for m in vault.media if m.title == title)
    conn.execute(
        "INSERT INTO media_assets (id, creator_id, title, kind, tags, price, explicitness,"
        " ai_description, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            media_id,
            creator,
            item.title,
            item.kind,
            list(item.tags),
            item.price,
            item.explicitness,
            item.description,
            CLOCK - dt.timedelta(days=item.days_ago),
        ],
    )


def _fan(
    conn: psycopg.Connection[Any],
    creator: UUID,
    fan_id: UUID,
    fan: FanSpec,
    vault: Vault,
    media: dict[str, UUID],
    key: str,
    role: str,
) -> list[str]:
    """Writes the fan's profile, purchases and scores; returns the fan's personal data."""
    private = vault.private
    real_name = f"{fan.name} {private.surname}"
    email = f"{private.email_user}.{fan.name.lower()}@example.net"
    last_purchase = min((p.days_ago for p in fan.bought), default=None)
    conn.execute(
        "INSERT INTO fan_profiles (id, creator_id, display_name, real_name, email, phone_number,"
        " city, country, relationship_stage, lifetime_spend, purchase_count, price_range,"
        " fan_type, tone_preference, narrative_summary, last_purchase_at, stage_updated_at,"
        " created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            fan_id,
            creator,
            fan.name,
            real_name,
            email,
            private.phone,
            private.city,
            private.country,
            fan.stage,
            fan.spend,
            fan.purchase_count,
            fan.price_range,
            fan.fan_type,
            fan.tone,
            fan.about,
            None if last_purchase is None else CLOCK - dt.timedelta(days=last_purchase),
            CLOCK - dt.timedelta(days=30),
            CLOCK - dt.timedelta(days=200),
            CLOCK - dt.timedelta(days=1),
        ],
    )
    for index, purchase in enumerate(fan.bought):
        conn.execute(
            "INSERT INTO fan_transactions (id, creator_id, fan_id, kind, amount, media_id,"
            " occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                case_uuid(key, role, "purchase", str(index)),
                creator,
                fan_id,
                purchase.kind,
                purchase.amount,
                media[purchase.media] if purchase.media else None,
                CLOCK - dt.timedelta(days=purchase.days_ago),
            ],
        )
    if fan.scores is not None:
        conn.execute(
            "INSERT INTO fan_scores (creator_id, fan_id, churn_risk, predicted_ltv,"
            " upsell_readiness, loyalty, formula_version, computed_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, 'v1', %s)",
            [
                creator,
                fan_id,
                fan.scores.churn_risk,
                fan.scores.predicted_ltv,
                fan.scores.upsell_readiness,
                fan.scores.loyalty,
                CLOCK - dt.timedelta(hours=6),
            ],
        )
    return [real_name, private.surname, email, private.phone, private.city]


def insert_creator_and_fans(
    conn: psycopg.Connection[Any],
    creator: UUID,
    handle: str,
    name: str,
    fans: Mapping[UUID, str],
) -> None:
    """A bare creator and its fans (id: display name), for the evals that need only memories."""
    conn.execute(
        "INSERT INTO creator_profiles (creator_id, handle, display_name) VALUES (%s, %s, %s)",
        [creator, handle, name],
    )
    for fan_id, fan_name in fans.items():
        conn.execute(
            "INSERT INTO fan_profiles (id, creator_id, display_name) VALUES (%s, %s, %s)",
            [fan_id, creator, fan_name],
        )


def insert_memories(
    conn: psycopg.Connection[Any],
    creator: UUID,
    fan_id: UUID,
    memories: Sequence[MemorySpec],
    vectors: Sequence[Sequence[float]],
    key: str,
    role: str,
) -> dict[str, UUID]:
    ids: dict[str, UUID] = {}
    for index, (memory, vector) in enumerate(zip(memories, vectors, strict=True)):
        memory_id = case_uuid(key, role, "memory", str(index))
        at = CLOCK - dt.timedelta(days=memory.days_ago)
        conn.execute(
            "INSERT INTO fan_memories (id, creator_id, fan_id, kind, subject, body, confidence,"
            " importance, embedding, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, 0.9, %s, %s, %s, %s)",
            [
                memory_id,
                creator,
                fan_id,
                memory.kind,
                memory.subject,
                memory.body,
                memory.importance,
                Vector(list(vector)),
                at,
                at,
            ],
        )
        ids[memory.body] = memory_id
    return ids


def _conversation(
    conn: psycopg.Connection[Any], creator: UUID, fan_id: UUID, fan: FanSpec, key: str, role: str
) -> list[UUID]:
    """Writes the earlier messages; returns the ids of the outbound ones (sent by the world)."""
    outbound = []
    for index, turn in enumerate(fan.conversation):
        message_id = case_uuid(key, role, "turn", str(index))
        inbound = turn.sender == "fan"
        conn.execute(
            "INSERT INTO fan_messages (id, creator_id, fan_id, direction, status, body,"
            " created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                message_id,
                creator,
                fan_id,
                "inbound" if inbound else "outbound",
                "received" if inbound else "sent",
                turn.text,
                CLOCK - dt.timedelta(minutes=turn.minutes_ago),
            ],
        )
        if not inbound:
            outbound.append(message_id)
    return outbound
