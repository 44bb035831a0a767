"""No eval cassette carries a credential; headers that could are dropped while recording."""

import re
from pathlib import Path

import pytest
import yaml

from evals.cassettes import CASSETTES, RECORDING_KEY, SECRET_HEADERS

FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert len(FILES) >= 4


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
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
