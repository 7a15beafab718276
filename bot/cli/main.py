"""``lapor``: serve, chat, demo, worker, database and complaint commands."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from typing import Annotated

import typer

from bot.cli import agencies, nlu, officers, report, reporter, retention
from bot.cli.polling import polling_apps
from bot.runtime.channel_registry import chatty_loggers
from bot.runtime.settings import Settings, load_settings, require_deployable

app = typer.Typer(help="lapor-chat: the SP4N-LAPOR! chat channel.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.")
complaints_app = typer.Typer(help="Look at stored complaints.")
app.add_typer(db_app, name="db")
app.add_typer(complaints_app, name="complaints")

app.add_typer(nlu.app, name="nlu")
for _name, _group in polling_apps().items():
    app.add_typer(_group, name=_name)
app.add_typer(officers.app, name="officers")
app.add_typer(agencies.app, name="agencies")
app.add_typer(report.app, name="report")
app.add_typer(reporter.app, name="reporter")
app.add_typer(retention.app, name="retention")


def _serve(demo: bool) -> None:
    import uvicorn

    from bot.core.logs import configure
    from bot.http.app import create_app
    from bot.http.server_limits import uvicorn_limits

    if demo:
        from bot.http.demo.mode import demo_settings

        settings = demo_settings()
    else:
        settings = load_settings()
        require_deployable(settings)
    configure(settings.log_level, settings.log_json, chatty_loggers())
    typer.echo(f"lapor-chat on http://{settings.host}:{settings.port} (database: {settings.database_url})")
    if demo:
        typer.echo(f"demo: http://{settings.host}:{settings.port}/demo  web chat: /chat")
    # Live chat streams stay open; shutting down must not wait for browsers to leave.
    with _sole_process(settings):
        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, log_config=None,
            timeout_graceful_shutdown=3, **uvicorn_limits(),
        )  # fmt: skip


@app.command()
def serve() -> None:
    """Run the web app (webhooks, REST channel, API) and the outbox worker."""
    _serve(demo=False)


@app.command()
def demo() -> None:
    """Run with demo data on embedded defaults: no tokens, no internet."""
    _serve(demo=True)


@app.command()
def worker() -> None:
    """Run only the outbox worker (scale out beside `lapor serve`)."""
    from bot.core.logs import configure
    from bot.runtime.process import build_runtime

    settings = load_settings(worker_in_process=False)
    require_deployable(settings)
    configure(settings.log_level, settings.log_json, chatty_loggers())

    async def run() -> None:
        runtime = await build_runtime(settings)
        try:
            await runtime.dispatcher.run_forever(settings.worker_poll_seconds)
        finally:
            await runtime.close()

    with _sole_process(settings):
        asyncio.run(run())


@contextlib.contextmanager
def _sole_process(settings: Settings) -> Iterator[None]:
    """Refuse, with the reason, to share an embedded state store with another process."""
    from bot.runtime.single_process import EmbeddedStoreBusy, sole_process

    try:
        with sole_process(settings):
            yield
    except EmbeddedStoreBusy as exc:
        typer.echo(f"lapor: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def chat(
    sender: Annotated[str, typer.Option(help="Who you are in this conversation.")] = "terminal",
) -> None:
    """Talk to the bot in this terminal (address console:<sender>)."""
    from bot.cli.console import run_console

    asyncio.run(run_console(load_settings(), sender))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations."""
    from storage.db import create_engine
    from storage.migrate import current_revision, upgrade

    async def run() -> str | None:
        engine = create_engine(load_settings().database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    typer.echo(f"database at revision {asyncio.run(run())}")


@complaints_app.command("list")
def complaints_list(limit: int = 20) -> None:
    """The newest complaints, one a line."""
    from bot.cli.complaint_views import list_complaints

    for row in asyncio.run(list_complaints(load_settings(), limit)):
        typer.echo(f"{row['ticket']}  {row['status']:<12} {row['category']:<18} {row['title']}")


@complaints_app.command("show")
def complaints_show(
    ticket: str, as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False
) -> None:
    """One complaint with its history."""
    from bot.cli.complaint_views import show_complaint

    record = asyncio.run(show_complaint(load_settings(), ticket))
    if record is None:
        typer.echo(f"no complaint {ticket}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for key, value in record.items():
        typer.echo(f"{key}: {value}")


def main() -> None:
    app()
