"""The next lawful steps of a request on a day: what a clerk may record next, as the ledger's rule sees it.

Nothing here re-states the law.  A step is lawful when the timeline with that event appended on ``today`` is one
``derive_state`` accepts (it refuses a second 补正 notice or extension, events after the closing, a payment
without a notice, a 补正 received without a notice…), and it makes sense in the request's current status
(``STATUS_STEPS``: a consultation ends only while one is open, a fee notice is sent while the clock runs, a
request waiting for the applicant's 补正 is not consulted on, an extension is approved while the clock runs).  The probe events carry placeholder details
(a deadline the next day, one working day of extension, a granted decision): the real ones are checked again,
by the same rule, when the step is recorded.  Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ledger
from gongkai.ledger.convention import SPEC_CONVENTION, CountingConvention
from gongkai.ledger.errors import LedgerError
from gongkai.ledger.timeline import RequestState, Status, derive_state

ONE_DAY = timedelta(days=1)


class NextStep(StrEnum):
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 补正告知 (条例第三十条)
    SUPPLEMENT_RECEIVED = "supplement_received"  # 收到补正 (条例第三十条)
    CONSULTATION_STARTED = "consultation_started"  # 征求意见 (条例第三十二、三十四条)
    CONSULTATION_ENDED = "consultation_ended"  # 征求意见结束
    EXTENSION_APPROVED = "extension_approved"  # 延期 (条例第三十三条第二款)
    FEE_NOTICE_SENT = "fee_notice_sent"  # 收费通知 (条例第四十二条, 办法第七条)
    FEE_PAID = "fee_paid"  # 缴纳费用
    DELAYED_REPLY = "delayed_reply"  # 延迟答复 (条例第三十五条)
    DECIDED = "decided"  # 答复 (条例第三十六条)
    WITHDRAWN = "withdrawn"  # 申请人撤回


RUNNING = {Status.IN_PROGRESS}
OPEN = {Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.CONSULTING, Status.AWAITING_PAYMENT}

STATUS_STEPS: dict[NextStep, set[Status] | None] = {
    NextStep.SUPPLEMENT_REQUESTED: RUNNING,
    NextStep.SUPPLEMENT_RECEIVED: None,  # also a late 补正 with 正当理由 after the lapse: the rule decides
    NextStep.CONSULTATION_STARTED: RUNNING,
    NextStep.CONSULTATION_ENDED: {Status.CONSULTING},
    # 条例第三十三条第二款: the extension is approved by the office head and told to the applicant (the 延期告知书
    # names the extended reply date) before the first deadline.  While the clock is paused (征求意见, 第三十三条
    # 第三款, 第三十二、三十四条; an unpaid fee notice, 办法第七条) that date cannot be named yet, and the pause
    # pushes the first deadline back by its own length: the extension is offered again from the day the pause
    # ends (the answer received, the consultee's 15 WD run out, the fee paid), and nothing lawful is lost.  The
    # rule itself (``derive_state``) still accepts an extension recorded during a pause, as the law does not
    # forbid it: a timeline imported from elsewhere keeps it.
    NextStep.EXTENSION_APPROVED: RUNNING,
    NextStep.FEE_NOTICE_SENT: RUNNING,
    NextStep.FEE_PAID: None,  # also a late payment the agency accepts after the lapse: the rule decides
    NextStep.DELAYED_REPLY: RUNNING,
    NextStep.DECIDED: OPEN,
    NextStep.WITHDRAWN: OPEN,
}


def _probe(step: NextStep, today: date) -> ledger.Event:
    if step is NextStep.SUPPLEMENT_REQUESTED:
        return ledger.SupplementRequested(today, supplement_by=today + ONE_DAY)
    if step is NextStep.SUPPLEMENT_RECEIVED:
        return ledger.SupplementReceived(today, good_reason=True)
    if step is NextStep.CONSULTATION_STARTED:
        return ledger.ConsultationStarted(today)
    if step is NextStep.CONSULTATION_ENDED:
        return ledger.ConsultationEnded(today)
    if step is NextStep.EXTENSION_APPROVED:
        return ledger.ExtensionApproved(today, working_days=1)
    if step is NextStep.FEE_NOTICE_SENT:
        return ledger.FeeNoticeSent(today, quote=None)
    if step is NextStep.FEE_PAID:
        return ledger.FeePaid(today, accepted_late=True)
    if step is NextStep.DELAYED_REPLY:
        return ledger.DelayedReply(today, reply_by=today + ONE_DAY)
    if step is NextStep.DECIDED:
        return ledger.Decided(today, outcome="granted")
    return ledger.Withdrawn(today)


def lawful_next_steps(events: Sequence[ledger.Event], *, today: date, calendar: WorkCalendar,
                      convention: CountingConvention = SPEC_CONVENTION,
                      state: RequestState | None = None) -> list[NextStep]:
    """The steps the ledger's rule accepts as the next event on ``today``, in ``NextStep`` order."""
    state = state or derive_state(events, today=today, calendar=calendar, convention=convention)
    lawful = []
    for step, statuses in STATUS_STEPS.items():
        if statuses is not None and state.status not in statuses:
            continue
        try:
            derive_state([*events, _probe(step, today)], today=today, calendar=calendar, convention=convention)
        except (LedgerError, ValueError):
            continue
        lawful.append(step)
    return lawful
