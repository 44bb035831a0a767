"""The LLM extractor through the openai backend, replayed from cassettes recorded against the
embedded SmolLM2-135M served by llama-cpp-python (see cassettes/README.md).

SmolLM2-135M is a floor, not the product's quality: its answers follow the facts schema (the
request goes through a real model's grammar and parses) but every item it gave was unsure,
invalid or a single word, so none may become a fact.
"""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from agent.llm.openai_backend import OpenAIChatModel
from evals.cassettes import SECRET_HEADERS
from memory.extract_llm import LLMFactExtractor
from tests.llm.conftest import FAST_RETRIES, cassette_vcr

CASSETTES = Path(__file__).parent / "cassettes" / "llm_extract"
# Where the recording server listened; replay matches on it.
LLAMA_SERVER = "http://127.0.0.1:18447/v1"
RECORDING_KEY = "sk-recording-key-must-not-appear-in-cassettes"
MESSAGES = {
    "pet_and_job": "my dog's name is Max and I work as a nurse",
    "trip": "I'm going to Paris next week, so excited",
    "small_talk": "hey babe how are you",
}


def cassette_of(name: str) -> Path:
    return CASSETTES / f"test_what_smollm2_invents_is_not_remembered[{name}].yaml"


@pytest.fixture
def extractor(request: pytest.FixtureRequest) -> Iterator[LLMFactExtractor]:
    with cassette_vcr.use_cassette(str(cassette_of(request.node.callspec.id))):
        model = OpenAIChatModel(
            model="SmolLM2-135M-Instruct",
            base_url=LLAMA_SERVER,
            api_key=RECORDING_KEY,
            json_mode="json_object",  # llama-cpp-python's server rejects json_schema
            policy=FAST_RETRIES,
        )
        yield LLMFactExtractor(model)


@pytest.mark.parametrize("name", list(MESSAGES))
def test_what_smollm2_invents_is_not_remembered(extractor: LLMFactExtractor, name: str) -> None:
    facts = asyncio.run(extractor.extract(MESSAGES[name]))
    (answer,) = recorded_answers(cassette_of(name))
    assert answer["facts"], "the model did answer with items"
    assert facts == []


@pytest.mark.parametrize("name", list(MESSAGES))
def test_no_credentials_in_the_cassettes(name: str) -> None:
    text = cassette_of(name).read_text()
    for interaction in yaml.safe_load(text)["interactions"]:
        for side in ("request", "response"):
            assert not {h.lower() for h in interaction[side]["headers"]} & set(SECRET_HEADERS)
    assert RECORDING_KEY not in text and "bearer" not in text.lower()


def recorded_answers(path: Path) -> list[dict[str, list[object]]]:
    interactions = yaml.safe_load(path.read_text())["interactions"]
    bodies = [json.loads(i["response"]["body"]["string"]) for i in interactions]
    return [json.loads(body["choices"][0]["message"]["content"]) for body in bodies]
