"""Seed data shipped with lapor-chat (agencies and routing rules)."""
