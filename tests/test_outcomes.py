import json
import os
from pathlib import Path

import pytest

from gongkai.ledger.outcomes import OUTCOME_BASIS, UnknownOutcomeError, legal_basis

RESULT_ROWS_2021 = (
    "granted partially_granted withheld.state_secret withheld.prohibited_by_law withheld.security_stability "
    "withheld.third_party_rights withheld.internal_affairs withheld.process_information withheld.enforcement_files "
    "withheld.inquiry_matters unavailable.not_held unavailable.needs_creation unavailable.still_unclear "
    "not_handled.petition_complaint not_handled.repeated not_handled.publication not_handled.excessive "
    "not_handled.reconfirmation other_handling.no_supplement other_handling.fee_unpaid other_handling.other"
).split()


def _spec_dir() -> Path | None:
    candidates = [
        os.environ.get("GONGKAI_SPEC_DIR"),
        "/work/shared/spec",
        Path.cwd().parent / "shared" / "spec",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "report-keys.json").is_file():
            return Path(candidate)
    return None


def test_every_table3_result_row_has_one_basis_in_template_order():
    assert list(OUTCOME_BASIS) == RESULT_ROWS_2021
    assert all(OUTCOME_BASIS.values())


def test_outcomes_match_the_report_keys_in_the_shared_spec():
    spec_dir = _spec_dir()
    if spec_dir is None:
        pytest.skip("shared/spec/report-keys.json not found (set GONGKAI_SPEC_DIR)")
    keys = json.loads((spec_dir / "report-keys.json").read_text(encoding="utf-8"))["2021"]
    rows = list(
        dict.fromkeys(
            k.removeprefix("requests.").rsplit(".", 1)[0] for k in keys if k.startswith("requests.")
        )
    )
    result_rows = rows[rows.index("granted") : rows.index("total_handled")]
    assert list(OUTCOME_BASIS) == result_rows


def test_outcomes_match_the_report_template():
    # gongkai.report (the template as data) is built in parallel; this test runs once it is merged.
    report = pytest.importorskip("gongkai.report")
    template_rows = getattr(report, "TABLE3_RESULT_ROWS", None)
    if template_rows is None:
        pytest.skip("gongkai.report does not expose TABLE3_RESULT_ROWS yet")
    assert list(OUTCOME_BASIS) == list(template_rows)


def test_unknown_outcome():
    assert legal_basis("partially_granted") == "条例第三十七条"
    with pytest.raises(UnknownOutcomeError, match="unknown outcome 'approved'"):
        legal_basis("approved")
