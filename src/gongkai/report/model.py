"""The report model: metadata, the three text sections and every cell by key.

Two JSON forms: the *flat form* of the spec (one object of report keys) and a nested form
(the same keys split on dots).  Money is an exact ``Decimal``; a blank cell is ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .template import META_KEYS, TEXT_KEYS, Edition, edition

Value = int | Decimal | None
# Digits a count or an amount may print.  No report comes near it; below Decimal's 28-digit precision with room
# for the sums of the rules, and far below the 4,300 digits Python converts between int and str.
MAX_DIGITS = 20


def digit_count(value: int | Decimal) -> int:
    """How many digits a value prints (integer and fraction), without printing it."""
    if isinstance(value, int):
        return len(Decimal(value).as_tuple().digits)  # Decimal(int) needs no str conversion
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # NaN or infinity
        return 0
    return max(len(digits) + exponent, 1) + max(-exponent, 0)


class ReportFormatError(ValueError):
    """A flat or nested JSON document that is not a report."""


@dataclass
class Report:
    edition: str = "2021"
    agency: str | None = None
    year: int | None = None
    published: date | None = None
    values: dict[str, Value] = field(default_factory=dict)
    texts: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.edition = str(self.edition)
        for key in self.template.table_keys:
            self.values.setdefault(key, None)
        for key in TEXT_KEYS:
            self.texts.setdefault(key, None)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def blank(cls, edition_id: str = "2021", **meta: Any) -> Report:
        return cls(edition=edition_id, **meta)

    @property
    def template(self) -> Edition:
        return edition(self.edition)

    @property
    def collapsed(self) -> bool:
        """True when table 3's （六）其他处理 is one row in a 2021-edition report."""
        return any(k in self.values for k in self.template.collapsed_cells)

    def collapse_other_handling(self) -> None:
        """Turn this 2021 report into one that prints （六）其他处理 as a single row."""
        for key in self.template.collapsed_cells:
            self.values.setdefault(key, None)

    @property
    def keys(self) -> tuple[str, ...]:
        """The table keys this report holds, in template order."""
        ed = self.template
        keys = list(ed.table_keys)
        if self.collapsed:
            first = next(i for i, k in enumerate(keys) if k.startswith("requests.other_handling."))
            keys[first:first] = list(ed.collapsed_cells)
        return tuple(keys)

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    def __setitem__(self, key: str, value: Value) -> None:
        if key not in self.values:
            raise KeyError(f"{key} is not a key of edition {self.edition}")
        self.values[key] = value

    # -- flat form ---------------------------------------------------------------------------
    def flat(self) -> dict[str, Any]:
        """The flat form of the spec: metadata, every table key, the three texts."""
        out: dict[str, Any] = {"meta.agency": self.agency, "meta.year": self.year, "meta.edition": self.edition}
        if self.published is not None:
            out["meta.published"] = self.published.isoformat()
        for key in self.keys:
            out[key] = _dump_value(self.values[key])
        for key in TEXT_KEYS:
            out[key] = self.texts[key]
        return out

    @classmethod
    def from_flat(cls, data: dict[str, Any]) -> Report:
        """The report a flat form holds; ``ReportFormatError`` for anything that is not one (wrong keys,
        wrong types, numbers of more than ``MAX_DIGITS`` digits)."""
        if not isinstance(data, dict) or "meta.edition" not in data:
            raise ReportFormatError("not a flat report: no meta.edition")
        strange = [k for k in data if not isinstance(k, str)]
        if strange:
            raise ReportFormatError(f"keys that are not text: {', '.join(map(repr, strange[:5]))}")
        try:
            ed = edition(str(data["meta.edition"]))
        except KeyError:
            raise ReportFormatError(f"unknown template edition {data['meta.edition']!r}") from None
        report = cls(edition=ed.id, agency=_text(data, "meta.agency"), year=_year(data.get("meta.year")),
                     published=_date(data.get("meta.published")))
        known = set(ed.table_keys) | set(ed.collapsed_cells)
        unknown = set(data) - known - set(META_KEYS) - {"meta.published"} - set(TEXT_KEYS)
        if unknown:
            raise ReportFormatError(f"keys not in edition {ed.id}: {', '.join(sorted(unknown)[:5])}")
        if any(k in data for k in ed.collapsed_cells):
            report.collapse_other_handling()
        for key in report.values:
            if key in data:
                report.values[key] = _load_value(key, data[key], ed)
        for key in TEXT_KEYS:
            report.texts[key] = _text(data, key)
        return report

    # -- nested form -------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The nested form: the flat keys split on dots."""
        nested: dict[str, Any] = {}
        for key, value in self.flat().items():
            node = nested
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        return nested

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        if not isinstance(data, dict) or "meta" not in data:
            raise ReportFormatError("not a nested report: no meta object")
        flat: dict[str, Any] = {}

        def walk(prefix: str, node: Any) -> None:
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(f"{prefix}.{k}" if prefix else k, v)
            else:
                flat[prefix] = node

        walk("", data)
        return cls.from_flat(flat)

    def dumps(self, flat: bool = False) -> str:
        return json.dumps(self.flat() if flat else self.to_json(), ensure_ascii=False, indent=1)


def _dump_value(value: Value) -> int | str | None:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def shown(raw: Any) -> str:
    """A value as an error message quotes it: at most 40 characters of it."""
    text = repr(raw) if not isinstance(raw, int) or digit_count(raw) <= MAX_DIGITS else "an integer"
    return text if len(text) <= 40 else text[:40] + "…"


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ReportFormatError(f"{key}: {shown(value)} is not text")
    return value


def _year(raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1000 <= raw <= 9999:
        raise ReportFormatError(f"meta.year: {shown(raw)} is not a year")
    return raw


def _date(raw: Any) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ReportFormatError(f"meta.published: {shown(raw)} is not a date (YYYY-MM-DD)") from None


def _load_value(key: str, raw: Any, ed: Edition) -> Value:
    """A cell of the flat form: a JSON integer, or a decimal (a string) for the fee and for a count printed
    with decimals (kept, so that R5 reports it)."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str | float | Decimal):
        raise ReportFormatError(f"{key}: {shown(raw)} is not a number")
    if isinstance(raw, int) and digit_count(raw) > MAX_DIGITS:  # before str() would refuse it with a ValueError
        raise ReportFormatError(f"{key}: a number of more than {MAX_DIGITS} digits")
    if ed.cell(key).column.type == "money" or isinstance(raw, str):
        try:
            value = Decimal(raw) if isinstance(raw, int) else Decimal(str(raw).strip())
        except InvalidOperation:
            raise ReportFormatError(f"{key}: {shown(raw)} is not a decimal") from None
        if not value.is_finite():
            raise ReportFormatError(f"{key}: {shown(raw)} is not a finite decimal")
        if ed.cell(key).column.type != "money" and value == value.to_integral_value():
            raise ReportFormatError(f"{key}: {shown(raw)} is not an integer (a whole count is a JSON integer)")
    elif isinstance(raw, int):
        value = raw
    else:
        raise ReportFormatError(f"{key}: {shown(raw)} is not an integer")
    if digit_count(value) > MAX_DIGITS:
        raise ReportFormatError(f"{key}: a number of more than {MAX_DIGITS} digits")
    return value
