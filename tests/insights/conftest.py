"""The officer fixtures (a runtime on each database, the app, a client) serve these tests too."""

from tests.officers.conftest import app, client, clock, fake, runtime

__all__ = ["app", "client", "clock", "fake", "runtime"]
