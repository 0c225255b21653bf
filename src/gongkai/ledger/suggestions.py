"""Information asked for by several applicants, proposed for proactive disclosure (条例第四十四条).

条例第四十四条第一款: 多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关
可以纳入主动公开的范围.  This module finds the "same information": it groups requests whose 申请内容 is alike and
keeps the groups asked for by at least ``min_applicants`` *different* applicants (one applicant asking three times
is one applicant).  Whether the information may be disclosed is the caller's filter (the outcome of the requests).

Two contents are alike when

- they cite the same 文号 (``某政发〔2025〕12号``: a document number names one document), or
- they do not cite two different 文号 and their character bigrams overlap enough (Jaccard ≥ ``threshold``) after normalisation — full-width forms folded,
  punctuation, spaces and the request's stock phrases (申请公开, 请提供, 相关…) removed, which carry no meaning.

Alike is not transitive in general; groups are the connected components (union–find), which is what a clerk
expects when A resembles B and B resembles C.  Candidate pairs come from an inverted index of bigrams, so the cost
follows the pairs that share something, not the square of the requests.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

ARTICLE = "《中华人民共和国政府信息公开条例》第四十四条"
DEFAULT_THRESHOLD = 0.5
DEFAULT_MIN_APPLICANTS = 2
# a bigram found in more contents than this is too common to find candidates with (its pairs are still scored
# when another bigram brings them together)
MAX_POSTING = 500
STOCK_PHRASES = ("申请公开", "要求公开", "请求公开", "请提供", "请予公开", "本人", "我方", "申请", "获取", "有关",
                 "相关", "关于", "的", "信息", "文件", "全文")
DOCUMENT_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})[〔\[【(（]?\s*(\d{4})\s*[〕\]】)）]?\s*(\d{1,5})\s*号")
NOISE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Entry:
    """One request as the grouping sees it."""

    request_id: int
    applicant_id: int
    content: str


@dataclass(frozen=True)
class Suggestion:
    """Requests asking for the same information, by ``applicants`` different applicants."""

    request_ids: tuple[int, ...]
    applicants: int
    contents: tuple[str, ...]  # the distinct contents as written, most frequent first
    document_numbers: tuple[str, ...]

    @property
    def title(self) -> str:
        """What the information is, as the clerk reads it: the 文号 if any, else the most asked-for wording."""
        return "、".join(self.document_numbers) if self.document_numbers else self.contents[0]


def normalise(text: str) -> str:
    """The content without what carries no meaning: width, case, punctuation, spaces, stock phrases."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = NOISE.sub("", text)
    for phrase in STOCK_PHRASES:
        text = text.replace(phrase, "")
    return text


def document_numbers(text: str) -> set[str]:
    """The 文号 a content cites, written one way: ``某政发〔2025〕12号``."""
    folded = unicodedata.normalize("NFKC", text or "")
    return {f"{_issuer(prefix)}〔{year}〕{number.lstrip('0') or '0'}号"
            for prefix, year, number in DOCUMENT_NUMBER.findall(folded)}


def _issuer(prefix: str) -> str:
    """The 文号's issuer code without the words a sentence puts before it (和某政发 → 某政发)."""
    for lead in ("根据", "依据", "按照", "关于", "以及"):
        prefix = prefix.removeprefix(lead)
    return prefix.lstrip("和及与或并即见按")


def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two bigram sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class _Groups:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def group_requests(entries: Iterable[Entry | tuple[int, int, str]], *, threshold: float = DEFAULT_THRESHOLD,
                   min_applicants: int = DEFAULT_MIN_APPLICANTS) -> list[Suggestion]:
    """The groups of alike requests asked for by at least ``min_applicants`` different applicants, the most
    asked-for first.  Entries with an empty content are never grouped."""
    items = [e if isinstance(e, Entry) else Entry(*e) for e in entries]
    items = [e for e in items if normalise(e.content) or document_numbers(e.content)]
    grams = [bigrams(normalise(e.content)) for e in items]
    numbers = [document_numbers(e.content) for e in items]
    groups = _Groups(len(items))

    by_number: dict[str, list[int]] = defaultdict(list)
    for i, cited in enumerate(numbers):
        for number in cited:
            by_number[number].append(i)
    for members in by_number.values():
        for j in members[1:]:
            groups.union(members[0], j)

    postings: dict[str, list[int]] = defaultdict(list)
    for i, gram_set in enumerate(grams):
        for gram in gram_set:
            postings[gram].append(i)
    for i, gram_set in enumerate(grams):
        shared: Counter[int] = Counter()
        for gram in gram_set:
            posting = postings[gram]
            if len(posting) <= MAX_POSTING:
                shared.update(j for j in posting if j > i)
        for j, common in shared.items():
            if numbers[i] and numbers[j] and not numbers[i] & numbers[j]:
                continue  # two different 文号 are two documents, however alike the rest of the wording
            if common / (len(gram_set) + len(grams[j]) - common) >= threshold:
                groups.union(i, j)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[groups.find(i)].append(i)
    suggestions = []
    for indices in members.values():
        applicants = {items[i].applicant_id for i in indices}
        if len(applicants) < min_applicants:
            continue
        wording = Counter(items[i].content.strip() for i in indices)
        cited = sorted(set().union(*(numbers[i] for i in indices)))
        suggestions.append(Suggestion(
            request_ids=tuple(sorted(items[i].request_id for i in indices)), applicants=len(applicants),
            contents=tuple(text for text, _ in sorted(wording.items(), key=lambda kv: (-kv[1], kv[0]))),
            document_numbers=tuple(cited)))
    suggestions.sort(key=lambda s: (-s.applicants, -len(s.request_ids), s.request_ids[0]))
    return suggestions
