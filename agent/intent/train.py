"""Training the fast classifier on the train split, deterministically.

Per label: logistic regression on the MiniLM vectors; Platt scaling fitted on 5-fold
cross-validated decision values (so confidences are calibrated on messages the model did not
see); the detection threshold is the one that maximises that label's cross-validated F1.
Only split == "train" is used; the test split stays held out for `fanagent intent evaluate`.
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from agent.intent.dataset import DEFAULT_DATASET, IntentExample, dataset_sha256, load_dataset
from agent.intent.fast import FastModel, Matrix
from agent.intent.metrics import f1
from agent.intent.signals import LABELS
from memory.embedders import Embedder

VERSION = "minilm-logreg-v1"
REGULARISATION_C = 8.0  # chosen by 5-fold cross-validated macro-F1 on the train split
FOLDS = 5
SEED = 0
THRESHOLD_GRID = np.round(np.arange(0.2, 0.801, 0.05), 2)


def label_matrix(examples: Sequence[IntentExample]) -> Matrix:
    """(examples, labels) of 0/1 in LABELS order."""
    return np.array([[label in ex.labels for label in LABELS] for ex in examples], dtype=float)


def fit(
    examples: Sequence[IntentExample],
    embeddings: Matrix,
    *,
    embedder: str,
    dataset_hash: str,
) -> FastModel:
    """A FastModel from the train-split rows of `examples` (`embeddings` aligned with them)."""
    # One BLAS thread: the matrices are small, and next to torch's OpenMP pool more threads made
    # fitting 5-15x slower on 2 cores.
    with threadpool_limits(limits=1):
        return _fit(examples, embeddings, embedder=embedder, dataset_hash=dataset_hash)


def _fit(
    examples: Sequence[IntentExample], embeddings: Matrix, *, embedder: str, dataset_hash: str
) -> FastModel:
    train = np.array([ex.split == "train" for ex in examples])
    x, y = embeddings[train], label_matrix(examples)[train]
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    weights, bias, calibration, thresholds = [], [], [], []
    for column in y.T:
        model = LogisticRegression(C=REGULARISATION_C, max_iter=5000)
        held_out = cross_val_predict(model, x, column, cv=folds, method="decision_function")
        slope, intercept = _platt(held_out, column)
        confidences = 1.0 / (1.0 + np.exp(-(slope * held_out + intercept)))
        thresholds.append(_best_threshold(confidences, column))
        calibration.append((slope, intercept))
        model.fit(x, column)
        weights.append(model.coef_[0])
        bias.append(model.intercept_[0])
    return FastModel(
        version=VERSION,
        embedder=embedder,
        dataset_sha256=dataset_hash,
        weights=np.array(weights),
        bias=np.array(bias),
        calibration=np.array(calibration),
        thresholds=np.array(thresholds),
    )


def _platt(decision: Matrix, truth: Matrix) -> tuple[float, float]:
    """Sigmoid calibration: a near-unregularised 1-D logistic regression on decision values."""
    scaler = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), truth)
    return float(scaler.coef_[0, 0]), float(scaler.intercept_[0])


def _best_threshold(confidences: Matrix, truth: Matrix) -> float:
    """The grid value with the best F1; ties go to the value nearest 0.5."""
    best = max(
        THRESHOLD_GRID,
        key=lambda t: (f1(truth.astype(bool), confidences >= t), -abs(t - 0.5)),
    )
    return float(best)


def train(embedder: Embedder, dataset: Path = DEFAULT_DATASET) -> FastModel:
    """Embeds the dataset's train split with `embedder` and fits a model on it."""
    examples = [ex for ex in load_dataset(dataset) if ex.split == "train"]
    embeddings = np.array(embedder.embed([ex.text for ex in examples]), dtype=np.float64)
    return fit(examples, embeddings, embedder=embedder.name, dataset_hash=dataset_sha256(dataset))
