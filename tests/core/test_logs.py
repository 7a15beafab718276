"""Personal data is masked before a log line is written."""

from __future__ import annotations

import io
import json
import logging

from bot.core.logs import JsonFormatter, MaskingFilter
from bot.core.privacy import mask_address


def _capture(json_lines: bool) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(f"test.masking.{json_lines}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_phone_nik_and_email_are_masked_in_messages_and_fields() -> None:
    logger, stream = _capture(json_lines=True)
    logger.info("from %s nik 3404010101900001", "081234567890", extra={"contact": "budi@example.id"})
    entry = json.loads(stream.getvalue())
    assert "081234567890" not in stream.getvalue()
    assert "3404010101900001" not in stream.getvalue()
    assert "budi@example.id" not in stream.getvalue()
    assert "[PHONE]" in entry["message"] and "[NIK]" in entry["message"]
    assert entry["contact"] == "[EMAIL]"


def test_addresses_are_pseudonymised_stably() -> None:
    masked = mask_address("tel:+6281234567890")
    assert masked.startswith("tel:…")
    assert "6281234567890" not in masked
    assert masked == mask_address("tel:+6281234567890")
    assert masked != mask_address("tel:+6281234567891")


def test_configure_twice_keeps_one_handler_of_ours_and_others_alone() -> None:
    from bot.core.logs import configure

    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        configure("INFO")
        configure("INFO")
        ours = [h for h in root.handlers if h.get_name() == "lapor"]
        assert len(ours) == 1
        assert all(h in root.handlers for h in before)
        assert logging.getLogger("sqlalchemy").level >= logging.WARNING
    finally:
        root.handlers[:] = before
        root.setLevel(level)
