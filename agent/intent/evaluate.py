"""How good and how fast the fast classifier is on the held-out test split."""

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from agent.intent.dataset import IntentExample
from agent.intent.fast import FastClassifier, FastModel, Matrix
from agent.intent.metrics import LabelScore, expected_calibration_error, f1, per_label
from agent.intent.signals import LABELS, NONE, SIGNALS
from agent.intent.train import label_matrix


@dataclass(frozen=True)
class Evaluation:
    examples: int
    per_label: tuple[LabelScore, ...]  # LABELS order, "none" last
    macro_f1_signals: float  # the 14 signals
    macro_f1: float  # the 14 signals and "none"
    micro_f1: float  # all (message, label) cells pooled
    ece: float  # over every (message, signal) cell
    top_ece: float  # each message's most confident signal: is it right?
    unsure_rate: float  # share of messages the fast path is unsure of


@dataclass(frozen=True)
class Latency:
    messages: int
    p50_ms: float
    p95_ms: float
    p50_ms_excluding_embedding: float
    p95_ms_excluding_embedding: float


def evaluate(
    model: FastModel, examples: Sequence[IntentExample], embeddings: Matrix, margin: float
) -> Evaluation:
    """Scores on `examples` (the test split), with `embeddings` aligned to them."""
    truth = label_matrix(examples).astype(bool)
    results = [model.scores(row) for row in embeddings]
    predicted = np.array([[label in r.detected for label in LABELS] for r in results])
    scores = per_label(LABELS, truth, predicted)
    signal_count = len(SIGNALS)
    confidences = model.confidences(embeddings)[:, :signal_count]
    signal_truth = truth[:, :signal_count]
    top = np.argmax(confidences, axis=1)
    rows = np.arange(len(examples))
    return Evaluation(
        examples=len(examples),
        per_label=tuple(scores),
        macro_f1_signals=float(np.mean([s.f1 for s in scores if s.label != NONE])),
        macro_f1=float(np.mean([s.f1 for s in scores])),
        micro_f1=f1(truth, predicted),
        ece=expected_calibration_error(confidences, signal_truth),
        top_ece=expected_calibration_error(confidences[rows, top], signal_truth[rows, top]),
        unsure_rate=float(np.mean([model.unsure(r, margin) for r in results])),
    )


def measure_latency(classifier: FastClassifier, texts: Sequence[str]) -> Latency:
    """Per-message wall time of the fast path, one message at a time (as the agent calls it)."""
    classifier.scores(texts[0])  # warm-up: first-call allocations are not per-message cost
    total, scoring = [], []
    for text in texts:
        start = time.perf_counter()
        vector = classifier.embed(text)
        embedded = time.perf_counter()
        classifier.scores(text, vector)
        done = time.perf_counter()
        total.append((done - start) * 1000)
        scoring.append((done - embedded) * 1000)
    return Latency(
        messages=len(texts),
        p50_ms=float(np.percentile(total, 50)),
        p95_ms=float(np.percentile(total, 95)),
        p50_ms_excluding_embedding=float(np.percentile(scoring, 50)),
        p95_ms_excluding_embedding=float(np.percentile(scoring, 95)),
    )
