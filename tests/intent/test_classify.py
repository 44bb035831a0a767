"""The policy that combines the fast and the LLM classifier (a fake chat model: logic only)."""

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import numpy as np
import pytest

from agent.intent.classify import IntentClassifier, IntentResult
from agent.intent.fast import FastClassifier, FastModel
from agent.intent.features import Vocabulary
from agent.intent.llm import LLMIntentClassifier
from agent.intent.scores import decide
from agent.intent.settings import Mode
from agent.intent.signals import LABELS, NONE, SIGNALS
from agent.llm.types import ChatResult, LLMError, LLMUnavailable, StreamDone, StreamEvent, Usage
from prompts.messages import ChatMessage
from tools.base import ToolSpec

DIMENSIONS = 384


class FakeChatModel:
    """Answers every call with `answer` (or raises `error`) and records the calls."""

    name = "fake:intent"

    def __init__(self, answer: dict[str, Any] | None = None, error: LLMError | None = None):
        self.answer, self.error = answer, error
        self.calls: list[tuple[list[ChatMessage], dict[str, Any] | None]] = []

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        json_schema: dict[str, Any] | None = None,
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> ChatResult:
        self.calls.append((list(messages), json_schema))
        if self.error is not None:
            raise self.error
        content = json.dumps(self.answer)
        return ChatResult(content, (), Usage(10, 10), self.name, "stop", parsed=self.answer)

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> AsyncIterator[StreamEvent]:
        yield StreamDone(await self.chat(messages))


class ZeroEmbedder:
    """The constant model's weights are zero: any vector gives its confidences."""

    name, dimensions = "none", DIMENSIONS

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [[0.0] * DIMENSIONS for _ in texts]


def constant_model(**confidences: float) -> FastModel:
    """A model that gives every message these confidences (default 0.01), thresholds 0.5."""
    wanted = np.array([confidences.get(label, 0.01) for label in LABELS])
    return FastModel(
        version="constant",
        embedder="none",
        dataset_sha256="-",
        vocabulary=Vocabulary.from_columns([], np.zeros(0)),  # the embedding alone
        weights=np.zeros((len(LABELS), DIMENSIONS)),
        bias=np.log(wanted / (1 - wanted)),
        calibration=np.tile([1.0, 0.0], (len(LABELS), 1)),
        thresholds=np.full(len(LABELS), 0.5),
    )


LLM_ANSWER = {label: 0.0 for label in LABELS} | {"churn_risk": 0.9, "attention_intent": 0.7}


def run(
    fast_confidences: dict[str, float], chat: FakeChatModel | None, mode: Mode = Mode.AUTO
) -> IntentResult:
    fast = FastClassifier(constant_model(**fast_confidences), ZeroEmbedder())
    llm = LLMIntentClassifier(chat) if chat is not None else None
    policy = IntentClassifier(fast, llm, mode=mode, unsure_margin=0.05)
    return asyncio.run(policy.classify("you never answer, thinking of leaving"))


def test_a_sure_fast_result_decides_without_the_llm() -> None:
    chat = FakeChatModel(LLM_ANSWER)
    result = run({"price_question": 0.9}, chat)
    assert chat.calls == []
    assert result.classifier == "fast:constant" and not result.fast_unsure
    assert result.detected == {"price_question": pytest.approx(0.9)}
    assert result.latency_ms >= 0 and result.llm_error is None


def test_an_unsure_fast_result_goes_to_the_llm() -> None:
    chat = FakeChatModel(LLM_ANSWER)
    result = run({"price_question": 0.53}, chat)  # within 0.05 of its threshold
    assert len(chat.calls) == 1
    assert result.fast_unsure and result.classifier == "llm:fake:intent/v1"
    assert result.detected == {"churn_risk": 0.9, "attention_intent": 0.7}
    messages, schema = chat.calls[0]
    assert "<fan_message>\nyou never answer, thinking of leaving\n</fan_message>" in (
        messages[-1].content
    )
    assert schema is not None and schema["required"] == list(LABELS)
    assert all(f"- {label}: " in messages[-1].content for label in LABELS)


def test_unsure_without_a_chat_model_drops_the_unsure_signals() -> None:
    result = run({"price_question": 0.53, "wants_custom": 0.9}, None)
    assert result.fast_unsure and result.classifier == "fast:constant"
    assert result.detected == {"wants_custom": pytest.approx(0.9)}
    alone = run({"price_question": 0.53}, None)
    assert list(alone.detected) == ["none"]  # fewer signals, never a guess


def test_a_sure_fast_result_keeps_every_signal_in_mode_fast() -> None:
    result = run({"price_question": 0.9, "wants_custom": 0.8}, None, Mode.FAST)
    assert set(result.detected) == {"price_question", "wants_custom"}
    assert not result.fast_unsure


def test_mode_fast_never_asks_the_llm_and_mode_llm_always_does() -> None:
    never = FakeChatModel(LLM_ANSWER)
    assert run({"price_question": 0.53}, never, Mode.FAST).classifier == "fast:constant"
    assert never.calls == []
    always = FakeChatModel(LLM_ANSWER)
    assert run({"price_question": 0.9}, always, Mode.LLM).classifier == "llm:fake:intent/v1"
    assert len(always.calls) == 1


def test_mode_llm_without_a_chat_model_is_a_configuration_error() -> None:
    fast = FastClassifier(constant_model(), ZeroEmbedder())
    with pytest.raises(ValueError, match="chat model"):
        IntentClassifier(fast, None, mode=Mode.LLM)


@pytest.mark.parametrize(
    ("chat", "error"),
    [
        (FakeChatModel(error=LLMUnavailable("connection refused")), "LLMUnavailable"),
        (FakeChatModel({"churn_risk": 0.9}), "LLMBadOutput"),  # labels missing
        (FakeChatModel({label: "high" for label in LABELS}), "LLMBadOutput"),
        (FakeChatModel(None), "LLMBadOutput"),  # no JSON object at all
    ],
)
def test_a_failing_llm_falls_back_to_the_abstaining_fast_result(
    chat: FakeChatModel, error: str
) -> None:
    result = run({"price_question": 0.53, "churn_risk": 0.8}, chat)
    assert result.classifier == "fast:constant"
    assert result.llm_error is not None and result.llm_error.startswith(error)
    assert result.detected == {"churn_risk": pytest.approx(0.8)}


def test_llm_confidences_are_clipped_to_0_1() -> None:
    answer = dict.fromkeys(LABELS, 0.0) | {"wants_more": 1.7, "churn_risk": -0.2}
    result = run({"price_question": 0.53}, FakeChatModel(answer))
    assert result.scores.confidences["wants_more"] == 1.0
    assert result.scores.confidences["churn_risk"] == 0.0
    assert result.scores.detected == ("wants_more",)


def test_decide_signals_none_and_the_none_gate() -> None:
    thresholds = dict.fromkeys(LABELS, 0.5)
    low = dict.fromkeys(LABELS, 0.1)
    assert decide(low, thresholds).detected == (NONE,)  # nothing clears: none
    two = low | {"wants_custom": 0.8, "price_question": 0.6}
    assert decide(two, thresholds).detected == ("wants_custom", "price_question")
    # "none" clears its own threshold and beats every detected signal: none wins.
    assert decide(two | {NONE: 0.9}, thresholds).detected == (NONE,)
    assert decide(two | {NONE: 0.7}, thresholds).detected == ("wants_custom", "price_question")
    assert list(decide(two, thresholds).confidences) == list(LABELS)
    assert len(SIGNALS) == 14
