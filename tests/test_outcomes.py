import json

import pytest

from gongkai.ledger.outcomes import OUTCOME_BASIS, UnknownOutcomeError, legal_basis
from gongkai.report import edition


def test_every_result_row_of_the_template_has_one_basis_in_template_order():
    assert list(OUTCOME_BASIS) == [row.key for row in edition("2021").result_rows]
    assert all(OUTCOME_BASIS.values())


def test_outcomes_match_the_report_keys_in_the_shared_spec(corpus):
    keys = json.loads((corpus / "spec" / "report-keys.json").read_text(encoding="utf-8"))["2021"]
    rows = list(dict.fromkeys(k.removeprefix("requests.").rsplit(".", 1)[0] for k in keys if k.startswith("requests.")))
    assert list(OUTCOME_BASIS) == rows[rows.index("granted"): rows.index("total_handled")]


def test_unknown_outcome():
    assert legal_basis("partially_granted") == "条例第三十七条"
    with pytest.raises(UnknownOutcomeError, match="未知的办理结果 'approved'"):
        legal_basis("approved")
