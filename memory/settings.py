"""Memory configuration, read from the environment (and a .env file in the working directory).

FANAGENT_EMBEDDING_*: which embedding backend; FANAGENT_MEMORY_*: de-duplication and ranking.
"""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbeddingSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_EMBEDDING_", env_file=".env", extra="ignore"
    )

    backend: Literal["local", "ollama", "openai"] = "local"
    model: str | None = Field(
        default=None,
        description="Model name; unset means the backend's default: all-MiniLM-L6-v2 (local), "
        "all-minilm (ollama), text-embedding-3-small (openai). It must give 384 dimensions "
        "(fan_memories.embedding is vector(384)); openai and ollama are asked for 384.",
    )
    local_path: Path | None = Field(
        default=None,
        description="A sentence-transformers model directory; unset means the bundled MiniLM.",
    )
    local_threads: int = Field(
        default=1,
        ge=1,
        description="onnxruntime threads of the local model, per call; 1 suits a server and the "
        "worker's lanes: calls embed in parallel instead of threads spinning against each other.",
    )
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_keep_alive: str = "5m"
    openai_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible server; unset means api.openai.com."
    )
    openai_api_key: SecretStr | None = Field(
        default=None, description="Unset means the OPENAI_API_KEY environment variable."
    )
    timeout_s: float = Field(default=30.0, gt=0)
    batch_size: int = Field(default=64, ge=1, le=2048, description="Texts per request / batch.")


class MemorySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_MEMORY_", env_file=".env", extra="ignore"
    )

    dedupe_similarity: float = Field(
        default=0.92,
        ge=0,
        le=1,
        description="A new fact this cosine-similar to a current one of the same fan and kind is "
        "the same fact (unless their subjects or numbers differ).",
    )
    # Within-fan ranking (memory/search.py):
    # score = w_sim * similarity + w_rec * recency + w_imp * importance + w_text * lexical
    # + w_when * said_then.
    weight_similarity: float = Field(default=0.75, ge=0)
    weight_recency: float = Field(default=0.10, ge=0)
    weight_importance: float = Field(default=0.15, ge=0)
    weight_text: float = Field(
        default=0.1, ge=0, description="0 ranks by meaning alone (no full-text match)."
    )
    weight_said_then: float = Field(
        default=0.3,
        ge=0,
        description="A memory said within the days the message points back to ('last friday', "
        "'around june 6').",
    )
    recency_half_life_days: float = Field(default=90.0, gt=0)
    llm_extraction: bool = Field(
        default=False,
        description="The chat model reads each drafted-for fan message for facts beside the "
        "patterns (one more model call per draft): for a capable model (Ollama, OpenAI), "
        "never the embedded one.",
    )
    llm_extraction_timeout_s: float = Field(default=10.0, gt=0)
    # Cross-fan search over the HNSW index.
    ef_search: int = Field(default=200, ge=1, le=1000)
    cross_fan_min_similarity: float = Field(default=0.3, ge=-1, le=1)
