"""Headings, title, metadata and running text."""

from __future__ import annotations

import re
from datetime import date

from ..report.template import Section
from .cells import normalize
from .labels import compact, similarity

TITLE_PHRASES = ("政府信息公开工作年度报告", "政务公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告",
                 "政府信息公开年报", "政府信息公开工作年报")
_PAGE_NUMBER = re.compile(r"^[\s\-—–_－·•]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,3}\s*页?)?[\s\-—–_－·•]*$")
_DASHED = re.compile(r"[-—–－]")
_HEADING_MAX_EXTRA = 8
_HEADING_SIMILARITY = 0.9
_SENTENCE_END = ("。", "！", "？", "：", "；", "!", "?", ":", ";")
_PARAGRAPH_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)")
_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_PUBLISHED = re.compile(r"(?:发布|公开|印发|成文)(?:日期|时间)\s*[:：]?\s*" + _DATE.pattern)


def is_page_number(text: str) -> bool:
    """``-3-``, ``— 3 —``, ``第3页``, ``3/5`` (a bare number is not a page number: it may be data)."""
    t = normalize(text)
    return bool(_PAGE_NUMBER.match(t)) and (bool(_DASHED.search(t)) or "页" in t or "/" in t)


def match_heading(text: str, sections: tuple[Section, ...]) -> Section | None:
    """The section whose heading this line is, by its text (not its number)."""
    line = compact(text)
    if not line or len(line) > 40:
        return None
    for section in sections:
        for heading in section.headings:
            h = compact(heading)
            if len(line) > len(h) + _HEADING_MAX_EXTRA:
                continue
            # difflib's ratio is at most 2·min/(sum of lengths): skip the comparison when that bound fails
            if 2 * min(len(line), len(h)) >= _HEADING_SIMILARITY * (len(line) + len(h)) and similarity(
                text, heading
            ) >= _HEADING_SIMILARITY:
                return section
    return None


_NUMBERED = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*")


def split_heading(text: str, sections: tuple[Section, ...]) -> tuple[Section, str] | None:
    """A numbered heading run into its first paragraph (``一、总体情况。2023年，…``): the section and the rest."""
    numbered = _NUMBERED.match(text)
    if not numbered:
        return None
    body = text[numbered.end():]
    for section in sections:
        for heading in section.headings:
            bare = _NUMBERED.sub("", heading)
            if body.startswith(bare) and len(body) > len(bare):
                rest = body[len(bare):].lstrip(" 。.:：\u3000")
                return (section, rest) if rest else None
    return None


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """The report title (possibly wrapped over lines) among the first lines, and the index after it."""
    squeezed = [re.sub(r"\s+", "", normalize(line)) for line in lines]
    for end, _ in enumerate(squeezed):
        for start in range(end, max(-1, end - 3), -1):
            joined = "".join(squeezed[start:end + 1])
            if any(p in joined for p in TITLE_PHRASES):
                agency, _year = agency_and_year(joined)
                if not agency and start > 0 and len(squeezed[start - 1]) <= 40:
                    joined = squeezed[start - 1] + joined
                return joined, end + 1
    return None, 0


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    """``科学技术和工业信息化局2021年政府信息公开工作年度报告`` → (科学技术和工业信息化局, 2021)."""
    t = re.sub(r"\s+", "", normalize(title))
    for phrase in TITLE_PHRASES:
        t = t.split(phrase)[0] if phrase in t else t
    match = re.search(r"(20\d{2})年度?", t)
    year = int(match[1]) if match else None
    agency = (t[: match.start()] + t[match.end():]) if match else t
    agency = re.sub(r"^关于|关于$|的$", "", agency).strip("《》“”\"' ")
    return (agency or None), year


def published_date(lines: list[str]) -> date | None:
    """The publication date the document prints (发布日期：2020-01-31), if any."""
    for line in lines:
        match = _PUBLISHED.search(normalize(line))
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def join_lines(lines: list[str], unwrap: bool) -> str:
    """A text section: paragraphs joined by one newline.

    A blank line always ends a paragraph.  With ``unwrap`` (layout-wrapped sources: PDF, text
    converted from PDF), a line that does not end a sentence is joined to the next one with
    nothing; without it, every line is a paragraph.
    """
    paragraphs: list[str] = []
    open_paragraph = False
    for raw in lines:
        if not raw or not raw.strip():
            open_paragraph = False
            continue
        if is_page_number(raw):
            continue
        line = raw.replace("\u00a0", " ").strip(" \t\u3000")
        if unwrap and open_paragraph and not paragraphs[-1].endswith(_SENTENCE_END) and not _PARAGRAPH_START.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        open_paragraph = True
    return "\n".join(paragraphs)


def strip_signature(lines: list[str], agency: str | None) -> list[str]:
    """Drop the closing signature and date at the end of the last section."""
    out = list(lines)
    while out:
        last = re.sub(r"\s+", "", normalize(out[-1]))
        if not last or is_page_number(last):
            out.pop()
        elif _DATE.fullmatch(last) or re.fullmatch(r"\d{4}年\d{1,2}月(\d{1,2}日)?", last):
            out.pop()
        elif len(last) <= 30 and not re.search(r"[。，；：！？,;:]", last) and (
            (agency and (agency in last or last in agency)) or last.endswith(("人民政府", "办公室", "局", "委员会", "办公厅"))
        ):
            out.pop()
        else:
            break
    return out

