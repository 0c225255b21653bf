"""The typed events of a disclosure request's timeline. State and deadlines are derived from them.

An event that cannot exist on its own (a 0 元 fee notice, an extension of 25 working days, a 补正 notice
without a deadline) is refused when it is made, with a ``LedgerError`` whose message is Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.ledger.errors import LedgerError
from gongkai.ledger.fees import FeeQuote
from gongkai.ledger.outcomes import legal_basis

MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款: 延长的期限最长不得超过20个工作日


@dataclass(frozen=True)
class Event:
    on: date


@dataclass(frozen=True)
class Received(Event):
    """The receipt date under 条例第三十一条; day 0 of the reply clock.

    ``channel`` (``in_person``, ``post_signed``, ``post_ordinary``, ``online``, ``fax``) decides whether a
    non-working day can be the receipt date (see ``gongkai.ledger.receipt``).
    """

    channel: str | None = None


@dataclass(frozen=True, kw_only=True)
class SupplementRequested(Event):
    """补正 notice (条例第三十条): it must give the applicant a deadline, on or after the notice day."""

    supplement_by: date | None

    def __post_init__(self) -> None:
        if self.supplement_by is None:
            raise LedgerError("supplement_without_deadline", "告知补正须载明补正期限（条例第三十条）")
        if self.supplement_by < self.on:
            raise LedgerError(
                "supplement_deadline_before_notice",
                f"补正期限 {self.supplement_by} 早于告知补正日期 {self.on}（条例第三十条）",
            )


@dataclass(frozen=True)
class SupplementReceived(Event):
    """The supplement arrived: the reply clock restarts from zero on this day.

    After the deadline of the notice it restarts the clock only with ``good_reason`` (the agency records that
    it accepts the applicant's 正当理由); otherwise it is refused as late.
    """

    good_reason: bool = False


@dataclass(frozen=True)
class ConsultationStarted(Event):
    """Letter to a third party or another agency (条例第三十二、三十四条): the clock pauses, at most until the
    consultee's 15 working days run out."""

    consultee: str = ""


@dataclass(frozen=True)
class ConsultationEnded(Event):
    """Answer received: the clock resumes (if the consultee's time had not already run out)."""


@dataclass(frozen=True, kw_only=True)
class ExtensionApproved(Event):
    """The one extension (条例第三十三条第二款): ``working_days`` 1–20, approved by the office head on ``on``
    and notified to the applicant on ``notified_on`` (default: the same day). It counts only when both happen
    on or before the first deadline."""

    working_days: int = MAX_EXTENSION_DAYS
    notified_on: date | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.working_days <= MAX_EXTENSION_DAYS:
            raise LedgerError(
                "extension_length",
                f"延长答复期限为 1 至 {MAX_EXTENSION_DAYS} 个工作日，不能是 {self.working_days} 个（条例第三十三条）",
            )
        if self.notified_on is not None and self.notified_on < self.on:
            raise LedgerError("extension_notice_before_approval",
                              f"延期告知日期 {self.notified_on} 早于批准日期 {self.on}")

    @property
    def applicant_notified_on(self) -> date:
        return self.notified_on or self.on


@dataclass(frozen=True, kw_only=True)
class DelayedReply(Event):
    """延迟答复 (条例第三十五条): the agency sets a reasonable later reply date and tells the applicant on ``on``."""

    reply_by: date

    def __post_init__(self) -> None:
        if self.reply_by <= self.on:
            raise LedgerError("delay_not_later",
                              f"延迟答复日期 {self.reply_by} 须晚于告知日期 {self.on}（条例第三十五条）")


@dataclass(frozen=True, kw_only=True)
class FeeNoticeSent(Event):
    """收费通知 (办法第七条); ``delivered_on`` is when the applicant received it (default: the day it was sent).

    A notice of 0 元 is not a fee notice: nothing is chargeable at or below the free band.  ``quote`` is None
    only where the amount is not known, as in ``gongkai due``, which counts dates only.
    """

    quote: FeeQuote | None
    delivered_on: date | None = None

    def __post_init__(self) -> None:
        if self.delivered_on is not None and self.delivered_on < self.on:
            raise LedgerError("fee_notice_delivered_before_sent",
                              f"收费通知送达日期 {self.delivered_on} 早于发出日期 {self.on}")
        if self.quote is not None and self.quote.total <= 0:
            raise LedgerError("fee_notice_zero",
                              "收费金额为 0 元，不是收费通知：未超出免费范围的申请不收费（办法第四条、第五条）")

    @property
    def applicant_received_on(self) -> date:
        return self.delivered_on or self.on


@dataclass(frozen=True)
class FeePaid(Event):
    """The applicant paid ``amount`` 元. After the payment deadline it counts only with ``accepted_late`` (the
    agency records that it accepts the late payment); otherwise it is refused: the request lapsed."""

    amount: Decimal | None = None
    accepted_late: bool = False

    def __post_init__(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise LedgerError("payment_amount", f"缴费金额须大于 0 元，不能是 {self.amount} 元")


@dataclass(frozen=True, kw_only=True)
class Decided(Event):
    """The reply sent to the applicant, closing the request with one table-3 outcome key."""

    outcome: str

    def __post_init__(self) -> None:
        legal_basis(self.outcome)


@dataclass(frozen=True)
class Withdrawn(Event):
    """The applicant withdrew the request (outcome ``other_handling.other``)."""
