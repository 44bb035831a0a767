"""No cassette may carry a credential: request and response headers are scrubbed."""

from pathlib import Path

import pytest

from evals.cassettes import SECRET_HEADERS, scrub_response
from tests.cassette_checks import assert_no_credentials
from tests.llm.conftest import CASSETTES
from tests.llm.test_openai_backend import RECORDING_KEY

CASSETTE_FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_of_both_http_backends() -> None:
    assert {path.parent.name for path in CASSETTE_FILES} == {"openai", "ollama"}


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_credentials_in_cassette(path: Path) -> None:
    assert_no_credentials(path, SECRET_HEADERS, RECORDING_KEY)


def test_response_headers_are_scrubbed_before_recording() -> None:
    response = {"headers": {"Set-Cookie": ["s=1"], "OpenAI-Organization": ["org"], "Date": ["d"]}}

    assert scrub_response(response)["headers"] == {"Date": ["d"]}
