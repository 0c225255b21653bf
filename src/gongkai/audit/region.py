"""The region: each file identified (agency, year, kind, parent), one report per agency and year.

Governments are grouped by their name without the organ (某县 = 某县人民政府, 某区 = 某区管委会) and
take the name most files print; a department's parent is the government whose name begins its own
(平潭综合实验区财政金融局 → 平潭综合实验区).  Two files of one agency and year (the same report saved
twice, as a text page and as HTML) count once: the one read best is the report, the others point to it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .collect import Record
from .identify import Aliases, government_key, identify, kind_of


def identify_records(records: list[Record], aliases: Aliases) -> None:
    for record in records:
        printed, year, origin = identify(record.flat, record.header, record.source)
        record.agency_printed, record.year, record.agency_from = printed, year, origin
        record.agency = aliases.canonical(printed)
        record.kind = kind_of(record.agency, aliases) if record.agency else None
        published = (record.flat or {}).get("meta.published")
        if published:
            from datetime import date

            record.published, record.published_from = date.fromisoformat(published), "report"
        elif record.header.published:
            record.published, record.published_from = record.header.published, "page_header"
    _merge_governments(records)
    _parents(records)
    _duplicates(records)


def _merge_governments(records: list[Record]) -> None:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if r.kind == "government":
            names[government_key(r.agency)][r.agency] += 1
    chosen = {key: max(c, key=lambda n: (c[n], len(n), n)) for key, c in names.items()}
    for r in records:
        if r.kind == "government":
            r.agency = chosen[government_key(r.agency)]


def _parents(records: list[Record]) -> None:
    governments = {government_key(r.agency): r.agency for r in records if r.kind == "government"}
    for r in records:
        if not r.agency:
            continue
        own = government_key(r.agency) if r.kind == "government" else r.agency
        candidates = [k for k in governments if k and own.startswith(k) and governments[k] != r.agency]
        if candidates:
            r.parent = governments[max(candidates, key=len)]


def _filled(record: Record) -> int:
    if record.error is not None or record.flat is None:
        return -1
    return sum(v is not None for k, v in record.flat.items() if not k.startswith("meta."))


def _duplicates(records: list[Record]) -> None:
    groups: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for r in records:
        if r.key:
            groups[r.key].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        best = max(group, key=lambda r: (_filled(r), -group.index(r)))
        for r in group:
            if r is not best:
                r.duplicate_of = best.source
                if best.published is None and r.published is not None:
                    best.published, best.published_from = r.published, r.published_from


def reports_by_key(records: list[Record]) -> dict[tuple[str, int], Record]:
    """The report of each agency and year (duplicates left out)."""
    return {r.key: r for r in records if r.key and r.primary}
