"""An event id is stored once per creator and platform: a replay, a retry signed anew, or two
deliveries racing each other write one set of rows."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from agent.gate.queue import supersede_on_fan_message
from auth.operator import app_connection
from crm.webhooks.delivery import credentials, deliver
from crm.webhooks.events import parse_event
from crm.webhooks.ingest import ingest
from crm.webhooks.signature import sign
from db.connect import DatabaseTarget, creator_scope
from tests.webhooks.helpers import Creator, counts, event, post


def test_a_replayed_event_answers_duplicate_and_writes_nothing(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    tip = event("tip")
    secret = creator.secrets["onlyfans"]
    first = post(client, creator.id, tip, secret)
    assert first.json()["status"] == "processed"
    after_first = counts(database, creator.id)

    again = post(client, creator.id, tip, secret)
    later = post(client, creator.id, tip, secret, timestamp=int(time.time()) + 5)  # re-signed
    for response in (again, later):
        assert response.status_code == 200
        assert response.json() == {"status": "duplicate", "event_id": tip["id"], "type": "tip"}
    assert counts(database, creator.id) == after_first
    assert after_first["webhook_events"] == after_first["fan_transactions"] == 1


def test_the_same_event_id_on_another_platform_is_another_event(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    tip = event("tip")
    assert post(client, creator.id, tip, creator.secrets["onlyfans"]).json()["status"] == (
        "processed"
    )
    response = post(client, creator.id, tip, creator.secrets["fansly"], platform="fansly")
    assert response.json()["status"] == "processed"
    assert counts(database, creator.id)["fan_transactions"] == 2


def race(client: TestClient, creator: Creator, body: dict[str, Any], deliveries: int) -> list[str]:
    """The statuses of `deliveries` identical deliveries of `body` sent at the same moment."""
    raw = json.dumps(body).encode()
    now = int(time.time())
    signature = sign(creator.secrets["onlyfans"], now, raw)
    start = threading.Barrier(deliveries)

    def send(_: int) -> str:
        start.wait()
        response = post(client, creator.id, raw, None, timestamp=now, signature=signature)
        assert response.status_code == 200, response.text
        return str(response.json()["status"])

    with ThreadPoolExecutor(deliveries) as pool:
        return sorted(pool.map(send, range(deliveries)))


def test_concurrent_identical_deliveries_store_one_set_of_rows(
    client: TestClient, database: DatabaseTarget, creator: Creator
) -> None:
    for body in (event("tip"), event("subscription", fan={"id": "of-race"}), event("message")):
        assert race(client, creator, body, 8) == ["duplicate"] * 7 + ["processed"]

    found = counts(database, creator.id)
    assert found["webhook_events"] == 3
    assert found["fan_transactions"] == 2  # the tip and the paid subscription
    assert (found["fan_subscriptions"], found["fan_subscription_events"]) == (1, 1)
    assert found["fan_messages"] == 1
    assert (found["fan_profiles"], found["fan_platform_accounts"]) == (2, 2)


def test_a_delivery_racing_an_uncommitted_one_waits_and_then_writes_nothing(
    database: DatabaseTarget, creator: Creator
) -> None:
    """The interleaving made certain: the first delivery's transaction is held open while the
    second arrives; the second waits on the event's unique key, then finds it taken."""
    body = event("tip", fan={"id": "of-held"})
    raw = json.dumps(body).encode()
    now = int(time.time())
    found = credentials(
        str(creator.id),
        str(now),
        sign(creator.secrets["onlyfans"], now, raw),
        now=now,
        window_s=300,
    )
    outcome: list[str] = []

    def second() -> None:
        with app_connection(database) as conn:
            outcome.append(
                deliver(
                    conn, "onlyfans", found, raw, on_fan_message=supersede_on_fan_message
                ).status
            )

    with app_connection(database) as first, creator_scope(first, creator.id):
        assert (
            ingest(
                first,
                creator.id,
                "onlyfans",
                parse_event(raw),
                on_fan_message=supersede_on_fan_message,
            ).status
            == "processed"
        )
        racer = threading.Thread(target=second)
        racer.start()
        racer.join(timeout=0.5)
        assert racer.is_alive(), "the second delivery should wait for the first to commit"
    racer.join(timeout=10)
    assert outcome == ["duplicate"]
    tally = counts(database, creator.id)
    assert (tally["webhook_events"], tally["fan_transactions"], tally["fan_profiles"]) == (1, 1, 1)
