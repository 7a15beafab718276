"""Intake: a citizen's message becomes state, records and replies, atomically."""
