"""Kannel: Indonesian SMS (e.g. LAPOR!'s shortcode 1708) through an operator's SMSC (``LAPOR_KANNEL_*``)."""

from connectors.kannel.settings import KannelSettings

__all__ = ["KannelSettings"]
