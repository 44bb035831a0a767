"""The vectors of the demo memories, computed while loading: each distinct memory text is
embedded once per seed, a batch of fans at a time, and every memory carries its text's vector
into the COPY (fan_memories refuses a row without one, migration 0019).

The embedder comes from the caller (the CLI builds the configured one, memory/embedders.py): the
database layer does not import the memory package. It is made on first use only, so a seed with
nothing to write never loads a model.
"""

import time
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from pgvector import Vector

from db.demo.rows import Rows


class TextEmbedder(Protocol):
    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order."""
        ...


class MemoryVectors:
    """Fills in the `embedding` of the memories in `Rows`, remembering each text's vector."""

    def __init__(self, make_embedder: Callable[[], TextEmbedder]) -> None:
        self._make_embedder = make_embedder
        self._embedder: TextEmbedder | None = None
        self._known: dict[str, str] = {}  # memory text -> its vector in pgvector's text form
        self.seconds = 0.0  # spent making the embedder and embedding

    @property
    def texts(self) -> int:
        """The distinct memory texts embedded so far."""
        return len(self._known)

    def fill(self, rows: Rows) -> Rows:
        """`rows` with every memory's embedding set (embedding the texts not seen before)."""
        memories = rows.fan_memories
        new = sorted({memory.body for memory in memories} - self._known.keys())
        if new:
            began = time.perf_counter()
            if self._embedder is None:
                self._embedder = self._make_embedder()
            for text, vector in zip(new, self._embedder.embed(new), strict=True):
                self._known[text] = Vector(np.asarray(vector, dtype=np.float32)).to_text()
            self.seconds += time.perf_counter() - began
        rows.fan_memories = [m._replace(embedding=self._known[m.body]) for m in memories]
        return rows
