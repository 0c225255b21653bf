"""Procedure letters (gongkai.letters): every kind for both applicant types, the article of each outcome
checked against the law (requests.md's outcome table, transcribed below), dates, amounts, remedies,
an office's own template, the shipped templates rebuilt from their definitions, and the PDF."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tomllib
import zipfile
from dataclasses import replace
from datetime import date
from importlib import resources

import jsonschema
import pytest
from conftest import require_tool
from docx import Document

from gongkai.calendar.workdays import Due, WorkCalendar
from gongkai.ledger.deadlines import reply_due
from gongkai.ledger.fees import quote_per_page, quote_per_request
from gongkai.letters import (
    LetterContext,
    LetterDataError,
    LetterKind,
    LetterPdfError,
    cn_date,
    letter_pdf,
    reason_for,
    render_letter,
    template_source,
)
from gongkai.letters.build import build_all
from gongkai.read.docx import parse_docx
from gongkai.report import edition

# The outcome table of requests.md ("Outcomes"): the articles of the 条例 each outcome rests on, and the
# items (项) or paragraphs (款) the table names. None: the table names no article ("practice", withdrawal).
SPEC_ARTICLES: dict[str, tuple[set[str], list[str]] | None] = {
    "granted": ({"第三十六条"}, ["第一项", "第二项"]),
    "partially_granted": ({"第三十七条"}, []),
    "withheld.state_secret": ({"第十四条"}, []),
    "withheld.prohibited_by_law": ({"第十四条"}, []),
    "withheld.security_stability": ({"第十四条"}, []),
    "withheld.third_party_rights": ({"第十五条", "第三十二条"}, []),
    "withheld.internal_affairs": ({"第十六条"}, ["第一款"]),
    "withheld.process_information": ({"第十六条"}, ["第二款"]),
    "withheld.enforcement_files": ({"第十六条"}, ["第二款"]),
    "withheld.inquiry_matters": ({"第三十六条"}, ["第七项"]),
    "unavailable.not_held": ({"第三十六条"}, ["第四项", "第五项"]),
    "unavailable.needs_creation": ({"第三十八条"}, []),
    "unavailable.still_unclear": ({"第三十条"}, []),
    "not_handled.petition_complaint": ({"第三十九条"}, []),
    "not_handled.publication": ({"第三十九条"}, []),
    "not_handled.repeated": ({"第三十六条"}, ["第六项"]),
    "not_handled.excessive": ({"第三十五条"}, []),
    "not_handled.reconfirmation": None,
    "other_handling.no_supplement": ({"第三十条"}, []),
    # the 办法's own article (requests.md: the 20-WD payment period and its lapse, 办法第七条), no article of the 条例
    "other_handling.fee_unpaid": ({"第七条"}, ["《政府信息公开信息处理费管理办法》第七条"]),
    "other_handling.other": None,
}
REGULATION = "《中华人民共和国政府信息公开条例》"
ARTICLE = re.compile(r"第[一二三四五六七八九十]+条")

PERSON = LetterContext(
    agency="青山县人民政府办公室", applicant="李明", applicant_type="natural_person", request_number="QS-2026-0007",
    received=date(2026, 2, 10), content="2025年青山县老旧小区改造项目招标文件 & 中标结果<公告>", issued=date(2026, 2, 12),
    requested_form="纸质，邮寄", channel="当面提交", doc_number="青政办公开〔2026〕7号",
    # the spec's example: received 2026-02-10 → due 2026-03-16 (the caller computes it from the ledger)
    due=date(2026, 3, 16), supplement_items=("所需文件的名称或文号", "所需信息的时间范围"),
    supplement_deadline=date(2026, 3, 2), consultee="青山建工集团有限公司", consultation_due=date(2026, 3, 6),
    extension_days=15, new_due=date(2026, 4, 7), fee=quote_per_page(150), fee_due=date(2026, 3, 20),
    delay_until=date(2026, 5, 29), outcome="granted", reasons="该招标文件已于2025年6月在本县政府网站公开。",
)
ORG = replace(PERSON, applicant="青山律师事务所", applicant_type="legal_services")
APPLICANTS = {"natural_person": PERSON, "legal_services": ORG}
TO_APPLICANT = [k for k in LetterKind if not k.value.startswith("consultation")]


def text_of(docx: bytes) -> str:
    """The letter's text as the project's DOCX reader extracts it, with the spaces Word keeps."""
    assert [b.text for b in parse_docx(docx).blocks]  # readable by gongkai.read too
    return "\n".join(p for p in paragraphs(docx) if p.strip())


def paragraphs(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs]


# --- the reasons library ----------------------------------------------------------------------------------

def test_reasons_library_is_valid_against_its_schema():
    folder = resources.files("gongkai.letters")
    schema = json.loads(folder.joinpath("reasons.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(tomllib.loads(folder.joinpath("reasons.toml").read_text("utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"remedies": "不服可复议", "review_body_placeholder": "x", "court_placeholder": "y",
                             "outcomes": {}}, schema)


def test_every_outcome_row_of_the_2021_template_has_a_reason_and_no_other(corpus):
    rows = [row.key for row in edition("2021").result_rows]
    keys = json.loads((corpus / "spec" / "report-keys.json").read_text(encoding="utf-8"))["2021"]
    assert set(rows) <= {k.removeprefix("requests.").rsplit(".", 1)[0] for k in keys}
    library = tomllib.loads(resources.files("gongkai.letters").joinpath("reasons.toml").read_text("utf-8"))
    assert sorted(library["outcomes"]) == sorted(rows)
    for outcome in rows:
        reason = reason_for(outcome)
        assert reason.finding and reason.decision
    assert set(SPEC_ARTICLES) == set(rows)  # this test's table covers every row too


@pytest.mark.parametrize("outcome", list(SPEC_ARTICLES))
@pytest.mark.parametrize("applicant_type", list(APPLICANTS))
def test_decision_letter_cites_the_article_of_its_outcome_and_the_remedies(outcome, applicant_type):
    docx = render_letter(LetterKind.DECISION, replace(APPLICANTS[applicant_type], outcome=outcome))
    text = text_of(docx)
    decision = next(p for p in paragraphs(docx) if p.startswith("经审查"))
    expected = SPEC_ARTICLES[outcome]
    if expected is None:
        assert "根据" not in decision and not ARTICLE.search(decision)
    else:
        articles, parts = expected
        cited = re.search(r"根据(.+?)的规定", decision).group(1)
        assert set(ARTICLE.findall(cited)) == articles
        assert all(part in cited for part in parts), cited
        if articles:  # the 条例's articles, or the 办法's own for an unpaid fee
            assert cited.startswith("《政府信息公开信息处理费管理办法》" if outcome.endswith("fee_unpaid") else REGULATION)
    # remedies: 行政复议 within 60 days of knowing, 行政诉讼 within six months, where to file left to the office
    remedies = next(p for p in paragraphs(docx) if "行政复议" in p)
    assert "六十日内" in remedies and "六个月内" in remedies and "行政诉讼" in remedies
    assert "〔行政复议机关〕" in remedies and "〔人民法院〕" in remedies
    assert "2026年2月10日" in text and text.rstrip().endswith("青山县人民政府办公室\n2026年2月12日")
    assert "青政办公开〔2026〕7号" in text and APPLICANTS[applicant_type].applicant + "：" in text


def test_remedies_name_where_to_file_when_the_office_gives_it():
    ctx = replace(PERSON, review_body="青山县人民政府", court="青山县人民法院")
    remedies = next(p for p in paragraphs(render_letter("decision", ctx)) if "行政复议" in p)
    assert "向青山县人民政府申请行政复议" in remedies and "向青山县人民法院提起行政诉讼" in remedies
    assert "〔" not in remedies


def test_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="approved"):
        render_letter("decision", replace(PERSON, outcome="approved"))


# --- every kind, both applicant types --------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("applicant_type", list(APPLICANTS))
def test_every_kind_renders_for_both_applicant_types(kind, applicant_type):
    ctx = APPLICANTS[applicant_type]
    docx = render_letter(kind, ctx)
    text = text_of(docx)
    first = Document(io.BytesIO(docx)).paragraphs[0]
    assert first.style.name == "GK Title" and first.text.startswith("政府信息公开")
    assert "{{" not in text and "{%" not in text
    assert "2026年2月10日" in text and "QS-2026-0007" in text and "老旧小区改造项目招标文件 & 中标结果<公告>" in text
    assert text.rstrip().endswith("青山县人民政府办公室\n2026年2月12日")
    if kind in TO_APPLICANT:
        assert f"{ctx.applicant}：" in text
        you, other = ("您", "贵单位") if applicant_type == "natural_person" else ("贵单位", "您")
        assert you in text and other not in text
    else:  # a consultee learns what is asked, never who asks
        assert f"{ctx.consultee}：" in text and ctx.applicant not in text


def test_receipt_states_the_reply_period_and_due_date():
    text = text_of(render_letter("receipt", PERSON))
    assert "第三十三条" in text and "20个工作日内" in text and "2026年3月16日前" in text
    assert "形式要求：纸质，邮寄" in text and "当面提交" in text


def test_supplement_notice_lists_what_to_supplement_and_by_when():
    text = text_of(render_letter("supplement", PERSON))
    assert "第三十条" in text and "2026年3月2日前" in text
    assert "1. 所需文件的名称或文号" in paragraphs(render_letter("supplement", PERSON))
    assert "所需信息的时间范围" in text and "视为放弃申请" in text


def test_consultation_letters_give_fifteen_working_days_and_their_article():
    third = text_of(render_letter("consultation_third_party", PERSON))
    agency = text_of(render_letter("consultation_agency", replace(PERSON, consultee="青山县自然资源局")))
    for text in (third, agency):
        assert "15个工作日内" in text and "2026年3月6日前" in text
    assert "第三十二条" in third and "第三十四条" not in third
    assert "第三十四条" in agency and "视为同意公开" in agency  # another agency's silence is consent


def test_extension_notice_states_length_and_new_due_date():
    text = text_of(render_letter("extension", PERSON))
    assert "第三十三条" in text and "延长15个工作日" in text and "2026年4月7日前" in text
    assert "负责人同意" in text


def test_fee_notice_states_basis_standard_amount_payment_and_period():
    # requests.md: per page, pages 1–30 free, 31–100 at 10 元, 101–200 at 20 元: 150 pages = 70×10 + 50×20
    text = text_of(render_letter("fee", replace(PERSON, fee_payment="银行转账至青山县财政局非税收入专户")))
    assert f"人民币{70 * 10 + 50 * 20}元" in text
    assert "按量计收" in text and "150页" in text and "每页10元" in text and "每页20元" in text
    assert "第四十二条" in text and "信息处理费管理办法" in text
    assert "银行转账至青山县财政局非税收入专户" in text and "20个工作日内" in text and "2026年3月20日前" in text
    # per request: the 35th request of a month is in the 31–40 band at 200 元
    text = text_of(render_letter("fee", replace(PERSON, fee=quote_per_request(35))))
    assert "按件计收" in text and "第35件" in text and "人民币200元" in text


def test_a_zero_fee_notice_is_refused():
    with pytest.raises(LetterDataError, match="0元"):
        render_letter("fee", replace(PERSON, fee=quote_per_page(30)))


def test_delay_notice_cites_article_35_and_the_new_date():
    text = text_of(render_letter("delay", PERSON))
    assert "第三十五条" in text and "2026年5月29日" in text


@pytest.mark.parametrize(("kind", "field", "label"), [
    ("supplement", "supplement_deadline", "补正期限"), ("fee", "fee", "收费数额"),
    ("extension", "new_due", "延长后的答复期限"), ("decision", "outcome", "答复结果"),
    ("consultation_agency", "consultee", "被征求意见方"), ("delay", "delay_until", "延迟答复期限"),
    ("receipt", "due", "答复期限"),
])
def test_a_letter_missing_its_data_names_it_in_chinese(kind, field, label):
    with pytest.raises(LetterDataError, match=label):
        render_letter(kind, replace(PERSON, **{field: None}))


def test_an_unknown_applicant_type_is_refused():
    with pytest.raises(LetterDataError, match="申请人类型"):
        render_letter("receipt", replace(PERSON, applicant_type="company"))


def test_dates_from_the_ledger_are_printed_and_a_provisional_one_is_refused():
    # requests.md's example: received 2026-02-10 → due 2026-03-16 (make-up days count, 春节 does not)
    due = reply_due(date(2026, 2, 10), calendar=WorkCalendar())
    assert "即于2026年3月16日前答复" in text_of(render_letter("receipt", replace(PERSON, due=due)))
    unknown = Due(date(2027, 1, 20), provisional=True, reason="no holiday schedule for 2027")
    with pytest.raises(LetterDataError, match="2027年节假日安排"):
        render_letter("receipt", replace(PERSON, due=unknown))


def test_dates_are_printed_in_chinese_form():
    assert cn_date(date(2026, 3, 2)) == "2026年3月2日"
    assert cn_date(date(2026, 12, 31)) == "2026年12月31日"


def test_a_blank_document_number_prints_a_placeholder():
    text = text_of(render_letter("receipt", replace(PERSON, doc_number="")))
    assert "〔" in text.splitlines()[1] and "号" in text.splitlines()[1]


# --- templates ---------------------------------------------------------------------------------------------

def test_an_office_template_overrides_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    assert template_source("receipt")[1] == "shipped"
    (tmp_path / "letters").mkdir()
    own = Document()
    own.add_paragraph("青山县政务公开办 自制回执")
    own.add_paragraph("{{ applicant }}（{{ applicant_type }}），您的申请已于{{ received }}收到。")
    own.save(tmp_path / "letters" / "receipt.docx")
    assert template_source("receipt")[1] == "office"
    text = text_of(render_letter("receipt", PERSON))
    assert "自制回执" in text and "李明（自然人），您的申请已于2026年2月10日收到。" in text
    assert "自制回执" not in text_of(render_letter("supplement", PERSON))  # only the same name is overridden


def test_an_office_template_for_one_outcome_overrides_its_decision_letter(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    (tmp_path / "letters").mkdir()
    own = Document()
    own.add_paragraph("国家秘密事项专用答复：{{ citation }}")
    own.save(tmp_path / "letters" / "decision.withheld.state_secret.docx")
    secret = text_of(render_letter("decision", replace(PERSON, outcome="withheld.state_secret")))
    assert secret == f"国家秘密事项专用答复：{REGULATION}第十四条"
    other = text_of(render_letter("decision", replace(PERSON, outcome="unavailable.needs_creation")))
    assert "专用答复" not in other and "第三十八条" in other


def test_shipped_templates_are_what_the_definitions_build(tmp_path):
    built = {p.name: p for p in build_all(tmp_path)}
    assert sorted(built) == sorted(f"{k.value}.docx" for k in LetterKind)
    for kind in LetterKind:
        shipped = zipfile.ZipFile(io.BytesIO(template_source(kind)[0]))
        fresh = zipfile.ZipFile(built[f"{kind.value}.docx"])
        for part in ("word/document.xml", "word/styles.xml", "word/fontTable.xml"):
            assert shipped.read(part) == fresh.read(part), f"{kind}: run python -m gongkai.letters.build"


def test_letters_use_the_official_fonts_and_sizes():
    doc = Document(io.BytesIO(render_letter("decision", PERSON)))
    styles = zipfile.ZipFile(io.BytesIO(render_letter("decision", PERSON))).read("word/styles.xml").decode()
    assert 'w:eastAsia="方正小标宋简体"' in styles and 'w:eastAsia="仿宋_GB2312"' in styles
    title, body = doc.styles["GK Title"], doc.styles["GK Body"]
    assert title.font.size.pt == 22 and body.font.size.pt == 16  # 二号 title, 三号 body
    assert {p.style.name for p in doc.paragraphs[1:]} == {"GK Body"}


# --- PDF -----------------------------------------------------------------------------------------------------

def test_letter_to_pdf_keeps_its_text(tmp_path):
    pdftotext = require_tool("pdftotext", "poppler-utils")
    require_tool("soffice", "libreoffice-writer-nogui")
    pdf = letter_pdf(render_letter("decision", replace(PERSON, outcome="withheld.state_secret")))
    assert pdf.startswith(b"%PDF")
    (tmp_path / "letter.pdf").write_bytes(pdf)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "letter.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "政府信息公开申请答复书" in flat and "第十四条" in flat and "2026年2月12日" in flat
    assert "六十日内" in flat and "青山县人民政府办公室" in flat


def test_pdf_conversion_is_bounded_by_its_timeout():
    require_tool("soffice", "libreoffice-writer-nogui")
    with pytest.raises(LetterPdfError, match="超时"):
        letter_pdf(render_letter("receipt", PERSON), timeout=0.05)
