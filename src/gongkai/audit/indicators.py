"""Indicators per agency and year, with the region's percentiles: data to read, not findings.

Each indicator is a ratio of printed table-3/table-4 totals; it is ``None`` when an input is blank or the
denominator is 0 (never a guessed 0).  ``percentile`` is the share of the region's agency-years with a
lower value (ties count half); ``outlier`` marks values beyond the Tukey fences (Q1 − 1.5·IQR,
Q3 + 1.5·IQR) once at least ``MIN_FOR_OUTLIERS`` values exist.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from statistics import quantiles
from typing import Any

from .collect import Record

MIN_FOR_OUTLIERS = 5


def _get(flat: dict[str, Any], *keys: str) -> list[int] | None:
    values = [flat.get(k) for k in keys]
    return None if any(not isinstance(v, int) for v in values) else values


def _ratio(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 4)


def _requests(f):
    v = _get(f, "requests.new_received.total")
    return v[0] if v else None


def _grant_rate(f):
    v = _get(f, "requests.granted.total", "requests.partially_granted.total", "requests.total_handled.total")
    return _ratio(v[0] + v[1], v[2]) if v else None


def _not_held(f):
    v = _get(f, "requests.unavailable.not_held.total", "requests.total_handled.total")
    return _ratio(*v) if v else None


def _carry_forward(f):
    v = _get(f, "requests.carried_forward.total", "requests.new_received.total", "requests.carried_over.total")
    return _ratio(v[0], v[1] + v[2]) if v else None


def _correction(groups: tuple[str, ...]) -> Callable[[dict], float | None]:
    def rate(f):
        keys = [f"appeals.{g}.{c}" for g in groups for c in ("corrected", "total", "pending")]
        v = _get(f, *keys)
        if not v:
            return None
        corrected = sum(v[0::3])
        concluded = sum(v[1::3]) - sum(v[2::3])
        return _ratio(corrected, concluded)
    return rate


INDICATORS: dict[str, tuple[str, Callable[[dict], Any]]] = {
    "requests": ("本年新收申请（件）", _requests),
    "grant_rate": ("予以公开及部分公开占办理总数", _grant_rate),
    "not_held_share": ("“本机关不掌握”占办理总数", _not_held),
    "carry_forward_rate": ("结转下年度占（新收+上年结转）", _carry_forward),
    "review_correction_rate": ("行政复议纠正率（纠正/已审结）", _correction(("review",))),
    "lawsuit_correction_rate": ("行政诉讼纠正率（纠正/已审结）", _correction(("lawsuit_direct", "lawsuit_after_review"))),
}


def indicators(reports: dict[tuple[str, int], Record]) -> list[dict[str, Any]]:
    """One row per agency-year: every indicator, its percentile in the region and whether it is an outlier."""
    rows = []
    for (agency, year), record in sorted(reports.items()):
        if record.flat is None:
            continue
        row: dict[str, Any] = {"agency": agency, "year": year, "kind": record.kind, "source": record.source}
        for name, (_, compute) in INDICATORS.items():
            row[name] = compute(record.flat)
        rows.append(row)
    for name in INDICATORS:
        values = sorted(r[name] for r in rows if r[name] is not None)
        fences = None
        if len(values) >= MIN_FOR_OUTLIERS:
            q1, _, q3 = quantiles(values, n=4, method="inclusive")
            fences = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
        for r in rows:
            v = r[name]
            if v is None:
                r[f"{name}_percentile"], r[f"{name}_outlier"] = None, None
                continue
            below = bisect_left(values, v)
            equal = bisect_right(values, v) - below
            r[f"{name}_percentile"] = round(100 * (below + equal / 2) / len(values), 1)
            r[f"{name}_outlier"] = bool(fences and not fences[0] <= v <= fences[1])
    return rows


def distribution(rows: list[dict[str, Any]], name: str) -> dict[str, float] | None:
    """The region's 10th, 25th, 50th, 75th and 90th percentiles of one indicator."""
    values = sorted(r[name] for r in rows if r.get(name) is not None)
    if len(values) < 2:
        return None
    deciles = quantiles(values, n=20, method="inclusive")
    return {"p10": deciles[1], "p25": deciles[4], "p50": deciles[9], "p75": deciles[14], "p90": deciles[17],
            "n": len(values)}
