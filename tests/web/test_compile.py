"""The compile from the ledger: a ledger whose report is known by hand, and random ledgers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.report import edition
from gongkai.web.appeals.models import Case
from gongkai.web.proactive.models import (
    DocumentKind,
    DocumentRecord,
    FeeIncome,
    InForceBaseline,
    MonthlyDecisionCount,
)
from gongkai.web.reports.compile import compile_report
from gongkai.web.reports.models import ReportDraft

from .ledger_builder import add_request

TEMPLATE = edition("2021")
COLUMNS = [c.key for c in TEMPLATE.request_columns]
RESULT_ROWS = [r.key for r in TEMPLATE.result_rows]
d = date


@pytest.fixture
def ledger(county):
    government, education, town = county
    # education bureau
    add_request(education, "natural_person", d(2023, 11, 20), d(2024, 1, 10), "granted")  # A: open over 2023/24
    add_request(education, "commercial", d(2023, 12, 28))  # B: never closed
    add_request(education, "natural_person", d(2023, 5, 1), d(2023, 5, 20), "unavailable.not_held")  # C
    add_request(education, "natural_person", d(2024, 3, 1), d(2024, 3, 5), withdrawn=True)  # D
    add_request(education, "legal_services", d(2024, 6, 1), d(2024, 6, 20), "partially_granted")  # E
    add_request(education, "research", d(2024, 12, 30), d(2025, 1, 5), "withheld.state_secret")  # F
    add_request(education, "natural_person", d(2024, 2, 2), d(2024, 2, 20), "granted")  # G
    add_request(education, "nonprofit", d(2024, 1, 1), d(2024, 12, 31), "other_handling.no_supplement")  # H
    # town and government
    add_request(town, "other_org", d(2024, 4, 1), d(2024, 4, 10), "not_handled.repeated")
    add_request(town, "natural_person", d(2023, 12, 31), d(2024, 1, 1), "granted")
    add_request(government, "natural_person", d(2024, 7, 1))

    Case.objects.bulk_create([
        Case(agency=education, kind="review", filed_on=d(2023, 10, 1), closed_on=d(2024, 2, 1), result="upheld"),
        Case(agency=education, kind="review", filed_on=d(2024, 3, 1), closed_on=d(2024, 5, 1), result="corrected"),
        Case(agency=education, kind="lawsuit_direct", filed_on=d(2024, 9, 1)),
        Case(agency=education, kind="lawsuit_after_review", filed_on=d(2022, 1, 1), closed_on=d(2023, 6, 1),
             result="other"),
        Case(agency=education, kind="lawsuit_after_review", filed_on=d(2024, 11, 1), closed_on=d(2025, 2, 1),
             result="other"),
        Case(agency=town, kind="review", filed_on=d(2024, 5, 1), closed_on=d(2024, 6, 1), result="other"),
    ])
    normative = DocumentKind.NORMATIVE_DOCUMENT
    InForceBaseline.objects.create(agency=education, kind=normative, as_of=d(2023, 7, 1), count=10)
    DocumentRecord.objects.bulk_create([
        DocumentRecord(agency=education, kind=normative, issued_on=d(2023, 3, 1), repealed_on=d(2024, 5, 1)),
        DocumentRecord(agency=education, kind=normative, issued_on=d(2023, 9, 1)),
        DocumentRecord(agency=education, kind=normative, issued_on=d(2024, 2, 1)),
        DocumentRecord(agency=education, kind=normative, issued_on=d(2024, 6, 1)),
        DocumentRecord(agency=education, kind=normative, issued_on=d(2025, 1, 10)),
        DocumentRecord(agency=government, kind=DocumentKind.REGULATION, issued_on=d(2024, 4, 1)),
    ])
    MonthlyDecisionCount.objects.bulk_create([
        MonthlyDecisionCount(agency=education, month=d(2024, 1, 1), licensing=5, punishment=2),
        MonthlyDecisionCount(agency=education, month=d(2024, 12, 1), licensing=3, coercion=1),
        MonthlyDecisionCount(agency=education, month=d(2023, 12, 1), licensing=100),
    ])
    FeeIncome.objects.bulk_create([
        FeeIncome(agency=education, month=d(2024, 3, 1), amount=Decimal("1.25")),
        FeeIncome(agency=education, month=d(2024, 4, 1), amount=Decimal("0.038")),
        FeeIncome(agency=education, month=d(2025, 1, 1), amount=Decimal("5")),
    ])
    ReportDraft.objects.create(agency=education, year=2024, overview="2024年，本局认真贯彻条例。", other="无。")
    return government, education, town


def nonzero(report, prefix):
    return {k: v for k, v in report.values.items() if k.startswith(prefix) and v}


def test_table3_of_one_agency(ledger):
    _, education, _ = ledger
    report = compile_report(education, 2024)
    assert (report.agency, report.year, report.edition) == ("某县教育局", 2024, "2021")
    assert nonzero(report, "requests.") == {
        "requests.new_received.natural_person": 2, "requests.new_received.research": 1,
        "requests.new_received.nonprofit": 1, "requests.new_received.legal_services": 1,
        "requests.new_received.total": 5,
        "requests.carried_over.natural_person": 1, "requests.carried_over.commercial": 1,
        "requests.carried_over.total": 2,
        "requests.granted.natural_person": 2, "requests.granted.total": 2,
        "requests.partially_granted.legal_services": 1, "requests.partially_granted.total": 1,
        "requests.other_handling.other.natural_person": 1, "requests.other_handling.other.total": 1,
        "requests.other_handling.no_supplement.nonprofit": 1, "requests.other_handling.no_supplement.total": 1,
        "requests.total_handled.natural_person": 3, "requests.total_handled.nonprofit": 1,
        "requests.total_handled.legal_services": 1, "requests.total_handled.total": 5,
        "requests.carried_forward.commercial": 1, "requests.carried_forward.research": 1,
        "requests.carried_forward.total": 2,
    }
    assert report["requests.withheld.state_secret.total"] == 0  # never None: the ledger knows it is zero


def test_table3_of_the_year_before(ledger):
    _, education, _ = ledger
    assert nonzero(compile_report(education, 2023), "requests.") == {
        "requests.new_received.natural_person": 2, "requests.new_received.commercial": 1,
        "requests.new_received.total": 3,
        "requests.unavailable.not_held.natural_person": 1, "requests.unavailable.not_held.total": 1,
        "requests.total_handled.natural_person": 1, "requests.total_handled.total": 1,
        "requests.carried_forward.natural_person": 1, "requests.carried_forward.commercial": 1,
        "requests.carried_forward.total": 2,
    }


def test_carried_forward_is_next_years_carried_over(ledger):
    government, education, _ = ledger
    for agency, subtree in ((education, False), (government, True)):
        reports = {year: compile_report(agency, year, subtree=subtree) for year in (2023, 2024, 2025)}
        for year in (2023, 2024):
            for column in COLUMNS:
                assert (reports[year][f"requests.carried_forward.{column}"]
                        == reports[year + 1][f"requests.carried_over.{column}"])
    assert compile_report(education, 2025)["requests.carried_over.total"] == 2  # B and F


def test_subtree_sums_the_descendants(ledger):
    government, _, _ = ledger
    report = compile_report(government, 2024, subtree=True)
    assert report.agency == "某县人民政府"
    expected = {
        "new_received": {"natural_person": 3, "research": 1, "nonprofit": 1, "legal_services": 1, "other_org": 1},
        "carried_over": {"natural_person": 2, "commercial": 1},
        "granted": {"natural_person": 3},
        "not_handled.repeated": {"other_org": 1},
        "total_handled": {"natural_person": 4, "nonprofit": 1, "legal_services": 1, "other_org": 1},
        "carried_forward": {"natural_person": 1, "commercial": 1, "research": 1},
    }
    for row, columns in expected.items():
        for column in COLUMNS[:-1]:
            assert report[f"requests.{row}.{column}"] == columns.get(column, 0), (row, column)
        assert report[f"requests.{row}.total"] == sum(columns.values())
    alone = compile_report(government, 2024)
    assert alone["requests.new_received.total"] == 1 and alone["requests.carried_forward.total"] == 1


def test_table4(ledger):
    government, education, _ = ledger
    assert nonzero(compile_report(education, 2024), "appeals.") == {
        "appeals.review.upheld": 1, "appeals.review.corrected": 1, "appeals.review.total": 2,
        "appeals.lawsuit_direct.pending": 1, "appeals.lawsuit_direct.total": 1,
        "appeals.lawsuit_after_review.pending": 1, "appeals.lawsuit_after_review.total": 1,
    }
    assert nonzero(compile_report(education, 2023), "appeals.") == {
        "appeals.review.pending": 1, "appeals.review.total": 1,
        "appeals.lawsuit_after_review.other": 1, "appeals.lawsuit_after_review.total": 1,
    }
    subtree = compile_report(government, 2024, subtree=True)
    assert (subtree["appeals.review.other"], subtree["appeals.review.total"]) == (1, 3)


def test_table2(ledger):
    government, education, _ = ledger
    report = compile_report(education, 2024)
    assert {k: v for k, v in report.values.items() if k.startswith("proactive.")} == {
        "proactive.regulations.issued": 0, "proactive.regulations.repealed": 0, "proactive.regulations.in_force": 0,
        "proactive.normative_documents.issued": 2, "proactive.normative_documents.repealed": 1,
        "proactive.normative_documents.in_force": 12,
        "proactive.licensing.decisions": 8, "proactive.punishment.decisions": 2,
        "proactive.coercion.decisions": 1, "proactive.fees.amount": Decimal("1.288"),
    }
    assert compile_report(education, 2023)["proactive.normative_documents.in_force"] == 11
    subtree = compile_report(government, 2024, subtree=True)
    assert (subtree["proactive.regulations.issued"], subtree["proactive.regulations.in_force"]) == (1, 1)
    assert subtree["proactive.normative_documents.in_force"] == 12


def test_texts_come_from_the_draft(ledger):
    _, education, town = ledger
    report = compile_report(education, 2024)
    assert report.texts == {"overview": "2024年，本局认真贯彻条例。", "problems": None,
                            "other": "本年度未收取信息处理费。\n无。"}
    assert compile_report(town, 2024).texts == {"overview": None, "problems": None, "other": "本年度未收取信息处理费。"}


def test_processing_fees_collected_are_reported_in_section_six(ledger):
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.timeline import record_event

    _, education, _ = ledger
    request = add_request(education, "natural_person", d(2024, 3, 4))
    record_event(request, EventKind.FEE_NOTICE_SENT, d(2024, 3, 6), fee_method="per_page", fee_units=120)
    record_event(request, EventKind.FEE_PAID, d(2024, 3, 15), amount=Decimal("1100.00"))
    report = compile_report(education, 2024)
    assert report.texts["other"] == "本年度共收取信息处理费1100元。\n无。"
    assert compile_report(education, 2023).texts["other"] == "本年度未收取信息处理费。"


def test_years_before_edition_2021_are_refused(ledger):
    _, education, _ = ledger
    with pytest.raises(ValueError, match="2019"):
        compile_report(education, 2020)


def assert_rules_hold(report):
    """R1, R2, R3 checked on the printed numbers, independently of how they were computed."""
    v = report.values
    for column in COLUMNS:
        def cell(row, column=column):
            return v[f"requests.{row}.{column}"]

        assert cell("new_received") + cell("carried_over") == cell("total_handled") + cell("carried_forward")
        assert cell("total_handled") == sum(cell(row) for row in RESULT_ROWS)
    for row in TEMPLATE.request_rows:
        assert v[f"requests.{row.key}.total"] == sum(v[f"requests.{row.key}.{c}"] for c in COLUMNS[:-1])


ledger_requests = st.lists(
    st.tuples(
        st.sampled_from(COLUMNS[:-1]),
        st.dates(d(2022, 6, 1), d(2025, 6, 30)),
        st.one_of(st.none(), st.integers(0, 400)),  # days until closed, or still open
        st.sampled_from([r for r in RESULT_ROWS if r != "other_handling.fee_unpaid"]),  # see ledger_builder
        st.booleans(),  # withdrawn instead of decided
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests=ledger_requests, year=st.integers(2023, 2025))
def test_random_ledgers_obey_the_rules(django_database, requests, year):
    from gongkai.web.agencies.models import Agency

    with transaction.atomic():
        agency = Agency.objects.create(name="随机机关", kind=Agency.Kind.DEPARTMENT)
        expected_new = expected_forward = 0
        for applicant_type, received_on, days, outcome, withdrawn in requests:
            if outcome == "other_handling.no_supplement" and days == 0:
                days = 1  # the 补正 deadline lies on or after the receipt, the closing the day after it
            closed_on = None if days is None else received_on + timedelta(days=days)
            add_request(agency, applicant_type, received_on, closed_on, outcome, withdrawn=withdrawn)
            expected_new += received_on.year == year
            expected_forward += received_on.year <= year and (closed_on is None or closed_on.year > year)
        report = compile_report(agency, year)
        assert_rules_hold(report)
        assert report["requests.new_received.total"] == expected_new
        assert report["requests.carried_forward.total"] == expected_forward
        assert report["requests.carried_forward.total"] == compile_report(agency, year + 1)[
            "requests.carried_over.total"]
        transaction.set_rollback(True)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_agencies_compiled_together_are_each_as_compiled_alone(ledger, year):
    """``compile_reports``: one query per table grouped by agency gives each agency the report ``compile_report``
    gives it alone (tables, texts with the 信息处理费 sentence, figures of an agency with nothing recorded)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.web.agencies.models import Agency
    from gongkai.web.reports.compile import compile_reports
    from gongkai.web.requests.events import EventKind
    from gongkai.web.requests.timeline import record_event

    government, education, town = ledger
    paid = add_request(town, "natural_person", d(2024, 3, 4))
    record_event(paid, EventKind.FEE_NOTICE_SENT, d(2024, 3, 6), fee_method="per_page", fee_units=120)
    record_event(paid, EventKind.FEE_PAID, d(2024, 3, 15), amount=Decimal("1100.00"))
    FeeIncome.objects.create(agency=town, month=d(2024, 5, 1), amount=Decimal("2"))
    InForceBaseline.objects.create(agency=town, kind=DocumentKind.NORMATIVE_DOCUMENT, as_of=d(2022, 1, 1), count=3)
    empty = Agency.objects.create(name="无记录的机关", kind=Agency.Kind.DEPARTMENT, parent=government)
    agencies = [government, education, town, empty]
    with CaptureQueriesContext(connection) as captured:
        together = compile_reports(agencies, year)
    alone = {agency.pk: compile_report(agency, year) for agency in agencies}
    assert len(captured) <= 10  # a fixed number, whatever the number of agencies
    assert set(together) == set(alone)
    for pk, report in alone.items():
        assert (together[pk].agency, together[pk].values, together[pk].texts) == (
            report.agency, report.values, report.texts)
    assert any(report.values != alone[empty.pk].values for report in alone.values())
