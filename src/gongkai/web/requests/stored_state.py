"""Each open request's state, stored on its row so that the office's pages filter, count and sort in the database.

The ledger derives a request's state from its events (``derive_state``); a dashboard or list of thousands of
open requests cannot derive them all on every page.  So the state is derived once and stored in the request's
state columns (``STATE_FIELDS``): its status, its reply due date, the deadline of the pause it is in, and how
long the copy holds — through the day before the passing of time alone changes it (``RequestState.changes_on``:
a consultation runs out, an applicant deadline lapses), and only for the calendar it was derived with
(``WorkCalendar.fingerprint``: an administrator loading a holiday schedule makes every copy stale).  Overdue and due-soon
are not stored: they are the reply due date against today, judged per page by the ledger's ``assess``.

Writers: ``Request.sync_closing`` whenever an event is saved or deleted (in the same transaction), and
``refresh_stale`` for copies that time or a new calendar made stale — called by every page that reads the
columns, for the requests it reads, and by ``gongkai refresh-states`` (for a nightly job, so that the first page
of the day does not pay for it).  ``refresh_stale`` writes a copy only if the row still holds the stale copy it
read: an event saved meanwhile has written a fresher one, which wins.  Both write the closing with the state
(``event_values``): a lapse still ahead (an unpaid fee's, counted in working days) moves with a new calendar as
the due dates do.  A closing already past is not derived again when a schedule is loaded later.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import DeadlineKind
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.timeline import UNBOUNDED, RequestState, derive_state

from .events import ledger_event

FOREVER = date(9999, 12, 31)
"""``state_until`` of a state that nothing but an event changes."""
UNREADABLE = "unreadable"
"""``status`` of a request whose events the ledger's rule refuses (recorded before a rule was added): the pages
say so; derived again the next day."""
STATE_FIELDS = ("status", "reply_due", "reply_due_note", "pause_due", "pause_kind", "state_until",
                "state_calendar")
PAUSE_KINDS = (DeadlineKind.SUPPLEMENT_FROM_APPLICANT, DeadlineKind.FEE_PAYMENT, DeadlineKind.CONSULTATION)
BATCH = 500


def state_values(state: RequestState, stamp: str) -> dict:
    """The state columns for a state derived on ``state.today`` with the calendar of ``stamp``."""
    reply = state.reply_due
    pauses = sorted((d for d in state.pending_deadlines() if d.kind in PAUSE_KINDS), key=lambda d: d.due.date)
    changes = state.changes_on
    return {"status": state.status.value, "reply_due": reply.date if reply else None,
            "reply_due_note": (reply.reason or "provisional") if reply and reply.provisional else "",
            "pause_due": pauses[0].due.date if pauses else None, "pause_kind": pauses[0].kind.value if pauses else "",
            "state_until": changes - timedelta(days=1) if changes else FOREVER, "state_calendar": stamp}


def unreadable_values(today: date, stamp: str) -> dict:
    return {"status": UNREADABLE, "reply_due": None, "reply_due_note": "", "pause_due": None, "pause_kind": "",
            "state_until": today, "state_calendar": stamp}


def derive_values(rows, today: date, calendar: WorkCalendar) -> dict:
    """The derived columns of a request with event ``rows`` (recording order) on ``today``: its closing and its
    state columns (``event_values``); only the state columns, marked unreadable, if the rule refuses the events."""
    try:
        events = [ledger_event(row) for row in rows]
        return event_values(events, today, calendar)
    except (LedgerError, ValueError):
        return unreadable_values(today, calendar.fingerprint())


def event_values(events, today: date, calendar: WorkCalendar) -> dict:
    """The derived columns of a request with the ledger's ``events``, counted with ``calendar``:

    - ``closed_on``, ``outcome``: the closing, as the events lead to it whenever it comes (a lapse still ahead
      included: its date is counted in working days, so a new holiday schedule may move it);
    - the state columns on ``today`` (``STATE_FIELDS``).

    Raises ``LedgerError`` if the rule refuses the events."""
    closing = derive_state(events, today=UNBOUNDED, calendar=calendar)
    try:
        state = state_values(derive_state(events, today=today, calendar=calendar), calendar.fingerprint())
    except (LedgerError, ValueError):  # refused only as of today (e.g. an event dated after it)
        state = unreadable_values(today, calendar.fingerprint())
    return {"closed_on": closing.closed_on, "outcome": closing.outcome, **state}


def stale(today: date, stamp: str) -> models.Q:
    """Rows whose stored state does not hold on ``today`` with this calendar (or was never derived)."""
    return (models.Q(state_until__isnull=True) | models.Q(state_until__lt=today)
            | ~models.Q(state_calendar=stamp))


def refresh_stale(requests: models.QuerySet, today: date, calendar: WorkCalendar) -> int:
    """Derive and store the state of the open ``requests`` whose stored copy is stale; returns how many.

    One query finds none on most pages.  Each copy is written only over the stale one it replaces."""
    from .models import NOT_OPEN_STATES, Request, RequestEvent, open_on

    stamp = calendar.fingerprint()
    # Two index scans, not one over all rows: the rows stored open (``request_open_state_idx``, read from the index
    # alone; a row stored open that a lapse has closed since is stale too, and is stored closed), and the open
    # rows whose state was never stored or is stored closed (``request_unstored_open_idx``, and by range of
    # ``closed_on`` for a lapse still ahead).
    # One round trip for both (UNION ALL): every page runs this.
    columns = ("pk", "state_until", "state_calendar")
    found = list(requests.exclude(status__in=NOT_OPEN_STATES).filter(stale(today, stamp)).values_list(*columns)
                 .union(requests.filter(open_on(today), status__in=NOT_OPEN_STATES).values_list(*columns), all=True))
    written = 0
    for start in range(0, len(found), BATCH):
        batch = {pk: (until, seen) for pk, until, seen in found[start:start + BATCH]}
        owners = Request.objects.in_bulk(list(batch))
        events: dict[int, list] = {pk: [] for pk in batch}
        for event in RequestEvent.objects.filter(request_id__in=list(batch)).order_by("request_id", "occurred_on",
                                                                                    "id"):
            RequestEvent.request.field.set_cached_value(event, owners[event.request_id])
            events[event.request_id].append(event)
        for pk, (until, seen) in batch.items():
            still_stale = models.Q(state_until__isnull=True) if until is None else models.Q(state_until=until)
            written += Request.objects.filter(still_stale, pk=pk, state_calendar=seen).update(
                **derive_values(events[pk], today, calendar))
    return written


def ensure_fresh(request, today: date, calendar: WorkCalendar) -> None:
    """Bring one request's stored state up to date (for a page or an answer about that request alone)."""
    stamp = calendar.fingerprint()
    holds = request.state_until is not None and request.state_until >= today and request.state_calendar == stamp
    if request.is_open_on(today) and not holds:
        refresh_stale(type(request).objects.filter(pk=request.pk), today, calendar)
        request.refresh_from_db(fields=STATE_FIELDS)
