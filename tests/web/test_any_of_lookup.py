"""``field__any_of=ids`` (``accounts/lookups.py``): the rows of ``field__in=ids``, whatever the number of ids, on
SQLite and on PostgreSQL; and the SQL it sends: one parameter for the list on PostgreSQL, an equality for one id."""

import pytest


@pytest.fixture
def agencies(county):
    from gongkai.web.agencies.models import Agency

    government, education, town = county
    more = [Agency.objects.create(name=f"某县第{i}局", kind=Agency.Kind.DEPARTMENT, parent=government)
            for i in range(3)]
    return [government, education, town, *more]


@pytest.mark.parametrize("count", [0, 1, 2, 6])
def test_the_same_rows_as_in(agencies, count):
    from gongkai.web.agencies.models import Agency

    ids = [agency.pk for agency in agencies[:count]] + [10**9]  # an id that no agency has
    ids = ids[:count] if count else []
    assert sorted(Agency.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == sorted(ids)
    assert (sorted(Agency.objects.filter(parent__any_of=ids).values_list("pk", flat=True))
            == sorted(Agency.objects.filter(parent__in=ids).values_list("pk", flat=True)))
    excluded = Agency.objects.exclude(pk__any_of=ids).values_list("pk", flat=True)
    assert sorted(excluded) == sorted(Agency.objects.exclude(pk__in=ids).values_list("pk", flat=True))


def test_through_a_relation(agencies):
    from gongkai.web.requests.models import Applicant

    for agency in agencies:
        Applicant.objects.create(agency=agency, type="commercial", name=f"{agency.name}的供应商")
    ids = [agencies[0].pk]  # the government: its departments' applicants, through agency → parent
    found = Applicant.objects.filter(agency__parent__any_of=ids).values_list("pk", flat=True)
    assert len(found) == len(agencies) - 1
    assert sorted(found) == sorted(Applicant.objects.filter(agency__parent__in=ids).values_list("pk", flat=True))


def test_the_sql_it_sends(agencies):
    from django.db import connection

    from gongkai.web.agencies.models import Agency

    ids = [agency.pk for agency in agencies]
    many = str(Agency.objects.filter(pk__any_of=ids).query)
    one = str(Agency.objects.filter(pk__any_of=ids[:1]).query)
    assert f'"agencies_agency"."id" = {ids[0]}' in one
    if connection.vendor == "postgresql":
        assert "= ANY(" in many and "IN (" not in many
    else:
        assert f"IN ({', '.join(map(str, ids))})" in many
