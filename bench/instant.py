"""Benchmark tools behind the product's ports (not backends to ship):

instant_chat_model answers every request at once with a fixed reply, so a benchmark measures
what the service adds on top of the model. HashEmbedder gives deterministic unit vectors without a
neural network, for smoke runs where loading MiniLM would take longer than the run.
TimedEmbedder wraps an embedder and keeps how long each call took.
"""

import dataclasses
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.intent.classify import IntentClassifier
from agent.intent.fast import FastClassifier, FastModel
from agent.intent.settings import IntentSettings, Mode
from agent.llm.fixed import FixedReplyChatModel
from memory.embedders import Embedder

REPLY = "haha you always make me smile, tell me more about your day"


def instant_chat_model() -> FixedReplyChatModel:
    """Answers every request at once with REPLY."""
    return FixedReplyChatModel(REPLY, "bench:instant")


class HashEmbedder:
    """Unit vectors from a hash of the text: same text, same vector; no meaning at all."""

    name = "bench:hash"
    dimensions = 384

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dimensions)
            vectors.append((vector / np.linalg.norm(vector)).tolist())
        return vectors


def intents_for(embedder: Embedder) -> IntentClassifier | None:
    """None (the configured classifier, over its own intent encoder) unless `embedder` is the
    HashEmbedder of smoke runs: then the product's weights relabelled over its vectors, so the
    path runs the same arithmetic on meaningless vectors without loading a neural network."""
    if embedder.name != HashEmbedder.name:
        return None
    model = FastModel.load(IntentSettings().model_path)
    relabelled = dataclasses.replace(model, embedder=embedder.name)
    return IntentClassifier(FastClassifier(relabelled, embedder), mode=Mode.FAST)


@dataclass
class TimedEmbedder:
    """`inner` with the milliseconds of each embed call kept in `calls_ms`."""

    inner: Embedder
    calls_ms: list[float] = field(default_factory=list)
    name: str = field(init=False)
    dimensions: int = field(init=False)

    def __post_init__(self) -> None:
        self.name, self.dimensions = self.inner.name, self.inner.dimensions

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.calls_ms.append((time.perf_counter() - started) * 1000)
