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
    assert steps(started) == {NextStep.CONSULTATION_ENDED, NextStep.DECIDED, NextStep.WITHDRAWN}
    extended = ev.ExtensionApproved(date(2026, 3, 3), working_days=10)
    assert NextStep.EXTENSION_APPROVED not in steps(extended)


def test_fee_payment_only_after_a_notice():
    assert NextStep.FEE_PAID not in steps()
    notice = ev.FeeNoticeSent(date(2026, 3, 3), quote=None)
    assert steps(notice) == {NextStep.FEE_PAID, NextStep.DECIDED, NextStep.WITHDRAWN}
    paid = ev.FeePaid(date(2026, 3, 4), amount=Decimal(100))
    assert NextStep.FEE_PAID not in steps(notice, paid)


def test_nothing_after_the_decision():
    assert steps(ev.Decided(date(2026, 3, 3), outcome="granted")) == set()


def _extension_offered(*events, today):
    return NextStep.EXTENSION_APPROVED in steps(*events, today=today)


def test_an_extension_is_offered_while_the_clock_runs_not_while_it_is_paused():
    """条例第三十三条第二款: the 延期告知书 names the extended reply date, which a pause (征求意见, 第三十三条第三款;
    an unpaid fee notice, 办法第七条) leaves unknown: offered from the day the pause ends, the same day included."""
    started, notice = ev.ConsultationStarted(date(2026, 3, 3)), ev.FeeNoticeSent(date(2026, 3, 3), quote=None)
    assert not _extension_offered(started, today=date(2026, 3, 4))
    assert _extension_offered(started, ev.ConsultationEnded(date(2026, 3, 4)), today=date(2026, 3, 4))
    # the consultee's 15 WD run out on 3-24: still paused that day, running the next
    assert not _extension_offered(started, today=date(2026, 3, 24))
    assert _extension_offered(started, today=date(2026, 3, 25))
    assert not _extension_offered(notice, today=date(2026, 3, 4))
    assert _extension_offered(notice, ev.FeePaid(date(2026, 3, 4), amount=Decimal(100)), today=date(2026, 3, 4))


def test_the_rule_itself_still_accepts_an_extension_recorded_during_a_pause():
    from gongkai.ledger.timeline import derive_state

    events = [RECEIVED, ev.ConsultationStarted(date(2026, 3, 3)), ev.ExtensionApproved(date(2026, 3, 4), working_days=5),
              ev.ConsultationEnded(date(2026, 3, 5))]
    assert derive_state(events, today=date(2026, 3, 6), calendar=CAL).extension_days == 5
