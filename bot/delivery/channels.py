"""The one explicit table of channels: which connectors run, and where.

Each provider connector is built only when its settings are present; a
channel with a token but no webhook secret refuses to start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.delivery.local_channel import LocalConnector
from bot.runtime.settings import Settings
from connectors.base import Connector
from storage.state import StateStore


@dataclass(slots=True)
class Channels:
    """Connectors by address scheme (for sending) and by webhook path."""

    by_scheme: dict[str, Connector] = field(default_factory=dict)
    by_path: dict[str, Connector] = field(default_factory=dict)

    def add(self, connector: Connector, *paths: str) -> None:
        for scheme in connector.schemes:
            self.by_scheme[scheme] = connector
        for path in paths:
            self.by_path[path] = connector

    def unique(self) -> list[Connector]:
        return list({id(c): c for c in self.by_scheme.values()}.values())


def build_channels(
    settings: Settings, state: StateStore, extra: Mapping[str, Connector] | None = None
) -> Channels:
    """Every connector the settings enable, plus the local channels."""
    channels = Channels()
    channels.add(LocalConnector(state))
    from bot.runtime import provider_channels

    for connector, paths in provider_channels.build(settings):
        channels.add(connector, *paths)
    for path, connector in (extra or {}).items():
        channels.add(connector, path)
    return channels
