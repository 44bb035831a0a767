"""The embedder the memory tools use: `memory.embeddings.build_embedder()`, built on first
use, unless one was installed with `use_embedder` (the server's, a test's)."""

import functools

from memory.embedder import Embedder
from memory.embeddings import build_embedder

_installed: Embedder | None = None


def use_embedder(embedder: Embedder | None) -> None:
    """Makes the memory tools embed with `embedder`; None goes back to the default."""
    global _installed
    _installed = embedder


def tool_embedder() -> Embedder:
    return _installed if _installed is not None else _default()


@functools.cache
def _default() -> Embedder:
    return build_embedder()
