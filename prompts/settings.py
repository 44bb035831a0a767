"""Which prompt version to use and the token budgets, from FANAGENT_PROMPT_* variables."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Budget(BaseModel):
    """Tokens (cl100k_base) for the whole prompt and for each trimmable section of it."""

    model_config = ConfigDict(frozen=True)

    total: int = Field(default=2048, ge=1, description="the whole prompt, all messages")
    persona: int = Field(default=250, ge=0)
    fan_summary: int = Field(default=200, ge=0)
    memories: int = Field(default=300, ge=0)
    conversation: int = Field(default=500, ge=0, description="the recent messages")
    message: int = Field(default=400, ge=0, description="the fan message being answered")
    draft: int = Field(default=400, ge=0, description="the draft a repair rewrites")


class PromptSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_PROMPT_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    version: str = Field(default="v1", description="template folder under prompts/templates")
    templates_dir: Path | None = Field(
        default=None,
        description="where the version folders are; unset means prompts/templates (the evals "
        "point it elsewhere to try a prompt out)",
    )
    budget: Budget = Budget()
