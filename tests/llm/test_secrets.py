"""No cassette may carry a credential: request and response headers are scrubbed."""

import re
from pathlib import Path

import pytest
import yaml

from tests.llm.conftest import CASSETTES, SECRET_HEADERS, scrub_response
from tests.llm.test_openai_backend import RECORDING_KEY

CASSETTE_FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_of_both_http_backends() -> None:
    assert {path.parent.name for path in CASSETTE_FILES} == {"openai", "ollama"}


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_credentials_in_cassette(path: Path) -> None:
    text = path.read_text()
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            names = {name.lower() for name in interaction[side]["headers"]}
            assert not names & set(SECRET_HEADERS), f"{side} header left in"
    lowered = text.lower()
    assert RECORDING_KEY.lower() not in lowered
    assert "bearer" not in lowered
    assert not re.search(r"(?<![a-z0-9])sk-[a-z0-9_-]{8,}", lowered), "an OpenAI-style key"


def test_response_headers_are_scrubbed_before_recording() -> None:
    response = {"headers": {"Set-Cookie": ["s=1"], "OpenAI-Organization": ["org"], "Date": ["d"]}}

    assert scrub_response(response)["headers"] == {"Date": ["d"]}
