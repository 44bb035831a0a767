"""The intent classifier on the frozen test split of evals/datasets/intents.jsonl (hand-written,
generated and hard-negative messages): F1 per signal, macro and micro F1, the false-signal rate on
the hard negatives, calibration (agent/intent/evaluate.py and metrics.py), plus the points of a
reliability curve for the report. The fast classifier needs no chat model."""

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from agent.intent.classify import fast_classifier
from agent.intent.corpus.build import unseen_domains
from agent.intent.dataset import DEFAULT_DATASET, dataset_sha256, load_dataset, of_split
from agent.intent.evaluate import evaluate
from agent.intent.settings import IntentSettings
from agent.intent.signals import SIGNALS
from agent.intent.train import label_matrix
from evals.metrics import Metric

BINS = 10


class StaleModel(RuntimeError):
    """The classifier artifact was trained on another version of the dataset."""


def calibration_bins(
    confidences: np.ndarray[Any, Any], outcomes: np.ndarray[Any, Any], bins: int = BINS
) -> list[dict[str, float]]:
    """Per equal-width confidence bin: mean confidence, share of true cells, cell count."""
    p, hit = confidences.ravel(), outcomes.ravel().astype(float)
    index = np.minimum((p * bins).astype(int), bins - 1)
    return [
        {
            "confidence": float(np.mean(p[index == b])),
            "accuracy": float(np.mean(hit[index == b])),
            "count": int(np.sum(index == b)),
        }
        for b in range(bins)
        if np.any(index == b)
    ]


def run(
    dataset: Path = DEFAULT_DATASET, settings: IntentSettings | None = None
) -> tuple[dict[str, Metric], dict[str, Any]]:
    """The suite's figures and the details behind them (per label, reliability curve), for the
    configured fast classifier (IntentSettings unless given)."""
    settings = settings or IntentSettings()
    classifier = fast_classifier(settings)
    model = classifier.model
    if model.dataset_sha256 != dataset_sha256(dataset):
        raise StaleModel("the intent model was trained on another dataset version")
    everything = load_dataset(dataset)
    test = of_split(everything, "test")
    embeddings = np.array(classifier.embedder.embed([e.text for e in test]), dtype=np.float64)
    unseen = unseen_domains(everything)
    report = evaluate(model, test, embeddings, settings.unsure_margin, unseen)
    n = report.examples
    metrics = {
        "intents.macro_f1_signals": Metric(report.macro_f1_signals, n),
        "intents.macro_f1": Metric(report.macro_f1, n),
        "intents.micro_f1": Metric(report.micro_f1, n),
        "intents.macro_f1_handwritten": Metric(report.macro_f1_handwritten, report.handwritten),
        "intents.false_signal_rate": Metric(report.false_signal_rate, report.hard_negatives),
        "intents.small_talk_false_signal_rate": Metric(
            report.small_talk_false_signal_rate, report.small_talk
        ),
        "intents.unseen_domain_false_signal_rate": Metric(
            report.unseen_domain_false_signal_rate, report.unseen_domain_requests
        ),
        "intents.ece": Metric(report.ece, n),
        "intents.top_ece": Metric(report.top_ece, n),
        "intents.unsure_rate": Metric(report.unsure_rate, n),
    }
    for label in report.per_label:
        metrics[f"intents.f1.{label.label}"] = Metric(label.f1, label.support)
    confidences = model.confidences([e.text for e in test], embeddings)[:, : len(SIGNALS)]
    truth = label_matrix(test).astype(bool)[:, : len(SIGNALS)]
    details = {
        "model": model.version,
        "per_label": [asdict(label) for label in report.per_label],
        "calibration": calibration_bins(confidences, truth),
    }
    return metrics, details
