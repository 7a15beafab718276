"""Forwarding complaints to an upstream system: one interface, two adapters."""
