"""The embedding port: text in, unit-length vectors out (local MiniLM, Ollama or OpenAI)."""

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    name: str  # backend:model
    dimensions: int  # 384 for the default all-MiniLM-L6-v2; fan_memories.embedding is vector(384)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text, in order. Blocking: call via asyncio.to_thread."""
        ...
