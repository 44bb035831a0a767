"""No eval cassette carries a credential; headers that could are dropped while recording."""

from pathlib import Path

import pytest

from evals.cassettes import CASSETTES, RECORDING_KEY, SECRET_HEADERS
from tests.cassette_checks import assert_no_credentials

FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_credentials_in_cassette(path: Path) -> None:
    assert_no_credentials(path, SECRET_HEADERS, RECORDING_KEY)
