"""The webhook events in the OpenAPI document: one component schema per event model, and
`WebhookEvent`, their union (oneOf with a discriminator on `type`), which the webhook route's
request body refers to.

The route reads its raw body itself (the signature is verified over those bytes before any
parsing), so FastAPI has no body model to put in the components: the server adds these with
`add_event_schemas`.
"""

from typing import Any

from crm.webhooks.events import ADAPTER

COMPONENT_REF = "#/components/schemas/{model}"
EVENT_UNION = "WebhookEvent"


def _event_schemas() -> dict[str, dict[str, Any]]:
    union = ADAPTER.json_schema(ref_template=COMPONENT_REF)
    schemas: dict[str, dict[str, Any]] = union.pop("$defs")
    return {**schemas, EVENT_UNION: union}


_FAN = {"id": "of-4412", "username": "brian_b", "display_name": "Brian"}
_AT = "2025-06-01T18:30:00Z"
# One per event type, shown by /docs and /redoc (tests/webhooks/test_openapi.py parses each).
EXAMPLES: dict[str, dict[str, Any]] = {
    "subscription": {
        "id": "evt-1001", "type": "subscription", "action": "new", "occurred_at": _AT,
        "fan": _FAN, "tier": "vip", "price": "9.99", "renews_at": "2025-07-01T18:30:00Z",
    },
    "tip": {"id": "evt-1002", "type": "tip", "occurred_at": _AT, "fan": _FAN, "amount": "20.00"},
    "ppv_unlock": {
        "id": "evt-1003", "type": "ppv_unlock", "occurred_at": _AT, "fan": _FAN,
        "amount": "24.99", "media_id": "5f0c8a4e-2b1d-4c3e-9f6a-7d8e9f0a1b2c",
    },
    "transaction": {
        "id": "evt-1004", "type": "transaction", "kind": "refund", "occurred_at": _AT,
        "fan": _FAN, "amount": "24.99",
    },
    "message": {
        "id": "evt-1005", "type": "message", "occurred_at": _AT, "fan": _FAN,
        "body": "hey, are you around tonight?",
    },
    "message_delivered": {
        "id": "evt-1006", "type": "message_delivered", "occurred_at": _AT, "fan": _FAN,
        "message_id": "0b6f3c2a-8d4e-4f1a-b5c6-d7e8f9a0b1c2",
    },
}  # fmt: skip
EVENT_SCHEMAS = _event_schemas()
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": COMPONENT_REF.format(model=EVENT_UNION)},
            "examples": {kind: {"value": value} for kind, value in EXAMPLES.items()},
        }
    },
}


class SchemaNameClash(ValueError):
    """Another schema of the document has the name of an event schema."""


def add_event_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """`document` (an OpenAPI document) with the event schemas in its components."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in EVENT_SCHEMAS.items():
        if schemas.setdefault(name, schema) != schema:
            raise SchemaNameClash(f"the OpenAPI document has another schema named {name}")
    return document
