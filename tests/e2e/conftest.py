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
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from db.connect import DatabaseTarget
from memory.embedders import LocalEmbedder
from server import create_app
from tests.agent.conftest import FIXED_NOW
from tests.agent.fakes import ScriptedChatModel

CHROMIUM = Path("/usr/bin/chromium")
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

    def get(self, path: str, key: str) -> Any:
        return self._call("GET", path, key, None)

    def _call(self, method: str, path: str, key: str, data: bytes | None) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            method=method,
        )
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
