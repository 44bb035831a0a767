"""Database settings, read from the environment (and a .env file in the working directory)."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str | None = Field(
        default=None,
        alias="DATABASE_URL",
        description="Admin URL of an external PostgreSQL >= 15 with pgvector; "
        "unset means the embedded server under data_dir.",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / ".data", alias="FANAGENT_DATA_DIR")
    database_name: str = Field(default="fanagent", alias="FANAGENT_DB_NAME")
    app_db_password: SecretStr | None = Field(
        default=None,
        alias="FANAGENT_APP_DB_PASSWORD",
        description="Password set on the fanagent_app role at migration time; needed when the "
        "external server does not trust local connections.",
    )
    pool_timeout_s: float = Field(
        default=5.0,
        gt=0,
        alias="FANAGENT_DB_POOL_TIMEOUT_S",
        description="The longest a request waits for a pooled connection (every one busy, or "
        "the database down) before it answers 503 with Retry-After; also how long a pool keeps "
        "trying to reconnect in the background before the next request tries again at once.",
    )

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pg"
