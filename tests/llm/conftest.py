"""Fixtures of the LLM tests: vcrpy cassettes, the embedded model, retry settings."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.llm.local_backend import LocalChatModel
from agent.llm.retry import RetryPolicy
from agent.llm.settings import bundled_gguf
from evals.cassettes import recorder

CASSETTES = Path(__file__).parent / "cassettes"
# FANAGENT_RECORD=1 re-records against live servers (see cassettes/README.md); otherwise a
# request without its recorded answer fails the test instead of reaching the network.
RECORDING = os.environ.get("FANAGENT_RECORD") == "1"
# Quick retries for the tests; the timeout is generous enough for a CPU run of SmolLM2 on a
# busy 2-core machine.
FAST_RETRIES = RetryPolicy(timeout_s=120.0, max_retries=2, backoff_s=0.01, backoff_max_s=0.05)


cassette_vcr = recorder("record" if RECORDING else "replay", library=CASSETTES)


@pytest.fixture
def cassette(request: pytest.FixtureRequest) -> Iterator[None]:
    """Replays cassettes/<CASSETTE_FOLDER of the test module>/<test name>.yaml."""
    folder = request.module.CASSETTE_FOLDER
    with cassette_vcr.use_cassette(f"{folder}/{request.node.name}.yaml"):
        yield


def local_smollm2(policy: RetryPolicy = FAST_RETRIES) -> LocalChatModel:
    """The embedded SmolLM2; every instance shares one loaded model (load_engine caches it)."""
    return LocalChatModel(
        gguf_path=bundled_gguf(),
        n_ctx=2048,
        n_threads=None,
        chat_format="chatml-function-calling",
        policy=policy,
    )


@pytest.fixture(scope="session")
def local_model() -> LocalChatModel:
    return local_smollm2()
