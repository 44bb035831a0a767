"""Training the fast classifier, deterministically: the weights on the train split, the
calibration and thresholds on the validation split, the test split never. The embeddings are the
intent encoder's (encoder.py), itself tuned on the train split only.

Per label: a logistic regression on [embedding, word n-grams, character n-grams] (each block
scaled by its weight below; positives and negatives weighted to balance, since a signal is a few
percent of the messages and "none" now half of them); Platt scaling fitted on the validation
split's decision values (so confidences are calibrated on messages the model did not see); the
detection threshold is the middle of the plateau of that label's F1 on the validation split: the
median of the grid values whose F1 is within PLATEAU of the best (a flat curve's argmax moves
with any small change of the data; its middle moves less).
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from agent.intent.dataset import (
    DEFAULT_DATASET,
    IntentExample,
    dataset_sha256,
    load_dataset,
    of_split,
)
from agent.intent.fast import FastModel, Matrix
from agent.intent.features import Vocabulary
from agent.intent.metrics import f1
from agent.intent.signals import LABELS
from memory.embedders import Embedder

VERSION = "minilm-ngram-logreg-v2"
# Chosen by macro-F1 on the validation split (never the test split).
REGULARISATION_C = 4.0
# Round 3: validation macro-F1 0.808 unweighted, 0.814 balanced (with the contiguous 0.01 rule).
CLASS_WEIGHT = "balanced"
EMBEDDING_WEIGHT = 1.0
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 1.0
THRESHOLD_GRID = np.round(np.arange(0.1, 0.901, 0.025), 3)
# F1 this close to the best counts as the best. Resampling the validation split (100 bootstraps,
# round 3) moved the argmax's thresholds by 0.108 (standard deviation, mean over the signals; at
# most 0.187), the middle of the values within 0.01 by 0.110 (0.150), within 0.02 by 0.092 (0.131).
PLATEAU = 0.02


def label_matrix(examples: Sequence[IntentExample]) -> Matrix:
    """(examples, labels) of 0/1 in LABELS order."""
    return np.array([[label in ex.labels for label in LABELS] for ex in examples], dtype=float)


def block_scale(vocabulary: Vocabulary, dimensions: int) -> Matrix:
    """Each column's weight in the design matrix: embedding, then words, then characters."""
    return np.concatenate(
        [
            np.full(dimensions, EMBEDDING_WEIGHT),
            np.full(len(vocabulary.words), WORD_WEIGHT),
            np.full(len(vocabulary.chars), CHAR_WEIGHT),
        ]
    )


def design(vocabulary: Vocabulary, texts: Sequence[str], embeddings: Matrix) -> sparse.csr_matrix:
    """The unscaled feature rows: the embedding's columns, then the n-grams'."""
    columns, values, pointers = [], [], [0]
    for text in texts:
        c, v = vocabulary.transform(text)
        columns.append(c)
        values.append(v)
        pointers.append(pointers[-1] + len(c))
    grams = sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(columns), np.array(pointers)),
        shape=(len(texts), vocabulary.size),
    )
    return sparse.hstack([sparse.csr_matrix(embeddings), grams], format="csr")


def fit(
    examples: Sequence[IntentExample],
    embeddings: Matrix,
    *,
    embedder: str,
    dataset_hash: str,
) -> FastModel:
    """A FastModel from `examples` (`embeddings` aligned with them): weights from the train
    split, calibration and thresholds from the validation split."""
    # One BLAS thread: the matrices are small, and next to torch's OpenMP pool more threads made
    # fitting 5-15x slower on 2 cores.
    with threadpool_limits(limits=1):
        return _fit(examples, embeddings, embedder=embedder, dataset_hash=dataset_hash)


def _fit(
    examples: Sequence[IntentExample], embeddings: Matrix, *, embedder: str, dataset_hash: str
) -> FastModel:
    rows = {split: [i for i, ex in enumerate(examples) if ex.split == split] for split in SPLITS}
    train, validation = (
        [examples[i] for i in rows["train"]],
        [examples[i] for i in rows["validation"]],
    )
    vocabulary = Vocabulary.fit(ex.text for ex in train)
    scale = block_scale(vocabulary, embeddings.shape[1])
    x = design(vocabulary, [ex.text for ex in train], embeddings[rows["train"]]) @ sparse.diags(
        scale
    )
    weights, bias = [], []
    for column in label_matrix(train).T:
        model = LogisticRegression(
            C=REGULARISATION_C, class_weight=CLASS_WEIGHT, max_iter=5000
        ).fit(x, column)
        weights.append(model.coef_[0] * scale)  # folded in: the artifact takes unscaled rows
        bias.append(model.intercept_[0])
    uncalibrated = FastModel(
        version=VERSION,
        embedder=embedder,
        dataset_sha256=dataset_hash,
        vocabulary=vocabulary,
        weights=np.array(weights),
        bias=np.array(bias),
        calibration=np.tile([1.0, 0.0], (len(LABELS), 1)),
        thresholds=np.full(len(LABELS), 0.5),
    )
    decisions = uncalibrated.decisions(
        [ex.text for ex in validation], embeddings[rows["validation"]]
    )
    truth = label_matrix(validation)
    calibration = np.array([_platt(d, t) for d, t in zip(decisions.T, truth.T, strict=True)])
    confidences = 1.0 / (1.0 + np.exp(-(decisions * calibration[:, 0] + calibration[:, 1])))
    thresholds = [_best_threshold(p, t) for p, t in zip(confidences.T, truth.T, strict=True)]
    return FastModel(
        version=VERSION,
        embedder=embedder,
        dataset_sha256=dataset_hash,
        vocabulary=vocabulary,
        weights=uncalibrated.weights,
        bias=uncalibrated.bias,
        calibration=calibration,
        thresholds=np.array(thresholds),
    )


SPLITS = ("train", "validation")


def _platt(decision: Matrix, truth: Matrix) -> tuple[float, float]:
    """Sigmoid calibration: a near-unregularised 1-D logistic regression on decision values."""
    scaler = LogisticRegression(C=1e4).fit(decision.reshape(-1, 1), truth)
    return float(scaler.coef_[0, 0]), float(scaler.intercept_[0])


def _best_threshold(confidences: Matrix, truth: Matrix) -> float:
    """The middle of the F1 plateau: the median (the lower middle of an even count) of the grid
    values whose F1 is within PLATEAU of the best grid value's."""
    scores = np.array([f1(truth.astype(bool), confidences >= t) for t in THRESHOLD_GRID])
    plateau = THRESHOLD_GRID[scores >= scores.max() - PLATEAU - 1e-12]
    return float(plateau[(len(plateau) - 1) // 2])


def train(embedder: Embedder, dataset: Path = DEFAULT_DATASET) -> FastModel:
    """Embeds the dataset's train and validation splits with `embedder` and fits a model."""
    everything = load_dataset(dataset)
    examples = of_split(everything, "train") + of_split(everything, "validation")
    embeddings = np.array(embedder.embed([ex.text for ex in examples]), dtype=np.float64)
    return fit(examples, embeddings, embedder=embedder.name, dataset_hash=dataset_sha256(dataset))
