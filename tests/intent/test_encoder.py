"""The intent encoder: its adapters come from this dataset's train split, retuning reproduces
them, and serving applies them."""

import numpy as np

from agent.intent.dataset import IntentExample, dataset_sha256, of_split
from agent.intent.encoder import Adapters, IntentEmbedder, tune
from agent.intent.fast import FastModel
from memory.embedders import LocalEmbedder

# Retuning on another machine may round differently; on the same one the adapters are identical.
RELATIVE_TOLERANCE = 1e-3


def _updates(adapters: Adapters) -> dict[str, np.ndarray]:
    return {name: adapters.up[name] @ adapters.down[name] for name in adapters.up}


def test_the_shipped_classifier_reads_the_shipped_adapters_of_this_dataset(
    artifact: FastModel, intent_embedder: IntentEmbedder
) -> None:
    adapters = Adapters.load()
    assert adapters.dataset_sha256 == dataset_sha256(), "dataset changed: fanagent intent train"
    assert artifact.embedder == intent_embedder.name
    assert adapters.sha256[:12] in intent_embedder.name


def test_tuning_the_same_data_twice_gives_the_same_adapters(
    examples: list[IntentExample],
) -> None:
    train = of_split(examples, "train")
    first, second = tune(train, "x", steps=3), tune(train, "x", steps=3)
    assert first.sha256 == second.sha256
    assert any(np.abs(up).max() > 0 for up in first.up.values())  # it did train


def test_retuning_reproduces_the_shipped_adapters(examples: list[IntentExample]) -> None:
    """The whole recipe, as `fanagent intent train` runs it (about four minutes)."""
    shipped = _updates(Adapters.load())
    retuned = _updates(tune(of_split(examples, "train"), dataset_sha256()))
    assert retuned.keys() == shipped.keys()
    for name, update in shipped.items():
        difference = np.linalg.norm(retuned[name] - update) / np.linalg.norm(update)
        assert difference < RELATIVE_TOLERANCE, name


def test_the_served_encoder_is_minilm_moved_towards_the_labels(
    embedder: LocalEmbedder, intent_embedder: IntentEmbedder
) -> None:
    """Two ways of saying a big budget, and small talk: the tuned encoder reads the two budgets
    as nearly the same message and sets them much further apart from the small talk than MiniLM
    does (whose cosines are lower all round, so the margin is what compares)."""
    budget = "money is no issue, give me all of it"
    paraphrase = "price doesn't matter, i want it all"
    chat = "my dog ate my homework lol"

    def margin(encoder: LocalEmbedder | IntentEmbedder) -> float:
        x, y, z = np.array(encoder.embed([budget, paraphrase, chat]))
        return float(np.dot(x, y) - np.dot(x, z))

    assert float(np.dot(*np.array(intent_embedder.embed([budget, paraphrase])))) > 0.85
    assert margin(intent_embedder) > margin(embedder) + 0.15
