"""The LLM classifier against the embedded SmolLM2, replayed from a cassette recorded through
llama-cpp-python's OpenAI-compatible server (see cassettes/README.md)."""

import asyncio
from pathlib import Path

from agent.intent.classify import IntentClassifier
from agent.intent.encoder import IntentEmbedder
from agent.intent.fast import FastClassifier, FastModel
from agent.intent.llm import LLMIntentClassifier
from agent.intent.settings import Mode
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.retry import RetryPolicy
from tests.llm.conftest import RECORDING, cassette_vcr

CASSETTE = Path(__file__).parent / "cassettes" / "smollm2_classify.yaml"
LLAMA_SERVER = "http://127.0.0.1:18533/v1"  # where the recording server listened
RECORDING_KEY = "sk-intent-recording-key-must-not-appear"
# No retries: the recorded exchange is the first attempt and the backend's one repair.
ONE_ATTEMPT = RetryPolicy(timeout_s=120.0, max_retries=0, backoff_s=0.01, backoff_max_s=0.01)


def test_smollm2s_answer_is_rejected_and_the_fast_result_kept(
    artifact: FastModel, intent_embedder: IntentEmbedder
) -> None:
    smollm2 = OpenAIChatModel(
        model="SmolLM2-135M-Instruct",
        base_url=LLAMA_SERVER,
        api_key=RECORDING_KEY,
        json_mode="json_object",  # llama-cpp-python's server rejects json_schema
        policy=ONE_ATTEMPT,
    )
    policy = IntentClassifier(
        FastClassifier(artifact, intent_embedder), LLMIntentClassifier(smollm2), mode=Mode.LLM
    )
    with cassette_vcr.use_cassette(str(CASSETTE)) as cassette:
        result = asyncio.run(policy.classify("how much for a custom vid?"))
        assert len(cassette) == 2  # the answer, then the backend's repair request
        assert RECORDING or cassette.all_played
    # SmolLM2-135M puts numbers above 1 into the label map even after the repair.
    assert result.llm_error is not None and result.llm_error.startswith("LLMBadOutput")
    assert "above maximum 1" in result.llm_error
    assert result.classifier == "fast:minilm-ngram-logreg-v2"
    assert set(result.detected) == {"wants_custom", "price_question"}
    assert RECORDING_KEY not in CASSETTE.read_text(encoding="utf-8")
