"""Application settings: the one place every tunable value is read from."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-in-production"
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # of a checkout (an editable install)


def default_data_dir() -> Path | None:
    """`../shared/data` beside the project's checkout when that folder exists, else None."""
    folder = (PROJECT_ROOT.parent / "shared" / "data").resolve()
    return folder if folder.is_dir() else None


class Settings(BaseSettings):
    """Runtime configuration, read from `SERIKTES_*` environment variables and `.env`."""

    model_config = SettingsConfigDict(env_prefix="SERIKTES_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="sqlite:///./seriktes.db",
        description="SQLAlchemy URL: SQLite file by default; postgresql+psycopg://... in prod.",
    )
    secret_key: str = Field(default=DEFAULT_SECRET, description="Signs sessions and tokens.")
    secure_cookies: bool = Field(
        default=False, description="Send the session cookie over HTTPS only (set behind HTTPS)."
    )
    warm_engines: bool = Field(
        default=True,
        description="Build the search matcher and classifier in the background at start-up.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(
        default=1, ge=1, description="Server processes; each keeps its own search engine."
    )
    access_log: bool = Field(default=True, description="Log every request of the server.")
    default_language: Literal["ru", "kk", "en"] = "ru"
    demo_seed: int = 2026
    partner_regions: list[str] = Field(
        default=["630000000:590000000"],
        description="Partner region pairs A:B (KATO) preferred by matching; ВКО ↔ СКО by default.",
    )
    import_batch_size: int = Field(default=5000, ge=100, description="Rows per INSERT batch.")
    data_dir: Path | None = Field(
        default_factory=default_data_dir,
        description="Folder with the real reference data (KATO, OKPD2, GRP, goszakup samples): "
        "../shared/data beside the project when it exists; empty for none.",
    )

    @field_validator("data_dir", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("SERIKTES_SECRET_KEY must be set to a non-default value in production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
