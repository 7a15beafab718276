"""The officer REST API under ``/api/v1``."""
