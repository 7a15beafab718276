"""What makes a process a demo: the embedded stores only, and guards for demo-only acts."""

from __future__ import annotations

from bot.runtime.settings import Settings, SettingsError, load_settings


class DemoOnly(PermissionError):
    """Refused: this wipes or bypasses something, which only a demo may do."""


def require_demo(settings: Settings) -> None:
    if not settings.demo:
        raise DemoOnly("only in demo mode (`lapor demo`)")


def demo_settings(**overrides: object) -> Settings:
    """The embedded defaults in demo mode; refused over a configured database or Redis.

    The demo's reset button wipes every complaint, so a demo runs only on the
    embedded SQLite file and state store (what ``make run`` and ``lapor chat``
    and ``lapor complaints`` use too), never on a database someone configured.
    """
    settings = load_settings(demo=True, **overrides)
    embedded = Settings.model_fields["database_url"].default
    if settings.redis_url or (settings.database_url != embedded and "database_url" not in overrides):
        raise SettingsError(
            "lapor demo runs on the embedded defaults only (its reset wipes the database): "
            "unset LAPOR_DATABASE_URL and LAPOR_REDIS_URL, or use `lapor serve`"
        )
    return settings
