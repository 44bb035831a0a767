"""Webhook settings, read from the environment (and a .env file in the working directory)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FANAGENT_WEBHOOK_", env_file=".env", extra="ignore", populate_by_name=True
    )

    replay_window_s: float = Field(
        default=300,
        gt=0,
        description="How far X-Fanagent-Timestamp may be from the server's clock, either way.",
    )
    pool_size: int = Field(
        default=8,
        ge=1,
        description="Connections of the webhook route's own pool (apart from the agent's, so a "
        "burst of deliveries cannot starve drafting).",
    )
    refresh_fans: bool = Field(
        default=True,
        description="Queue each event's fan for a refresh of its derived figures, which the "
        "job engine's workers recompute every second (crm/jobs.py). Off, the figures wait "
        "for `fanagent scores recompute --full`: for a bulk backfill.",
    )
