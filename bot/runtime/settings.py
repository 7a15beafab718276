"""One typed settings object from ``LAPOR_*`` environment variables (and .env).

A bad value fails at start-up with the variable's name and what was wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.runtime.channel_registry import ChannelSections

DATA_DIR = Path(".lapor")


class SettingsError(SystemExit):
    """Raised with a readable message when the environment is invalid."""


class Settings(BaseSettings, ChannelSections):
    """The process settings: the core fields below, and every registered channel's section."""

    model_config = SettingsConfigDict(env_prefix="LAPOR_", env_file=".env", extra="ignore", frozen=True)

    database_url: str = Field(default=f"sqlite:///{DATA_DIR / 'lapor.sqlite3'}")
    redis_url: str | None = None
    state_prefix: str = "lapor:"
    state_path: Path = DATA_DIR / "state.sqlite3"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = False
    nlu_model_path: Path | None = None
    nlu_url: str | None = None
    nlu_token: str | None = None
    worker_in_process: bool = True
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    max_message_chars: int = Field(default=4000, ge=100)
    rate_limit_per_minute: int = Field(default=30, ge=1)
    status_checks_per_hour: int = Field(default=20, ge=1)
    # UU PDP: days after a complaint is closed until the worker anonymises it.
    retention_days: int = Field(default=730, ge=1)
    secret_key: str | None = None
    demo: bool = False
    # Safe to deploy: the REST channel's bearer token (unset: the channel is off under
    # `lapor serve`, open in a demo) and the key of log pseudonyms (default: from secret_key).
    rest_token: str | None = Field(default=None, min_length=32)
    pseudonym_key: str | None = Field(default=None, min_length=32)

    # Openness (bot/openness): the public API's rate limit, and forwarding to an upstream system.
    public_rate_limit_per_minute: int = Field(default=120, ge=1)
    upstream_kind: Literal["none", "lapor", "open311"] = "none"
    upstream_url: str | None = None
    upstream_token: str | None = None
    upstream_service_code: str | None = None
    upstream_timeout_seconds: float = Field(default=15.0, gt=0)
    upstream_pull_seconds: float = Field(default=300.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value.replace("postgres://", "postgresql://", 1)

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("upstream_url")
    @classmethod
    def _upstream_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _upstream_complete(self) -> Settings:
        if self.upstream_kind != "none" and not (self.upstream_url and self.upstream_token):
            raise ValueError("LAPOR_UPSTREAM_KIND needs LAPOR_UPSTREAM_URL and LAPOR_UPSTREAM_TOKEN")
        return self


def env_file() -> str | None:
    """The optional ``.env`` file; ``LAPOR_ENV_FILE`` names another, empty means none."""
    return os.environ.get("LAPOR_ENV_FILE", ".env") or None


def load_settings(**overrides: object) -> Settings:
    """Read the environment; exit with a clear message on a bad value."""
    try:
        return Settings(_env_file=env_file(), **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as exc:
        problems = "; ".join(
            f"LAPOR_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None


MIN_SECRET_KEY_CHARS = 32
# Values that appear in examples and compose files; a deployment that kept one has no secret.
PLACEHOLDER_SECRET_KEYS = frozenset(
    {"change-me", "changeme", "change_me", "changeit", "secret", "secret-key", "your-secret-key"}
)
HOW_TO_MAKE_A_SECRET = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105


def require_deployable(settings: Settings) -> None:
    """Refuse to serve with defaults that are only safe in a demo on one laptop."""
    key = settings.secret_key
    if key is None or not key.strip():
        problem = "is not set"
    elif key.strip().lower() in PLACEHOLDER_SECRET_KEYS:
        problem = "is a placeholder from an example"
    elif len(key) < MIN_SECRET_KEY_CHARS:
        problem = f"is shorter than {MIN_SECRET_KEY_CHARS} characters"
    else:
        return
    raise SettingsError(f"LAPOR_SECRET_KEY {problem}; {HOW_TO_MAKE_A_SECRET}")
