"""The template as data: keys in the spec's order, labels for every key, the JSON forms and their schemas."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from strategies import reports

from gongkai.report import Report, ReportFormatError, edition
from gongkai.report.schema import flat_schema, nested_schema

ANSWER_KEYS = ["seed/000_db8b9a3c8d2b1499", "real/shanghai-gov-office-2019", "real/huaian-hongze-2024",
               "real/shanghai-stcsm-2024"]


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_keys_in_the_spec_order_with_the_optional_ones(corpus, edition_id):
    spec = json.loads((corpus / "spec" / "report-keys.json").read_text(encoding="utf-8"))
    ed = edition(edition_id)
    assert list(ed.keys) == spec[edition_id]
    assert list(ed.optional_keys) == spec["optional"][edition_id]


@pytest.mark.parametrize("edition_id", ["2021", "2019"])
def test_every_key_has_a_chinese_label(edition_id):
    ed = edition(edition_id)
    for key in (*ed.keys, *ed.optional_keys):
        label = ed.label(key)
        assert label and any("\u4e00" <= ch <= "\u9fff" for ch in label), key


def test_label_of_a_cell_names_its_row_group_and_column():
    ed = edition("2021")
    assert ed.label("requests.withheld.state_secret.commercial") == (
        "三、本年度办理结果（三）不予公开1.属于国家秘密 / 法人或其他组织 商业企业")
    assert ed.label("appeals.lawsuit_direct.total") == "行政诉讼 未经复议直接起诉 总计"
    with pytest.raises(KeyError):
        edition("2017")


@pytest.mark.parametrize("name", ANSWER_KEYS)
def test_answer_keys_fit_the_flat_schema_and_round_trip(corpus, name):
    flat = json.loads((corpus / f"{name}.expected.json").read_text(encoding="utf-8"))
    jsonschema.validate(flat, flat_schema(flat["meta.edition"]))
    report = Report.from_flat(flat)
    assert report.flat() == flat
    jsonschema.validate(report.to_json(), nested_schema(flat["meta.edition"]))
    assert Report.from_json(report.to_json()).flat() == flat


@settings(max_examples=40, deadline=None)
@given(reports())
def test_random_reports_fit_both_schemas_and_round_trip(report):
    jsonschema.validate(report.flat(), flat_schema(report.edition))
    jsonschema.validate(report.to_json(), nested_schema(report.edition))
    assert Report.from_json(json.loads(report.dumps())).flat() == report.flat()
    assert Report.from_flat(json.loads(report.dumps(flat=True))).flat() == report.flat()


def test_the_schema_refuses_what_is_not_a_report():
    good = Report.blank("2021", agency="某局", year=2023).flat()
    schema = flat_schema("2021")
    for key, bad in [("requests.granted.total", -1), ("requests.granted.total", "3"),
                     ("proactive.fees.amount", 1.5), ("meta.edition", "2019")]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(good | {key: bad}, schema)
    missing = dict(good)
    del missing["appeals.review.total"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(missing, schema)


def test_money_is_exact_and_a_count_is_never_a_float():
    report = Report.from_flat(Report.blank("2021").flat() | {"proactive.fees.amount": "0.0380"})
    assert report["proactive.fees.amount"] == Decimal("0.0380")
    assert report.flat()["proactive.fees.amount"] == "0.0380"
    with pytest.raises(ReportFormatError):
        Report.from_flat(Report.blank("2021").flat() | {"requests.granted.total": 1.0})
    with pytest.raises(ReportFormatError):
        Report.from_flat({"meta.edition": "2021", "requests.no_such_row.total": 1})
