"""``lapor telegram``: long polling, and the webhook's registration at Telegram.

python-telegram-bot is imported only when one of these commands runs, so that
every other ``lapor`` command starts without it.
"""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.runtime.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.intake.long_polling import PollingOptions
    from connectors.telegram import TelegramConnector

app = typer.Typer(help="Telegram: long polling and webhook set-up.", no_args_is_help=True)
T = TypeVar("T")
WEBHOOK_PATH = "/webhooks/telegram"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@app.command()
def poll(
    timeout: Annotated[
        int, typer.Option("--timeout", min=0, max=50, help="Seconds one getUpdates call waits.")
    ] = 30,
) -> None:
    """Fetch updates by long polling (no public URL needed); Ctrl-C stops cleanly."""
    from bot.core.logs import configure
    from bot.intake.long_polling import PollingOptions, PollingStopped

    settings = load_settings()
    configure(settings.log_level, settings.log_json)
    try:
        asyncio.run(_poll(settings, PollingOptions(poll_seconds=timeout)))
    except PollingStopped as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command("set-webhook")
def set_webhook(
    url: Annotated[
        str | None,
        typer.Option(help=f"The public HTTPS URL (default: LAPOR_PUBLIC_URL + {WEBHOOK_PATH})."),
    ] = None,
) -> None:
    """Point Telegram at this server, with the secret and update types from settings."""
    from connectors.telegram import ALLOWED_UPDATES

    settings = load_settings()
    target = url or f"{settings.public_url}{WEBHOOK_PATH}"
    if not target.startswith("https://"):
        typer.echo(f"Telegram only calls HTTPS URLs, not {target}; set LAPOR_PUBLIC_URL.", err=True)
        raise typer.Exit(2)
    _with_connector(settings, lambda telegram: telegram.set_webhook(target))
    typer.echo(f"webhook set: {target} (updates: {', '.join(ALLOWED_UPDATES)})")


@app.command("delete-webhook")
def delete_webhook() -> None:
    """Remove the webhook so that `lapor telegram poll` can fetch updates (none are dropped)."""
    _with_connector(load_settings(), lambda telegram: telegram.delete_webhook())
    typer.echo("webhook deleted; pending updates are kept for polling")


@app.command()
def info() -> None:
    """Show the webhook Telegram has, its pending updates and its last error."""
    found = _with_connector(load_settings(), lambda telegram: telegram.webhook_info())
    typer.echo(json.dumps(found, ensure_ascii=False, indent=2))


def _with_connector(settings: Settings, call: Callable[[TelegramConnector], Awaitable[T]]) -> T:
    """Run one Bot API call; a refusal exits with Telegram's reason (never the token)."""
    from bot.runtime.provider_channels import TELEGRAM_OFF, telegram_connector
    from connectors.telegram import TelegramApiError

    connector = telegram_connector(settings)
    if connector is None:
        typer.echo(TELEGRAM_OFF, err=True)
        raise typer.Exit(2)

    async def run() -> T:
        try:
            return await call(connector)
        finally:
            await connector.aclose()

    try:
        return asyncio.run(run())
    except TelegramApiError as exc:
        typer.echo(f"Telegram refused: {exc.reason}", err=True)
        raise typer.Exit(1) from None


async def _poll(settings: Settings, options: PollingOptions) -> None:
    from bot.intake.long_polling import PollingStopped, poller_for
    from bot.runtime.process import build_runtime

    runtime = await build_runtime(settings)
    try:
        poller = poller_for(runtime, options)
        hook = await poller.connector.webhook_info()
        if hook.get("url"):
            raise PollingStopped(
                f"a webhook is set ({hook['url']}): Telegram sends no updates to polling while it is; "
                "run `lapor telegram delete-webhook` first"
            )
        if settings.worker_in_process:
            runtime.start_worker()
        _stop_on_signals(poller.stop)
        typer.echo("polling Telegram for updates; Ctrl-C to stop", err=True)
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
