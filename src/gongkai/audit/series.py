"""Rules over one report and over an agency's series of years: R1–R6/X3 as read, X1/X2, P1, P2.

R1–R6 and X3 come from the batch reading (the same rules as ``gongkai check``); X1/X2 compare each
agency's report with its own previous year, never across the 2020→2021 edition change; P1 is the
publishing deadline of 条例第四十九条; P2 a year missing between two years the folder holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from ..report.model import Report
from ..report.rules import check
from .collect import Record
from .findings import AuditFinding

TABLES = {"proactive": "表二 主动公开政府信息情况", "requests": "表三 收到和处理政府信息公开申请情况",
          "appeals": "表四 政府信息公开行政复议、行政诉讼情况"}


def evidence(record: Record, keys=(), labels=(), printed=None) -> dict:
    """Where to look: the file, and for a cell the table, row and column and the value printed."""
    out: dict = {"file": record.source, "sha256": record.sha256, "page": None}
    if keys:
        key, label = keys[0], labels[0] if labels else ""
        out["table"] = TABLES.get(key.split(".")[0])
        row, _, column = label.rpartition(" / ")
        out["row"], out["column"] = (row or None), (column or label or None)
        if printed is None and record.flat is not None:
            printed = record.flat.get(key)
    out["printed"] = printed
    return out


def read_findings(record: Record) -> Iterator[AuditFinding]:
    """The single-report findings (R1–R6, X3, the reader's) of a file, or READ when it could not be read."""
    if record.error is not None:
        yield AuditFinding("READ", "not_assessable", f"文件无法读取，各项规则均无法评估：{record.error}",
                           f"the file cannot be read, no rule can be assessed: {record.error}",
                           record.agency, record.year, record.source, evidence=evidence(record))
        return
    for f in record.findings:
        keys, labels = tuple(f["keys"]), tuple(f["labels"])
        yield AuditFinding(f["rule"], f["severity"], f["message_zh"], f["message_en"], record.agency, record.year,
                           record.source, keys, labels, f.get("expected"), f.get("found"),
                           evidence(record, keys, labels) | ({"quote": f["quote"]} if f.get("quote") else {}),
                           discriminator="" if keys else f["message_en"])


def cross_year(reports: dict[tuple[str, int], Record]) -> Iterator[AuditFinding]:
    """X1/X2 for each agency's consecutive years of the same edition."""
    for (agency, year), record in sorted(reports.items()):
        before = reports.get((agency, year - 1))
        if record.flat is None or before is None or before.flat is None:
            continue
        if record.flat["meta.edition"] != before.flat["meta.edition"]:
            continue  # X1/X2 never across the 2020→2021 edition change
        now, prior = Report.from_flat(record.flat), Report.from_flat(before.flat)
        for f in check(now, prior):
            if f.rule in ("X1", "X2"):
                yield AuditFinding(f.rule, f.severity, f.message_zh, f.message_en, agency, year, record.source,
                                   f.keys, f.labels, f.expected, f.found,
                                   evidence(record, f.keys, f.labels) | {"previous_file": before.source})


def deadline(kind: str, year: int) -> date:
    """条例第四十九条: a department by 1月31日, a county-level-or-higher government's own report by 3月31日."""
    return date(year + 1, 3, 31) if kind == "government" else date(year + 1, 1, 31)


def late(record: Record) -> Iterator[AuditFinding]:
    """P1 for one report: late, or not assessable when the date or the year is unknown."""
    if not record.primary:
        return
    if record.year is None or record.kind is None:
        yield AuditFinding("P1", "not_assessable", "无法确定机关或年度，不能判断是否按时公布",
                           "agency or year unknown: timeliness cannot be assessed",
                           record.agency, record.year, record.source, evidence=evidence(record))
        return
    due = deadline(record.kind, record.year)
    where = {"government": "本级人民政府（管委会）年度报告", "department": "部门年度报告"}[record.kind]
    if record.published is None:
        yield AuditFinding("P1", "not_assessable", f"报告及页面均未载明发布日期，无法判断是否在{due:%Y年%m月%d日}前公布",
                           f"no publication date in the report or its page: cannot tell whether published by {due}",
                           record.agency, record.year, record.source, ("meta.published",), ("发布日期",),
                           expected=due, evidence=evidence(record))
        return
    if record.published > due:
        days = (record.published - due).days
        source = "报告所载" if record.published_from == "report" else "页面发布时间"
        yield AuditFinding("P1", "warning",
                           f"{where}应于{due:%Y年%m月%d日}前公布，{source}为{record.published:%Y年%m月%d日}，逾期{days}天",
                           f"due {due} ({record.kind}), published {record.published} ({record.published_from}): "
                           f"{days} days late", record.agency, record.year, record.source,
                           ("meta.published",), ("发布日期",), expected=due, found=record.published,
                           evidence=evidence(record, printed=record.published.isoformat()) | {
                               "date_from": record.published_from, "kind": record.kind})


def missing_years(reports: dict[tuple[str, int], Record]) -> Iterator[AuditFinding]:
    """P2: a year with no report between two years an agency has in the folder."""
    years: dict[str, list[int]] = defaultdict(list)
    for agency, year in reports:
        years[agency].append(year)
    for agency, have in sorted(years.items()):
        have.sort()
        for a, c in zip(have, have[1:], strict=False):
            for b in range(a + 1, c):
                files = [reports[(agency, a)].source, reports[(agency, c)].source]
                yield AuditFinding("P2", "warning",
                                   f"所审文件夹中有{a}年和{c}年的报告，缺少{b}年度报告（可能存于别处）",
                                   f"reports for {a} and {c} in the folder audited, none for {b} (it may exist elsewhere)",
                                   agency, b, None, ("meta.year",), ("年度",),
                                   evidence={"file": None, "neighbours": files, "printed": None},
                                   discriminator=str(b))
