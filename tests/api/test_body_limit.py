"""The app-wide request body limit: 413 in the API's error shape before the body is read or the
caller is checked; the webhook route keeps its own limit."""

import asyncio
import uuid
from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.types import Message

from crm.webhooks.routes import MAX_BODY_BYTES as WEBHOOK_LIMIT
from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import HttpSettings, create_app
from tests.agent.fakes import ScriptedChatModel

LIMIT = HttpSettings().max_body_bytes
DRAFTS = f"/v1/fans/{uuid.uuid4()}/drafts"
CHUNK = b" " * 65536


@pytest.fixture(scope="module")
def app(database: DatabaseTarget, embedder: LocalEmbedder) -> FastAPI:
    return create_app(database, chat_model=ScriptedChatModel([]), embedder=embedder)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def assert_too_large(response: httpx2.Response) -> None:
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_the_default_limit_is_1_mb() -> None:
    assert LIMIT == 1024 * 1024


def test_a_body_over_the_limit_is_413_not_401(client: TestClient) -> None:
    assert_too_large(client.post(DRAFTS, content=b'{"text": "' + b"x" * 2 * LIMIT + b'"}'))


def test_a_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    assert_too_large(client.post(DRAFTS, content=(CHUNK for _ in range(2 * LIMIT // len(CHUNK)))))


def test_a_body_within_the_limit_reaches_the_route(client: TestClient) -> None:
    assert client.post(DRAFTS, json={"text": "x" * (LIMIT - 100)}).status_code == 401


def test_a_body_to_no_route_over_the_limit_is_413(client: TestClient) -> None:
    assert_too_large(client.post("/v1/nowhere", content=b"x" * (LIMIT + 1)))


def _post_drafts(app: FastAPI, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST /drafts straight through ASGI with an endless body: the status and the chunks read."""
    read = 0

    async def receive() -> Message:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": CHUNK, "more_body": True}

    statuses: list[int] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": DRAFTS,
        "raw_path": DRAFTS.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return statuses[0], read


def test_a_declared_length_over_the_limit_is_refused_unread(app: FastAPI) -> None:
    declared = str(200 * LIMIT).encode()

    assert _post_drafts(app, [(b"content-length", declared)]) == (413, 0)


def test_a_chunked_body_is_read_only_up_to_the_limit(app: FastAPI) -> None:
    assert _post_drafts(app, [(b"transfer-encoding", b"chunked")]) == (
        413,
        LIMIT // len(CHUNK) + 1,
    )


def test_the_app_limit_cannot_undercut_the_webhook_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANAGENT_MAX_BODY_BYTES", str(WEBHOOK_LIMIT - 1))
    with pytest.raises(ValidationError, match="max_body_bytes"):
        HttpSettings()
    monkeypatch.setenv("FANAGENT_MAX_BODY_BYTES", str(WEBHOOK_LIMIT))
    assert HttpSettings().max_body_bytes == WEBHOOK_LIMIT
