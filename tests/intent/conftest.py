"""MiniLM, the dataset and its embeddings: loaded once per test session."""

import numpy as np
import pytest

from agent.intent.dataset import IntentExample, load_dataset
from agent.intent.fast import FastModel, Matrix
from memory.embedders import LocalEmbedder


@pytest.fixture(scope="session")
def examples() -> list[IntentExample]:
    return load_dataset()


@pytest.fixture(scope="session")
def embeddings(embedder: LocalEmbedder, examples: list[IntentExample]) -> Matrix:
    """Every example's vector, aligned with `examples`."""
    return np.array(embedder.embed([example.text for example in examples]), dtype=np.float64)


@pytest.fixture(scope="session")
def artifact() -> FastModel:
    return FastModel.load()
