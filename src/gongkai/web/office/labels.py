"""Short Chinese labels for the screens, derived from the report template (the one source of the outcome and
applicant-type names): a table-3 row label without its section heading, numbering and counting note."""

from __future__ import annotations

import re

from gongkai.report import edition

TEMPLATE = edition("2021")
_NUMBERING = re.compile(r"^(（[一二三四五六七八九十]+）|\d+\.)")
_NOTE = re.compile(r"（[^）]*）$")


def _bare(label: str) -> str:
    return _NOTE.sub("", _NUMBERING.sub("", label))


def outcome_group_key(outcome: str) -> str:
    """``withheld.state_secret`` → ``withheld``; ``granted`` → ``granted``."""
    return outcome.split(".", 1)[0]


OUTCOME_LABELS: dict[str, str] = {}
OUTCOME_GROUPS: dict[str, str] = {}  # group key → 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理
for _row in TEMPLATE.result_rows:
    _group = outcome_group_key(_row.key)
    if _row.subgroup:
        OUTCOME_GROUPS.setdefault(_group, _bare(_row.subgroup))
        OUTCOME_LABELS[_row.key] = f"{_bare(_row.subgroup)}：{_bare(_row.label)}"
    else:
        OUTCOME_GROUPS.setdefault(_group, _bare(_row.label))
        OUTCOME_LABELS[_row.key] = _bare(_row.label)

APPLICANT_TYPE_LABELS = {column.key: column.label for column in TEMPLATE.request_columns if column.key != "total"}
"""``natural_person`` → 自然人, ``commercial`` → 商业企业, …: the column label without its group."""
