"""``lapor <channel> poll | set-webhook | delete-webhook | info`` for channels that can be polled.

One command group per channel whose settings section names a ``polling_command``
(``connectors.base.LongPolling``). A channel's library is imported only when one
of its commands runs, so that every other ``lapor`` command starts without it.
"""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from bot.intake.long_polling import Poller, PollingOptions, PollingStopped
from bot.runtime.channel_registry import chatty_loggers, polling_commands
from bot.runtime.settings import Settings, load_settings
from connectors.base import ChannelSettings, LongPolling, ProviderCallFailed

T = TypeVar("T")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def polling_apps() -> dict[str, typer.Typer]:
    """A command group for each channel that can be long-polled, by its name."""
    return {name: _group(name, section) for name, section in polling_commands().items()}


def _group(name: str, section: type[ChannelSettings]) -> typer.Typer:
    app = typer.Typer(help=f"{name}: long polling and webhook set-up.", no_args_is_help=True)
    channel = _Channel(name, section)

    @app.command()
    def poll(
        wait: Annotated[
            int, typer.Option("--timeout", min=0, max=50, help="Seconds one poll waits for updates.")
        ] = 30,
    ) -> None:
        """Fetch updates by long polling (no public URL needed); Ctrl-C stops cleanly."""
        from bot.core.logs import configure

        settings = load_settings()
        configure(settings.log_level, settings.log_json, chatty_loggers())
        try:
            asyncio.run(channel.poll(settings, PollingOptions(poll_seconds=wait)))
        except PollingStopped as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None

    @app.command("set-webhook")
    def set_webhook(
        url: Annotated[
            str | None,
            typer.Option(help="The public HTTPS URL (default: LAPOR_PUBLIC_URL + the webhook path)."),
        ] = None,
    ) -> None:
        """Point the provider at this server, with the secret from settings."""
        settings = load_settings()
        target = url or f"{settings.public_url}/webhooks/{channel.path(settings)}"
        if not target.startswith("https://"):
            typer.echo(f"webhooks must be HTTPS URLs, not {target}; set LAPOR_PUBLIC_URL.", err=True)
            raise typer.Exit(2)
        channel.call(settings, lambda connector: connector.set_webhook(target))
        typer.echo(f"webhook set: {target}")

    @app.command("delete-webhook")
    def delete_webhook() -> None:
        """Remove the webhook so that polling can fetch updates (none are dropped)."""
        channel.call(load_settings(), lambda connector: connector.delete_webhook())
        typer.echo("webhook deleted; pending updates are kept for polling")

    @app.command()
    def info() -> None:
        """Show the webhook the provider has, its pending updates and its last error."""
        found = channel.call(load_settings(), lambda connector: connector.webhook_info())
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))

    return app


class _Channel:
    """One pollable channel, built from settings when a command runs."""

    def __init__(self, name: str, section: type[ChannelSettings]) -> None:
        self.name = name
        self.section = section

    def connector(self, settings: Settings) -> tuple[LongPolling, str] | None:
        """The channel's pollable connector and its webhook path; None when it is off."""
        for registration in self.section.build(settings, settings.public_url):
            if isinstance(registration.connector, LongPolling):
                return registration.connector, registration.paths[0]
        return None

    def path(self, settings: Settings) -> str:
        return self._required(settings)[1]

    def _required(self, settings: Settings) -> tuple[LongPolling, str]:
        found = self.connector(settings)
        if found is None:
            typer.echo(f"{self.name} is not configured: {self.section.setup_hint}", err=True)
            raise typer.Exit(2)
        return found

    def call(self, settings: Settings, call: Callable[[LongPolling], Awaitable[T]]) -> T:
        """Run one provider call; a refusal exits with the provider's reason (never a token)."""
        connector, _ = self._required(settings)

        async def run() -> T:
            try:
                return await call(connector)
            finally:
                await connector.aclose()  # type: ignore[attr-defined]

        try:
            return asyncio.run(run())
        except ProviderCallFailed as exc:
            typer.echo(f"{self.name} refused: {exc.reason}", err=True)
            raise typer.Exit(1) from None

    async def poll(self, settings: Settings, options: PollingOptions) -> None:
        from bot.runtime.process import build_runtime

        runtime = await build_runtime(settings)
        try:
            connector: object = runtime.channels.by_path.get(self.path(settings))
            if not isinstance(connector, LongPolling):
                raise PollingStopped(f"{self.name} is not configured: {self.section.setup_hint}")
            hook = await connector.webhook_info()
            if hook.get("url"):
                raise PollingStopped(
                    f"a webhook is set ({hook['url']}): no updates come to polling while it is; "
                    f"run `lapor {self.name} delete-webhook` first"
                )
            poller = Poller(connector, runtime.conversations, runtime.dispatcher, runtime.clock, options)
            if settings.worker_in_process:
                runtime.start_worker()
            _stop_on_signals(poller.stop)
            typer.echo(f"polling {self.name} for updates; Ctrl-C to stop", err=True)
            await poller.run()
        finally:
            await runtime.close()


def _stop_on_signals(stop: Callable[[], None]) -> None:
    """The first Ctrl-C (or SIGTERM) finishes the update in hand; a second one interrupts."""
    loop = asyncio.get_running_loop()

    def stopping() -> None:
        typer.echo("stopping after the update in hand (Ctrl-C again to force)", err=True)
        stop()
        for number in _STOP_SIGNALS:
            loop.remove_signal_handler(number)

    for number in _STOP_SIGNALS:
        loop.add_signal_handler(number, stopping)
