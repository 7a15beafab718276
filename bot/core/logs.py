"""Structured logs with personal data masked before they are written."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from typing import Any

from bot.core.privacy import mask_text

_STANDARD = set(vars(logging.makeLogRecord({})))
_HANDLER_NAME = "lapor"
QUIET_LOGGERS = ("sqlalchemy", "aiosqlite", "asyncpg", "httpx", "httpcore", "urllib3")


class MaskingFilter(logging.Filter):
    """Masks phone numbers, NIKs and e-mails in every message and field."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, mask_text(value))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {k: v for k, v in vars(record).items() if k not in _STANDARD and k != "message"}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "INFO", json_lines: bool = False, quiet: Iterable[str] = ()) -> None:
    """Log to stderr through the masking filter; ``quiet``: more loggers to keep at WARNING."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(MaskingFilter())
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(fmt))
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replace our own handler on a second call; leave other handlers (pytest's, a host's) alone.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level.upper())
    # Drivers and HTTP clients log statement parameters, message texts and URLs
    # with tokens at DEBUG: never let them follow the root level down.
    for noisy in (*QUIET_LOGGERS, *quiet):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
