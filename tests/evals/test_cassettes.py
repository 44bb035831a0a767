"""No eval cassette carries a credential; headers that could are dropped while recording."""

from pathlib import Path

import pytest
from vcr.request import Request

from evals.cassettes import (
    CASSETTES,
    RECORDING_KEY,
    RECORDING_URL,
    RECORDING_URL_ENV,
    SECRET_HEADERS,
    as_recorded,
)
from tests.cassette_checks import assert_no_credentials

FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_credentials_in_cassette(path: Path) -> None:
    assert_no_credentials(path, SECRET_HEADERS, RECORDING_KEY)


def test_a_recording_on_another_port_is_stored_as_sent_to_the_recording_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = Request("POST", "http://127.0.0.1:18499/v1/chat/completions", b"{}", {})
    assert as_recorded(sent).uri == "http://127.0.0.1:18499/v1/chat/completions"  # env unset
    monkeypatch.setenv(RECORDING_URL_ENV, "http://127.0.0.1:18499/v1")
    stored = as_recorded(sent)
    assert stored.uri == f"{RECORDING_URL}/chat/completions"
    assert (stored.method, stored.body) == ("POST", b"{}")
    elsewhere = Request("GET", "http://example.test/v1/models", None, {})
    assert as_recorded(elsewhere).uri == "http://example.test/v1/models"
