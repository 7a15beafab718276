"""The officer side's fixtures: a runtime on each database, the app, an HTTP client."""

from tests.officers.conftest import app, client, clock, fake, runtime

__all__ = ["app", "client", "clock", "fake", "runtime"]
