"""Who published a report and for which year: the saved page's header, the title, normalised names.

A report is identified by (agency, year).  The agency comes from, in order: the 标题 of a saved page's
header (the archive's own record), the title the reader found in the document, the 发布机构 of the
header.  Names are normalised (width, spaces, 关于…的, 党工委, 管理委员会 → 管委会, common abbreviations
such as 发改局 → 发展和改革局) and then mapped through the editable alias file, so that
沭阳县发改局 and 沭阳县发展和改革局 are one agency.  A 管委会 and its 管委会办公室 are kept apart on
purpose: the first is the zone's government (its own report, due 3月31日), the second a department (due
1月31日); the alias file can merge them where a region wants that.

The page header is read here, from the file's first bytes, because the readers do not return it yet
(``meta.published`` is only the date printed in the body): ``标题:`` / ``发布时间:`` / ``发布机构:`` lines
before the ``正文`` separator of an archive's text page, and the ``ArticleTitle`` / ``PubDate`` /
``ContentSource`` meta tags or the ``时间：`` line of a saved HTML page.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..read.sections import agency_and_year

HEADER_BYTES = 64 * 1024
_HEADER_LINE = re.compile(r"^\s*(标题|发布时间|发布日期|发布机构|来源)\s*[:：]\s*(.*?)\s*$")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_META = re.compile(r"""<meta\s+name=["'](ArticleTitle|PubDate|ContentSource)["']\s+content=["']([^"']*)["']""", re.I)
_TIME_LINE = re.compile(r"(?:发布时间|发布日期|时间)\s*[:：]\s*(20\d{2}-\d{1,2}-\d{1,2})")
_SOURCE_LINE = re.compile(r"(?:发布机构|来源)\s*[:：]\s*([^<\s]{2,40})")

# the end of a name, as agencies abbreviate it → as the 三定 names it
ABBREVIATIONS = {
    "发改局": "发展和改革局", "发改委": "发展和改革委员会", "人社局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局", "市监局": "市场监督管理局", "市场监管局": "市场监督管理局",
    "卫健委": "卫生健康委员会", "卫健局": "卫生健康局", "科委": "科学技术委员会", "科技局": "科学技术局",
    "教体局": "教育和体育局", "文旅局": "文化和旅游局", "交通局": "交通运输局", "应急局": "应急管理局",
    "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "城管局": "城市管理局", "政府办": "人民政府办公室",
    "府办": "人民政府办公室", "管委会办": "管委会办公室", "资规局": "自然资源和规划局", "环保局": "环境保护局",
}
_GOVERNMENT_END = re.compile(r"(?:人民政府|管委会)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|街道办事处)人民政府$|街道办事处$")
_PLACE_END = re.compile(r"(?:省|自治区|市|自治州|州|盟|地区|县|自治县|旗|区|新区|实验区|试验区|开发区|高新区|示范区)$")
_ORGAN_END = re.compile(r"(?:局|委|委员会|办|办公室|办公厅|厅|院|中心|所|队|站|处|科|部|会|社|公司|署)$")


@dataclass(frozen=True)
class PageHeader:
    """What a saved page says about the report around its body."""

    title: str | None = None
    published: date | None = None
    publisher: str | None = None


def page_header(path: str | Path) -> PageHeader:
    """The header fields of a saved page (text or HTML); empty for any other file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError:
        return PageHeader()
    if head.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return PageHeader()
    text = head.decode("utf-8", errors="replace")
    if "<" in text[:2048] and re.search(r"<(?:html|head|meta|body)\b", text[:4096], re.I):
        return _html_header(text)
    return _text_header(text)


def _text_header(text: str) -> PageHeader:
    fields: dict[str, str] = {}
    for line in text.splitlines()[:20]:
        if "正文" in line and "=" in line:
            break
        match = _HEADER_LINE.match(line)
        if match and match[2]:
            fields.setdefault(match[1], match[2])
    if not fields:
        return PageHeader()
    when = fields.get("发布时间") or fields.get("发布日期")
    return PageHeader(fields.get("标题"), _date(when), fields.get("发布机构") or fields.get("来源"))


def _html_header(text: str) -> PageHeader:
    meta = {name.lower(): html.unescape(value).strip() for name, value in _META.findall(text)}
    title = meta.get("articletitle")
    if not title:
        found = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
        title = html.unescape(found[1]).split("_")[0].strip() if found else None
    plain = re.sub(r"<[^>]+>", " ", text)
    when = _date(meta.get("pubdate")) or _date((_TIME_LINE.search(plain) or [None, None])[1])
    source = meta.get("contentsource") or (_SOURCE_LINE.search(plain) or [None, None])[1]
    return PageHeader(title or None, when, source or None)


def _date(text: str | None) -> date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# -- names ---------------------------------------------------------------------------------------
def normalise(name: str | None) -> str | None:
    """One spelling of an agency name: full width folded, spaces and quotes dropped, 关于…的 removed,
    党工委 dropped, 管理委员会 → 管委会 (not 城市管理委员会), a known abbreviation at the end expanded."""
    if not name:
        return None
    n = unicodedata.normalize("NFKC", name)
    n = re.sub(r"[\s\u3000《》“”\"'「」]", "", n)
    n = re.sub(r"^关于|的$", "", n)
    n = n.replace("党工委", "")
    n = re.sub(r"(?<!城市)管理委员会", "管委会", n)
    for short, full in ABBREVIATIONS.items():
        if n.endswith(short) and not n.endswith(full):
            n = n[: -len(short)] + full
            break
    return n or None


def plausible_agency(name: str | None) -> bool:
    """A name, not a sentence the reader took for a title."""
    return bool(name) and len(name) <= 40 and not re.search(r"[，。；：《》（）()、,]", name)


class AliasFileError(ValueError):
    """The alias file cannot be used: one line says why."""


@dataclass
class Aliases:
    """The editable alias file: ``[aliases]`` 别名 = 规范名称; ``[kinds]`` 名称 = "government" | "department"."""

    names: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Aliases:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            names = {normalise(k): normalise(v) for k, v in data.get("aliases", {}).items()}
            kinds = {normalise(k): v for k, v in data.get("kinds", {}).items()}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError, TypeError) as exc:
            raise AliasFileError(f"{path}: 别名文件格式错误（{exc}）") from None
        bad = sorted({str(v) for v in kinds.values() if v not in {"government", "department"}})
        if bad:
            raise AliasFileError(f"{path}: [kinds] 只能填 \"government\" 或 \"department\"，不能是 {', '.join(bad)}")
        return cls(names, kinds)

    def canonical(self, name: str | None) -> str | None:
        n = normalise(name)
        seen = set()
        while n in self.names and n not in seen:  # aliases may chain; a loop stops
            seen.add(n)
            n = self.names[n]
        return n


ALIAS_TEMPLATE = """\
# gongkai audit — 机关名称别名（可编辑；下次运行时读取）
# Agency aliases, read by the next `gongkai audit` run.
#
# [aliases] 左边是报告中出现的写法，右边是统一使用的名称。内置的简称（发改局、人社局、住建局、科委……）已自动展开。
# [kinds]   指定机关类别：government（县级以上人民政府或管委会本级报告，3月31日前公布）
#           或 department（部门及办公室，1月31日前公布）。
#
# [aliases]
# "某某县政府" = "某某县人民政府"
# "某某区管委会办公室" = "某某区管委会"    # 把办公室的报告算作管委会本级报告（谨慎使用）
#
# [kinds]
# "某某片区管理局" = "government"

[aliases]

[kinds]
"""


def government_key(name: str) -> str:
    """A government's name without its organ: 某县人民政府 and 某县 (as a report title names it) are one."""
    return _GOVERNMENT_END.sub("", name)


def kind_of(name: str, aliases: Aliases) -> str:
    """``government`` for a county-level-or-higher government's (or a zone 管委会's) own report, else
    ``department`` — bureaus, offices, and township governments (条例第四十九条 gives them 1月31日)."""
    if name in aliases.kinds:
        return aliases.kinds[name]
    if _TOWNSHIP.search(name):
        return "department"
    if _GOVERNMENT_END.search(name):
        return "government"
    if _PLACE_END.search(name) and not _ORGAN_END.search(name):
        return "government"  # a title that names only the place: 平潭综合实验区2024年度…报告
    return "department"


def identify(flat: dict | None, header: PageHeader, source: str) -> tuple[str | None, int | None, str]:
    """(printed agency name, year, where the name came from) for one file."""
    title_agency, title_year = agency_and_year(header.title) if header.title else (None, None)
    read_agency = (flat or {}).get("meta.agency")
    read_year = (flat or {}).get("meta.year")
    for name, origin in ((title_agency, "page_title"), (read_agency, "report_title"), (header.publisher, "page_publisher")):
        if plausible_agency(name):
            agency, where = name, origin
            break
    else:
        agency, where = None, "none"
    year = title_year or read_year
    if year is None:
        found = re.search(r"(20\d{2})", Path(source).stem)
        year = int(found[1]) if found else None
    return agency, year, where
