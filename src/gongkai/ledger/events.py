"""The typed events of a disclosure request's timeline. State and deadlines are derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.ledger.fees import FeeQuote
from gongkai.ledger.outcomes import legal_basis


@dataclass(frozen=True)
class Event:
    on: date


@dataclass(frozen=True)
class Received(Event):
    """The receipt date under 条例第三十一条; day 0 of the reply clock."""


@dataclass(frozen=True)
class SupplementRequested(Event):
    """补正 notice (条例第三十条); ``supplement_by`` is the date the notice gives the applicant."""

    supplement_by: date | None = None


@dataclass(frozen=True)
class SupplementReceived(Event):
    """The supplement arrived: the reply clock restarts from zero on this day."""


@dataclass(frozen=True)
class ConsultationStarted(Event):
    """Letter to a third party or another agency (条例第三十二、三十四条): the clock pauses."""

    consultee: str = ""


@dataclass(frozen=True)
class ConsultationEnded(Event):
    """Answer received, or the consultee's time ran out: the clock resumes."""


@dataclass(frozen=True)
class ExtensionApproved(Event):
    """The one extension of at most 20 WD (条例第三十三条第二款)."""


@dataclass(frozen=True, kw_only=True)
class FeeNoticeSent(Event):
    """收费通知; ``delivered_on`` is when the applicant received it (default: the day it was sent)."""

    quote: FeeQuote
    delivered_on: date | None = None

    def __post_init__(self) -> None:
        if self.delivered_on is not None and self.delivered_on < self.on:
            raise ValueError(f"fee notice delivered ({self.delivered_on}) before it was sent ({self.on})")

    @property
    def applicant_received_on(self) -> date:
        return self.delivered_on or self.on


@dataclass(frozen=True)
class FeePaid(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class Decided(Event):
    """The reply sent to the applicant, closing the request with one table-3 outcome key."""

    outcome: str

    def __post_init__(self) -> None:
        legal_basis(self.outcome)


@dataclass(frozen=True)
class Withdrawn(Event):
    """The applicant withdrew the request (outcome ``other_handling.other``)."""
