"""The creator workspace's CRM over HTTP: the inbox, alerts, segments, price suggestions, the media
vault, custom requests, notes and tags; what each role may do, what a chatter never sees, another
creator's ids (404) and bad input (4xx)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient

from crm.intelligence import alerts, recompute_creator
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.fakes import ScriptedChatModel
from tests.api.keys import bearer, key_for
from tests.intelligence.world import World, connection, new_creator

NOW = datetime.now(UTC)
PERSONAL = ("Secret Name", "secret@example.com")  # every World fan's real name and email
LONG = "so " + "very " * 60 + "long message"


@pytest.fixture(scope="module")
def client(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[TestClient]:
    app = create_app(database, chat_model=ScriptedChatModel([]), embedder=embedder)
    with TestClient(app) as client:
        yield client


@dataclass(frozen=True)
class Shop:
    """A creator recomputed and alerted at NOW, with its owner's, a chatter's and another
    creator's owner's keys."""

    world: World
    fans: dict[str, UUID]
    media: dict[str, UUID]
    request: UUID
    owner: dict[str, str]
    chatter: dict[str, str]
    stranger: dict[str, str]

    def ago(self, minutes: float) -> datetime:
        return NOW - timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def shop(database: DatabaseTarget) -> Iterator[Shop]:
    with connection(database) as conn:
        yield _build_shop(conn, database)


def _build_shop(conn: psycopg.Connection[Any], database: DatabaseTarget) -> Shop:
    world = new_creator(conn)
    joined = NOW - timedelta(days=40)
    fans = {name: world.fan(name, joined=joined) for name in ("Vera", "Hal", "Ida", "Quiet")}
    media = {
        "Beach set": world.media("Beach set", "12"),
        "Gym clip": world.media("Gym clip", "25"),
    }
    world.query(
        "UPDATE media_assets SET tags = '{beach,Sunset}' WHERE id = %s RETURNING id",
        media["Beach set"],
    )
    world.query(
        "UPDATE media_assets SET kind = 'video', tags = '{gym}' WHERE id = %s RETURNING id",
        media["Gym clip"],
    )
    vera, hal, ida = fans["Vera"], fans["Hal"], fans["Ida"]
    world.tx(vera, "tip", "1500", NOW - timedelta(days=3))  # a VIP
    world.tx(vera, "ppv", "12", NOW - timedelta(days=2), media=media["Beach set"])
    world.tx(hal, "tip", "20", NOW - timedelta(days=2))
    world.message(vera, "inbound", NOW - timedelta(minutes=20))
    world.message(hal, "inbound", NOW - timedelta(hours=2))
    world.message(hal, "outbound", NOW - timedelta(hours=1), media=media["Gym clip"], price="25")
    world.query(
        "INSERT INTO fan_messages (creator_id, fan_id, direction, status, body, created_at)"
        " VALUES (%s, %s, 'inbound', 'received', %s, %s) RETURNING id",
        world.creator,
        ida,
        LONG,
        NOW - timedelta(hours=3),
    )
    world.message(ida, "outbound", NOW - timedelta(minutes=5), status="draft")  # not an answer
    world.query(
        "INSERT INTO fan_offers (creator_id, fan_id, percent, media_id, expires_at)"
        " VALUES (%s, %s, 20, %s, %s) RETURNING id",
        world.creator,
        ida,
        media["Beach set"],
        NOW + timedelta(days=1),
    )
    [(request,)] = world.query(
        "INSERT INTO fan_custom_requests (creator_id, fan_id, description, proposed_price)"
        " VALUES (%s, %s, 'A video saying my name', 80) RETURNING id",
        world.creator,
        vera,
    )
    world.tag(vera, "whale", "gold")
    with world.scope():
        recompute_creator(conn, world.creator, as_of=NOW, full=True)
        alerts.generate(conn, as_of=NOW)
    stranger = new_creator(conn).creator
    return Shop(
        world,
        fans,
        media,
        request,
        bearer(key_for(database, world.creator, "owner")),
        bearer(key_for(database, world.creator, "chatter")),
        bearer(key_for(database, stranger, "owner")),
    )


def _no_personal_data(response: Any) -> None:
    for secret in PERSONAL:
        assert secret not in response.text


def _error(response: Any) -> str:
    message: str = response.json()["error"]["message"]
    details = response.json()["error"]["details"]
    return message + " " + " ".join(f"{d['path']}: {d['message']}" for d in details)


def test_the_inbox_opens_on_the_fans_awaiting_a_reply(client: TestClient, shop: Shop) -> None:
    page = client.get("/v1/inbox", headers=shop.chatter)
    assert page.status_code == 200
    body = page.json()
    assert body["tab"] == "awaiting_reply" and body["total"] == 2 and not body["has_more"]
    assert [e["display_name"] for e in body["entries"]] == ["Vera", "Ida"]  # the VIP first
    vera, ida = body["entries"]
    assert vera["awaiting_reply"] and vera["last_message"]["direction"] == "inbound"
    text = ida["last_message"]["text"]  # the long message, not the later draft
    assert len(text) <= 160 and text.endswith("very…") and text.startswith("so very")
    _no_personal_data(page)

    everyone = client.get("/v1/inbox", params={"tab": "all"}, headers=shop.chatter).json()
    hal = next(e for e in everyone["entries"] if e["display_name"] == "Hal")
    assert not hal["awaiting_reply"] and hal["last_message"]["direction"] == "outbound"
    paged = client.get("/v1/inbox", params={"limit": 1, "offset": 1}, headers=shop.chatter).json()
    assert [e["display_name"] for e in paged["entries"]] == ["Ida"] and paged["offset"] == 1

    tabs = client.get("/v1/inbox/tabs", headers=shop.chatter).json()
    assert [t["tab"] for t in tabs] == [
        "awaiting_reply",
        "vip",
        "hot_leads",
        "all",
        "dormant",
        "new",
    ]
    totals = {t["tab"]: t["total"] for t in tabs}
    assert (totals["awaiting_reply"], totals["vip"], totals["all"]) == (2, 1, 2)


@pytest.mark.parametrize(
    "params", [{"tab": "unanswered"}, {"limit": 0}, {"limit": 201}, {"offset": -1}]
)
def test_a_bad_inbox_query_is_422(client: TestClient, shop: Shop, params: dict[str, Any]) -> None:
    response = client.get("/v1/inbox", params=params, headers=shop.owner)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "query." + next(iter(params))


def test_alerts_are_listed_with_the_fans_name_then_read_and_dismissed(
    client: TestClient, shop: Shop
) -> None:
    listed = client.get("/v1/alerts", headers=shop.chatter).json()
    vip = next(a for a in listed if a["type"] == "vip_active")
    assert vip["fan_name"] == "Vera" and vip["fan_id"] == str(shop.fans["Vera"])
    assert vip["priority"] == "urgent" and listed[0]["id"] == vip["id"]  # most urgent first

    read = client.post(f"/v1/alerts/{vip['id']}/read", headers=shop.chatter)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    unread = client.get("/v1/alerts", params={"unread_only": True}, headers=shop.chatter).json()
    assert vip["id"] not in [a["id"] for a in unread]

    dismissed = client.post(f"/v1/alerts/{vip['id']}/dismiss", headers=shop.owner)
    assert dismissed.status_code == 200 and dismissed.json()["dismissed_at"] is not None
    after = client.get("/v1/alerts", headers=shop.owner).json()
    assert vip["id"] not in [a["id"] for a in after] and len(after) == len(listed) - 1
    assert client.get("/v1/alerts", params={"limit": 0}, headers=shop.owner).status_code == 422
    unknown = client.post(f"/v1/alerts/{shop.request}/read", headers=shop.owner)
    assert unknown.status_code == 404


def test_segments_are_created_by_managers_previewed_evaluated_and_deleted(
    client: TestClient, shop: Shop
) -> None:
    listed = client.get("/v1/segments", headers=shop.chatter).json()
    presets = [s for s in listed if s["is_preset"]]
    assert presets and all(not s["is_preset"] for s in listed[len(presets) :])
    new = {"name": "Big spenders", "rules": {"field": "lifetime_spend", "op": "gte", "value": 10}}
    assert client.post("/v1/segments", json=new, headers=shop.chatter).status_code == 403
    created = client.post("/v1/segments", json=new, headers=shop.owner)
    assert created.status_code == 201 and created.json()["members"] == 0
    segment = created.json()["id"]
    again = client.post("/v1/segments", json=new, headers=shop.owner)
    assert again.status_code == 409 and "Big spenders" in again.json()["error"]["message"]
    bad = {"name": "Bad", "rules": {"field": "lifetime_spend", "op": "gte", "value": "lots"}}
    invalid = client.post("/v1/segments", json=bad, headers=shop.owner)
    assert invalid.status_code == 422 and "lifetime_spend is a number" in _error(invalid)

    preview = client.post(
        "/v1/segments/preview", json={"rules": new["rules"]}, headers=shop.chatter
    )
    assert preview.json() == {
        "count": 2,
        "sample": [
            {"fan_id": str(shop.fans["Vera"]), "display_name": "Vera"},
            {"fan_id": str(shop.fans["Hal"]), "display_name": "Hal"},
        ],
    }
    nonsense = client.post("/v1/segments/preview", json={"rules": {"x": 1}}, headers=shop.owner)
    assert nonsense.status_code == 422 and "a rule is an object with one of the keys" in _error(
        nonsense
    )
    assert client.get(f"/v1/segments/{segment}/members", headers=shop.chatter).json() == []

    evaluated = client.post(f"/v1/segments/{segment}/evaluate", headers=shop.chatter)
    assert evaluated.status_code == 200 and evaluated.json()["total"] == 2
    members = client.get(
        f"/v1/segments/{segment}/members", params={"limit": 1, "offset": 1}, headers=shop.chatter
    )
    assert [(m["fan_id"], m["display_name"]) for m in members.json()] == [
        (str(shop.fans["Hal"]), "Hal")
    ]
    _no_personal_data(members)

    assert client.delete(f"/v1/segments/{segment}", headers=shop.chatter).status_code == 403
    preset = client.delete(f"/v1/segments/{presets[0]['id']}", headers=shop.owner)
    assert preset.status_code == 409
    assert client.delete(f"/v1/segments/{segment}", headers=shop.owner).status_code == 204
    assert client.delete(f"/v1/segments/{segment}", headers=shop.owner).status_code == 404


def test_a_price_is_suggested_for_a_fan_and_an_item(client: TestClient, shop: Shop) -> None:
    path = f"/v1/fans/{shop.fans['Vera']}/price"
    owned = client.get(
        path, params={"media_id": str(shop.media["Beach set"])}, headers=shop.chatter
    )
    assert owned.status_code == 200
    assert owned.json()["already_purchased"] and not owned.json()["offer"]
    fresh = client.get(path, params={"media_id": str(shop.media["Gym clip"])}, headers=shop.chatter)
    assert fresh.json()["offer"] and fresh.json()["title"] == "Gym clip"
    low, high = float(fresh.json()["min_price"]), float(fresh.json()["max_price"])
    assert low <= float(fresh.json()["suggested_price"]) <= high
    unknown = client.get(path, params={"media_id": str(shop.request)}, headers=shop.chatter)
    assert unknown.status_code == 404 and "no media" in unknown.json()["error"]["message"]
    assert client.get(path, headers=shop.chatter).status_code == 422
    assert client.get(path, params={"media_id": "x"}, headers=shop.chatter).status_code == 422


def test_the_vault_is_searched_and_says_what_a_fan_has(client: TestClient, shop: Shop) -> None:
    def titles(**params: Any) -> list[str]:
        response = client.get("/v1/media", params=params, headers=shop.chatter)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert titles() == ["Gym clip", "Beach set"]  # newest first
    assert titles(q="sUnSeT") == ["Beach set"]  # a tag, any case
    assert titles(q="clip") == ["Gym clip"]
    assert titles(q="%") == []  # literally
    assert titles(kind="video") == ["Gym clip"] and titles(tag="beach") == ["Beach set"]
    assert titles(limit=1) == ["Gym clip"]

    def has(fan: str | None) -> dict[str, tuple[bool | None, bool | None]]:
        params = {} if fan is None else {"fan_id": str(shop.fans[fan])}
        items = client.get("/v1/media", params=params, headers=shop.chatter).json()["items"]
        return {i["title"]: (i["already_bought"], i["already_sent"]) for i in items}

    assert has(None) == {"Gym clip": (None, None), "Beach set": (None, None)}
    assert has("Vera") == {"Gym clip": (False, False), "Beach set": (True, False)}
    assert has("Hal") == {"Gym clip": (False, True), "Beach set": (False, False)}  # a message
    assert has("Ida") == {"Gym clip": (False, False), "Beach set": (False, True)}  # an offer
    for bad in ({"kind": "gif"}, {"limit": 0}, {"q": ""}, {"fan_id": "nope"}):
        assert client.get("/v1/media", params=bad, headers=shop.chatter).status_code == 422, bad


def test_custom_requests_tags_and_notes_reach_the_dossier(client: TestClient, shop: Shop) -> None:
    vera = shop.fans["Vera"]
    requests = client.get(f"/v1/fans/{vera}/custom-requests", headers=shop.chatter)
    assert [(r["id"], r["status"], r["proposed_price"]) for r in requests.json()] == [
        (str(shop.request), "pending_review", 80.0)
    ]
    assert (
        client.get(f"/v1/fans/{shop.fans['Hal']}/custom-requests", headers=shop.chatter).json()
        == []
    )
    dossier = client.get(f"/v1/fans/{vera}", headers=shop.chatter)
    assert dossier.json()["custom_requests"][0]["description"] == "A video saying my name"
    assert {"tag": "whale", "value": "gold"} in dossier.json()["tags"]
    _no_personal_data(dossier)
    _no_personal_data(requests)


def test_notes_are_written_by_anyone_and_deleted_by_their_author_or_a_manager(
    client: TestClient, shop: Shop
) -> None:
    fan = shop.fans["Hal"]
    me = client.get("/v1/me", headers=shop.chatter).json()["user"]
    mine = client.post(
        f"/v1/fans/{fan}/notes", json={"body": "  Likes gym content "}, headers=shop.chatter
    )
    assert mine.status_code == 201
    assert (mine.json()["body"], mine.json()["author_user_id"]) == ("Likes gym content", me["id"])
    theirs = client.post(
        f"/v1/fans/{fan}/notes", json={"body": "VIP soon"}, headers=shop.owner
    ).json()
    listed = client.get(f"/v1/fans/{fan}/notes", headers=shop.chatter).json()
    assert [n["id"] for n in listed] == [theirs["id"], mine.json()["id"]]  # newest first
    assert (
        client.get(f"/v1/fans/{fan}", headers=shop.chatter).json()["notes"][0]["body"] == "VIP soon"
    )

    forbidden = client.delete(f"/v1/notes/{theirs['id']}", headers=shop.chatter)
    assert (
        forbidden.status_code == 403 and "their own notes" in forbidden.json()["error"]["message"]
    )
    assert client.delete(f"/v1/notes/{mine.json()['id']}", headers=shop.chatter).status_code == 204
    assert client.delete(f"/v1/notes/{theirs['id']}", headers=shop.owner).status_code == 204
    assert client.get(f"/v1/fans/{fan}/notes", headers=shop.owner).json() == []
    assert client.delete(f"/v1/notes/{theirs['id']}", headers=shop.owner).status_code == 404
    for bad in ({"body": "   "}, {"body": "x" * 10001}, {"text": "hi"}, {}):
        response = client.post(f"/v1/fans/{fan}/notes", json=bad, headers=shop.chatter)
        assert response.status_code == 422, bad


def test_tags_are_set_replaced_listed_and_removed(client: TestClient, shop: Shop) -> None:
    fan = shop.fans["Quiet"]
    base = f"/v1/fans/{fan}/tags"
    assert client.get(base, headers=shop.chatter).json() == []
    tagged = client.put(f"{base}/likes:cosplay", json={"value": "anime"}, headers=shop.chatter)
    assert tagged.status_code == 200 and tagged.json() == {"tag": "likes:cosplay", "value": "anime"}
    client.put(f"{base}/likes:cosplay", json={"value": None}, headers=shop.chatter)
    client.put(f"{base}/night-owl", json={}, headers=shop.chatter)
    assert client.get(base, headers=shop.chatter).json() == [
        {"tag": "likes:cosplay", "value": None},
        {"tag": "night-owl", "value": None},
    ]
    bad = client.put(f"{base}/Bad Tag", json={"value": None}, headers=shop.chatter)
    assert bad.status_code == 422 and "^[a-z0-9][a-z0-9_:-]{0,62}$" in _error(bad)
    too_long = client.put(f"{base}/ok", json={"value": "v" * 201}, headers=shop.chatter)
    assert too_long.status_code == 422
    assert client.delete(f"{base}/night-owl", headers=shop.chatter).status_code == 204
    gone = client.delete(f"{base}/night-owl", headers=shop.chatter)
    assert gone.status_code == 404 and "night-owl" in gone.json()["error"]["message"]
    assert client.get(base, headers=shop.chatter).json() == [
        {"tag": "likes:cosplay", "value": None}
    ]


def test_another_creators_ids_are_404_and_its_listings_empty(
    client: TestClient, shop: Shop
) -> None:
    them = shop.stranger
    fan = shop.fans["Vera"]
    [alert, *_] = client.get("/v1/alerts", headers=shop.owner).json()
    [segment, *_] = client.get("/v1/segments", headers=shop.owner).json()
    note = client.post(f"/v1/fans/{fan}/notes", json={"body": "mine"}, headers=shop.owner).json()
    for method, path, query in (
        ("GET", f"/v1/fans/{fan}/notes", None),
        ("POST", f"/v1/fans/{fan}/notes", None),
        ("DELETE", f"/v1/notes/{note['id']}", None),
        ("GET", f"/v1/fans/{fan}/tags", None),
        ("PUT", f"/v1/fans/{fan}/tags/whale", None),
        ("DELETE", f"/v1/fans/{fan}/tags/whale", None),
        ("GET", f"/v1/fans/{fan}/custom-requests", None),
        ("GET", f"/v1/fans/{fan}/price", {"media_id": str(shop.media["Gym clip"])}),
        ("GET", "/v1/media", {"fan_id": str(fan)}),
        ("POST", f"/v1/alerts/{alert['id']}/read", None),
        ("POST", f"/v1/alerts/{alert['id']}/dismiss", None),
        ("POST", f"/v1/segments/{segment['id']}/evaluate", None),
        ("GET", f"/v1/segments/{segment['id']}/members", None),
        ("DELETE", f"/v1/segments/{segment['id']}", None),
    ):
        body = {"POST": {"body": "x"}, "PUT": {"value": None}}.get(method)
        if path.endswith(("/read", "/dismiss", "/evaluate")):
            body = None
        response = client.request(method, path, params=query, json=body, headers=them)
        assert response.status_code == 404, (method, path, response.text)
    assert client.get("/v1/alerts", headers=them).json() == []
    assert client.get("/v1/inbox", headers=them).json()["entries"] == []
    assert client.get("/v1/media", headers=them).json() == {"items": []}
    assert all(t["total"] == 0 for t in client.get("/v1/inbox/tabs", headers=them).json())
    assert client.get(f"/v1/fans/{fan}/tags", headers=shop.owner).json() == [
        {"tag": "whale", "value": "gold"}
    ]


def test_the_rule_fields_say_what_a_rule_builder_may_offer(client: TestClient, shop: Shop) -> None:
    listed = client.get("/v1/segments/fields", headers=shop.chatter)
    assert listed.status_code == 200
    fields = {f["field"]: f for f in listed.json()}
    assert fields["lifetime_spend"]["kind"] == "number"
    assert {"gte", "between"} <= set(fields["lifetime_spend"]["operators"])
    assert fields["price_range"]["choices"] == ["low", "mid", "high", "whale"]
    assert "gt" not in fields["price_range"]["operators"]
    assert fields["chargeback_risk"]["operators"] == ["eq"]
