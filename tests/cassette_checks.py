"""What every recorded cassette must not carry: a credential in a header, the key it was
recorded with, a bearer token or an OpenAI-style key anywhere in the text."""

import re
from collections.abc import Iterable
from pathlib import Path

import yaml


def assert_no_credentials(path: Path, secret_headers: Iterable[str], recording_key: str) -> None:
    text = path.read_text()
    secret = {name.lower() for name in secret_headers}
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            names = {name.lower() for name in interaction[side]["headers"]}
            assert not names & secret, f"{side} header left in"
    lowered = text.lower()
    assert recording_key.lower() not in lowered
    assert "bearer" not in lowered
    assert not re.search(r"(?<![a-z0-9])sk-[a-z0-9_-]{8,}", lowered), "an OpenAI-style key"
