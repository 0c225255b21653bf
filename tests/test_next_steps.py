"""The next lawful steps of a request, as the ledger's rule accepts them."""

from datetime import date
from decimal import Decimal

from gongkai.calendar import WorkCalendar
from gongkai.ledger import events as ev
from gongkai.ledger.next_steps import NextStep, lawful_next_steps

CAL = WorkCalendar.from_directory()
RECEIVED = ev.Received(date(2026, 3, 2), channel="in_person")


def steps(*events, today=date(2026, 3, 4)):
    return set(lawful_next_steps([RECEIVED, *events], today=today, calendar=CAL))


def test_a_fresh_request_can_take_every_step_that_starts_something():
    assert steps() == {NextStep.SUPPLEMENT_REQUESTED, NextStep.CONSULTATION_STARTED, NextStep.EXTENSION_APPROVED,
                       NextStep.FEE_NOTICE_SENT, NextStep.DELAYED_REPLY, NextStep.DECIDED, NextStep.WITHDRAWN}


def test_awaiting_a_supplement_only_the_supplement_a_decision_or_a_withdrawal():
    asked = ev.SupplementRequested(date(2026, 3, 3), supplement_by=date(2026, 3, 20))
    assert steps(asked) == {NextStep.SUPPLEMENT_RECEIVED, NextStep.DECIDED, NextStep.WITHDRAWN}
    # once received, a second notice is refused by the rule (条例第三十条: once)
    got = ev.SupplementReceived(date(2026, 3, 4))
    assert NextStep.SUPPLEMENT_REQUESTED not in steps(asked, got)
    assert NextStep.SUPPLEMENT_RECEIVED not in steps(asked, got)


def test_a_consultation_ends_only_while_open_and_an_extension_is_approved_once():
    started = ev.ConsultationStarted(date(2026, 3, 3))
    assert steps(started) == {NextStep.CONSULTATION_ENDED, NextStep.EXTENSION_APPROVED, NextStep.DECIDED,
                              NextStep.WITHDRAWN}
    extended = ev.ExtensionApproved(date(2026, 3, 3), working_days=10)
    assert NextStep.EXTENSION_APPROVED not in steps(extended)


def test_fee_payment_only_after_a_notice():
    assert NextStep.FEE_PAID not in steps()
    notice = ev.FeeNoticeSent(date(2026, 3, 3), quote=None)
    assert steps(notice) == {NextStep.FEE_PAID, NextStep.EXTENSION_APPROVED, NextStep.DECIDED, NextStep.WITHDRAWN}
    paid = ev.FeePaid(date(2026, 3, 4), amount=Decimal(100))
    assert NextStep.FEE_PAID not in steps(notice, paid)


def test_nothing_after_the_decision():
    assert steps(ev.Decided(date(2026, 3, 3), outcome="granted")) == set()
