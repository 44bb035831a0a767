"""The events a platform pushes: one JSON object per delivery, a union discriminated on `type`
(and, for a subscription, on `action`).

Common to all: `id` (the platform's event id, the idempotency key), `type`, `occurred_at` (an
ISO 8601 time with a zone) and `fan` (the platform's id of the fan, with a username and display
name when known). Money is a decimal with at most two places (a JSON number or string); unknown
fields are kept in the stored payload and otherwise ignored.
"""

import re
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeAlias
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

PLATFORMS: tuple[str, ...] = ("onlyfans", "fansly", "fanvue")
EVENT_TYPES: tuple[str, ...] = (
    "subscription",
    "tip",
    "ppv_unlock",
    "transaction",
    "message",
    "message_delivered",
)
TRANSACTION_KINDS = Literal[
    "subscription", "tip", "ppv", "custom", "paid_message", "refund", "chargeback"
]

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=10, decimal_places=2, examples=["9.99"], description="In `currency`"),
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. USD")]
# A JSON escape of NUL (an even number of backslashes before it): PostgreSQL text cannot hold it.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class EventFan(BaseModel):
    """Who the event is about, as the platform knows them."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(
        min_length=1,
        max_length=200,
        description="The platform's own id of the fan: with the platform, the dedup key",
    )
    username: str | None = Field(default=None, max_length=200)
    display_name: str | None = Field(
        default=None, min_length=1, max_length=200, description="Shown for a new fan"
    )


class _Event(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[!-~]+$",
        description="The platform's id of this event; a second delivery with it changes nothing",
    )
    occurred_at: AwareDatetime = Field(description="When it happened on the platform")
    fan: EventFan


class _Subscription(_Event):
    type: Literal["subscription"]
    tier: str | None = Field(
        default=None, min_length=1, max_length=100, description="Unchanged when absent"
    )


class SubscriptionStarted(_Subscription):
    """A new subscription (again, after a cancelled or expired one: a resubscription)."""

    action: Literal["new"]
    price: Money
    currency: Currency = "USD"
    renews_at: AwareDatetime | None = None


class SubscriptionRenewed(_Subscription):
    """A successful rebill."""

    action: Literal["renewed"]
    price: Money
    currency: Currency = "USD"
    renews_at: AwareDatetime | None = None


class SubscriptionCancelled(_Subscription):
    """Auto-renew turned off; access lasts until `ends_at` when the platform says."""

    action: Literal["cancelled"]
    ends_at: AwareDatetime | None = None


class SubscriptionExpired(_Subscription):
    """The subscription lapsed (at `ends_at`, or when the event occurred)."""

    action: Literal["expired"]
    ends_at: AwareDatetime | None = None


# A named alias: the JSON schema gets a SubscriptionEvent definition, which the events'
# discriminator maps "subscription" to (an OpenAPI discriminator mapping names a schema).
SubscriptionEvent = TypeAliasType(
    "SubscriptionEvent",
    Annotated[
        SubscriptionStarted | SubscriptionRenewed | SubscriptionCancelled | SubscriptionExpired,
        Field(discriminator="action"),
    ],
)


class TipEvent(_Event):
    type: Literal["tip"]
    amount: Money
    currency: Currency = "USD"


class PpvUnlockEvent(_Event):
    """A fan paid to unlock pay-per-view media."""

    type: Literal["ppv_unlock"]
    amount: Money
    currency: Currency = "USD"
    media_id: UUID | None = Field(default=None, description="The creator's media_assets id")


class TransactionEvent(_Event):
    """Any other money movement: a paid message, a custom, a refund, a chargeback..."""

    type: Literal["transaction"]
    kind: TRANSACTION_KINDS
    amount: Money
    currency: Currency = "USD"
    media_id: UUID | None = Field(default=None, description="The creator's media_assets id")


class MessageEvent(_Event):
    """A message the fan sent the creator."""

    type: Literal["message"]
    body: str = Field(min_length=1, max_length=20000)


class MessageDeliveredEvent(_Event):
    """The platform delivered a message from the outbox to the fan (the delivery receipt)."""

    type: Literal["message_delivered"]
    message_id: UUID = Field(description="The outbox message's id (fan_messages), as queued")


WebhookEvent: TypeAlias = Annotated[
    SubscriptionEvent
    | TipEvent
    | PpvUnlockEvent
    | TransactionEvent
    | MessageEvent
    | MessageDeliveredEvent,
    Field(discriminator="type"),
]
MoneyEvent: TypeAlias = TipEvent | PpvUnlockEvent | TransactionEvent
ADAPTER: TypeAdapter[WebhookEvent] = TypeAdapter(WebhookEvent)
SUBSCRIPTION_ACTIONS: tuple[str, ...] = ("new", "renewed", "cancelled", "expired")


class InvalidEvent(ValueError):
    """The body is not a valid event. `errors` use FastAPI's shape: loc from "body" down."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("the body is not a valid event")
        self.errors = errors


def parse_event(raw: bytes) -> WebhookEvent:
    """The event in a request body; InvalidEvent with the field paths of every problem."""
    try:
        event = ADAPTER.validate_json(raw)
    except ValidationError as error:
        raise InvalidEvent([_located(e) for e in error.errors(include_url=False)]) from None
    if _NUL_ESCAPE.search(raw):
        raise InvalidEvent(
            [{"type": "string_nul", "loc": ("body",), "msg": "Text may not contain \\u0000"}]
        )
    return event


def _located(error: Any) -> dict[str, Any]:
    """A pydantic error located by its JSON path: without the union tags pydantic puts first
    (the `type`, then a subscription's `action`), naming the discriminator when it is missing
    or unknown (pydantic reports that at the object it could not classify)."""
    loc = list(error["loc"])
    if loc and loc[0] in EVENT_TYPES:
        tag = loc.pop(0)
        if tag == "subscription" and loc and loc[0] in SUBSCRIPTION_ACTIONS:
            loc.pop(0)
    kind = error["type"]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        loc.append(str(error.get("ctx", {}).get("discriminator", "type")).strip("'"))
    return {"type": kind, "loc": ("body", *loc), "msg": error["msg"]}
