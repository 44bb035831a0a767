"""The evals' intents suite scores the shipped classifier on the frozen test split."""

from pathlib import Path

import pytest

from agent.intent.dataset import load_dataset, of_split
from agent.intent.signals import LABELS, SIGNALS
from evals.scorers import intent


def test_the_suite_scores_the_test_split_and_the_hard_negatives() -> None:
    metrics, details = intent.run()
    test = of_split(load_dataset(), "test")
    assert metrics["intents.macro_f1_signals"].n == len(test) >= 400
    negatives = sum(example.source == "hard_negative" for example in test)
    assert metrics["intents.false_signal_rate"].n == negatives > 0
    assert 0 <= metrics["intents.false_signal_rate"].value < 0.2
    assert [label["label"] for label in details["per_label"]] == list(LABELS)
    cells = sum(point["count"] for point in details["calibration"])
    assert cells == len(test) * len(SIGNALS)


def test_a_model_of_another_dataset_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "intents.jsonl"
    other.write_text('{"id": "x", "text": "hi", "labels": ["none"], "split": "test"}\n')
    with pytest.raises(intent.StaleModel):
        intent.run(other)
