"""The officers' dashboard under ``/dashboard``."""
