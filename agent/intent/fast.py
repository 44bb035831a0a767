"""The fast local classifier: one calibrated logistic regression per label over the message's
embedding by the intent encoder (MiniLM tuned on the labels, encoder.py) and its word and
character n-grams (features.py).

decision = w . [embedding, n-grams] + b; confidence = sigmoid(a * decision + c), (a, c) the
label's Platt calibration fitted on the validation split (see train.py). "none" has a model of
its own, trained on small talk and hard negatives, so "none" is recognised, not only left over.
The artifact is a plain .npz (no pickle), so loading it runs no code.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from agent.intent.features import Vocabulary
from agent.intent.scores import Scores, decide
from agent.intent.signals import LABELS, NONE, SIGNALS
from memory.embedders import Embedder

Matrix = NDArray[np.float64]
ARTIFACT = Path(__file__).resolve().parent / "model" / "fast_v2.npz"


@dataclass(frozen=True)
class FastModel:
    version: str
    embedder: str  # the Embedder.name the vectors came from
    dataset_sha256: str  # the dataset file it was trained on
    vocabulary: Vocabulary  # the n-gram columns that follow the embedding's
    weights: Matrix  # (labels, dimensions + vocabulary.size), rows in LABELS order
    bias: Matrix  # (labels,)
    calibration: Matrix  # (labels, 2): Platt slope and intercept
    thresholds: Matrix  # (labels,): detection thresholds (see scores.decide)

    @property
    def dimensions(self) -> int:
        return int(self.weights.shape[1]) - self.vocabulary.size

    def decisions(self, texts: Sequence[str], embeddings: Matrix) -> Matrix:
        """(messages,) texts and their (messages, dimensions) vectors -> (messages, labels)."""
        dense = np.asarray(embeddings, dtype=np.float64) @ self.weights[:, : self.dimensions].T
        for row, text in enumerate(texts):
            columns, values = self.vocabulary.transform(text)
            dense[row] += self.weights[:, self.dimensions + columns] @ values
        return np.asarray(dense + self.bias, dtype=np.float64)

    def confidences(self, texts: Sequence[str], embeddings: Matrix) -> Matrix:
        """Calibrated confidences, (messages, labels)."""
        logits = self.decisions(texts, embeddings) * self.calibration[:, 0]
        return np.asarray(1.0 / (1.0 + np.exp(-(logits + self.calibration[:, 1]))))

    def threshold_map(self) -> dict[str, float]:
        return {label: float(t) for label, t in zip(LABELS, self.thresholds, strict=True)}

    def scores(self, text: str, embedding: Sequence[float] | Matrix) -> Scores:
        vector = np.asarray(embedding, dtype=np.float64).reshape(1, -1)
        row = self.confidences([text], vector)[0]
        confidences = {label: float(p) for label, p in zip(LABELS, row, strict=True)}
        return decide(confidences, self.threshold_map())

    def unsure_signals(self, scores: Scores, margin: float) -> tuple[str, ...]:
        """The signals whose confidence lies within `margin` of their threshold: a small change
        in the message could flip them."""
        thresholds = self.threshold_map()
        return tuple(s for s in SIGNALS if abs(scores.confidences[s] - thresholds[s]) < margin)

    def unsure(self, scores: Scores, margin: float) -> bool:
        return bool(self.unsure_signals(scores, margin))

    def abstain(self, scores: Scores, margin: float) -> Scores:
        """Without a model to ask, unsure means fewer signals: the detected signals that are
        unsure are dropped ("none" when no sure one remains), never added."""
        unsure = set(self.unsure_signals(scores, margin))
        sure = tuple(label for label in scores.detected if label not in unsure)
        return Scores(scores.confidences, sure or (NONE,))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            np.savez_compressed(
                file,
                version=np.array(self.version),
                embedder=np.array(self.embedder),
                dataset_sha256=np.array(self.dataset_sha256),
                labels=np.array(LABELS),
                vocabulary=np.array(self.vocabulary.features()),
                idf=self.vocabulary.idf.astype(np.float32),
                weights=self.weights.astype(np.float32),
                bias=self.bias,
                calibration=self.calibration,
                thresholds=self.thresholds,
            )

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> "FastModel":
        with np.load(path, allow_pickle=False) as data:
            if tuple(str(label) for label in data["labels"]) != LABELS:
                raise ValueError(f"{path}: trained for other labels; run `fanagent intent train`")
            if "vocabulary" not in data:
                raise ValueError(f"{path}: an artifact of an older format; retrain it")
            return cls(
                version=str(data["version"]),
                embedder=str(data["embedder"]),
                dataset_sha256=str(data["dataset_sha256"]),
                vocabulary=Vocabulary.from_columns(
                    [str(f) for f in data["vocabulary"]], data["idf"].astype(np.float64)
                ),
                weights=data["weights"].astype(np.float64),
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
        return self.model.scores(text, self.embed(text) if embedding is None else embedding)
