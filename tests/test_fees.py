from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.ledger.fees import (
    FeeMethod,
    FeeMethodError,
    quote_fee,
    quote_month_per_request,
    quote_per_page,
    quote_per_request,
)


@pytest.mark.parametrize(
    ("count", "total"),
    [
        (10, "0"),  # 1–10 free
        (11, "100"),  # 11th: 100
        (30, "2000"),  # 11–30: 20 × 100
        (31, "2200"),  # + 31st at 200
        (40, "4000"),  # 2000 + 10 × 200
        (41, "4300"),  # + 41st at 300
        (50, "7000"),  # 4000 + 10 × 300
        (51, "7400"),  # + 51st at 400
    ],
)
def test_per_request_month_totals_at_band_edges(count, total):
    quote = quote_month_per_request(count)
    assert quote.method is FeeMethod.PER_REQUEST
    assert quote.total == Decimal(total)
    assert sum(line.units for line in quote.lines) == count


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [
        (1, "0"),
        (10, "0"),
        (11, "100"),
        (30, "100"),
        (31, "200"),
        (40, "200"),
        (41, "300"),
        (50, "300"),
        (51, "400"),
    ],
)
def test_the_nth_request_of_the_month(ordinal, fee):
    assert quote_per_request(ordinal).total == Decimal(fee)


def test_per_request_breakdown_per_band():
    lines = quote_month_per_request(41).lines
    assert [(line.band.first, line.band.last, line.units, line.amount) for line in lines] == [
        (1, 10, 10, Decimal(0)),
        (11, 30, 20, Decimal(2000)),
        (31, 40, 10, Decimal(2000)),
        (41, 50, 1, Decimal(300)),
    ]


@pytest.mark.parametrize(
    ("pages", "total"),
    [
        (30, "0"),  # 1–30 free
        (31, "10"),  # 31st page at 10
        (100, "700"),  # 70 × 10
        (101, "720"),  # + 1 × 20
        (200, "2700"),  # 700 + 100 × 20
        (201, "2740"),  # + 1 × 40
    ],
)
def test_per_page_totals_at_band_edges(pages, total):
    quote = quote_per_page(pages)
    assert quote.method is FeeMethod.PER_PAGE
    assert quote.total == Decimal(total)
    assert isinstance(quote.total, Decimal)


def test_per_page_breakdown_has_an_open_last_band():
    last = quote_per_page(250).lines[-1]
    assert (last.band.first, last.band.last, last.units, last.amount) == (201, None, 50, Decimal(2000))


def test_one_method_per_request():
    with pytest.raises(FeeMethodError, match="只能选择一种收费方式"):
        quote_fee(ordinal_in_month=12, pages=40)
    with pytest.raises(FeeMethodError):
        quote_fee()
    assert quote_fee(pages=40).method is FeeMethod.PER_PAGE
    assert quote_fee(ordinal_in_month=12).method is FeeMethod.PER_REQUEST


def test_invalid_quantities():
    with pytest.raises(ValueError):
        quote_per_page(-1)
    with pytest.raises(ValueError):
        quote_per_request(0)
    assert quote_per_page(0).total == 0


@given(st.integers(min_value=0, max_value=500))
def test_month_total_is_the_sum_of_each_requests_fee(count):
    expected = sum((quote_per_request(n).total for n in range(1, count + 1)), Decimal(0))
    assert quote_month_per_request(count).total == expected


@given(st.integers(min_value=0, max_value=2000))
def test_one_more_page_never_costs_less(pages):
    assert quote_per_page(pages + 1).total >= quote_per_page(pages).total


def test_the_per_request_band_is_counted_from_the_ledger():
    from datetime import date

    from gongkai.ledger.fees import Filing, ordinal_in_month

    ledger = [Filing("张三", "教育局", date(2026, 3, day), order) for order, day in enumerate(range(1, 13), 1)]
    ledger += [
        Filing("张三", "教育局", date(2026, 2, 28), 100),  # last month
        Filing("张三", "卫健委", date(2026, 3, 5), 101),  # another agency
        Filing("李四", "教育局", date(2026, 3, 5), 102),  # another applicant
        Filing("张三", "教育局", date(2026, 3, 12), 103),  # same day as the 12th, recorded after it
    ]
    assert ordinal_in_month(ledger[0], ledger) == 1
    assert ordinal_in_month(ledger[10], ledger) == 11
    assert ordinal_in_month(ledger[-1], ledger) == 13
    assert quote_per_request(ordinal_in_month(ledger[10], ledger)).total == Decimal("100")


def test_citations_of_the_fee_rules():
    import json

    from gongkai.ledger.fees import FEE_BANDS_FILE
    from gongkai.ledger.outcomes import legal_basis

    basis = json.loads(FEE_BANDS_FILE.read_text(encoding="utf-8"))["basis"]
    assert "第三条（按件、按量择一）、第四条（按件）、第五条（按量）" in basis
    assert legal_basis("other_handling.fee_unpaid") == "《政府信息公开信息处理费管理办法》第七条"
