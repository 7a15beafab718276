"""The approved message templates the hub asks channels for, by our own key.

A channel with a conversation window (``connectors.base.ConversationWindow``) maps each
key to its provider's approved template in its own settings.
"""

from __future__ import annotations

from connectors.messages import STATUS_TEMPLATE, Template

__all__ = ["STATUS_TEMPLATE", "status_template"]


def status_template(ticket: str, status_title: str) -> Template:
    """ "Your complaint {1} is now {2}": the push outside a conversation window."""
    return Template(STATUS_TEMPLATE, {"1": ticket, "2": status_title})
