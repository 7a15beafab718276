"""The Meta WhatsApp channel's settings: ``LAPOR_META_*`` variables (and ``.env``).

All four credentials or none: a half-configured channel refuses to start with
the names of the missing variables. ``LAPOR_ENV_FILE`` names the dotenv file
(empty: none, which tests use so that a developer's ``.env`` never leaks in).
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from connectors.base import ChannelConfigError
from connectors.messages import STATUS_TEMPLATE

ENV_PREFIX = "LAPOR_META_"
CREDENTIALS = ("token", "app_secret", "verify_token", "phone_number_id")


class TemplateSetting(BaseModel):
    """One approved template: its name in WhatsApp Manager and its language code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=512)
    language: str = Field(min_length=2, max_length=15)


class MetaSettings(BaseSettings):
    """The raw settings; ``configured`` checks that they make a working channel."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=os.environ.get("LAPOR_ENV_FILE", ".env") or None,
        extra="ignore",
        frozen=True,
    )

    token: str | None = None
    app_secret: str | None = None
    verify_token: str | None = None
    phone_number_id: str | None = None
    graph_url: str = "https://graph.facebook.com"
    api_version: str = "v21.0"
    # Our template key (``Outbound.template.name``) -> the approved template, as JSON:
    # {"status_update": {"name": "lapor_status_update", "language": "id"}}
    templates: dict[str, TemplateSetting] = Field(default_factory=dict)

    def missing(self) -> list[str]:
        """The credential variables that are not set."""
        return [env_name(field) for field in CREDENTIALS if not (getattr(self, field) or "").strip()]

    def enabled(self) -> bool:
        """Whether any credential is set (then all of them must be)."""
        return len(self.missing()) < len(CREDENTIALS)

    def check(self) -> None:
        """Raise ``ChannelConfigError`` naming what is missing when the channel is on."""
        missing = self.missing()
        if missing:
            raise ChannelConfigError(
                "WhatsApp (Meta) needs all of LAPOR_META_TOKEN, LAPOR_META_APP_SECRET, "
                "LAPOR_META_VERIFY_TOKEN and LAPOR_META_PHONE_NUMBER_ID; missing: " + ", ".join(missing)
            )
        if STATUS_TEMPLATE not in self.templates:
            raise ChannelConfigError(
                f"{env_name('templates')} must name the {STATUS_TEMPLATE!r} template, e.g. "
                '{"status_update": {"name": "lapor_status_update", "language": "id"}}'
            )
        if not self.graph_url.startswith(("https://", "http://")):
            raise ChannelConfigError(f"{env_name('graph_url')} must be an http(s) URL")


def env_file() -> str | None:
    """The dotenv file to read: ``LAPOR_ENV_FILE`` (empty: none), else ``.env``."""
    return os.environ.get("LAPOR_ENV_FILE", ".env") or None


def env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def load_settings() -> MetaSettings:
    """The settings from the environment; a malformed value names its variable."""
    try:
        # Read again at each load (not only at import) so that a test can switch it off.
        return MetaSettings(_env_file=env_file())  # type: ignore[call-arg]
    except SettingsError as exc:  # a JSON value that does not parse
        raise ChannelConfigError(f"invalid WhatsApp (Meta) settings: {exc}") from exc
    except ValidationError as exc:
        names = sorted({env_name(str(error["loc"][0])) for error in exc.errors() if error["loc"]})
        raise ChannelConfigError(f"invalid WhatsApp (Meta) settings: {', '.join(names)}") from exc
