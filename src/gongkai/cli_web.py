"""Commands of the database-backed ledger: ``init``, ``demo``, ``backup``, ``restore``, ``import requests|events``,
``compile``, ``deadlines``, ``refresh-states``, ``token``, ``serve``.

Thin: each command sets up Django, calls the library and prints.  The lead mounts ``app`` into the
main ``gongkai`` command.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="The ledger database and the report compiled from it.", no_args_is_help=True)
import_app = typer.Typer(help="Import ledger data from files.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def _django() -> None:
    from gongkai.web.bootstrap import setup_django

    setup_django()


@app.command()
def init() -> None:
    """Create or upgrade the database (GONGKAI_DATABASE_URL, default $GONGKAI_DATA_DIR/gongkai.sqlite3)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    typer.echo(f"database ready: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")


@app.command()
def demo() -> None:
    """Create or upgrade the database and add demo data (a county, users per role, ~70 requests); safe to repeat,
    refused in a database with real agencies or users."""
    init()
    from gongkai.web.demo import RealDataError, create_demo

    try:
        result = create_demo()
    except RealDataError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    if result.new_users:
        typer.echo("demo users (passwords for the demo only, shown this once):")
        for name, agency, role, password in result.new_users:
            typer.echo(f"  {name}\t{password}\t{agency} {role}")
    typer.echo(f"demo ledger: {result.requests} requests added" if result.requests else "demo ledger already there")


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (JSON; gzip-compressed when it ends in .gz).")],
) -> None:
    """Write every table of the database to one backup file (users, agencies, ledger, reports, audit log)."""
    _django()
    from gongkai.web.backup import backup as write_backup

    counts = write_backup(file)
    typer.echo(f"备份完成：{file}（{len(counts)} 个表，{sum(counts.values())} 行）")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup file written by `gongkai backup`.")],
) -> None:
    """Restore a backup into an empty database (created or upgraded first); refuses a database holding data."""
    init()
    from gongkai.web.backup import BackupError
    from gongkai.web.backup import restore as load_backup

    try:
        counts = load_backup(file)
    except BackupError as exc:
        typer.echo(f"gongkai restore: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"恢复完成：{file}（{len(counts)} 个表，{sum(counts.values())} 行）")


@app.command()
def token(
    username: Annotated[str, typer.Argument(help="The user whose API token is made (an old one stops working).")],
) -> None:
    """Make a new API token for a user, replacing the old one (audited); prints the token once."""
    _django()
    from django.contrib.auth import get_user_model

    from gongkai.web.api.token_page import rotate_token

    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        typer.echo(f"没有用户“{username}”。", err=True)
        raise typer.Exit(1)
    typer.echo(rotate_token(account))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: the network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes of the server.")] = 3,
    demo: Annotated[bool, typer.Option(help="First add the demo county (never to a database with real data) and print its logins.")] = False,
) -> None:
    """Run the web application under gunicorn: debug off, static files served by WhiteNoise, database upgraded first."""
    from gongkai.web.serving import ServeError, prepare, run

    try:
        url, logins = prepare(host, port, demo=demo)
    except ServeError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    if logins:
        typer.echo("演示账号（密码仅供本机演示）：")
        for name, agency, role, password in logins:
            typer.echo(f"  {name}\t{password}\t{agency} {role}")
    typer.echo(f"gongkai 网页应用：{url}  （Ctrl-C 停止）")
    run(host, port, workers=workers)


@import_app.command("requests")
def import_requests(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv ledger")],
) -> None:
    """Import disclosure requests (layout: docs/import-requests.md); all rows or none."""
    _django()
    from gongkai.web.requests.importer import LedgerImportError
    from gongkai.web.requests.importer import import_requests as run_import

    try:
        count = run_import(file)
    except LedgerImportError as error:
        for row_error in error.errors:
            typer.echo(str(row_error), err=True)
        typer.echo(f"{len(error.errors)} 处错误：未导入任何数据", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已导入 {count} 件申请")


@import_app.command("events")
def import_events(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv, one row per event")],
) -> None:
    """Import requests with their event history (layout: docs/import-requests.md); all rows or none."""
    _django()
    from gongkai.web.requests.event_import import import_events as run_import
    from gongkai.web.requests.importer import LedgerImportError

    try:
        requests, events = run_import(file)
    except LedgerImportError as error:
        for row_error in error.errors:
            typer.echo(str(row_error), err=True)
        typer.echo(f"{len(error.errors)} 处错误：未导入任何数据", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已导入 {requests} 件申请、{events} 个办理事件")


@app.command("compile")
def compile_command(
    agency: Annotated[str, typer.Option(help="The agency's name as in the database.")],
    year: Annotated[int, typer.Option(help="The report year.")],
    subtree: Annotated[bool, typer.Option(help="Sum over the agency and all agencies below it.")] = False,
    to: Annotated[str, typer.Option(help="Output format: json, flat, txt, md, html, csv, docx, pdf, xlsx.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (needed for docx, pdf, xlsx).")] = None,
) -> None:
    """Compile an agency's annual report for a year from the ledger and print it."""
    _django()
    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import compile_report

    found = Agency.objects.filter(name=agency).first()
    if found is None:
        typer.echo(f"no agency named {agency!r}", err=True)
        raise typer.Exit(1)
    try:
        report = compile_report(found, year, subtree=subtree)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    from gongkai.render import WRITERS

    writer = WRITERS.get(to)
    if writer is None or (writer.binary and output is None):
        typer.echo(f"error: --to {to!r} needs one of {', '.join(WRITERS)} (binary formats need -o FILE)", err=True)
        raise typer.Exit(2)
    data = writer.render(report)
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)


class DeadlineFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


@app.command()
def deadlines(
    due_within: Annotated[int | None, typer.Option(
        help="Only deadlines due within this many working days (overdue ones always shown).")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency and the agencies below it.")] = None,
    today: Annotated[str | None, typer.Option(help="Count from this day, YYYY-MM-DD (default: today).")] = None,
    format: Annotated[DeadlineFormat, typer.Option("--format", help="text, json or csv.")] = DeadlineFormat.text,
) -> None:
    """List open requests by their next deadline, derived from their events (applicants masked)."""
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        typer.echo(f"error: --today {today!r} is not a date YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None
    _django()
    from gongkai.web.agencies.models import Agency
    from gongkai.web.requests.deadline_formats import as_csv, as_json, as_table
    from gongkai.web.requests.deadlines import open_deadlines

    found = None
    if agency is not None:
        found = Agency.objects.filter(name=agency).first()
        if found is None:
            typer.echo(f"no agency named {agency!r}", err=True)
            raise typer.Exit(1)
    rows = open_deadlines(found, today=day, within=due_within)
    if format is DeadlineFormat.text:
        console = Console()
        console.width = max(console.width, 160)  # ten columns of Chinese: never squeezed into 80 columns of a pipe
        console.print(as_table(rows))
    else:
        typer.echo(as_json(rows) if format is DeadlineFormat.json else as_csv(rows), nl=False)


@app.command("refresh-states")
def refresh_states() -> None:
    """Derive and store the state of every open request whose stored copy is stale (a new day, a new holiday
    schedule, an import): for a nightly job, so that the first page of the day does not do it."""
    _django()
    from django.utils import timezone

    from gongkai.calendar import WorkCalendar
    from gongkai.web.requests.models import Request
    from gongkai.web.requests.stored_state import refresh_stale

    today = timezone.localdate()
    written = refresh_stale(Request.objects.all(), today, WorkCalendar.from_directory())
    typer.echo(f"{today}: stored the state of {written} open requests")
