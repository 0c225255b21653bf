"""答复理由库: per table-3 outcome, the citation, the standard finding and decision, and the remedies.

Data in ``reasons.toml`` (schema ``reasons.schema.json``). The article behind each outcome is the
ledger's (``gongkai.ledger.outcomes.OUTCOME_BASIS``); this module only turns it into the citation a
letter prints, e.g. ``条例第三十六条(一)(二)`` → ``《中华人民共和国政府信息公开条例》第三十六条第一项、第二项``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gongkai.ledger.outcomes import OUTCOME_BASIS, UnknownOutcomeError

REGULATION = "《中华人民共和国政府信息公开条例》"
_ITEM = re.compile(r"\(([一二三四五六七八九十]+)\)")


@dataclass(frozen=True)
class Reason:
    outcome: str
    citation: str  # "" when the decision rests on no article (then the letter cites none)
    finding: str  # Jinja text
    decision: str  # Jinja text


@cache
def library() -> dict:
    """The raw reasons library (``reasons.toml``)."""
    return tomllib.loads(resources.files(__package__).joinpath("reasons.toml").read_text("utf-8"))


def cite(basis: str) -> str | None:
    """The printed citation of a basis in the ledger's short form; None when it names no law.

    ``条例…`` parts become the regulation's full title with ``(一)`` items as ``第一项``; a part that
    already names its instrument in 《》 is kept, with full-width brackets. Parts are joined with 、.
    """
    parts = []
    for part in re.split(r"\s*;\s*", basis.strip()):
        if part.startswith("条例"):
            article = part.removeprefix("条例")
            items = _ITEM.findall(article)
            article = _ITEM.sub("", article)
            parts.append(REGULATION + article + "、".join(f"第{i}项" for i in items))
        elif part.startswith("《"):
            parts.append(part.replace("(", "（").replace(")", "）").replace(" ", ""))
        else:
            return None
    return "、".join(parts)


def reason_for(outcome: str) -> Reason:
    """The library entry of ``outcome`` (a table-3 row key); the citation comes from the ledger."""
    if outcome not in OUTCOME_BASIS:
        raise UnknownOutcomeError(outcome)
    entry = library()["outcomes"].get(outcome)
    if entry is None:
        raise KeyError(f"reasons.toml has no entry for outcome {outcome!r}")
    citation = cite(OUTCOME_BASIS[outcome])
    if citation is None:
        if "basis" not in entry:
            raise KeyError(f"outcome {outcome!r} names no article in the ledger: reasons.toml must give `basis`")
        citation = entry["basis"]
    return Reason(outcome, citation, entry["finding"], entry["decision"])
