"""Headings, title, metadata and running text."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from datetime import date
from functools import lru_cache

from ..report.template import Section
from .cells import normalize
from .labels import compact, similarity

TITLE_PHRASES = ("政府信息公开工作年度报告", "政务公开工作年度报告", "政府信息公开年度报告", "信息公开工作年度报告",
                 "政府信息公开年报", "政府信息公开工作年报")
_PAGE_NUMBER = re.compile(r"^[\s\-—–_－·•]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*(?:共\s*)?\d{1,3}\s*页?)?[\s\-—–_－·•]*$")
_DASHED = re.compile(r"[-—–－]")
_HEADING_MAX_EXTRA = 8
_HEADING_MAX_RAW = 160  # characters of a heading line as printed, spaces and punctuation included
_HEADING_SIMILARITY = 0.9
_SENTENCE_END = ("。", "！", "？", "：", "；", "!", "?", ":", ";")
_PARAGRAPH_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)")
_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_PUBLISHED = re.compile(r"(?:(?:发布|公开|印发|成文)(?:日期|时间)|(?<![\u4e00-\u9fff])时间)\s*[:：]?\s*" + _DATE.pattern)
_SIGNED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发)?\s*(?:附件下载)?\s*$")
# the closing signature and date run into the last paragraph: … 开展。 平潭综合实验区财政金融局 2022年1月13日
_SIGNATURE_TAIL = re.compile(r"(?<=[。；！？.!?])[^。；！？]{0,80}?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^。；！？]*$"
                             r"|\s*附件下载\s*$")


def is_page_number(text: str) -> bool:
    """``-3-``, ``— 3 —``, ``第3页``, ``3/5`` (a bare number is not a page number: it may be data)."""
    t = normalize(text)
    return bool(_PAGE_NUMBER.match(t)) and (bool(_DASHED.search(t)) or "页" in t or "/" in t)


# （一）主动公开政府信息情况, 1.主动公开…: a numbered part inside a section (the overview's own parts), never
# one of the six section headings, which are numbered 一、二、… or not at all
_SUBHEADING = re.compile(r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[.．、])")


@lru_cache(maxsize=16)
def _heading_table(sections: tuple[Section, ...]) -> tuple[dict[str, Section], tuple]:
    """The compacted headings of the sections: for an exact lookup, and with their character counts."""
    exact: dict[str, Section] = {}
    fuzzy = []
    for section in sections:
        for heading in section.headings:
            h = compact(heading)
            exact.setdefault(h, section)
            fuzzy.append((len(h), section, heading, h, Counter(h)))
    return exact, tuple(sorted(fuzzy, key=lambda entry: entry[0]))


@lru_cache(maxsize=4096)
def match_heading(text: str, sections: tuple[Section, ...]) -> Section | None:
    """The section whose heading this line is, by its text (not its number)."""
    if len(text) > _HEADING_MAX_RAW:
        return None  # a paragraph: not worth compacting
    line = compact(text)
    if not line or len(line) > 40 or _SUBHEADING.match(normalize(text)):
        return None
    exact, fuzzy = _heading_table(sections)
    if line in exact:
        return exact[line]
    chars = set(line)
    # difflib's ratio is at most 2·min/(sum of lengths): only headings of a length near the line's can match
    shortest = len(line) * _HEADING_SIMILARITY / (2 - _HEADING_SIMILARITY)
    longest = len(line) * (2 - _HEADING_SIMILARITY) / _HEADING_SIMILARITY
    for size, section, heading, h, counts in fuzzy[bisect_left(fuzzy, shortest, key=lambda e: e[0]):]:
        if size > longest:
            break
        if len(line) > len(h) + _HEADING_MAX_EXTRA:
            continue
        # difflib's ratio is at most 2·min/(sum of lengths), and at most 2·(characters of the heading
        # that the line has at all)/(sum): skip the comparison when either bound fails
        bound = _HEADING_SIMILARITY * (len(line) + len(h))
        if 2 * min(len(line), len(h)) >= bound and 2 * sum(n for c, n in counts.items() if c in chars) >= bound \
                and similarity(text, heading) >= _HEADING_SIMILARITY:
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


_LABELLED_TITLE = re.compile(r"^\s*(?:标题|题目|文章标题|名称|标\s+题)\s*[:：]\s*(?P<title>.+)$")
_SENTENCE_MARKS = re.compile(r"[，。；《》“”\",;！？!?]")
_TITLE_MAX = 60  # characters: a longer line is a sentence that mentions a report, not its title


def labelled_title(lines: list[str]) -> str | None:
    """The title a page states in a header line (``标题: …``)."""
    for line in lines:
        found = _LABELLED_TITLE.match(normalize(line))
        if found and any(p in found["title"].replace(" ", "") for p in TITLE_PHRASES):
            return found["title"].strip()
    return None


def title_in(line: str) -> str | None:
    """The title a line holds: the words before a title phrase, if they are not a sentence.

    A preamble (``根据《条例》…，现向社会公布XX局2023年政府信息公开工作年度报告``) is never a title;
    a breadcrumb or a 来源/时间 line around the title is cut off (``当前位置：首页…年报 XX局2021年…报告``).
    """
    text = normalize(line)
    candidates = []
    for phrase in TITLE_PHRASES:
        for found in re.finditer(re.escape(phrase), text):
            candidates.append(found.end())
    for end in sorted(set(candidates)):
        head = text[:end]
        if _SENTENCE_MARKS.search(head):
            return None
        head = re.split(r"[:：]", head)[-1]
        chunks = head.split()
        while len(chunks) > 1 and any(chunks[0].endswith(p) for p in TITLE_PHRASES):
            chunks.pop(0)  # a breadcrumb ending in 政府信息公开年报 before the title
        title = "".join(chunks)
        if len(title) <= _TITLE_MAX and re.search(r"20\d{2}", title):
            return title
    return None


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """The report title (possibly wrapped over lines) among the first lines, and the index after it."""
    squeezed = ["".join(normalize(line).split()) for line in lines]
    for end, line in enumerate(lines):
        title = title_in(line)
        if title:
            if not agency_and_year(title)[0] and end > 0 and len(squeezed[end - 1]) <= 40 \
                    and not _SENTENCE_MARKS.search(squeezed[end - 1]):
                title = squeezed[end - 1] + title  # the agency on the line above
            return title, end + 1
        for start in range(end - 1, max(-1, end - 3), -1):  # a title wrapped over two or three lines
            joined = "".join(squeezed[start:end + 1])
            if any(p in joined for p in TITLE_PHRASES) and not _SENTENCE_MARKS.search(joined):
                agency, _year = agency_and_year(joined)
                if not agency and start > 0 and len(squeezed[start - 1]) <= 40:
                    joined = squeezed[start - 1] + joined
                return joined, end + 1
    return None, 0


def agency_and_year(title: str) -> tuple[str | None, int | None]:
    """``科学技术和工业信息化局2021年政府信息公开工作年度报告`` → (科学技术和工业信息化局, 2021)."""
    t = "".join(normalize(title).split())
    for phrase in TITLE_PHRASES:
        t = t.split(phrase)[0] if phrase in t else t
    match = re.search(r"(20\d{2})年度?", t)
    year = int(match[1]) if match else None
    agency = (t[: match.start()] + t[match.end():]) if match else t
    agency = re.sub(r"^关于|关于$|的$", "", agency).strip("《》“”\"' ")
    return (agency or None), year


def published_date(lines: list[str], closing: list[str] = ()) -> date | None:
    """The publication date the page states (发布日期：2020-01-31, 发布时间, a 时间： header line),
    else the date under the closing signature (``closing``: the last lines), if any."""
    for line in lines:
        match = _PUBLISHED.search(normalize(line))
        if match:
            return _date(match)
    for line in reversed(closing):
        match = _SIGNED.search(normalize(line))
        if match:
            return _date(match)
    return None


def _date(match: re.Match) -> date | None:
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
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
    if out:
        out[-1] = _SIGNATURE_TAIL.sub("", out[-1]).rstrip()
        if out[-1] != lines[-1]:
            out[-1] = _SIGNATURE_TAIL.sub("", out[-1]).rstrip()  # 附件下载 after the signature
    while out:
        last = "".join(normalize(out[-1]).split())
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

