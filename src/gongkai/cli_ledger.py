"""Ledger commands for the ``gongkai`` CLI (the lead mounts ``ledger_app`` into the main app).

Thin: arguments become the ledger's typed events, and ``gongkai.ledger.timeline.derive_state`` says what the
law makes of them, so anyone can check a case without a database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import DeadlineKind
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    DelayedReply,
    Event,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    Received,
    SupplementReceived,
    SupplementRequested,
)
from gongkai.ledger.timeline import UNBOUNDED, Status, derive_state

ledger_app = typer.Typer(no_args_is_help=True)

PAUSE_OPTION = "--pause"
PAUSED_BY = {
    Status.AWAITING_SUPPLEMENT: DeadlineKind.SUPPLEMENT_FROM_APPLICANT,
    Status.AWAITING_PAYMENT: DeadlineKind.FEE_PAYMENT,
    Status.CONSULTING: DeadlineKind.CONSULTATION,
}


class UsageProblem(Exception):
    """A bad argument: reported as one line, exit code 2."""


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"invalid date {value!r} for {option}: expected YYYY-MM-DD") from None


def _optional_date(value: str | None, option: str) -> date | None:
    return _parse_date(value, option) if value is not None else None


def _is_date(value: str) -> bool:
    return not value.startswith("-")


def _parse_pauses(extra: list[str]) -> list[tuple[date, date | None]]:
    """``--pause START [END]`` repeated: a consultation, open when END is left out."""
    pauses, rest = [], list(extra)
    while rest:
        if rest[0] != PAUSE_OPTION or len(rest) < 2 or not _is_date(rest[1]):
            raise UsageProblem(f"unexpected argument {rest[0]!r}: use {PAUSE_OPTION} START [END]")
        start = _parse_date(rest[1], PAUSE_OPTION)
        end = _parse_date(rest[2], PAUSE_OPTION) if len(rest) > 2 and _is_date(rest[2]) else None
        if end is not None and end < start:
            raise UsageProblem(f"{PAUSE_OPTION}: the consultation ends ({end}) before it starts ({start})")
        pauses.append((start, end))
        rest = rest[3:] if end is not None else rest[2:]
    return pauses


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _events(received: date, options: dict, pauses: list[tuple[date, date | None]]) -> list[Event]:
    events: list[Event] = [Received(received)]
    if options["extended"] is not None:  # approved and notified in time: on the day of receipt
        events.append(ExtensionApproved(received, working_days=options["extended"]))
    if options["delay_to"] is not None:
        events.append(DelayedReply(received, reply_by=options["delay_to"]))
    if options["supplement_requested"] is not None:
        events.append(SupplementRequested(options["supplement_requested"], supplement_by=options["supplement_by"]))
    elif options["supplement_by"] is not None:
        raise UsageProblem("--supplement-by needs --supplement-requested")
    if options["supplement_received"] is not None:
        events.append(SupplementReceived(options["supplement_received"], good_reason=options["good_reason"]))
    for start, end in pauses:
        events.append(ConsultationStarted(start))
        if end is not None:
            events.append(ConsultationEnded(end))
    if options["fee_notice"] is not None:
        events.append(FeeNoticeSent(options["fee_notice"], quote=None, delivered_on=options["fee_delivered"]))
        if options["paid"] is not None:
            events.append(FeePaid(options["paid"], accepted_late=options["accept_late_payment"]))
    elif options["fee_delivered"] is not None or options["paid"] is not None:
        raise UsageProblem("--fee-delivered and --paid need --fee-notice")
    return events


@ledger_app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def due(
    ctx: typer.Context,
    received: Annotated[str, typer.Option("--received", help="Receipt date (day 0), YYYY-MM-DD.")],
    supplement_requested: Annotated[str | None, typer.Option(
        "--supplement-requested", help="Day the 补正 notice was sent (give --supplement-by too).")] = None,
    supplement_by: Annotated[str | None, typer.Option(
        "--supplement-by", help="The supplement deadline the notice gave the applicant.")] = None,
    supplement_received: Annotated[str | None, typer.Option(
        "--supplement-received", help="Day the supplement (补正) arrived: the clock restarts from it.")] = None,
    good_reason: Annotated[bool, typer.Option(
        "--good-reason", help="A supplement after its deadline is accepted for a 正当理由.")] = False,
    fee_notice: Annotated[str | None, typer.Option(
        "--fee-notice", help="Day the fee notice was sent: the clock pauses until payment.")] = None,
    fee_delivered: Annotated[str | None, typer.Option(
        "--fee-delivered", help="Day the applicant received the fee notice (default: the day it was sent).")] = None,
    paid: Annotated[str | None, typer.Option("--paid", help="Day the applicant paid.")] = None,
    accept_late_payment: Annotated[bool, typer.Option(
        "--accept-late-payment", help="A payment after its deadline is accepted by the agency.")] = False,
    extended: Annotated[int | None, typer.Option(
        "--extended", help="An extension of N working days (1–20), approved before the first deadline.")] = None,
    delay_to: Annotated[str | None, typer.Option(
        "--delay-to", help="A later reply date set under 条例第三十五条 (延迟答复).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", help="The state on this day (default: once every running deadline has passed).")] = None,
    calendar_dir: Annotated[Path | None, typer.Option(
        "--calendar-dir", help="Holiday schedules (*.json); default $GONGKAI_DATA_DIR/calendars.")] = None,
) -> None:
    """Print the reply due date, or the outcome and day the law closes the request on (warnings on stderr).

    Add --pause START END (repeatable) for each consultation, --pause START alone for one still open (it ends
    by itself after 15 working days).
    """
    try:
        options = {
            "supplement_requested": _optional_date(supplement_requested, "--supplement-requested"),
            "supplement_by": _optional_date(supplement_by, "--supplement-by"),
            "supplement_received": _optional_date(supplement_received, "--supplement-received"),
            "good_reason": good_reason,
            "fee_notice": _optional_date(fee_notice, "--fee-notice"),
            "fee_delivered": _optional_date(fee_delivered, "--fee-delivered"),
            "paid": _optional_date(paid, "--paid"),
            "accept_late_payment": accept_late_payment,
            "extended": extended,
            "delay_to": _optional_date(delay_to, "--delay-to"),
        }
        day = _optional_date(today, "--today") or UNBOUNDED
        events = _events(_parse_date(received, "--received"), options, _parse_pauses(ctx.args))
        calendar = WorkCalendar.from_directory(calendar_dir)
        state = derive_state(events, today=day, calendar=calendar)
    except (UsageProblem, FileNotFoundError, LedgerError, ValueError) as problem:  # ScheduleError is a ValueError
        raise _fail(str(problem)) from None
    for warning in state.warnings:
        typer.echo(f"提示：{warning}", err=True)
    if state.status is Status.CLOSED:
        typer.echo(f"{state.outcome} closed {state.closed_on.isoformat()}")
    elif state.reply_due is not None:
        typer.echo(str(state.reply_due))
    else:  # paused on --today: the deadline that runs instead
        kind = PAUSED_BY[state.status]
        [deadline] = [d for d in state.pending_deadlines() if d.kind is kind]
        typer.echo(f"{state.status.value}: {deadline.kind.value} {deadline.due}")
