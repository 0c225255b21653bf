"""The one template matcher behind every reader: blocks → report + findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..report.findings import Finding
from ..report.model import Report
from ..report.rules import check
from ..report.template import TEXT_KEYS, edition, edition_for_year
from .blocks import Block, Document
from .errors import ReadError
from .running import split_sections, table_rows
from .sections import (
    TITLE_PHRASES,
    agency_and_year,
    find_title,
    join_lines,
    labelled_title,
    match_heading,
    published_date,
    split_heading,
    strip_signature,
)
from .splits import blanks_may_print_nothing
from .tables import edition_markers, read_appeals, read_proactive, read_requests

_FRONT_LINES = 12
MAX_BLOCKS = 20_000  # a real report has a few hundred paragraphs and rows
MAX_TABLE_ROWS = 400  # in one template table


@dataclass
class Extraction:
    """A report read from a document, with what the reader noticed on the way."""

    report: Report
    source: str
    format: str
    findings: list[Finding] = field(default_factory=list)

    def check(self, previous: Report | None = None) -> list[Finding]:
        """Reader findings followed by every rule's findings."""
        return [*self.findings, *check(self.report, previous)]


def match(doc: Document) -> Extraction:
    """Read the report a document holds: metadata, the three tables, the three texts."""
    segments = _segments(doc)
    agency, year, published = _metadata(doc, segments["front"])
    markers = edition_markers(segments.get("proactive", []))
    ed = edition(markers.pop()) if len(markers) == 1 else edition_for_year(year)

    report = Report(edition=ed.id, agency=agency, year=year, published=published)
    findings: list[Finding] = []
    # empty cells printed as nothing explain a short row, unless the page prints 000… (splits.py)
    silent = blanks_may_print_nothing(b.text for key in ("proactive", "requests", "appeals") for b in segments.get(key, [])
                                      if b.is_row)
    table2 = read_proactive(segments.get("proactive", []), ed, silent)
    table3, collapsed = read_requests(segments.get("requests", []), ed, silent)
    table4, end = read_appeals(segments.get("appeals", []), ed, silent)
    if collapsed:
        report.collapse_other_handling()
    for part in (table2, table3, table4):
        report.values.update(part.values)
        findings += part.findings

    texts = {key: segments.get(key) for key in TEXT_KEYS}
    if texts["problems"] is None and end is not None:
        # a report that prints no heading for section 五: its text stands after table 4
        tail = [b for b in segments["appeals"][end:] if not b.is_row]
        if tail:
            texts["problems"] = tail
            heading = ed.section("problems").heading
            findings.append(Finding("R6", "warning", f"缺少标题“{heading}”，按位置识别该部分",
                                    f"heading missing: the text after table 4 is taken as {heading}",
                                    ("problems",), (heading,)))
    last = next((k for k in reversed(TEXT_KEYS) if texts[k] is not None), None)
    for key, blocks in texts.items():
        if blocks is not None:
            lines = [b.text for b in blocks]
            report.texts[key] = join_lines(strip_signature(lines, agency) if key == last else lines, doc.unwrap)
    return Extraction(report, doc.source, doc.format, findings)


def _segments(doc: Document) -> dict[str, list[Block]]:
    """The blocks under each section heading (found by text, in order); ``front`` before the first."""
    if len(doc.blocks) > MAX_BLOCKS:
        raise ReadError(doc.source, f"not an annual report: {len(doc.blocks):,} paragraphs and table rows "
                                    f"(limit {MAX_BLOCKS:,})")
    sections = edition("2021").sections  # the same in both editions
    order = [s.key for s in sections]
    segments: dict[str, list[Block]] = {"front": []}
    current = "front"
    blocks = split_sections(doc.blocks)
    flattened = len(blocks) > len(doc.blocks)
    for block in blocks:
        cells = [c for c in block.cells if c and c.strip()]
        if len(cells) == 1:
            section, rest = match_heading(cells[0], sections), None
            if section is None and not block.is_row:
                section, rest = split_heading(cells[0], sections) or (None, None)
            if section is not None and (current == "front" or order.index(section.key) > order.index(current)):
                current = section.key
                segments[current] = [Block.paragraph(rest, block.page)] if rest else []
                continue
        segments[current].append(block)
    if len(segments) == 1 and (not any(b.is_row for b in doc.blocks) or _title(doc.blocks) is None):
        _refuse_attachment_page(doc)
        raise ReadError(doc.source, "not an annual report: no title and none of the six section headings")
    for number, key in enumerate(("proactive", "requests", "appeals"), start=1):
        if key in segments:
            segments[key] = table_rows(segments[key], key, -number, flattened)
        if len(segments.get(key, ())) > MAX_TABLE_ROWS:
            raise ReadError(doc.source, f"not an annual report: section {key} has {len(segments[key]):,} rows "
                                        f"(limit {MAX_TABLE_ROWS})")
    return segments


_ATTACHMENT = re.compile(r"[^\s:：/\\<>\"'“”]+\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)\b", re.IGNORECASE)
_ATTACHMENT_LABEL = re.compile(r"附件\s*\d*\s*[:：]\s*(\S.{0,80})")
_PAGE_HEADER = re.compile(r"^\s*(?:标题|发布时间|文号|发布机构|栏目|原文链接|本地目录|页面链接|来源|时间)|^\W*正文\W*$|^=+")


def _refuse_attachment_page(doc: Document) -> None:
    """A page whose body is its title and at most a link: the report is an attachment (named when the
    page names it).  Raises ReadError saying so; returns when the page holds more than that."""
    body = [b.text for b in doc.blocks if not _PAGE_HEADER.match(b.text)]
    title = _title(doc.blocks) or doc.title
    if title is None or sum(len(t) for t in body) > 3 * len(title) + 200:
        return
    texts = [b.text for b in doc.blocks]
    names = [m[0] for t in texts for m in _ATTACHMENT.finditer(t) if "://" not in t]
    names += [m[1] for t in texts for m in _ATTACHMENT_LABEL.finditer(t)]
    where = f"the attachment {names[0]}" if names else "an attachment the page links to (not in this text)"
    raise ReadError(doc.source, f"not a report page: its body holds only the title “{title}”; "
                                f"the report is in {where}")


_PUBLISHER = re.compile(r"^\s*(?:发布机构|发文机关|发布单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})\s*$")


def _title(blocks: list[Block]) -> str | None:
    lines = [b.text for b in blocks if not b.is_row][:_FRONT_LINES]
    return labelled_title(lines) or find_title(lines)[0]


def _metadata(doc: Document, front: list[Block]) -> tuple[str | None, int | None, date | None]:
    """Agency and year from the title (a 标题 header line, the title line, the page's own title),
    else the file name, else the statistics period; the publication date."""
    title = _title(front) or doc.title
    agency, year = agency_and_year(title) if title else (None, None)
    if doc.title and (agency is None or year is None) and all(agency_and_year(doc.title)):
        title = doc.title  # a navigation line (政务公开 > 政府信息公开年报) is not the title the page states
        agency, year = agency_and_year(title)
    if agency is None:  # a title without the agency (2023年政府信息公开工作年度报告): the page's 发布机构 line
        agency = next((m[1] for b in front[:_FRONT_LINES] if (m := _PUBLISHER.match(b.text))), None)
    stem = Path(doc.source).stem
    if agency is None and title is None and any(p in stem for p in TITLE_PHRASES):
        agency = agency_and_year(stem)[0]
    year = year or _year_in(stem) or _statistics_year(doc.blocks[:60])
    paragraphs = [b.text for b in doc.blocks if not b.is_row]
    published = published_date([*(doc.published or "",), *(b.text for b in doc.blocks[:40])], paragraphs[-3:])
    return agency, year, published


def _statistics_year(blocks: list[Block]) -> int | None:
    """The year of the statistics period the report states (2023年1月1日至12月31日)."""
    for block in blocks:
        found = re.search(r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到|—|-)", block.text)
        if found:
            return int(found[1])
    return None


def _year_in(text: str) -> int | None:
    match = re.search(r"(20\d{2})", text)
    return int(match[1]) if match else None
