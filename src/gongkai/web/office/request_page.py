"""What the request page shows: the applicant (in full only for the handling agency's staff, and then the
display is written to the audit log, as in the admin), the timeline, the live due dates and how the reply due
date was counted (``counting``)."""

from __future__ import annotations

from datetime import date
from html import escape

from django.utils.safestring import mark_safe

from gongkai.calendar import WorkCalendar
from gongkai.ledger.deadlines import DEADLINE_LABELS, DeadlineKind, assess
from gongkai.ledger.timeline import STATUS_LABELS, derive_state
from gongkai.web.accounts.access import sees_personal_data
from gongkai.web.audit.models import AuditEntry
from gongkai.web.audit.recording import record
from gongkai.web.requests.events import EventKind, ledger_event
from gongkai.web.requests.masking import mask_address, mask_id_number, mask_phone
from gongkai.web.requests.models import Request

from .counting import DAY_LABELS, Day, explain_reply_count, month_grids
from .labels import OUTCOME_LABELS
from .rows import applicant_name, applicant_type_label

FEE_METHOD_LABELS = {"per_request": "按件", "per_page": "按量"}


def _event_details(row) -> str:
    if row.kind == EventKind.DECIDED:
        return OUTCOME_LABELS.get(row.outcome or "", "")
    if row.kind == EventKind.SUPPLEMENT_REQUESTED and row.supplement_by:
        return f"补正期限 {row.supplement_by:%Y-%m-%d}"
    if row.kind == EventKind.FEE_NOTICE_SENT:
        quote = ledger_event(row).quote
        delivered = f"，{row.delivered_on:%Y-%m-%d} 送达" if row.delivered_on else ""
        return f"{FEE_METHOD_LABELS.get(row.fee_method, row.fee_method)}收费 {quote.total} 元{delivered}"
    return ""


def _applicant(request, found: Request, full: bool) -> dict:
    applicant = found.applicant
    if full:
        record(AuditEntry.Action.VIEW_PERSONAL_DATA, found, found.pk, agency_id=found.agency_id)
        return {"name": applicant.name, "type": applicant_type_label(applicant), "id_number": applicant.id_number,
                "phone": applicant.phone, "address": applicant.address, "full": True}
    return {"name": applicant_name(request.user, applicant, found.agency_id), "type": applicant_type_label(applicant),
            "id_number": mask_id_number(applicant.id_number), "phone": mask_phone(applicant.phone),
            "address": mask_address(applicant.address), "full": False}


def request_page_context(request, found: Request, today: date, calendar: WorkCalendar, rows=None) -> dict:
    """``rows``: the request's event rows (``Request.rows``) when the page has read them already."""
    full = sees_personal_data(request.user, [found.agency_id])
    rows = found.rows() if rows is None else rows
    events = [ledger_event(row) for row in rows]
    state = derive_state(events, today=today, calendar=calendar)
    closing = found.closing_on(today)  # a lapse still ahead is not a closing yet
    count = explain_reply_count(events, state, calendar=calendar)
    ledger_due = state.reply_due
    explained = (count.due.date if count.due else None) == (ledger_due.date if ledger_due else None)
    pending = state.pending_deadlines()
    judged = assess(pending, today, calendar=calendar)
    deadlines = [{"label": DEADLINE_LABELS[d.kind], "due": d.due,
                  "left": calendar.working_days_between(today, d.due.date),
                  "late": d in judged.overdue or d in judged.lapsed}
                 for d in sorted(pending, key=lambda d: d.due.date)
                 # a passed 7-day window for a 补正 notice is no longer something to do: only a reminder while open
                 if not (d.kind is DeadlineKind.SUPPLEMENT_NOTICE and d.due.date < today)]
    return {
        "found": found,
        "applicant": _applicant(request, found, full),
        "notes_visible": full,
        "timeline": [{"on": row.occurred_on, "kind": row.get_kind_display(), "details": _event_details(row),
                      "note": row.note} for row in rows],
        "status_label": STATUS_LABELS[state.status],
        "state": state,
        "reply_due": ledger_due,
        "reply_left": calendar.working_days_between(today, ledger_due.date) if ledger_due and not state.closed_on
        else None,
        "deadlines": deadlines,
        "count": count if explained else None,
        "count_stopped": count.stopped,
        "used": count.used_by(today) if explained else None,
        "months_html": months_html(month_grids(count.days), ledger_due.date if ledger_due else None, today)
        if explained and count.days else "",
        "closed_on": closing[0],
        "outcome_label": OUTCOME_LABELS.get(closing[1] or "", ""),
        "today": today,
    }


WEEKDAY_HEADS = "".join(f"<th>{name}</th>" for name in "一二三四五六日")


def months_html(months: list[tuple[str, list[list[Day | None]]]], due: date | None, today: date) -> str:
    """The month grids as the request page shows them (``<div class="months">``): each day's cell classed by its
    kind, the due date and today marked, its title the date, what the day is and its number in the count.
    Built here in one pass, not by a template loop: a count of 20 working days draws about 60 cells."""
    tables = []
    for name, weeks in months:
        rows = []
        for week in weeks:
            cells = []
            for day in week:
                if day is None:
                    cells.append("<td></td>")
                    continue
                marks = (" d-due" if day.date == due else "") + (" d-today" if day.date == today else "")
                ordinal = f"（第{day.ordinal}个工作日）" if day.ordinal else ""
                number = f'<span class="o">{day.ordinal}</span>' if day.ordinal else ""
                cells.append(f'<td class="d-{day.kind.value}{marks}" title="{day.date.isoformat()} '
                             f'{escape(DAY_LABELS[day.kind])}{ordinal}"><span class="n">{day.date.day}</span>'
                             f'{number}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        tables.append(f'    <table class="month"><caption>{escape(name)}</caption>\n'
                      f'      <thead><tr>{WEEKDAY_HEADS}</tr></thead>\n'
                      f'      <tbody>{"".join(rows)}</tbody>\n    </table>\n')
    return mark_safe(f'<div class="months">\n{"".join(tables)}  </div>')
