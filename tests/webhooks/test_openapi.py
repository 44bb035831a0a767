"""The route is documented: summary, the signing headers, the event union, 200/401/422."""

from fastapi.testclient import TestClient

from crm.webhooks.events import EVENT_TYPES


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

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["discriminator"] == {"propertyName": "type"}
    assert len(body["oneOf"]) == len(EVENT_TYPES)
    assert "$ref" not in str(body)  # inlined: nothing points at missing definitions
