"""The real app served by uvicorn on a free local port, and headless Debian Chromium driven by
Selenium through the Debian chromedriver (never downloaded: these machines are offline)."""

import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from auth.commands import DEMO_KEYS, FIRST_DEMO_OWNER
from auth.keys import create_key
from auth.operator import app_connection
from crm.intelligence import alerts
from crm.intelligence.refresh import recompute_creator
from db import migrate
from db.connect import DatabaseTarget, creator_scope
from db.demo.creators import CHATTER_EMAIL
from db.demo.load import seed_demo
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel
from tests.pg import fresh_database

CHROMIUM = Path("/usr/bin/chromium")
DEMO_CREATORS, DEMO_FANS, DEMO_SEED = 2, 60, 7
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # root in a VM
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@dataclass(frozen=True)
class LiveApp:
    url: str
    model: ScriptedChatModel

    def post(self, path: str, body: dict[str, Any], key: str) -> Any:
        """A JSON POST to the running app, as any API client sends it."""
        return self._call("POST", path, key, json.dumps(body).encode())

    def get(self, path: str, key: str, creator: str | None = None) -> Any:
        """A GET; `creator` is sent as X-Creator-Id (for a key of several creators)."""
        return self._call("GET", path, key, None, creator)

    def _call(
        self, method: str, path: str, key: str, data: bytes | None, creator: str | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        if creator is not None:
            headers["X-Creator-Id"] = creator
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Runs `app` with uvicorn in a thread on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the app did not start: see the log above")
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start within 60 s")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def live(database: DatabaseTarget, embedder: LocalEmbedder) -> Iterator[LiveApp]:
    """The app with a scripted chat model; a test adds the replies it needs to `model.replies`."""
    model = ScriptedChatModel([])
    app = create_app(database, chat_model=model, embedder=embedder, clock=lambda: FIXED_NOW)
    with serving(app) as url:
        yield LiveApp(url, model)


@dataclass(frozen=True)
class DemoApp:
    """The app over the demo seed (as `make run` loads it, smaller), with its demo keys: the
    owner of the first creator and the agency chatter who works for both."""

    live: LiveApp
    target: DatabaseTarget
    owner_key: str
    chatter_key: str


@pytest.fixture(scope="module")
def demo(embedder: LocalEmbedder) -> Iterator[DemoApp]:
    now = datetime.now(UTC)  # as `make run`: the demo ends today, alerts are due now
    with fresh_database("e2e_demo") as target:
        migrate.migrate(target.admin_url)
        report = seed_demo(
            target.admin_url,
            creators=DEMO_CREATORS,
            fans_per_creator=DEMO_FANS,
            seed=DEMO_SEED,
            as_of=now.date(),
            embedder=lambda: embedder,
        )
        assert report.creators == DEMO_CREATORS
        with psycopg.connect(target.admin_url, autocommit=True) as admin:
            creators = [row[0] for row in admin.execute(CREATOR_IDS).fetchall()]
            owner = admin.execute(FIRST_DEMO_OWNER).fetchone()
            assert owner is not None
            owner_key = create_key(admin, owner[0], "demo", DEMO_KEYS["owner"])
            chatter_key = create_key(admin, CHATTER_EMAIL, "demo", DEMO_KEYS["chatter"])
        with app_connection(target) as conn:
            for creator in creators:
                with creator_scope(conn, creator):
                    recompute_creator(conn, creator, as_of=now, full=True)
                    alerts.generate(conn, as_of=now)
        model = ScriptedChatModel([])
        app = create_app(target, chat_model=model, embedder=embedder)
        with serving(app) as url:
            yield DemoApp(LiveApp(url, model), target, owner_key, chatter_key)


CREATOR_IDS = "SELECT creator_id FROM creator_profiles ORDER BY handle"


def missing_browser() -> list[str]:
    return [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    missing = missing_browser()
    if missing:
        pytest.fail(
            f"the browser tests need Debian's chromium and chromium-driver; missing: "
            f"{', '.join(missing)}. `make test` installs them (`make browser`), or run "
            "`apt-get install -y --no-install-recommends chromium chromium-driver`.",
            pytrace=False,
        )
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER))
    # Both paths are given, so selenium-manager has nothing to find; offline, it must not try.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")
        driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()
