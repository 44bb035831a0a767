"""The fast local classifier: a MiniLM embedding -> one calibrated logistic regression per label.

confidence = sigmoid(a * (w . x + b) + c): (w, b) the label's logistic regression, (a, c) its Platt
calibration fitted on cross-validated decision values (see train.py). The artifact is a plain
.npz (no pickle), so loading it runs no code.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from agent.intent.scores import Scores, decide
from agent.intent.signals import LABELS, SIGNALS
from memory.embedders import Embedder

Matrix = NDArray[np.float64]
ARTIFACT = Path(__file__).resolve().parent / "model" / "fast_v1.npz"


@dataclass(frozen=True)
class FastModel:
    version: str
    embedder: str  # the Embedder.name the vectors came from
    dataset_sha256: str  # the dataset file it was trained on
    weights: Matrix  # (labels, dimensions), rows in LABELS order
    bias: Matrix  # (labels,)
    calibration: Matrix  # (labels, 2): Platt slope and intercept
    thresholds: Matrix  # (labels,): detection thresholds (see scores.decide)

    @property
    def dimensions(self) -> int:
        return int(self.weights.shape[1])

    def confidences(self, embeddings: Matrix) -> Matrix:
        """(messages, dimensions) -> (messages, labels) calibrated confidences."""
        decision = embeddings @ self.weights.T + self.bias
        logits = decision * self.calibration[:, 0] + self.calibration[:, 1]
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)

    def threshold_map(self) -> dict[str, float]:
        return {label: float(t) for label, t in zip(LABELS, self.thresholds, strict=True)}

    def scores(self, embedding: Sequence[float] | Matrix) -> Scores:
        row = self.confidences(np.asarray(embedding, dtype=np.float64).reshape(1, -1))[0]
        confidences = {label: float(p) for label, p in zip(LABELS, row, strict=True)}
        return decide(confidences, self.threshold_map())

    def unsure(self, scores: Scores, margin: float) -> bool:
        """Unsure: some signal's confidence lies within `margin` of its threshold, so a small
        change in the message could flip that signal."""
        thresholds = self.threshold_map()
        return any(abs(scores.confidences[s] - thresholds[s]) < margin for s in SIGNALS)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            np.savez_compressed(
                file,
                version=np.array(self.version),
                embedder=np.array(self.embedder),
                dataset_sha256=np.array(self.dataset_sha256),
                labels=np.array(LABELS),
                weights=self.weights,
                bias=self.bias,
                calibration=self.calibration,
                thresholds=self.thresholds,
            )

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> "FastModel":
        with np.load(path, allow_pickle=False) as data:
            if tuple(str(label) for label in data["labels"]) != LABELS:
                raise ValueError(f"{path}: trained for other labels; run `fanagent intent train`")
            return cls(
                version=str(data["version"]),
                embedder=str(data["embedder"]),
                dataset_sha256=str(data["dataset_sha256"]),
                weights=data["weights"],
                bias=data["bias"],
                calibration=data["calibration"],
                thresholds=data["thresholds"],
            )


class FastClassifier:
    """The fast path: embeds the text (unless given its vector) and scores it with a FastModel."""

    def __init__(self, model: FastModel, embedder: Embedder) -> None:
        """Vectors passed to `scores` must come from an embedder of the same name, too."""
        if embedder.name != model.embedder or embedder.dimensions != model.dimensions:
            raise ValueError(
                f"the intent model was trained on {model.embedder} vectors ({model.dimensions} "
                f"dims), not {embedder.name}'s: retrain it with that embedder"
            )
        self.model = model
        self.embedder = embedder
        self.name = f"fast:{model.version}"

    def embed(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]

    def scores(self, text: str, embedding: Sequence[float] | None = None) -> Scores:
        """Scores of the message; pass `embedding` when the caller has embedded it already.
        Blocking when it embeds: async callers embed via asyncio.to_thread first."""
        return self.model.scores(self.embed(text) if embedding is None else embedding)
