"""The whole-bot fixtures of tests/bot, for the REST run of the corpus."""

from tests.bot.conftest import citizen, clock, make_runtime, runtime, state_settings

__all__ = ["citizen", "clock", "make_runtime", "runtime", "state_settings"]
