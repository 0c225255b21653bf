"""What a letter says: ``LetterContext`` (filled by the caller from the ledger) → template variables.

The letters compute nothing about time: every date (reply due date, supplement deadline, the
consultee's 15-WD answer date, the new due date after an extension or 第三十五条 delay) is the
ledger's, passed in by the caller as a ``date`` or the ledger's ``Due``; a letter prints it in the
Chinese form 2026年3月2日. A provisional ``Due`` (counted into a year whose holiday schedule is not
loaded) is refused: a letter to an applicant never presents an unknown date as known.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

import jinja2

from gongkai.calendar.workdays import Due
from gongkai.ledger.fees import FEE_BANDS_FILE, FeeMethod, FeeQuote
from gongkai.report.template import edition

from .reasons import cite, library, reason_for

TEMPLATE = edition("2021")
# applicant type key → label, the columns of table 3 (the type decides the column)
APPLICANT_TYPES: dict[str, str] = {c.key: c.label for c in TEMPLATE.request_columns if c.key != "total"}
NATURAL_PERSON = "natural_person"
OUTCOME_LABELS: dict[str, str] = {row.key: row.full_label for row in TEMPLATE.result_rows}
DOC_NUMBER_PLACEHOLDER = "〔　　〕第　　号"
FEE_METHODS = {FeeMethod.PER_REQUEST: ("按件计收", "件"), FeeMethod.PER_PAGE: ("按量计收", "页")}


class LetterKind(StrEnum):
    RECEIPT = "receipt"  # 受理回执
    SUPPLEMENT = "supplement"  # 补正告知书
    CONSULTATION_THIRD_PARTY = "consultation_third_party"  # 征求第三方意见函
    CONSULTATION_AGENCY = "consultation_agency"  # 征求其他机关意见函
    EXTENSION = "extension"  # 延期答复告知书
    FEE = "fee"  # 收费通知书
    DELAY = "delay"  # 延迟答复告知书 (第三十五条)
    DECISION = "decision"  # 答复书, one per outcome through the reasons library


class LetterDataError(ValueError):
    """The context lacks what this kind of letter must state (message in Chinese, for the clerk)."""


@dataclass(frozen=True)
class LetterContext:
    agency: str  # 行政机关名称 (the signer)
    applicant: str  # 申请人姓名或名称
    applicant_type: str  # natural_person | commercial | research | nonprofit | legal_services | other_org
    request_number: str  # 申请编号
    received: date  # 收到申请日期 (第三十一条)
    content: str  # 申请内容
    issued: date  # 落款日期 (the day the letter is issued)
    requested_form: str = ""  # 形式要求, e.g. 纸质，邮寄
    channel: str = ""  # 申请渠道, e.g. 当面提交
    doc_number: str = ""  # 文号; blank prints a placeholder the office fills in
    contact: str = ""  # 联系人及电话
    due: date | Due | None = None  # 答复期限 (receipt)
    supplement_items: tuple[str, ...] = ()  # 补正事项
    supplement_deadline: date | Due | None = None  # 补正期限
    consultee: str = ""  # 第三方或其他机关名称
    consultation_due: date | Due | None = None  # 15 WD from the consultee's receipt of the letter
    extension_days: int | None = None  # 延长工作日数 (1–20)
    new_due: date | Due | None = None  # due date after the extension
    fee: FeeQuote | None = None  # 信息处理费 quote (gongkai.ledger.fees)
    fee_payment: str = ""  # 缴纳方式
    fee_due: date | Due | None = None  # 20 WD from the day after the applicant receives the notice
    delay_until: date | Due | None = None  # 第三十五条 reply date
    outcome: str | None = None  # table-3 row key (答复书)
    reasons: str = ""  # 具体理由, the facts of this request
    review_body: str = ""  # 行政复议机关
    court: str = ""  # 人民法院
    extra: dict[str, str] = field(default_factory=dict)  # more variables for an office's own template

    def missing(self, requires: list[str]) -> list[str]:
        """The required fields of a kind that are empty here."""
        return [name for name in requires if getattr(self, name) in (None, "", ())]


REQUIRED_LABELS = {
    "due": "答复期限", "supplement_items": "补正事项", "supplement_deadline": "补正期限", "consultee": "被征求意见方",
    "consultation_due": "答复意见期限", "extension_days": "延长天数", "new_due": "延长后的答复期限",
    "fee": "收费数额", "fee_due": "缴费期限", "delay_until": "延迟答复期限", "outcome": "答复结果",
}

# the dates the caller takes from the ledger (a date or a ``Due``)
LEDGER_DATES = ("due", "supplement_deadline", "consultation_due", "new_due", "fee_due", "delay_until")


def cn_date(day: date | Due | None, label: str = "日期") -> str:
    """2026年3月2日 (GB/T 9704: Arabic numerals, no leading zeros); a provisional ``Due`` is refused."""
    if isinstance(day, Due):
        if day.provisional:
            year = day.reason.rsplit(" ", 1)[-1] if day.reason else str(day.date.year)
            raise LetterDataError(f"{label}是暂定日期（缺少{year}年节假日安排），请管理员先载入该年安排再出具文书")
        day = day.date
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def _fee_variables(quote: FeeQuote, you: str) -> dict:
    method, unit = FEE_METHODS[quote.method]
    lines = []
    for line in quote.lines:
        band = line.band
        span = f"第{band.first}{unit}起" if band.last is None else f"第{band.first}至{band.last}{unit}"
        if band.unit_price == 0:
            lines.append(f"{span}：免费（{line.units}{unit}）")
        else:
            lines.append(f"{span}：每{unit}{yuan(band.unit_price)}元，{line.units}{unit}，计{yuan(line.amount)}元")
    first, last = quote.units
    units = (f"本件为{you}本月向本机关提出的第{last}件政府信息公开申请" if quote.method is FeeMethod.PER_REQUEST
             else f"本次提供的政府信息共{last - first + 1}页")
    basis = json.loads(FEE_BANDS_FILE.read_text("utf-8"))["basis"]
    return {"fee_method": method, "fee_units": units, "fee_lines": lines, "fee_amount": yuan(quote.total),
            "fee_basis": cite(basis) or basis}


def variables(ctx: LetterContext) -> dict:
    """The variables a letter template sees (documented in docs/letters.md)."""
    if ctx.applicant_type not in APPLICANT_TYPES:
        raise LetterDataError(f"申请人类型“{ctx.applicant_type}”无效，应为：{'、'.join(APPLICANT_TYPES.values())}")
    you = "您" if ctx.applicant_type == NATURAL_PERSON else "贵单位"
    lib = library()
    out = {
        "agency": ctx.agency, "applicant": ctx.applicant, "applicant_type": APPLICANT_TYPES[ctx.applicant_type],
        "you": you, "request_number": ctx.request_number, "received": cn_date(ctx.received),
        "content": ctx.content, "issued": cn_date(ctx.issued), "requested_form": ctx.requested_form,
        "channel": ctx.channel, "doc_number": ctx.doc_number or DOC_NUMBER_PLACEHOLDER, "contact": ctx.contact,
        "supplement_items": list(ctx.supplement_items), "consultee": ctx.consultee,
        "extension_days": ctx.extension_days or "", "reasons": ctx.reasons,
        "fee_payment": ctx.fee_payment or "〔缴纳方式：收款单位、账号或缴费地点〕",
        "review_body": ctx.review_body or lib["review_body_placeholder"],
        "court": ctx.court or lib["court_placeholder"],
        "regulation": "《中华人民共和国政府信息公开条例》",
    }
    for name in LEDGER_DATES:
        out[name] = cn_date(getattr(ctx, name), REQUIRED_LABELS[name])
    if ctx.fee is not None:
        if ctx.fee.total <= 0:
            raise LetterDataError("收费数额为0元，不发收费通知（免费范围内不收费）")
        out |= _fee_variables(ctx.fee, you)
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    out["remedies"] = env.from_string(lib["remedies"]).render(out)
    if ctx.outcome is not None:
        reason = reason_for(ctx.outcome)
        out |= {"outcome": OUTCOME_LABELS[ctx.outcome], "citation": reason.citation,
                "finding": env.from_string(reason.finding).render(out),
                "decision": env.from_string(reason.decision).render(out)}
    out |= ctx.extra
    return out
