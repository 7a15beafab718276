"""What the webhook fuzz tests share: one Hypothesis profile and one verdict.

Whatever reaches a webhook, a connector's ``parse`` either answers or raises
``WebhookRejected`` with a 4xx: never a 5xx, never another exception.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from connectors.base import Connector, WebhookRejected, WebhookRequest
from connectors.messages import Inbound, Receipt


def fuzz_settings(max_examples: int) -> settings:
    """Repeatable (no example database), no deadline, large examples welcome."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
    )


def parsed_or_4xx(connector: Connector, request: WebhookRequest) -> list[Inbound | Receipt]:
    """What ``connector`` parses from ``request``; none when it rejected it, which must be a 4xx."""
    try:
        return connector.parse(request)
    except WebhookRejected as rejected:
        assert 400 <= rejected.status < 500
        return []


def mangled(form: dict[str, str], removed: set[str], changes: dict[str, str]) -> dict[str, str]:
    """``form`` without the ``removed`` fields, then with ``changes`` over it."""
    return {k: v for k, v in form.items() if k not in removed} | changes
