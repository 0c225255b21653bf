"""Narrative checks of one report: N1 section 五 empty, N2 fees contradicted, N3 statistics period.

Each returns a finding when the rule fails, a ``not_assessable`` finding when its input is missing
(the section was not found, no statistics period is printed), and nothing when it passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .collect import Record
from .findings import AuditFinding
from .series import evidence

_PUNCT = re.compile(r"[\s\u3000。，、；：！？,.;:!?（）()“”\"'…—\-]")
_EMPTY_PROBLEMS = re.compile(r"^(?:无|没有|暂无|无问题|本年度无|本年无|无相关情况|不涉及)?$")

_NONE_CHARGED = re.compile(r"(?:未|没有|不|无)[^。；\n]{0,12}?收取[^。；\n]{0,12}?(?:信息处理费|费用|任何费)"
                           r"|(?:信息处理费|收费)[^。；\n]{0,10}?(?:为|共计|合计|金额)?\s*(?:0|零)(?:\.0+)?\s*(?:万?元)"
                           r"|(?:信息处理费|收费情况)\s*[:：]?\s*无")
_CHARGED = re.compile(r"收取[^。；\n0-9]{0,12}?(?:费用|费)[^。；\n0-9]{0,10}?(\d+(?:\.\d+)?)\s*(万元|元)")
_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|周期|范围|期)[^。；\n]{0,40}")
_YEAR = re.compile(r"(20\d{2})\s*年")


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in "。；\n") + 1
    right = min((i for i in (text.find(c, end) for c in "。；\n") if i >= 0), default=len(text))
    return text[left:right + 1].strip()


def empty_problems(record: Record) -> Iterator[AuditFinding]:
    """N1: section 五 empty or only 无 / 没有."""
    text = record.flat.get("problems")
    if text is None:
        yield AuditFinding("N1", "not_assessable", "未识别到“五、存在的主要问题及改进情况”，无法评估",
                           "section 五 not found: N1 cannot be assessed", record.agency, record.year, record.source,
                           ("problems",), ("五、存在的主要问题及改进情况",), evidence=evidence(record))
    elif _EMPTY_PROBLEMS.match(_PUNCT.sub("", text)):
        yield AuditFinding("N1", "warning", f"“五、存在的主要问题及改进情况”为空或仅写“{text.strip() or '（空）'}”",
                           f"section 五 is empty or only says {text.strip()!r}", record.agency, record.year,
                           record.source, ("problems",), ("五、存在的主要问题及改进情况",), found=text.strip(),
                           evidence=evidence(record, printed=text.strip()))


def _generic(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match in a sentence that speaks of fees in general, not of 信息处理费 by name."""
    for match in pattern.finditer(text):
        if "信息处理费" not in _sentence(text, match.start(), match.end()):
            return match
    return None


def fees(record: Record) -> Iterator[AuditFinding]:
    """N2: table 2's fee amount against what section 六 says about fees collected.

    Table 2 (edition 2021) prints 行政事业性收费 in 万元 under 第二十条第（八）项.  Section 六 contradicts
    it when it says, of fees in general, that none were collected (未收取任何费用) while table 2 prints an
    amount, or that fees were collected while table 2 prints 0.  A sentence that names 信息处理费 speaks of
    the request work's own fee, which table 2 does not count: it contradicts nothing there (平潭 2024:
    行政事业性收费 18651.06万元 and 无收取信息处理费情况 are both true).
    """
    other = record.flat.get("other")
    amount_raw = record.flat.get("proactive.fees.amount")
    if other is None:
        return  # R6 reports the missing section; nothing to contradict
    none = _generic(_NONE_CHARGED, other)
    charged = _generic(_CHARGED, other)
    if not none and not charged:
        return
    label = "第二十条第（八）项 / 行政事业性收费 / 本年收费金额（单位：万元）"
    if amount_raw is None:
        yield AuditFinding("N2", "not_assessable", "第六部分述及收费，但表二无收费金额（空白或旧版模板），无法核对",
                           "section 六 speaks of fees but table 2 prints no fee amount: N2 cannot be assessed",
                           record.agency, record.year, record.source, ("proactive.fees.amount",), (label,),
                           evidence=evidence(record, ("proactive.fees.amount",), (label,)))
        return
    amount = Decimal(str(amount_raw))
    if none and amount > 0:
        quote = _sentence(other, none.start(), none.end())
        yield AuditFinding("N2", "warning", f"表二收费金额为{amount_raw}万元，第六部分称未收取费用：“{quote}”",
                           f"table 2 prints fees of {amount_raw} (10k yuan), section 六 says none were collected",
                           record.agency, record.year, record.source, ("proactive.fees.amount", "other"),
                           (label, "六、其他需要报告的事项"), expected="0", found=amount_raw,
                           evidence=evidence(record, ("proactive.fees.amount",), (label,)) | {"quote": quote})
    elif charged and not none and amount == 0 and Decimal(charged[1]) > 0:
        quote = _sentence(other, charged.start(), charged.end())
        yield AuditFinding("N2", "warning", f"第六部分称收取费用{charged[1]}{charged[2]}，表二收费金额为0：“{quote}”",
                           f"section 六 says {charged[1]} {charged[2]} of fees were collected, table 2 prints 0",
                           record.agency, record.year, record.source, ("proactive.fees.amount", "other"),
                           (label, "六、其他需要报告的事项"), expected=f"{charged[1]}{charged[2]}", found=amount_raw,
                           evidence=evidence(record, ("proactive.fees.amount",), (label,)) | {"quote": quote})


def statistics_period(record: Record) -> Iterator[AuditFinding]:
    """N3: the statistics period printed (统计期限自2023年1月1日起至2023年12月31日止) is the report year."""
    if record.year is None:
        return
    for key in ("overview", "other", "problems"):
        text = record.flat.get(key) or ""
        match = _PERIOD.search(text)
        if not match:
            continue
        years = sorted({int(y) for y in _YEAR.findall(match[0])})
        if not years:
            continue
        quote = _sentence(text, match.start(), match.end())
        if years != [record.year]:
            yield AuditFinding("N3", "warning", f"统计期限为{'、'.join(map(str, years))}年，报告年度为{record.year}年：“{quote}”",
                               f"the statistics period says {years}, the report year is {record.year}",
                               record.agency, record.year, record.source, (key,), (), expected=record.year,
                               found=years[0] if len(years) == 1 else years,
                               evidence=evidence(record, printed=quote) | {"quote": quote})
        return
    front = _front_matter_period(record)
    if front is not None:
        years, quote = front
        if years != [record.year]:
            yield AuditFinding("N3", "warning", f"统计期限为{'、'.join(map(str, years))}年，报告年度为{record.year}年：“{quote}”",
                               f"the statistics period says {years}, the report year is {record.year}",
                               record.agency, record.year, record.source, (), (), expected=record.year,
                               found=years[0] if len(years) == 1 else years,
                               evidence=evidence(record, printed=quote) | {"quote": quote, "where": "正文前言"})
        return
    yield AuditFinding("N3", "not_assessable", "报告未载明统计期限，无法核对", "no statistics period printed",
                       record.agency, record.year, record.source, evidence=evidence(record))


_TEXT_FORMATS = ("txt", "md", "html")


def _front_matter_period(record: Record) -> tuple[list[int], str] | None:
    """The statistics period printed before 一、总体情况 (the preamble the flat form leaves out), read from the
    file itself for text formats (txt, md, html): the years it names and the sentence."""
    if record.format not in _TEXT_FORMATS:
        return None
    try:
        with open(record.source, "rb") as fh:
            data = fh.read(2 * 1024 * 1024)
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace")
    if record.format == "html":
        text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.S | re.I)
    match = _PERIOD.search(text)
    if not match:
        return None
    years = sorted({int(y) for y in _YEAR.findall(match[0])})
    return (years, _sentence(text, match.start(), match.end())) if years else None


def narrative(record: Record) -> Iterator[AuditFinding]:
    if record.flat is None or not record.primary:
        return
    yield from empty_problems(record)
    yield from fees(record)
    yield from statistics_period(record)
