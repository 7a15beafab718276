"""What makes a process a demo: its own embedded stores, and guards for demo-only acts."""

from __future__ import annotations

from bot.settings import DATA_DIR, Settings, load_settings

DEMO_DIR = DATA_DIR / "demo"


class DemoOnly(PermissionError):
    """Refused: this wipes or bypasses something, which only a demo may do."""


def require_demo(settings: Settings) -> None:
    if not settings.demo:
        raise DemoOnly("only in demo mode (`lapor demo`)")


def demo_settings(**overrides: object) -> Settings:
    """The environment's settings on the demo's own SQLite files, whatever the environment says.

    The demo's reset button wipes every complaint, so a demo must never run on
    a real database or Redis: it always uses ``.lapor/demo/``.
    """
    options: dict[str, object] = {
        "demo": True,
        "database_url": f"sqlite:///{DEMO_DIR / 'lapor.sqlite3'}",
        "state_path": DEMO_DIR / "state.sqlite3",
        "redis_url": None,
        **overrides,
    }
    return load_settings(**options)
