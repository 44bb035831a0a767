"""The route is documented: summary, the signing headers, the event union, 200/401/422."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crm.webhooks.events import EVENT_TYPES, SUBSCRIPTION_ACTIONS, parse_event
from crm.webhooks.openapi import EXAMPLES, SchemaNameClash, add_event_schemas

EVENT_MODELS = (
    "TipEvent", "PpvUnlockEvent", "TransactionEvent", "MessageEvent", "MessageDeliveredEvent",
    "SubscriptionStarted", "SubscriptionRenewed", "SubscriptionCancelled", "SubscriptionExpired",
)  # fmt: skip


def test_openapi_documents_the_webhook_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/webhooks/{platform}"]["post"]
    assert operation["summary"].startswith("Receive a platform event")
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["platform"]["schema"]["enum"] == ["onlyfans", "fansly", "fanvue"]
    for header in ("x-fanagent-creator", "x-fanagent-timestamp", "x-fanagent-signature"):
        assert parameters[header]["in"] == "header"
        assert parameters[header]["description"].startswith("Required")

    responses = operation["responses"]
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/WebhookAccepted"
    )
    for code in ("401", "422"):
        assert "$ref" in responses[code]["content"]["application/json"]["schema"]
    accepted = spec["components"]["schemas"]["WebhookAccepted"]
    assert accepted["properties"]["status"]["enum"] == ["processed", "duplicate"]


def refs(node: Any) -> list[str]:
    """Every $ref (and discriminator mapping target) under `node`."""
    if isinstance(node, list):
        return [ref for item in node for ref in refs(item)]
    if not isinstance(node, dict):
        return []
    found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
    mapping = node.get("discriminator", {}).get("mapping", {})
    return found + list(mapping.values()) + [ref for value in node.values() for ref in refs(value)]


def resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/components/schemas/"), ref
    schema: dict[str, Any] = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def test_the_request_body_refers_to_the_event_schemas(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/webhooks/{platform}"]["post"]
    assert operation["requestBody"]["required"] is True
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/WebhookEvent"}

    union = resolve(spec, body["$ref"])
    assert union["discriminator"]["propertyName"] == "type"
    by_type = union["discriminator"]["mapping"]
    assert sorted(by_type) == sorted(EVENT_TYPES)
    assert sorted(by_type.values()) == sorted(choice["$ref"] for choice in union["oneOf"])
    assert resolve(spec, by_type["tip"])["properties"]["type"]["const"] == "tip"
    assert "amount" in resolve(spec, by_type["tip"])["required"]

    subscriptions = resolve(spec, by_type["subscription"])
    assert subscriptions["discriminator"]["propertyName"] == "action"
    assert sorted(subscriptions["discriminator"]["mapping"]) == sorted(SUBSCRIPTION_ACTIONS)
    for name in EVENT_MODELS:
        assert resolve(spec, f"#/components/schemas/{name}")["properties"]["fan"] == {
            "$ref": "#/components/schemas/EventFan"
        }
    for ref in refs(spec):  # nothing in the document points at a missing schema
        resolve(spec, ref)


def test_an_event_schema_never_replaces_another_schema_of_the_same_name() -> None:
    document = {"components": {"schemas": {"TipEvent": {"type": "string"}}}}
    with pytest.raises(SchemaNameClash, match="TipEvent"):
        add_event_schemas(document)


def test_the_body_has_a_valid_example_of_every_event_type(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/webhooks/{platform}"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(examples) == sorted(EVENT_TYPES)
    for kind, example in examples.items():
        assert example["value"] == EXAMPLES[kind]
        assert parse_event(json.dumps(example["value"]).encode()).type == kind
