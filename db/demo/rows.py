"""The rows the demo seeder writes: one NamedTuple per table, fields named and ordered as the
columns they fill (the COPY column list is taken from `_fields`), and `Rows`, one list per table
in an order that satisfies every foreign key when loaded top to bottom.

Money is `Decimal` with two places, times are timezone-aware UTC datetimes.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, get_args, get_type_hints
from uuid import UUID


class CreatorProfile(NamedTuple):
    creator_id: UUID
    handle: str
    display_name: str
    timezone: str
    onboarding_state: str
    created_at: datetime
    updated_at: datetime


class User(NamedTuple):
    id: UUID
    email: str
    display_name: str
    created_at: datetime


class CreatorAssignment(NamedTuple):
    creator_id: UUID
    user_id: UUID
    role: str
    created_at: datetime


class MediaAsset(NamedTuple):
    id: UUID
    creator_id: UUID
    title: str
    kind: str
    tags: list[str]
    price: Decimal | None
    explicitness: int
    duration_seconds: int | None
    ai_description: str | None
    transcription_text: str | None
    created_at: datetime


class MessageTemplate(NamedTuple):
    id: UUID
    creator_id: UUID
    name: str
    body: str
    platform_variants: dict[str, str]  # a JSON object
    tone: str
    variables: list[str]
    created_at: datetime
    updated_at: datetime


class FanProfile(NamedTuple):
    id: UUID
    creator_id: UUID
    display_name: str
    aliases: list[str]
    real_name: str | None
    email: str | None
    phone_number: str | None
    city: str | None
    country: str | None
    timezone: str | None
    language: str
    lifetime_spend: Decimal
    purchase_count: int
    avg_order_value: Decimal | None
    biggest_purchase: Decimal | None
    first_purchase_at: datetime | None
    last_purchase_at: datetime | None
    last_purchase_kind: str | None
    last_purchase_amount: Decimal | None
    price_range: str | None
    buyer_type: str | None
    ppv_conversion_rate: float | None
    discount_sensitivity: str | None
    chargeback_risk: bool
    fan_type: str
    tone_preference: str
    emotional_drivers: list[str]
    content_format_pref: str
    length_preference: str
    narrative_summary: str
    relationship_stage: str
    stage_updated_at: datetime
    temperature: str
    message_count: int
    last_message_at: datetime | None
    active_hours: list[int]
    avg_reply_seconds: int | None
    positive_message_ratio: float | None
    last_sentiment: float | None
    time_waster_score: int
    follow_up_due_at: datetime | None
    next_best_action: str | None
    next_best_action_reason: str | None
    deprioritized_until: datetime | None
    last_objection: str | None
    top_objection: str | None
    created_at: datetime
    updated_at: datetime


class PlatformAccount(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    platform: str
    platform_fan_id: str
    username: str
    joined_at: datetime
    created_at: datetime


class IdentityLink(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    account_a_id: UUID
    account_b_id: UUID
    evidence: str
    evidence_detail: str
    confidence: float
    confirmed_by: UUID | None
    created_at: datetime


class Subscription(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    platform_account_id: UUID
    tier: str
    status: str
    price: Decimal
    auto_renew: bool
    started_at: datetime
    renews_at: datetime | None
    ended_at: datetime | None
    updated_at: datetime


class SubscriptionEvent(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    subscription_id: UUID
    event_type: str
    amount: Decimal | None
    occurred_at: datetime
    external_event_id: str
    recorded_at: datetime


class Message(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    platform_account_id: UUID
    direction: str
    status: str
    body: str
    sentiment: float
    response_seconds: int | None
    in_reply_to_id: UUID | None
    drafted_by_user_id: UUID | None
    media_id: UUID | None
    price: Decimal | None
    external_id: str
    created_at: datetime
    sent_at: datetime | None


class IntentEvent(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    message_id: UUID
    signal: str
    confidence: float
    classifier: str
    created_at: datetime


class Memory(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    kind: str
    subject: str | None  # what a changeable fact is about ("city", "pet:dog:max"); migration 0005
    body: str
    source_message_id: UUID | None
    confidence: float
    importance: float
    superseded_by: UUID | None
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None
    # pgvector's text form of the body's vector ("[0.01,...]"), one string shared by every memory
    # of the text; generation leaves it None and loading fills it in (db/demo/vectors.py).
    embedding: str | None = None


class CustomRequest(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    description: str
    status: str
    proposed_price: Decimal | None
    agreed_price: Decimal | None
    deadline: datetime | None
    decline_reason: str | None
    media_id: UUID | None
    payout: Decimal | None
    source_message_id: UUID | None
    created_at: datetime
    updated_at: datetime
    decided_at: datetime | None
    fulfilled_at: datetime | None


class Transaction(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    platform_account_id: UUID
    kind: str
    amount: Decimal
    currency: str
    media_id: UUID | None
    custom_request_id: UUID | None
    external_id: str
    occurred_at: datetime
    recorded_at: datetime


class TagValue(NamedTuple):
    creator_id: UUID
    fan_id: UUID
    tag: str
    value: str | None
    created_by: UUID | None
    created_at: datetime


class Note(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    author_user_id: UUID | None
    body: str
    created_at: datetime
    updated_at: datetime


class Persona(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID | None
    name: str
    vocabulary_use: list[str]
    vocabulary_avoid: list[str]
    warmth: float
    formality: float
    playfulness: float
    explicitness_threshold: float
    emoji_style: str
    max_emoji: int
    length_style: str
    max_chars: int
    punctuation_style: str
    directness: float
    personal_touch: float
    promotional: float
    created_at: datetime
    updated_at: datetime


class LifecycleEvent(NamedTuple):
    id: UUID
    creator_id: UUID
    fan_id: UUID
    kind: str
    from_stage: str | None
    to_stage: str | None
    detail: str | None
    occurred_at: datetime


@dataclass
class Rows:
    """Rows to insert, one list per table, declared in foreign-key order."""

    users: list[User] = field(default_factory=list)
    creator_profiles: list[CreatorProfile] = field(default_factory=list)
    creator_assignments: list[CreatorAssignment] = field(default_factory=list)
    media_assets: list[MediaAsset] = field(default_factory=list)
    message_templates: list[MessageTemplate] = field(default_factory=list)
    fan_profiles: list[FanProfile] = field(default_factory=list)
    fan_platform_accounts: list[PlatformAccount] = field(default_factory=list)
    fan_identity_links: list[IdentityLink] = field(default_factory=list)
    fan_subscriptions: list[Subscription] = field(default_factory=list)
    fan_subscription_events: list[SubscriptionEvent] = field(default_factory=list)
    fan_messages: list[Message] = field(default_factory=list)
    fan_intent_events: list[IntentEvent] = field(default_factory=list)
    fan_memories: list[Memory] = field(default_factory=list)
    fan_custom_requests: list[CustomRequest] = field(default_factory=list)
    fan_transactions: list[Transaction] = field(default_factory=list)
    fan_tag_values: list[TagValue] = field(default_factory=list)
    fan_notes: list[Note] = field(default_factory=list)
    fan_personas: list[Persona] = field(default_factory=list)
    fan_lifecycle_events: list[LifecycleEvent] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list[Any]]]:
        """(table, rows) pairs in load order, empty tables included."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.tables()}

    def extend(self, other: "Rows") -> None:
        """Appends every row of `other`."""
        for table, rows in other.tables():
            getattr(self, table).extend(rows)


TABLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Rows))


def columns(table: str) -> tuple[str, ...]:
    """The columns a table's rows fill, in row order."""
    row_type: Any = get_args(get_type_hints(Rows)[table])[0]
    names: tuple[str, ...] = row_type._fields
    return names
