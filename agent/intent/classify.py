"""The classification policy: the fast path for every message, the LLM when configured or when
the fast path is unsure. When no LLM decides an unsure message (none configured, mode fast, or
its call failed), the fast result abstains: its unsure signals are dropped, never guessed."""

import asyncio
import time
from dataclasses import dataclass

from agent.intent.encoder import intent_embedder
from agent.intent.fast import FastClassifier, FastModel
from agent.intent.llm import LLMIntentClassifier
from agent.intent.scores import Scores
from agent.intent.settings import IntentSettings, Mode
from agent.llm.port import ChatModel
from agent.llm.types import LLMError


@dataclass(frozen=True)
class IntentResult:
    scores: Scores  # the deciding classifier's confidences and detected labels
    classifier: str  # which classifier decided, e.g. "fast:minilm-ngram-logreg-v2"
    fast_unsure: bool
    latency_ms: float  # the whole classification, embedding and LLM call included
    llm_error: str | None = None  # why the LLM's answer was not used, when it was asked

    @property
    def detected(self) -> dict[str, float]:
        return {label: self.scores.confidences[label] for label in self.scores.detected}


class IntentClassifier:
    def __init__(
        self,
        fast: FastClassifier,
        llm: LLMIntentClassifier | None = None,
        *,
        mode: Mode = Mode.AUTO,
        unsure_margin: float = 0.05,
    ) -> None:
        if mode is Mode.LLM and llm is None:
            raise ValueError("intent mode 'llm' needs a chat model")
        self.fast, self.llm, self.mode, self.unsure_margin = fast, llm, mode, unsure_margin

    async def classify(self, text: str) -> IntentResult:
        """Classifies one fan message (embedded by the fast classifier's own encoder)."""
        start = time.perf_counter()
        embedding = await asyncio.to_thread(self.fast.embed, text)
        fast = self.fast.scores(text, embedding)
        unsure = self.fast.model.unsure(fast, self.unsure_margin)
        scores, classifier, error = fast, self.fast.name, None
        if self.llm is not None and (self.mode is Mode.LLM or (self.mode is Mode.AUTO and unsure)):
            try:
                scores, classifier = await self.llm.scores(text), self.llm.name
            except LLMError as failure:
                error = f"{type(failure).__name__}: {failure}"
        if classifier == self.fast.name:
            scores = self.fast.model.abstain(fast, self.unsure_margin)
        elapsed = (time.perf_counter() - start) * 1000
        return IntentResult(scores, classifier, unsure, elapsed, error)


def fast_classifier(settings: IntentSettings) -> FastClassifier:
    """The artifact at settings.model_path over the intent encoder of settings.adapters_path."""
    return FastClassifier(
        FastModel.load(settings.model_path), intent_embedder(settings.adapters_path)
    )


def from_settings(
    settings: IntentSettings, chat_model: ChatModel | None = None
) -> IntentClassifier:
    """The configured policy: the fast classifier of the settings, the LLM when given one."""
    fast = fast_classifier(settings)
    llm = LLMIntentClassifier(chat_model) if chat_model is not None else None
    return IntentClassifier(fast, llm, mode=settings.mode, unsure_margin=settings.unsure_margin)
