"""How working days are counted: practice, not statute, so one configurable object.

The default follows docs/ledger-rules.md (and the spec): the day that starts a clock (receipt, supplement
received, fee notice received) is day 0; a pause from day S (consultation letter or fee notice sent) to day E
(answer received, the consultee's time ran out, fee paid) takes out the days after S up to and including E.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.calendar import DateSpan
from gongkai.ledger.errors import LedgerError

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CountingConvention:
    start_day_counts: bool = False
    """Whether the day that starts a clock is itself day 1 (when it is a working day) rather than day 0."""
    pause_start_day_counts: bool = True
    """Whether day S, when the consultation letter is sent, still counts."""
    pause_end_day_counts: bool = False
    """Whether day E, when the answer arrives (or the consultee's time runs out), counts."""

    def day_zero(self, start: date) -> date:
        """The day the count starts after: ``start`` itself, or the day before when ``start`` counts."""
        return start - ONE_DAY if self.start_day_counts else start

    def excluded_span(self, started: date, ended: date) -> DateSpan | None:
        """The days a consultation from ``started`` to ``ended`` takes out of the count (None: no day)."""
        if ended < started:
            raise LedgerError("pause_ends_before_start", f"暂停计时的结束日期 {ended} 早于开始日期 {started}")
        first = started + ONE_DAY if self.pause_start_day_counts else started
        last = ended - ONE_DAY if self.pause_end_day_counts else ended
        return DateSpan(first, last) if first <= last else None


SPEC_CONVENTION = CountingConvention()
