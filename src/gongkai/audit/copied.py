"""C1 — copied text (内容雷同): a section repeating more than half of another report's section.

Method (docs/audit.md says the same):

1. Each text section (overview, problems, other) is cut into sentences (at 。！？； and line ends).
   Sentences that are the region's boilerplate — quoting the 条例 or the report's own framing (本报告,
   统计期限, 电子版, contact lines), or the prescribed statement on 信息处理费 quoting its 办法 — are
   dropped.
2. What is left is normalised: NFKC, digits → 0 (a text copied with only the year changed is still
   copied), whitespace and punctuation removed.
3. The text becomes the set of its overlapping character 12-grams ("shingles").  A section with fewer than
   ``MIN_SHINGLES`` shingles (about 30 characters) is too short to call copied.
4. Section A *repeats* section B by the share of B's shingles found in A: |A ∩ B| / |B|.  More than
   ``THRESHOLD`` (0.5) is copying, as in the supervisors' rulepacks ("重复率超过50%").
5. A is compared with the same agency's previous year, and with every other agency's report of the
   same year.  Among reports of one year, a shingle that more than ``COMMON_SHARE`` of them (at least
   ``COMMON_MIN`` reports) print is the region's common wording, not one agency copying another: it is
   left out of both sides.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator

from .collect import Record
from .findings import AuditFinding
from .series import evidence

SECTIONS = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
N = 12
THRESHOLD = 0.5
MIN_SHINGLES = 20
COMMON_SHARE = 0.2
COMMON_MIN = 5
BOILERPLATE = ("条例", "本报告", "统计期限", "统计时限", "电子版", "联系地址", "邮编", "联系电话", "电子邮箱",
               "以下简称", "政府信息公开工作年度报告", "根据《",
               "处理费", "管理办法")  # the fee statement of section 六 is prescribed wording (requests.md), quoting the 办法
_SENTENCES = re.compile(r"[。！？；!?;\n]")
_DROP = re.compile(r"[\W_]+")


def shingles(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    kept = [s for s in _SENTENCES.split(unicodedata.normalize("NFKC", text)) if not any(b in s for b in BOILERPLATE)]
    flat = re.sub(r"\d", "0", _DROP.sub("", "".join(kept)))
    return frozenset(flat[i:i + N] for i in range(len(flat) - N + 1))


def _finding(record: Record, other: Record, section: str, share: float, same_agency: bool) -> AuditFinding:
    heading = SECTIONS[section]
    if same_agency:
        zh = f"“{heading}”与本机关{other.year}年报告的同一部分重复{share:.0%}"
        en = f"{section} repeats {share:.0%} of the same agency's {other.year} report"
    else:
        zh = f"“{heading}”与{other.agency}同年报告的同一部分重复{share:.0%}"
        en = f"{section} repeats {share:.0%} of {other.agency}'s report of the same year"
    return AuditFinding("C1", "warning", zh, en, record.agency, record.year, record.source, (section,), (heading,),
                        expected=f"≤ {THRESHOLD:.0%}", found=f"{share:.0%}",
                        evidence=evidence(record, printed=None) | {"compared_with": other.source,
                                                                     "compared_agency": other.agency,
                                                                     "compared_year": other.year,
                                                                     "share": round(share, 3)},
                        discriminator=f"{section}|{'previous' if same_agency else other.agency}")


def copied_text(reports: dict[tuple[str, int], Record]) -> Iterator[AuditFinding]:
    texts = {key: {s: shingles(r.flat.get(s)) for s in SECTIONS} for key, r in reports.items() if r.flat}
    for (agency, year), sections in sorted(texts.items()):
        before = texts.get((agency, year - 1))
        if before is None:
            continue
        for section, now in sections.items():
            prior = before[section]
            if len(now) >= MIN_SHINGLES and len(prior) >= MIN_SHINGLES:
                share = len(now & prior) / len(prior)
                if share > THRESHOLD:
                    yield _finding(reports[(agency, year)], reports[(agency, year - 1)], section, share, True)
    by_year: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for key in texts:
        by_year[key[1]].append(key)
    for _year, keys in sorted(by_year.items()):
        for section in SECTIONS:
            yield from _same_year(reports, {k: texts[k][section] for k in keys}, section)


def _same_year(reports: dict[tuple[str, int], Record], sets: dict[tuple[str, int], frozenset[str]],
               section: str) -> Iterator[AuditFinding]:
    frequency = Counter(s for shingle_set in sets.values() for s in shingle_set)
    common = max(COMMON_MIN, COMMON_SHARE * len(sets))
    kept = {k: frozenset(s for s in v if frequency[s] <= common) for k, v in sets.items()}
    kept = {k: v for k, v in kept.items() if len(v) >= MIN_SHINGLES}
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, shingle_set in kept.items():
        for s in shingle_set:
            index[s].append(key)
    for key in sorted(kept):
        overlap: Counter[tuple[str, int]] = Counter()
        for s in kept[key]:
            overlap.update(other for other in index[s] if other != key)
        for other, count in sorted(overlap.items()):
            share = count / len(kept[other])
            if share > THRESHOLD and other[0] != key[0]:
                yield _finding(reports[key], reports[other], section, share, False)
