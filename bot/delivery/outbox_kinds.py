"""What an outbox row carries, as far as sending rules care."""

from __future__ import annotations

REPLY = "reply"  # an answer in the conversation
PUSH = "push"  # a status change told to the reporter
# The one confirmation an opted-out reporter still receives (of their STOP).
OPT_OUT_CONFIRMATION = "opt_out"
