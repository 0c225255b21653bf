"""Ledger commands for the ``gongkai`` CLI (the lead mounts ``ledger_app`` into the main app).

Thin: arguments are parsed here, the work is done by ``gongkai.ledger`` and ``gongkai.calendar``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import reply_due

ledger_app = typer.Typer(no_args_is_help=True)

PAUSE_OPTION = "--pause"


class UsageProblem(Exception):
    """A bad argument: reported as one line, exit code 2."""


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"invalid date {value!r} for {option}: expected YYYY-MM-DD") from None


def _parse_pauses(extra: list[str]) -> list[tuple[date, date]]:
    pauses, rest = [], list(extra)
    while rest:
        if rest[0] != PAUSE_OPTION or len(rest) < 3:
            raise UsageProblem(f"unexpected argument {rest[0]!r}: use {PAUSE_OPTION} START END")
        pauses.append((_parse_date(rest[1], PAUSE_OPTION), _parse_date(rest[2], PAUSE_OPTION)))
        rest = rest[3:]
    return pauses


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


@ledger_app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def due(
    ctx: typer.Context,
    received: Annotated[str, typer.Option("--received", help="Receipt date (day 0), YYYY-MM-DD.")],
    supplement_received: Annotated[
        str | None,
        typer.Option(
            "--supplement-received", help="Day the supplement (补正) arrived: the clock restarts from it."
        ),
    ] = None,
    extended: Annotated[
        bool, typer.Option("--extended", help="One approved extension: the 40th working day.")
    ] = False,
    calendar_dir: Annotated[
        Path | None,
        typer.Option(
            "--calendar-dir", help="Holiday schedules (*.json); default $GONGKAI_DATA_DIR/calendars."
        ),
    ] = None,
) -> None:
    """Print the reply due date (YYYY-MM-DD, marked provisional when a year has no holiday schedule).

    Add --pause START END (repeatable) for each consultation: the letter sent on START, the answer on END.
    """
    try:
        received_on = _parse_date(received, "--received")
        supplement_on = (
            _parse_date(supplement_received, "--supplement-received") if supplement_received else None
        )
        pauses = _parse_pauses(ctx.args)
        calendar = WorkCalendar.from_directory(calendar_dir)
        result = reply_due(
            received_on,
            supplement_received=supplement_on,
            consultations=pauses,
            extended=extended,
            calendar=calendar,
        )
    except (UsageProblem, FileNotFoundError, ValueError) as problem:  # ScheduleError is a ValueError
        raise _fail(str(problem)) from None
    typer.echo(str(result))
