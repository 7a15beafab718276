"""Where the tests' data lives."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
ARTIFACTS = TESTS.parent / "test-artifacts"
