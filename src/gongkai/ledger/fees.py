"""信息处理费: progressive fee bands (per request 按件, 办法第四条; per page 按量, 办法第五条), read from
``fee_bands.json``.

A request is charged by one method only (办法第三条): a ``FeeQuote`` carries exactly one ``FeeMethod``, and a
request's timeline refuses fee notices of two methods (see ``gongkai.ledger.timeline``).  The per-request band
of a request is its ordinal among the applicant's requests to the same agency in the same calendar month,
counted from the ledger (``ordinal_in_month``), never typed in.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path

FEE_BANDS_FILE = Path(__file__).with_name("fee_bands.json")


class FeeMethod(StrEnum):
    PER_REQUEST = "per_request"  # 按件
    PER_PAGE = "per_page"  # 按量


class FeeMethodError(ValueError):
    """Both fee methods (or neither) asked for one request."""


@dataclass(frozen=True)
class Filing:
    """One request as the per-request band sees it; ``order`` breaks ties of one day (recording order)."""

    applicant: Hashable
    agency: Hashable
    received_on: date
    order: int


def ordinal_in_month(filing: Filing, ledger: Iterable[Filing]) -> int:
    """The n of "the applicant's n-th request to this agency this calendar month" (办法第四条), from the ledger.

    ``ledger`` holds the requests to compare with (``filing`` itself may be among them).
    """
    month = (filing.received_on.year, filing.received_on.month)
    key = (filing.received_on, filing.order)
    earlier = {
        (other.received_on, other.order)
        for other in ledger
        if other.applicant == filing.applicant and other.agency == filing.agency
        and (other.received_on.year, other.received_on.month) == month
        and (other.received_on, other.order) < key
    }
    return len(earlier) + 1


@dataclass(frozen=True)
class Band:
    """Units ``first``..``last`` (inclusive; ``last`` None = no upper bound) cost ``unit_price`` each."""

    first: int
    last: int | None
    unit_price: Decimal


@dataclass(frozen=True)
class FeeLine:
    band: Band
    units: int

    @property
    def amount(self) -> Decimal:
        return self.band.unit_price * self.units


@dataclass(frozen=True)
class FeeQuote:
    method: FeeMethod
    units: tuple[int, int]  # the first and last unit charged, e.g. pages 1..120 or the 11th request
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class FeeScale:
    """One method's bands: explicit bands, then (per request) an open-ended progression."""

    bands: tuple[Band, ...]
    every: int | None = None
    increase: Decimal = Decimal(0)

    def band_for(self, unit: int) -> Band:
        if unit < 1:
            raise ValueError(f"计费数量从 1 起算，不能是 {unit}")
        for band in self.bands:
            if band.last is None or unit <= band.last:
                return band
        last = self.bands[-1]
        steps = (unit - last.last - 1) // self.every + 1
        first = last.last + (steps - 1) * self.every + 1
        return Band(first, first + self.every - 1, last.unit_price + steps * self.increase)

    def charge(self, first_unit: int, last_unit: int) -> tuple[FeeLine, ...]:
        """One line per band touched by units ``first_unit``..``last_unit``; none when the range is empty."""
        lines, unit = [], first_unit
        while unit <= last_unit:
            band = self.band_for(unit)
            end = last_unit if band.last is None else min(band.last, last_unit)
            lines.append(FeeLine(band, end - unit + 1))
            unit = end + 1
        return tuple(lines)


def _read_scale(data: dict) -> FeeScale:
    bands, first = [], 1
    for item in data["bands"]:
        bands.append(Band(first, item["up_to"], Decimal(item["yuan"])))
        first = (item["up_to"] or 0) + 1
    then = data.get("then")
    if then is None:
        return FeeScale(tuple(bands))
    return FeeScale(tuple(bands), then["every"], Decimal(then["increase"]))


@cache
def fee_scales(path: Path = FEE_BANDS_FILE) -> dict[FeeMethod, FeeScale]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {method: _read_scale(data[method.value]) for method in FeeMethod}


def quote_per_request(ordinal_in_month: int) -> FeeQuote:
    """The fee for an applicant's ``ordinal_in_month``-th request of the calendar month (按件)."""
    scale = fee_scales()[FeeMethod.PER_REQUEST]
    lines = scale.charge(ordinal_in_month, ordinal_in_month)
    return FeeQuote(FeeMethod.PER_REQUEST, (ordinal_in_month, ordinal_in_month), lines)


def quote_month_per_request(request_count: int) -> FeeQuote:
    """All fees for ``request_count`` requests of one applicant in one month, per band (按件)."""
    if request_count < 0:
        raise ValueError(f"申请件数不能为负数：{request_count}")
    scale = fee_scales()[FeeMethod.PER_REQUEST]
    return FeeQuote(FeeMethod.PER_REQUEST, (1, request_count), scale.charge(1, request_count))


def quote_per_page(pages: int) -> FeeQuote:
    """The fee for ``pages`` pages provided for one request (按量)."""
    if pages < 0:
        raise ValueError(f"页数不能为负数：{pages}")
    scale = fee_scales()[FeeMethod.PER_PAGE]
    return FeeQuote(FeeMethod.PER_PAGE, (1, pages), scale.charge(1, pages))


def quote_fee(*, ordinal_in_month: int | None = None, pages: int | None = None) -> FeeQuote:
    """Quote one request by exactly one method: give ``ordinal_in_month`` (按件) or ``pages`` (按量)."""
    if (ordinal_in_month is None) == (pages is None):
        raise FeeMethodError("每件申请只能选择一种收费方式：按件或按量（办法第三条）")
    if pages is not None:
        return quote_per_page(pages)
    return quote_per_request(ordinal_in_month)
