"""The chat model's reading of fan messages for facts (agent/graph/model_facts.py), replayed from
cassettes recorded against the embedded SmolLM2 served by llama-cpp-python's OpenAI-compatible
server (see cassettes/README.md). A model this small makes things up; what it says goes through
memory/extract_model.py's checks, and only facts grounded in the message are kept."""

import asyncio

import pytest

from agent.graph.model_facts import model_facts
from memory.extract import extract_facts
from tests.llm.test_openai_backend import llama_server_model

CASSETTE_FOLDER = "openai"
MESSAGES = {
    "pet": "my dog max got into the trash again lol",
    "trip": "just got back from vegas, lost 200 bucks at blackjack 😭",
    "job": "im a nurse so night shifts all week, miss u",
    "greeting": "hey babe whats up",
}

pytestmark = pytest.mark.usefixtures("cassette")


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_the_embedded_models_guesses_do_not_become_memories(message: str) -> None:
    """SmolLM2 answered "hey babe whats up" with the key date "Makes up a team of 2 and is a
    great leader." (subject "likes_being_called_39_babe_34"): the 2 is made up, and "up" is no
    content word, so nothing is kept; for the others it found nothing."""
    found = asyncio.run(model_facts(llama_server_model(), message, None, [], timeout_s=120))

    assert found == []


def test_a_fact_the_patterns_found_is_not_returned_again() -> None:
    message = "my dog max got into the trash again lol"
    known = extract_facts(message)
    assert [f.body for f in known] == ["Has a dog named Max"]

    found = asyncio.run(model_facts(llama_server_model(), message, None, known, timeout_s=120))

    assert "Has a dog named Max" not in [f.body for f in found]
