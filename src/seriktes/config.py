"""Application settings: the one place every tunable value is read from."""

from __future__ import annotations

import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine.url import make_url

DEFAULT_SECRET = "change-me-in-production"  # the example once published: never accepted
MIN_SECRET_BYTES = 32
SECRET_FILE = "seriktes-secret.key"
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
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies: at least 32 bytes, required in production; when "
        "unset elsewhere, a random key is generated once and kept in the state folder.",
    )
    state_dir: Path | None = Field(
        default=None,
        description="Folder for files the server keeps (the generated secret key): by default "
        "the SQLite database's folder, else the working directory.",
    )
    index_dir: Path | None = Field(
        default=None,
        description="Folder of the snapshots of the offer index that server processes map "
        "(`seriktes index build`): by default `index` in the state folder.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For "
        "names the client; empty: the header is ignored and the peer is the client.",
    )
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
    jobs_url: str = Field(
        default="",
        description="The job queue: empty for the embedded one (a SQLite file beside the "
        "database, no server), redis://host:port/db when several machines share the work.",
    )
    worker_threads: int = Field(
        default=2, ge=1, le=32, description="Jobs one `seriktes worker` runs at once."
    )
    job_stale_seconds: int = Field(
        default=30,
        ge=5,
        description="A running job whose worker sent no heartbeat for this long is taken "
        "as lost: queued again, or failed after its last attempt.",
    )
    import_batch_size: int = Field(default=5000, ge=100, description="Rows per INSERT batch.")
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The site's address as users reach it: links in e-mails and calendar feeds.",
    )
    smtp_url: str | None = Field(
        default=None,
        description="Mail server for notifications: smtp://[user:password@]host:port (STARTTLS "
        "when the server offers it) or smtps://…; empty: notifications stay in the app only.",
    )
    smtp_from: str = Field(
        default="Seriktes <noreply@seriktes.kz>",
        description="The From address of notification e-mails.",
    )
    meeting_url: str = Field(
        default="https://meet.jit.si/seriktes-{event}-{meeting}-{secret}",
        description="The video link of an online meeting, a pattern with the places {event} "
        "(the event's id), {meeting} (the meeting's id) and {secret} (16 random URL-safe "
        "characters drawn once per meeting, so that a link cannot be guessed). The default, "
        "Jitsi Meet's public server, needs no account; our pages only link to it.",
    )
    goszakup_url: str = Field(
        default="https://ows.goszakup.gov.kz",
        description="The goszakup OWS v3 REST service that `seriktes goszakup sync` reads.",
    )
    goszakup_token: str | None = Field(
        default=None,
        description="The goszakup OWS token, sent as `Authorization: Bearer <token>`; empty: "
        "requests go without one (the service then refuses most of them).",
    )
    data_dir: Path | None = Field(
        default_factory=default_data_dir,
        description="Folder with the real reference data (KATO, OKPD2, GRP, goszakup samples): "
        "../shared/data beside the project when it exists; empty for none.",
    )

    @field_validator("meeting_url")
    @classmethod
    def _meeting_places(cls, value: str) -> str:
        try:
            value.format(event=1, meeting=1, secret="s")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"SERIKTES_MEETING_URL knows only the places {{event}}, {{meeting}} and "
                f"{{secret}}: {exc}"
            ) from None
        if not value.startswith(("https://", "http://")):
            raise ValueError("SERIKTES_MEETING_URL must be an http(s) address")
        return value

    @field_validator("jobs_url", mode="before")
    @classmethod
    def _trimmed(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator(
        "data_dir",
        "state_dir",
        "index_dir",
        "secret_key",
        "smtp_url",
        "goszakup_token",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Settings:
        if self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "SERIKTES_SECRET_KEY is the published example value; unset it (a random key "
                "is then generated) or set a secret of your own"
            )
        if self.environment == "production" and (
            self.secret_key is None or len(self.secret_key.encode()) < MIN_SECRET_BYTES
        ):
            raise ValueError(
                f"SERIKTES_SECRET_KEY must be set to a random secret of at least "
                f"{MIN_SECRET_BYTES} bytes in production (for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    def state_folder(self) -> Path | None:
        """Where the server keeps its files: `state_dir`, else the SQLite database's folder,
        else the working directory; None for an in-memory database without `state_dir`."""
        if self.state_dir is not None:
            return self.state_dir
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite":
            return Path.cwd()
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            return None
        return Path(url.database).resolve().parent

    def index_folder(self) -> Path | None:
        """Where the snapshots of the offer index are: `index_dir`, else `index` in the
        state folder; None without either."""
        if self.index_dir is not None:
            return self.index_dir
        folder = self.state_folder()
        return None if folder is None else folder / "index"


def session_secret(settings: Settings) -> str:
    """The key signing session cookies: the configured one, else the key kept in the state
    folder (generated, mode 0600, on first use), else a key for this process only (an
    in-memory database lives no longer than its process)."""
    if settings.secret_key is not None:
        return settings.secret_key
    folder = settings.state_folder()
    if folder is None:
        return secrets.token_urlsafe(48)
    return _kept_secret(folder / SECRET_FILE)


def _kept_secret(path: Path) -> str:
    """The secret in `path`, written first when absent. Written to a private file and linked
    into place, so that server processes starting together all read the same key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, path)
            logging.getLogger(__name__).warning("generated a secret key in %s", path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink()
    secret = path.read_text().strip()
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret key in {path} is shorter than {MIN_SECRET_BYTES} bytes")
    return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
