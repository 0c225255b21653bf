"""The outcome of a closed request: one table-3 row key (edition 2021) and its legal basis.

Labels belong to the report template (``gongkai.report``); this module only knows the keys and the 条例
article behind each. Keys are in template order.
"""

from __future__ import annotations

from gongkai.ledger.errors import LedgerError

OUTCOME_BASIS: dict[str, str] = {
    "granted": "条例第三十六条(一)(二)",
    "partially_granted": "条例第三十七条",
    "withheld.state_secret": "条例第十四条",
    "withheld.prohibited_by_law": "条例第十四条",
    "withheld.security_stability": "条例第十四条",
    "withheld.third_party_rights": "条例第十五条、第三十二条",
    "withheld.internal_affairs": "条例第十六条第一款",
    "withheld.process_information": "条例第十六条第二款",
    "withheld.enforcement_files": "条例第十六条第二款",
    "withheld.inquiry_matters": "条例第三十六条(七)",
    "unavailable.not_held": "条例第三十六条(四)(五)",
    "unavailable.needs_creation": "条例第三十八条",
    "unavailable.still_unclear": "条例第三十条",
    "not_handled.petition_complaint": "条例第三十九条",
    "not_handled.repeated": "条例第三十六条(六)",
    "not_handled.publication": "条例第三十九条",
    "not_handled.excessive": "条例第三十五条",
    "not_handled.reconfirmation": "实践做法",
    "other_handling.no_supplement": "条例第三十条",
    "other_handling.fee_unpaid": "《政府信息公开信息处理费管理办法》第七条",
    "other_handling.other": "如申请人撤回申请",
}

WITHDRAWN_OUTCOME = "other_handling.other"
NO_SUPPLEMENT_OUTCOME = "other_handling.no_supplement"
FEE_UNPAID_OUTCOME = "other_handling.fee_unpaid"


class UnknownOutcomeError(LedgerError):
    def __init__(self, outcome: str):
        super().__init__("unknown_outcome", f"未知的办理结果 {outcome!r}：应为表三的一行（{'、'.join(OUTCOME_BASIS)}）")


def legal_basis(outcome: str) -> str:
    try:
        return OUTCOME_BASIS[outcome]
    except KeyError:
        raise UnknownOutcomeError(outcome) from None
