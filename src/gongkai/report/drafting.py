"""Draft texts of sections 一、五、六 generated from a report's figures, for the office to edit.

Every number in a draft is a cell of the report (or of last year's report, for 同比), a sum of cells of one
group (不予公开 = its eight rows), a percentage computed from two such numbers, the report year, or the
信息处理费 passed in.  A cell left blank gives a placeholder (``placeholders.py``), never a number; what the
figures cannot tell (problems, platforms, training…) is a placeholder too, never an invented fact.

The sentences that quote table 3 and table 4 are worded so that rule X3 (``rules.py``) reads each figure
against its own cell: one figure per sentence for 新收 / 上年结转 / 结转下年度 / 行政复议 / 行政诉讼, the words
新收/收到 and 行政复议/行政诉讼 never near another figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .model import Report, Value
from .placeholders import placeholder
from .publication import deadline

APPLICANT_ORGS = ("commercial", "research", "nonprofit", "legal_services", "other_org")
OUTCOME_GROUPS = (  # table 3's result groups, in template order: the first part of the row key
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_handled", "不予处理"),
    ("other_handling", "其他处理"),
)
# table 2: how a column reads in prose; ``{}`` is the number
_PROACTIVE_PHRASES = {
    "issued": "本年制发{}件", "repealed": "废止{}件", "in_force": "现行有效{}件",
    "made": "本年新制作{}件", "published": "新公开{}件", "public_total": "对外公开总数{}件",
    "prior_items": "上一年项目{}项", "decisions": "本年作出处理决定{}件",
    "projects": "项目{}个", "amount": "{}万元",
}
_MONEY_PHRASES = {"fees": "本年收费金额{}万元", "procurement": "采购总金额{}万元"}


def draft_texts(report: Report, processing_fees: Decimal | None, previous: Report | None = None,
                *, government: bool = False) -> dict[str, str]:
    """The drafts of ``overview``, ``problems`` and ``other`` for ``report``.

    ``processing_fees``: 信息处理费 collected in the year, in 元 (0: none collected; ``None``: not known, a
    placeholder).  ``previous``: last year's report of the same agency, for 同比 comparisons.
    ``government``: the report is a county-level-or-higher government's own (its 第四十九条 deadline is 3月31日).
    """
    return {
        "overview": draft_overview(report, previous),
        "problems": draft_problems(),
        "other": draft_other(report, processing_fees, government=government),
    }


def with_drafts(report: Report, processing_fees: Decimal | None, previous: Report | None = None,
                *, government: bool = False) -> Report:
    """A copy of ``report`` whose three texts are the drafts."""
    copy = Report.from_flat(report.flat())
    copy.texts.update(draft_texts(report, processing_fees, previous, government=government))
    return copy


# -- 一、总体情况 ---------------------------------------------------------------------------------------
def draft_overview(report: Report, previous: Report | None = None) -> str:
    year = f"{report.year}年" if report.year is not None else "本年度"
    lines = [
        f"{year}，{report.agency or '本机关'}政府信息公开工作情况如下。"
        + placeholder("本年度政府信息公开工作的总体部署和主要做法"),
        "（一）主动公开",
        _proactive(report, previous) + placeholder("重点领域信息公开、政策解读和回应关切等情况"),
        "（二）依申请公开",
        _requests(report, previous),
        _appeals(report, previous),
        "（三）政府信息管理",
        placeholder("政府信息公开属性源头认定、发布前保密审查、规范性文件动态清理等情况"),
        "（四）平台建设",
        placeholder("政府网站信息公开专栏、政务新媒体、政府公报等平台建设情况"),
        "（五）监督保障",
        placeholder("工作机构和人员、业务培训、考核评议、社会评议和责任追究等情况"),
    ]
    return "\n".join(lines)


def _proactive(report: Report, previous: Report | None) -> str:
    ed = report.template
    parts = []
    for block in ed.proactive:
        for row in block.rows:
            phrases = []
            for column in block.columns:
                key = block.key(row, column)
                value = report.values.get(key)
                if column.type == "money":
                    template = _MONEY_PHRASES.get(row.key, _PROACTIVE_PHRASES["amount"])
                    text = template.format(_money(value) if value is not None else _blank(row.label, column.label))
                elif column.key == "change":
                    text = _change(value, row.label, column.label)
                else:
                    template = _PROACTIVE_PHRASES.get(column.key, column.label + "{}")
                    text = template.format(_number(value, row.label, column.label))
                if column.key == "decisions":
                    text += _compare(value, _previous(previous, key))
                phrases.append(text)
            parts.append(row.label + "，".join(phrases))
    return "本年度主动公开政府信息情况：" + "；".join(parts) + "。"


def _change(value: Value, row: str, column: str) -> str:
    if value is None:
        return "本年增/减" + _blank(row, column)
    if value > 0:
        return f"本年增加{value}项"
    if value < 0:
        return f"本年减少{-value}项"
    return "本年无增减"


def _requests(report: Report, previous: Report | None) -> str:
    v = report.values
    received = v.get("requests.new_received.total")
    orgs = _sum(v, (f"requests.new_received.{c}" for c in APPLICANT_ORGS))
    handled = v.get("requests.total_handled.total")
    sentences = [
        f"本年度新收政府信息公开申请{_number(received, '本年新收申请', '总计')}件"
        + _compare(received, _previous(previous, "requests.new_received.total"))
        + f"，其中自然人提出{_number(v.get('requests.new_received.natural_person'), '本年新收申请', '自然人')}件"
        + f"，法人或其他组织提出{_number(orgs, '本年新收申请', '法人或其他组织')}件。",
        f"上年结转政府信息公开申请{_number(v.get('requests.carried_over.total'), '上年结转申请', '总计')}件。",
        f"本年度办结政府信息公开申请{_number(handled, '办理结果', '总计')}件"
        + _compare(handled, _previous(previous, "requests.total_handled.total"))
        + "，其中" + "，".join(f"{name}{_number(n, '办理结果', name)}件" for name, n in _outcomes(report)) + "。",
        f"结转下年度继续办理{_number(v.get('requests.carried_forward.total'), '结转下年度', '总计')}件。",
    ]
    return "".join(sentences)


def _outcomes(report: Report) -> list[tuple[str, Value]]:
    """Each result group of table 3 with its 总计 column summed over the group's rows."""
    ed = report.template
    rows = [r.key for r in ed.result_rows]
    if report.collapsed:
        rows = [r for r in rows if not r.startswith("other_handling.")] + [r.key for r in ed.collapsed_rows]
    return [(name, _sum(report.values, (f"requests.{r}.total" for r in rows if r.split(".")[0] == group)))
            for group, name in OUTCOME_GROUPS]


def _appeals(report: Report, previous: Report | None) -> str:
    v = report.values
    review = v.get("appeals.review.total")
    detail = "，".join(f"{c.label}{_number(v.get(f'appeals.review.{c.key}'), '行政复议', c.label)}件"
                      for c in report.template.appeal_columns if c.key != "total")
    lawsuit_keys = ("appeals.lawsuit_direct.total", "appeals.lawsuit_after_review.total")
    lawsuits = _sum(v, lawsuit_keys)
    before = None if previous is None else _sum(previous.values, lawsuit_keys)
    return (
        f"本年度因政府信息公开工作被申请行政复议{_number(review, '行政复议', '总计')}件"
        + _compare(review, _previous(previous, "appeals.review.total")) + f"，其中{detail}。"
        + f"被提起行政诉讼{_number(lawsuits, '行政诉讼', '总计')}件" + _compare(lawsuits, before)
        + f"，其中未经复议直接起诉{_number(v.get(lawsuit_keys[0]), '未经复议直接起诉', '总计')}件"
        + f"，复议后起诉{_number(v.get(lawsuit_keys[1]), '复议后起诉', '总计')}件。"
    )


# -- 五、存在的主要问题及改进情况 ---------------------------------------------------------------------
def draft_problems() -> str:
    """A skeleton only: the figures say nothing about problems, so every part is for the office to write."""
    return "\n".join([
        "（一）存在的主要问题",
        placeholder("本年度政府信息公开工作存在的主要问题，如实具体列明"),
        "（二）上年度问题整改情况",
        placeholder("上年度年度报告所列问题的整改措施和成效"),
        "（三）下一步改进措施",
        placeholder("针对上述问题的具体改进措施"),
    ])


# -- 六、其他需要报告的事项 -----------------------------------------------------------------------------
def draft_other(report: Report, processing_fees: Decimal | None, *, government: bool = False) -> str:
    lines = [fee_sentence(processing_fees),
             placeholder("落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开等其他需要报告的事项，"
                         "无则删除本段")]
    if report.year is not None:
        due = deadline(report.year, government=government)
        lines.append(f"本报告依据《中华人民共和国政府信息公开条例》第四十九条、第五十条编制，"
                     f"应于{due.year}年{due.month}月{due.day}日前向社会公布。")
    return "\n".join(lines)


def fee_sentence(processing_fees: Decimal | None) -> str:
    """信息处理费 collected in the year (元), as section 六 reports it."""
    if processing_fees is None:
        return placeholder("本年度收取信息处理费的金额（元），未收取的写明本年度未收取信息处理费")
    amount = Decimal(processing_fees)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"信息处理费须为非负金额：{processing_fees}")
    if amount == 0:
        return "本年度未收取信息处理费。"
    return f"本年度共收取信息处理费{_yuan(amount)}元。"


# -- numbers ---------------------------------------------------------------------------------------------
def _number(value: Value, row: str, column: str) -> str:
    return str(value) if value is not None else _blank(row, column)


def _blank(row: str, column: str) -> str:
    return placeholder(f"{_no_digits(row)}{_no_digits(column)}（表格中为空白，请先补全表格）")


def _no_digits(label: str) -> str:
    return "".join(ch for ch in label if not ("0" <= ch <= "9") and ch not in "【】.")


def _sum(values: dict, keys: Iterable[str]) -> int | None:
    """The sum of the cells, or ``None`` when any is blank (a partial sum would be a wrong number)."""
    parts = [values.get(k) for k in keys]
    return None if any(p is None for p in parts) else sum(parts)


def _previous(previous: Report | None, key: str) -> Value:
    return None if previous is None else previous.values.get(key)


def _compare(now: Value, before: Value) -> str:
    """``，同比增长X%`` against last year's figure; nothing when either is unknown."""
    if now is None or before is None:
        return ""
    if now == before:
        return "，与上年持平"
    if before == 0:
        return "，上年为0件"
    change = (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    word = "增长" if change > 0 else "下降"
    if change == 0:
        return f"，同比{'增长' if now > before else '下降'}不足0.1%"
    if change == -100 and now != 0:
        return "，同比下降99.9%以上"
    return f"，同比{word}{abs(change)}%"


def _money(value: Decimal) -> str:
    return format(value, "f")


def _yuan(amount: Decimal) -> str:
    cents = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(int(cents)) if cents == cents.to_integral_value() else format(cents, "f")
