from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.web.requests.events import EventKind
from gongkai.web.requests.masking import mask_address, mask_id_number, mask_phone
from gongkai.web.requests.models import Applicant, Request
from gongkai.web.requests.timeline import record_event

from .ledger_builder import add_request


def test_masking():
    assert mask_id_number("320102199001011234") == "3201**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_address("江苏省南京市玄武区北京东路41号") == "江苏省南京市****"
    assert mask_id_number("1234") == "****"


def test_request_closing_follows_its_events(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2024, 3, 1))
    assert (request.closed_on, request.outcome) == (None, None)
    assert list(request.events.values_list("kind", flat=True)) == ["received"]
    decision = record_event(request, EventKind.DECIDED, date(2024, 3, 20), "unavailable.not_held")
    request.refresh_from_db()
    assert (request.closed_on, request.outcome) == (date(2024, 3, 20), "unavailable.not_held")
    decision.delete()
    request.refresh_from_db()
    assert (request.closed_on, request.outcome) == (None, None)


def test_withdrawal_closes_as_other_handling(county):
    _, education, _ = county
    request = add_request(education, "commercial", date(2024, 3, 1), date(2024, 3, 3), withdrawn=True)
    request.refresh_from_db()
    assert (request.closed_on, request.outcome) == (date(2024, 3, 3), "other_handling.other")


def test_event_rules(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2024, 3, 1))
    with pytest.raises(ValidationError, match="早于收到日期"):
        record_event(request, EventKind.SUPPLEMENT_REQUESTED, date(2024, 2, 28), supplement_by=date(2024, 3, 8))
    with pytest.raises(ValidationError, match="outcome"):
        record_event(request, EventKind.DECIDED, date(2024, 3, 5))
    with pytest.raises(ValidationError, match="outcome"):
        record_event(request, EventKind.DECIDED, date(2024, 3, 5), "other_handling")  # edition-2019 row
    with pytest.raises(ValidationError, match="outcome"):
        record_event(request, EventKind.FEE_PAID, date(2024, 3, 5), "granted")
    record_event(request, EventKind.DECIDED, date(2024, 3, 5), "granted")
    with pytest.raises(ValidationError, match="已于 2024-03-05 办结"):
        record_event(request, EventKind.WITHDRAWN, date(2024, 3, 6))
    with pytest.raises(ValidationError, match="已于 2024-03-05 办结"):
        record_event(request, EventKind.FEE_PAID, date(2024, 3, 9), amount=100)


def test_database_refuses_an_unknown_outcome_or_applicant_type(county):
    _, education, _ = county
    request = add_request(education, "natural_person", date(2024, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(closed_on=date(2024, 3, 2), outcome="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(closed_on=date(2024, 3, 2))  # closed without outcome
    with pytest.raises(IntegrityError), transaction.atomic():
        Applicant.objects.create(type="company", name="x")


def test_subtree(county):
    government, education, town = county
    from gongkai.web.agencies.models import Agency

    school = Agency.objects.create(name="某县第一中学", kind=Agency.Kind.OTHER, parent=education)
    assert sorted(government.subtree_ids()) == sorted([government.pk, education.pk, town.pk, school.pk])
    assert sorted(education.subtree_ids()) == sorted([education.pk, school.pk])
    assert town.subtree_ids() == [town.pk]
    assert set(education.subtree()) == {education, school}


def test_database_refuses_a_decision_event_without_outcome(county):
    from gongkai.web.requests.models import RequestEvent

    _, education, _ = county
    request = add_request(education, "natural_person", date(2024, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestEvent.objects.bulk_create([RequestEvent(request=request, kind="decided", occurred_on=date(2024, 3, 2))])
