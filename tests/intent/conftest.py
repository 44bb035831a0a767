"""The intent encoder, the dataset and its embeddings: loaded once per test session."""

import numpy as np
import pytest

from agent.intent.dataset import IntentExample, load_dataset
from agent.intent.encoder import IntentEmbedder
from agent.intent.encoder import intent_embedder as cached_intent_embedder
from agent.intent.fast import FastModel, Matrix


@pytest.fixture(scope="session")
def intent_embedder() -> IntentEmbedder:
    """The shipped intent encoder (its adapters merged, exported and quantized once)."""
    return cached_intent_embedder()


@pytest.fixture(scope="session")
def examples() -> list[IntentExample]:
    return load_dataset()


@pytest.fixture(scope="session")
def embeddings(intent_embedder: IntentEmbedder, examples: list[IntentExample]) -> Matrix:
    """Every example's vector, aligned with `examples`."""
    return np.array(intent_embedder.embed([example.text for example in examples]), dtype=np.float64)


@pytest.fixture(scope="session")
def artifact() -> FastModel:
    return FastModel.load()
