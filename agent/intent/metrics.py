"""Multi-label scores: precision, recall and F1 per label, macro/micro F1, calibration error."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Flags = NDArray[np.bool_]


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # true examples of the label


def f1(truth: Flags, predicted: Flags) -> float:
    """F1 of one label (or of all cells pooled, i.e. micro-F1); 0 when nothing is true or found."""
    hits = int(np.sum(truth & predicted))
    found, true = int(np.sum(predicted)), int(np.sum(truth))
    return 2.0 * hits / (found + true) if found + true else 0.0


def per_label(labels: Sequence[str], truth: Flags, predicted: Flags) -> list[LabelScore]:
    """Columns of `truth` and `predicted` (examples, labels) are the labels, in order."""
    scores = []
    for index, label in enumerate(labels):
        t, p = truth[:, index], predicted[:, index]
        hits = int(np.sum(t & p))
        scores.append(
            LabelScore(
                label=label,
                precision=hits / int(np.sum(p)) if np.any(p) else 0.0,
                recall=hits / int(np.sum(t)) if np.any(t) else 0.0,
                f1=f1(t, p),
                support=int(np.sum(t)),
            )
        )
    return scores


def expected_calibration_error(
    confidences: NDArray[np.float64], outcomes: Flags, bins: int = 10
) -> float:
    """Sum over equal-width confidence bins of (share of cells) x |mean confidence - hit rate|."""
    p, hit = confidences.ravel(), outcomes.ravel().astype(float)
    index = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        in_bin = index == b
        if np.any(in_bin):
            error += float(np.mean(in_bin)) * abs(float(np.mean(p[in_bin] - hit[in_bin])))
    return error
