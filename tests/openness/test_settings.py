"""The upstream settings fail fast when incomplete."""

from __future__ import annotations

import pytest

from bot.openness.upstream.lapor_stream import LaporStream
from bot.openness.upstream.open311_client import Open311Upstream
from bot.runtime.forwarding import build_upstream
from bot.runtime.settings import SettingsError, load_settings


@pytest.mark.parametrize("kind", ["lapor", "open311"])
def test_an_upstream_without_url_or_token_stops_the_start(kind: str) -> None:
    with pytest.raises(SettingsError, match="LAPOR_UPSTREAM_URL and LAPOR_UPSTREAM_TOKEN"):
        load_settings(upstream_kind=kind, upstream_url="https://lapor.example")


def test_a_bad_upstream_url_is_named() -> None:
    with pytest.raises(SettingsError, match=r"LAPOR_UPSTREAM_URL: .*http"):
        load_settings(upstream_kind="lapor", upstream_url="lapor.example", upstream_token="t")


async def test_each_kind_builds_its_adapter() -> None:
    assert build_upstream(load_settings()) is None
    for kind, adapter in (("lapor", LaporStream), ("open311", Open311Upstream)):
        built = build_upstream(
            load_settings(upstream_kind=kind, upstream_url="https://up.example", upstream_token="t")
        )
        assert isinstance(built, adapter)
        await built.aclose()
