"""The table of running channels: connectors by address scheme (sends) and by webhook path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.delivery.scheme_router import SchemeRouter
from connectors.base import ChannelConfigError, Connector, ConversationWindow, OptOutKeywords
from connectors.messages import channel_of


@dataclass(slots=True)
class Channels:
    """One connector per scheme (a ``SchemeRouter`` where transports share one) and per path."""

    by_scheme: dict[str, Connector] = field(default_factory=dict)
    by_path: dict[str, Connector] = field(default_factory=dict)

    def add(self, connector: Connector, *paths: str) -> None:
        """Register ``connector``; two channels claiming one scheme or path refuse to start."""
        for scheme in connector.schemes:
            current = self.by_scheme.get(scheme)
            if current is None:
                self.by_scheme[scheme] = connector
            else:
                others = current.transports if isinstance(current, SchemeRouter) else [current]
                self.by_scheme[scheme] = SchemeRouter(scheme, [*others, connector])
        for path in paths:
            taken = self.by_path.get(path)
            if taken is not None and taken is not connector:
                raise ChannelConfigError(f"{taken.name} and {connector.name} both listen on /webhooks/{path}")
            self.by_path[path] = connector

    def opt_out_keywords(self, address: str) -> OptOutKeywords | None:
        """The opt-out words of ``address``'s channel, if it has any."""
        connector = connector_for(self.by_scheme, address)
        return connector if isinstance(connector, OptOutKeywords) else None

    def window(self, address: str) -> timedelta | None:
        """How long after the citizen's last message free-form text may be sent; None: always."""
        return window_of(connector_for(self.by_scheme, address))

    def unique(self) -> list[Connector]:
        connectors: dict[int, Connector] = {}
        for connector in self.by_scheme.values():
            members = connector.transports if isinstance(connector, SchemeRouter) else [connector]
            connectors |= {id(member): member for member in members}
        return list(connectors.values())


def connector_for(connectors: Mapping[str, Connector], address: str) -> Connector | None:
    """The connector a send to ``address`` goes through (inside a ``SchemeRouter``: the transport)."""
    connector = connectors.get(channel_of(address))
    return connector.route(address) if isinstance(connector, SchemeRouter) else connector


def window_of(connector: Connector | None) -> timedelta | None:
    """The connector's conversation window; None when free-form text is always allowed."""
    return connector.window if isinstance(connector, ConversationWindow) else None
