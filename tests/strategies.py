"""Hypothesis strategies: random valid reports of both editions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from gongkai.ledger.events import (
    ConsultationEnded,
    ConsultationStarted,
    Decided,
    DelayedReply,
    ExtensionApproved,
    FeeNoticeSent,
    FeePaid,
    SupplementReceived,
    SupplementRequested,
    Withdrawn,
)
from gongkai.ledger.fees import quote_per_page, quote_per_request
from gongkai.ledger.outcomes import OUTCOME_BASIS
from gongkai.report import Report, edition

# running text that cannot be mistaken for a heading or a table row: CJK words and punctuation
_WORDS = st.sampled_from(["加强", "政务公开", "工作", "平台", "建设", "规范", "信息", "管理", "推进", "群众", "服务", "监督"])
_SENTENCE = st.lists(_WORDS, min_size=3, max_size=12).map(lambda ws: "".join(ws) + "。")
TEXT = st.lists(_SENTENCE, min_size=1, max_size=4).map("\n".join)
AGENCY = st.sampled_from(["某某区科学技术局", "某某市人民政府办公室", "某某县生态环境局", "某某镇人民政府"])
MONEY = st.decimals(min_value=0, max_value=99999, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def reports(draw, editions=("2021", "2019"), blanks: bool = True, collapsed: bool | None = None) -> Report:
    """A report with random cells; blank (None) cells only when ``blanks``."""
    edition_id = draw(st.sampled_from(editions))
    ed = edition(edition_id)
    year = draw(st.integers(ed.first_year, min(ed.last_year, 2026)))
    report = Report(edition=edition_id, agency=draw(AGENCY), year=year,
                    published=draw(st.none() | st.dates(date(year + 1, 1, 1), date(year + 1, 3, 31))))
    if edition_id == "2021" and (collapsed if collapsed is not None else draw(st.booleans())):
        report.collapse_other_handling()
        for key in ed.collapsed_cells:
            report.values[key] = draw(st.integers(0, 500))
        for key in report.values:
            if key.startswith("requests.other_handling.") and key not in ed.collapsed_cells:
                report.values[key] = None
    for key in report.values:
        if report.collapsed and key.startswith("requests.other_handling.") and key not in ed.collapsed_cells:
            continue
        column = ed.cell(key).column
        if blanks and draw(st.integers(0, 20)) == 0:
            report.values[key] = None
        elif column.type == "money":
            report.values[key] = draw(MONEY)
        else:
            report.values[key] = draw(st.integers(-50 if column.signed else 0, 100000))
    for key in ("overview", "problems", "other"):
        report.texts[key] = draw(TEXT)
    return report


def same(a: Report, b: Report) -> list[str]:
    """Differences between two reports (money compared by value, texts ignoring whitespace)."""
    fa, fb = a.flat(), b.flat()
    out = []
    for key in sorted(set(fa) | set(fb)):
        x, y = fa.get(key, "<missing>"), fb.get(key, "<missing>")
        if key.endswith(".amount") and x is not None and y is not None and "<missing>" not in (x, y):
            if Decimal(x) != Decimal(y):
                out.append(f"{key}: {x} != {y}")
        elif key in ("overview", "problems", "other"):
            if "".join((x or "").split()) != "".join((y or "").split()):
                out.append(f"{key}: {x!r} != {y!r}")
        elif x != y:
            out.append(f"{key}: {x!r} != {y!r}")
    return out


def distinct_report(edition_id: str = "2021") -> Report:
    """A report whose every cell holds a different number, so a misplaced cell shows."""
    report = Report.blank(edition_id, agency="某某区科学技术局", year=2023 if edition_id == "2021" else 2020)
    for i, key in enumerate(report.values):
        money = report.template.cell(key).column.type == "money"
        report.values[key] = Decimal(f"{i}.0380") if money else 1000 + i
    report.texts.update(overview="总体情况第一段。\n第二段。", problems="存在问题。", other="无。")
    return report


OUTCOME_KEYS = list(OUTCOME_BASIS)


@st.composite
def any_event(draw, received: date):
    """Any event, lawful or not, on a day after ``received`` (constructing it may already be refused)."""
    day = received + timedelta(days=draw(st.integers(-3, 60)))
    other = day + timedelta(days=draw(st.integers(-5, 40)))
    kind = draw(st.integers(0, 10))
    makers = [
        lambda: SupplementRequested(day, supplement_by=draw(st.sampled_from([None, other]))),
        lambda: SupplementReceived(day, good_reason=draw(st.booleans())),
        lambda: ConsultationStarted(day),
        lambda: ConsultationEnded(day),
        lambda: ExtensionApproved(day, working_days=draw(st.integers(-1, 25)), notified_on=other),
        lambda: DelayedReply(day, reply_by=other),
        lambda: FeeNoticeSent(day, quote=quote_per_page(draw(st.integers(0, 200))), delivered_on=other),
        lambda: FeeNoticeSent(day, quote=quote_per_request(draw(st.integers(1, 40)))),
        lambda: FeePaid(day, Decimal(draw(st.integers(-1, 500))), accepted_late=draw(st.booleans())),
        lambda: Decided(day, outcome=draw(st.sampled_from([*OUTCOME_KEYS, "approved"]))),
        lambda: Withdrawn(day),
    ]
    return makers[kind]()
