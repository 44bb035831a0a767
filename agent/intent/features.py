"""Word and character n-grams of a message, beside its embedding: the words that carry a signal
("unsub", "custom", "$") and survive typos (character 3-5-grams inside words).

A message becomes sparse tf-idf vectors over a fixed vocabulary (built on the train split): one
for words (unigrams and bigrams), one for characters, each L2-normalised. Pure Python over a
dict: about 0.1 ms per message."""

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_REPEATS = re.compile(r"(.)\1{2,}")  # "sooooo" -> "soo"
_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")  # every number reads "0": prices and counts alike
_TOKENS = re.compile(r"[a-z0$€£]+|[^\sa-z0$€£.,;:'\"()\-]")
CHAR_SIZES = (3, 4, 5)
MIN_DOCUMENT_FREQUENCY = 2


def tokens(text: str) -> list[str]:
    """Lower-case words, numbers as "0", currency signs, and each other symbol or emoji alone."""
    text = unicodedata.normalize("NFKC", text).lower().replace("'", "").replace("\u2019", "")
    text = _DIGITS.sub("0", _REPEATS.sub(r"\1\1", text.replace("\ufe0f", "")))
    return _TOKENS.findall(text)


def word_grams(words: Sequence[str]) -> list[str]:
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


def char_grams(words: Sequence[str]) -> list[str]:
    grams = []
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            grams += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return grams


Sparse = tuple[NDArray[np.int64], NDArray[np.float64]]  # (column indices, values)


@dataclass(frozen=True)
class Vocabulary:
    """Feature -> column, and each column's inverse document frequency."""

    words: dict[str, int]
    chars: dict[str, int]
    idf: NDArray[np.float64]  # (len(words) + len(chars),): words' columns first

    @property
    def size(self) -> int:
        return len(self.words) + len(self.chars)

    @classmethod
    def fit(cls, texts: Iterable[str]) -> "Vocabulary":
        """Features found in at least MIN_DOCUMENT_FREQUENCY texts, in sorted order."""
        documents = 0
        frequency: Counter[str] = Counter()
        for text in texts:
            words = tokens(text)
            documents += 1
            frequency.update({f"w{g}" for g in word_grams(words)})
            frequency.update({f"c{g}" for g in char_grams(words)})
        # Words' columns first, then characters'; sorted within each block.
        kept = sorted(
            (f for f, n in frequency.items() if n >= MIN_DOCUMENT_FREQUENCY),
            key=lambda f: (f[0] != "w", f),
        )
        df = np.array([frequency[f] for f in kept], dtype=np.float64)
        return cls.from_columns(kept, np.log((1.0 + documents) / (1.0 + df)) + 1.0)

    @classmethod
    def from_columns(cls, features: Sequence[str], idf: NDArray[np.float64]) -> "Vocabulary":
        """From `features()` and `idf` as the artifact stores them."""
        words = [f[1:] for f in features if f.startswith("w")]
        chars = [f[1:] for f in features if f.startswith("c")]
        if features[: len(words)] != [f"w{w}" for w in words] or len(idf) != len(features):
            raise ValueError("vocabulary columns must be the words, then the characters")
        return cls(
            words={f: i for i, f in enumerate(words)},
            chars={f: len(words) + i for i, f in enumerate(chars)},
            idf=np.asarray(idf, dtype=np.float64),
        )

    def features(self) -> list[str]:
        """The vocabulary in column order, "w"/"c"-prefixed (how the artifact stores it)."""
        return [f"w{f}" for f in self.words] + [f"c{f}" for f in self.chars]

    def transform(self, text: str) -> Sparse:
        """The message's columns and values: sublinear tf x idf, each block L2-normalised."""
        words = tokens(text)
        columns: list[int] = []
        values: list[float] = []
        for grams, index in ((word_grams(words), self.words), (char_grams(words), self.chars)):
            counts = Counter(index[g] for g in grams if g in index)
            block = [(1.0 + math.log(n)) * self.idf[c] for c, n in counts.items()]
            norm = math.sqrt(sum(v * v for v in block)) or 1.0
            columns += counts
            values += [v / norm for v in block]
        return np.array(columns, dtype=np.int64), np.array(values, dtype=np.float64)
