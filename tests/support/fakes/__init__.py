"""Fakes of outside providers, shipped as real code for tests and demos."""
