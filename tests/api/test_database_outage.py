"""PostgreSQL restarts, on an embedded server of the test's own (the shared test server keeps
serving the other tests). Right after a restart, requests answer 200: the pools replace the
connections it broke. While the server is down, under load, every request answers 503 with
Retry-After within about the pool's timeout, never 500 and never a hang; once it is back, they
answer 200 again, with nothing else after the first."""

import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from db import connect, embedded, migrate
from db.pools import UNAVAILABLE
from db.settings import DatabaseSettings
from memory.embedders import LocalEmbedder
from server import DATABASE_RETRY_AFTER_S, create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel, says
from tests.api.keys import bearer, key_for
from tests.tools.world import build_creator

POOL_TIMEOUT_S = 2.0
LOAD_THREADS = 3
WITHIN_S = POOL_TIMEOUT_S + 2.0  # a checkout's longest wait, plus the request's own work
# A draft the outage catches mid-run waits longer: LangGraph's saver writes its checkpoint as
# the run fails (up to 3 writes), and queues all its I/O behind one lock, so each load thread's
# draft can add 3 checkout waits before the next one's turn.
CAUGHT_WITHIN_S = LOAD_THREADS * 3 * POOL_TIMEOUT_S + WITHIN_S
BACK_WITHIN_S = 3 * POOL_TIMEOUT_S  # the pools stop their back-off after one timeout
STREAM = {"Accept": "text/event-stream"}


@dataclass(frozen=True)
class Api:
    client: TestClient
    pgdata: Path
    fan: str
    owner: dict[str, str]


@pytest.fixture
def api(embedder: LocalEmbedder, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The app on a migrated database of an embedded server of its own (stopped afterwards),
    with a short pool timeout and a model that always answers. The server's files are not under
    pytest's tmp_path: a pytest session starting meanwhile makes that private to root again,
    and the server's own user could not reach them."""
    monkeypatch.setenv("FANAGENT_DB_POOL_TIMEOUT_S", str(POOL_TIMEOUT_S))
    with tempfile.TemporaryDirectory(prefix="fanagent-outage-") as data_dir:
        settings = DatabaseSettings(
            DATABASE_URL=None, FANAGENT_DATA_DIR=Path(data_dir), FANAGENT_APP_DB_PASSWORD=None
        )
        try:
            target = connect.resolve(settings)
            migrate.migrate(target.admin_url)
            creator = build_creator(target)
            owner = bearer(key_for(target, creator.id, "owner"))
            model = ScriptedChatModel([], otherwise=says("hey you, good to hear from you"))
            app = create_app(target, chat_model=model, embedder=embedder, clock=lambda: FIXED_NOW)
            with TestClient(app, raise_server_exceptions=False) as client:
                yield Api(client, settings.pgdata, str(creator.fan), owner)
        finally:
            embedded.stop(settings.pgdata)


def fans(api: Api) -> Response:
    return api.client.get("/v1/fans", headers=api.owner)


def draft(api: Api) -> Response:
    return api.client.post(f"/v1/fans/{api.fan}/drafts", json={}, headers=api.owner)


def streamed_draft(api: Api) -> Response:
    headers = {**api.owner, **STREAM}
    return api.client.post(f"/v1/fans/{api.fan}/drafts", json={}, headers=headers)


ROUTES: dict[str, Callable[[Api], Response]] = {
    "fans": fans,
    "draft": draft,
    "stream": streamed_draft,
}


@dataclass(frozen=True)
class Answer:
    route: str
    started: str  # the phase when the request went out: up, down, restarting or back
    ended: str  # ... and when its answer came
    at: float  # when it went out
    seconds: float
    status: int
    retry_after: str | None
    error: str | None  # the error code: of a JSON error, or of a stream's error event

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


class Load:
    """Threads sending every route in turn until stopped, each answer recorded."""

    def __init__(self, api: Api) -> None:
        self.api, self.phase = api, "up"
        self.answers: list[Answer] = []
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._send, args=(n,)) for n in range(LOAD_THREADS)]

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join()

    def _send(self, offset: int) -> None:
        routes = list(ROUTES.items())
        while not self.stopped.is_set():
            for route, send in routes[offset:] + routes[:offset]:
                started, at = self.phase, time.perf_counter()
                response = send(self.api)
                seconds = time.perf_counter() - at
                self.answers.append(
                    Answer(
                        route,
                        started,
                        self.phase,
                        at,
                        seconds,
                        response.status_code,
                        response.headers.get("retry-after"),
                        _error(response),
                    )
                )

    def until(self, done: Callable[[list[Answer]], bool], within_s: float) -> None:
        deadline = time.perf_counter() + within_s
        while not done(list(self.answers)):
            assert time.perf_counter() < deadline, f"not within {within_s} s: {self.answers}"
            time.sleep(0.05)


def _error(response: Response) -> str | None:
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        events = [line for line in response.text.splitlines() if line.startswith("data: ")]
        last = json.loads(events[-1].removeprefix("data: ")) if events else {}
        return str(last["error"]["code"]) if "error" in last else None
    if response.status_code == 200:
        return None
    return str(response.json()["error"]["code"])


def _each_route(answers: list[Answer], phase: str, ok: bool) -> bool:
    """Whether every route has an answer started and ended in `phase` that is (not) ok."""
    seen = {a.route for a in answers if a.started == a.ended == phase and a.ok == ok}
    return seen == set(ROUTES)


def test_right_after_a_restart_requests_get_new_connections(api: Api) -> None:
    with ThreadPoolExecutor(LOAD_THREADS) as warm:  # every pool holds several connections
        warmed = list(warm.map(lambda send: send(api), list(ROUTES.values()) * LOAD_THREADS))
    assert [r.status_code for r in warmed] == [200] * len(warmed)

    embedded.restart(api.pgdata)  # the server ends every session the pools hold

    for route, send in ROUTES.items():
        started = time.perf_counter()
        response = send(api)
        assert (route, response.status_code, _error(response)) == (route, 200, None)
        assert time.perf_counter() - started < WITHIN_S


def test_while_postgres_is_down_requests_answer_503_and_once_it_is_back_200(api: Api) -> None:
    with Load(api) as load:
        load.until(lambda answers: _each_route(answers, "up", ok=True), WITHIN_S)
        embedded.stop(api.pgdata)
        load.phase = "down"
        load.until(lambda answers: _each_route(answers, "down", ok=False), 3 * WITHIN_S)
        load.phase = "restarting"
        embedded.restart(api.pgdata)
        load.phase = "back"
        load.until(lambda answers: _each_route(answers, "back", ok=True), BACK_WITHIN_S)
        settled = time.perf_counter()
        load.until(lambda answers: any(a.at > settled for a in answers), WITHIN_S)
    answers = load.answers

    assert {a.status for a in answers} <= {200, 503}, "no 500, nothing but 200 and 503"
    arrived_down = [a for a in answers if a.started == "down"]
    assert max(a.seconds for a in arrived_down) < WITHIN_S, "one checkout's wait, no more"
    assert max(a.seconds for a in answers) < CAUGHT_WITHIN_S, "no request hangs"
    for failed in [a for a in answers if not a.ok]:
        assert failed.error == UNAVAILABLE, failed
        # A 503 says when to try again; a stream that had begun ends with an error event.
        assert failed.retry_after == str(DATABASE_RETRY_AFTER_S) or failed.status == 200, failed
    down = [a for a in answers if a.started == a.ended == "down"]
    assert {(a.status, a.error) for a in down} == {(503, UNAVAILABLE)}
    for route in ROUTES:
        back = [a for a in answers if a.route == route and a.started == "back"]
        first = min(a.at for a in back if a.ok)
        assert all(a.ok for a in back if a.at > first), f"{route} failed again after a 200"
