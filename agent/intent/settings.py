"""Intent classification settings (environment variables FANAGENT_INTENT_*)."""

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.intent.encoder import ADAPTERS
from agent.intent.fast import ARTIFACT


class Mode(StrEnum):
    FAST = "fast"  # the fast classifier only
    AUTO = "auto"  # the LLM decides when the fast path is unsure (and a chat model is given)
    LLM = "llm"  # the LLM decides every message


class IntentSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_INTENT_", env_file=".env", extra="ignore"
    )

    mode: Mode = Field(
        default=Mode.FAST,
        description="fast by default: the bundled SmolLM2-135M gives no usable label map (see "
        "tests/intent/cassettes); set auto or llm with an Ollama or OpenAI model.",
    )
    unsure_margin: float = Field(
        default=0.05,
        ge=0,
        le=0.5,
        description="The fast path is unsure when a signal's confidence is this close to its "
        "threshold; the LLM then decides (mode auto), or, without one, unsure signals are dropped.",
    )
    model_path: Path = Field(default=ARTIFACT, description="The fast classifier's artifact.")
    adapters_path: Path = Field(
        default=ADAPTERS, description="The intent encoder's adapters (agent/intent/encoder.py)."
    )
