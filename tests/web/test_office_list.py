"""The request list: scope per role, masking, filters, sorting by due date, search, htmx partial, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .admin_client import client_for
from .office_ledger import STAFF_ID, TOWN_ID, office_ledger


@pytest.fixture
def ledger(county):
    _, education, town = county
    return office_ledger(education, town)


def _numbers(html: str) -> list[int]:
    body = html.split("<tbody>", 1)[1]
    return [int(n) for n in re.findall(r'<tr[^>]*>\s*<td><a href="/requests/(\d+)/"', body)]


def test_clerk_lists_the_own_agency_with_identity_numbers_masked(people, ledger):
    html = client_for(people["staff"]).get("/requests/").content.decode()
    assert ledger.town_overdue.pk not in _numbers(html) and len(_numbers(html)) == 7
    assert STAFF_ID not in html and "3201**********1234" in html
    assert "张三丰" in html and "13812345678" not in html


def test_supervisor_lists_the_subtree_masked(people, ledger):
    html = client_for(people["supervisor"]).get("/requests/").content.decode()
    assert set(_numbers(html)) >= {ledger.town_overdue.pk, ledger.overdue.pk} and len(_numbers(html)) == 8
    assert TOWN_ID not in html and "李四" not in html and "张三丰" not in html and "<th>办理机关</th>" in html


def test_sorted_by_due_date_overdue_first_then_paused_then_closed(people, ledger):
    numbers = _numbers(client_for(people["staff"]).get("/requests/").content.decode())
    running = [ledger.overdue.pk, ledger.due_soon.pk, ledger.in_progress.pk, ledger.organisation.pk]
    assert numbers[:2] == running[:2] and set(numbers[2:4]) == set(running[2:])
    assert set(numbers[4:6]) == {ledger.consulting.pk, ledger.awaiting_supplement.pk}  # no running clock
    assert numbers[6] == ledger.closed.pk
    by_receipt = _numbers(client_for(people["staff"]).get("/requests/?sort=received").content.decode())
    assert by_receipt[0] == ledger.closed.pk and by_receipt[-1] == ledger.organisation.pk


@pytest.mark.parametrize(("query", "expected"), [
    ("deadline=overdue", ["overdue"]),
    ("deadline=due_soon", ["due_soon"]),
    ("status=consulting", ["consulting"]),
    ("status=awaiting_supplement", ["awaiting_supplement"]),
    ("status=closed", ["closed"]),
    ("outcome=granted", ["closed"]),
    ("outcome=withheld", []),
    ("applicant_type=commercial", ["organisation"]),
    ("q=某科技", ["organisation"]),
    ("q=张三丰&deadline=overdue", ["overdue"]),
])
def test_filters(people, ledger, query, expected):
    html = client_for(people["staff"]).get(f"/requests/?{query}").content.decode()
    assert sorted(_numbers(html)) == sorted(getattr(ledger, name).pk for name in expected)


def test_year_filter_and_search_by_number(people, ledger):
    client = client_for(people["staff"])
    year = ledger.closed.received_on.year
    numbers = _numbers(client.get(f"/requests/?year={year}").content.decode())
    assert ledger.closed.pk in numbers and all(r.received_on.year == year for r in
                                               type(ledger.closed).objects.filter(pk__in=numbers))
    assert _numbers(client.get(f"/requests/?q={ledger.consulting.pk}").content.decode()) == [ledger.consulting.pk]
    assert _numbers(client.get(f"/requests/?q={ledger.town_overdue.pk}").content.decode()) == []  # not theirs


def test_supervisor_search_never_confirms_a_masked_name(people, ledger):
    client = client_for(people["supervisor"])
    assert _numbers(client.get("/requests/?q=李四").content.decode()) == []
    assert _numbers(client.get("/requests/?q=科技有限公司").content.decode()) == [ledger.organisation.pk]


def test_htmx_asks_for_the_table_only(people, ledger):
    client = client_for(people["staff"])
    partial = client.get("/requests/?deadline=overdue", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "共 1 件" in partial and _numbers(partial) == [ledger.overdue.pk]
    page = client.get("/requests/").content.decode()
    assert 'hx-get="/requests/"' in page and "/static/office/htmx.min.js" in page


def test_csv_export_is_masked_and_formula_safe(people, ledger):
    response = client_for(people["supervisor"]).get("/requests/export.csv?status=open")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and response["Content-Disposition"].startswith('attachment; filename="requests-')
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["编号", "办理机关", "收到日期"] and len(rows) == 1 + 7
    cells = {cell for row in rows for cell in row}
    assert STAFF_ID not in text and TOWN_ID not in text and "李四" not in cells and "李*" in cells
    assert "'=HYPERLINK(\"x\")某科技有限公司" in cells


def test_xlsx_export_is_masked_and_formula_safe(people, ledger):
    from openpyxl import load_workbook

    response = client_for(people["staff"]).get("/requests/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "编号" and len(rows) == 1 + 7
    values = {str(v) for row in rows for v in row if v is not None}
    assert STAFF_ID not in values and "3201**********1234" in values and "张三丰" in values
    assert "'=HYPERLINK(\"x\")某科技有限公司" in values
    assert not any(sheet.cell(r, c).data_type == "f" for r in range(1, sheet.max_row + 1) for c in range(1, 13))


def test_list_and_exports_need_a_login(db):
    from django.test import Client

    for url in ("/requests/", "/requests/export.csv", "/requests/export.xlsx"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("value", [None, "", "granted", ["withheld"], "<script>", 'x"<y>'])
def test_the_filter_selects_are_what_djangos_select_renders(value):
    """``widgets.PlainSelect`` builds the markup itself (fast); it must be the markup Django's ``Select`` gives:
    same attributes, same options, same selection, escaped."""
    from django import forms
    from django.utils.safestring import mark_safe
    from lxml import html

    from gongkai.web.office.widgets import PlainSelect

    choices = [("", "全部"), ("granted", "予以公开"), ("withheld", "不予公开 <b>&</b>"), (3, "三"),
               ('x"<y>', mark_safe("<i>已安全</i>"))]

    def parsed(widget):
        widget.choices = choices
        element = html.fragment_fromstring(str(widget.render("outcome", value, {"id": "id_outcome"})))
        return (dict(element.attrib), [(o.get("value"), o.get("selected") is not None, o.text_content())
                                       for o in element.iter("option")])

    plain, django = parsed(PlainSelect(attrs={"class": "x"})), parsed(forms.Select(attrs={"class": "x"}))
    assert plain == django
    assert sum(selected for _, selected, _ in plain[1]) <= 1


def test_a_row_escapes_what_an_applicant_typed(people, ledger, county):
    """The list's rows are built in Python (``RequestRow.list_html``): text from outside is escaped as a
    template would escape it."""
    from gongkai.web.requests.models import Applicant, Channel
    from gongkai.web.requests.timeline import receive

    _, education, _ = county
    applicant = Applicant.objects.create(agency=education, type="commercial", name='<script>alert(1)</script>"某公司"')
    found = receive(education, applicant, ledger.in_progress.received_on, Channel.IN_PERSON)
    html = client_for(people["staff"]).get("/requests/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert f'<a href="/requests/{found.pk}/">&lt;script&gt;alert(1)&lt;/script&gt;&quot;某公司&quot;</a>' in html


def test_the_applicant_type_filter_follows_a_change_of_the_applicants_type(people, ledger, county):
    """The filter reads the copy of the type on each request (``Request.applicant_type``, an index): a request
    takes it from its applicant when saved, and a change of the applicant's type reaches its requests."""
    from gongkai.web.requests.models import Request

    client = client_for(people["staff"])

    def listed(kind):
        html = client.get(f"/requests/?applicant_type={kind}").content.decode()
        return {int(pk) for pk in re.findall(r'<tr class="[^"]*">\n<td><a href="/requests/(\d+)/">', html)}

    organisation = ledger.organisation
    assert organisation.applicant_type == "commercial" and organisation.pk in listed("commercial")
    assert organisation.pk not in listed("research")
    expected = {r.pk for r in Request.objects.filter(agency=organisation.agency, applicant__type="natural_person")}
    assert listed("natural_person") == expected and organisation.pk not in expected
    applicant = organisation.applicant
    applicant.type = "research"
    applicant.save()
    assert organisation.pk in listed("research") and organisation.pk not in listed("commercial")
    assert set(Request.objects.values_list("applicant_type", flat=True)) == set(
        Request.objects.values_list("applicant__type", flat=True))


def test_the_parts_of_a_list_are_counted_in_one_query(people, ledger, county):
    """``part_counts``: each part counted up to the limit (exactly without one), a part no row can meet counted 0
    without asking the database, all in one query; the same counts as ``count()`` gives each part alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.web.office.listing import part_counts
    from gongkai.web.requests.models import Request

    _, education, town = county
    parts = [Request.objects.filter(agency=education).order_by("-pk"), Request.objects.filter(agency=town),
             Request.objects.filter(agency__any_of=[]), Request.objects.filter(agency=education, pk__lt=0)]
    alone = [part.count() for part in parts]
    assert alone[0] > 3 and alone[1] >= 1 and alone[2:] == [0, 0]
    with CaptureQueriesContext(connection) as captured:
        assert part_counts(parts, None) == alone
        assert part_counts(parts, 3) == [min(count, 3) for count in alone]
    assert len(captured) == 2


def test_an_export_lists_what_the_list_shows_in_its_order(people, ledger):
    """The export reads every row from one cursor, in the list's order (open by due date, then closed), with
    the columns the list shows."""
    client = client_for(people["staff"])
    listed = _numbers(client.get("/requests/").content.decode())
    rows = list(csv.reader(io.StringIO(client.get("/requests/export.csv").content.decode("utf-8").lstrip("\ufeff"))))
    assert [int(row[0]) for row in rows[1:]] == listed and len(listed) == 7


def test_an_export_over_the_limit_asks_for_a_narrower_filter(people, ledger, monkeypatch):
    """More rows than one export writes: back to the list with the same filter and a message in Chinese, no file
    (the links carry no ``download`` attribute, so the browser shows the message instead of saving a page)."""
    from gongkai.web.office import listing

    client = client_for(people["staff"])
    monkeypatch.setattr(listing, "EXPORTED_AT_MOST", 7)
    assert client.get("/requests/export.csv").status_code == 200
    monkeypatch.setattr(listing, "EXPORTED_AT_MOST", 6)
    for kind in ("csv", "xlsx"):
        response = client.get(f"/requests/export.{kind}?sort=due&q=")
        assert response.status_code == 302 and response["Location"] == "/requests/?sort=due&q="
    page = client.get("/requests/?sort=due&q=").content.decode()
    assert "符合条件的申请超过 6 件" in page and "缩小范围" in page
    assert 'export.csv?sort=due&amp;q=">CSV</a>' in page


def test_a_list_over_its_limit_says_so_and_what_one_export_holds(people, ledger, monkeypatch):
    """More rows than the list pages through: it lists the first ones and says how many one export holds."""
    from gongkai.web.office import listing

    monkeypatch.setattr(listing, "LISTED_AT_MOST", 5)
    monkeypatch.setattr(listing, "EXPORTED_AT_MOST", 6)
    page = client_for(people["staff"]).get("/requests/?sort=due").content.decode()
    assert "超过 5 件，只列出前 5 件" in page and "一次导出最多 6 件" in page
    assert len(_numbers(page)) == 5
