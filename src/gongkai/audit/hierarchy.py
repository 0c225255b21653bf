"""H1 — a government's table 3 against its departments' reports of the same year.

A region's own report may count the whole region or only its own office, so H1 is a warning and fires
only where the region prints less than the departments in the folder add up to (for new requests, the
carry-over, the total handled and the carry-forward): a region cannot have handled fewer requests than
the part of it whose reports are at hand.  The figures, and every child's file, are in the evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .collect import Record
from .findings import AuditFinding
from .series import evidence

KEYS = {
    "requests.new_received.total": "一、本年新收政府信息公开申请数量 / 总计",
    "requests.carried_over.total": "二、上年结转政府信息公开申请数量 / 总计",
    "requests.total_handled.total": "三、本年度办理结果（七）总计 / 总计",
    "requests.carried_forward.total": "四、结转下年度继续办理 / 总计",
}


def parent_children(reports: dict[tuple[str, int], Record]) -> Iterator[AuditFinding]:
    children: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for (_, year), record in reports.items():
        if record.parent and record.kind == "department" and record.flat is not None:
            children[(record.parent, year)].append(record)
    for (parent, year), kids in sorted(children.items()):
        region = reports.get((parent, year))
        if region is None or region.flat is None:
            continue
        for key, label in KEYS.items():
            figures = {k.agency: k.flat.get(key) for k in kids}
            own = region.flat.get(key)
            if own is None or any(v is None for v in figures.values()):
                continue
            total = sum(figures.values())
            if own < total:
                parts = "、".join(f"{name}{value}" for name, value in sorted(figures.items()))
                yield AuditFinding("H1", "warning",
                                   f"本级报告{label.split(' / ')[0]}为{own}件，少于所属{len(kids)}个部门报告之和{total}件（{parts}）",
                                   f"the region prints {own}, its {len(kids)} departments' reports add up to {total}",
                                   parent, year, region.source, (key,), (label,), expected=total, found=own,
                                   evidence=evidence(region, (key,), (label,)) | {
                                       "children": {k.agency: {"file": k.source, "value": k.flat.get(key)} for k in kids}})
