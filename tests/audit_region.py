"""A generated region for the audit: agencies × years of consistent reports, written by gongkai's own
writers in mixed formats, with defects of every kind the audit looks for injected on purpose.

``build_region(folder)`` writes the files and returns what was injected: ``expected`` (rule, agency, year)
triples that the audit must find, and ``involved`` — the agency-years a defect touches (the defective
report, the partner of a copied text) — outside which no finding may appear.  Used by tests/test_audit.py
and bench/audit.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.render import WRITERS
from gongkai.report import Report, edition_for_year

# common characters, no digits, punctuation or heading words: random prose no reader mistakes for structure
CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
         "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
         "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解"
         "问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图"
         "山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口")
GOVERNMENT = "某某县人民政府"
DEPARTMENTS = ("某某县教育局", "某某县生态环境局", "某某县发展和改革局", "某某县甲镇人民政府")
YEARS = range(2020, 2025)
FORMATS = ("txt", "md", "html", "docx", "xlsx", "txt", "md", "html")


def prose(rng: random.Random, sentences: int) -> str:
    return "".join("".join(rng.choices(CHARS, k=rng.randint(18, 40))) + "。" for _ in range(sentences))


@dataclass
class Region:
    reports: dict[tuple[str, int], Report] = field(default_factory=dict)
    files: dict[tuple[str, int], Path] = field(default_factory=dict)
    expected: set[tuple[str, str, int]] = field(default_factory=set)
    involved: set[tuple[str, int]] = field(default_factory=set)

    def inject(self, rule: str, agency: str, year: int, *partners: tuple[str, int]) -> None:
        self.expected.add((rule, agency, year))
        self.involved |= {(agency, year), *partners}


def fill_table3(rng: random.Random, report: Report, carried_over: dict[str, int], own: bool) -> dict[str, int]:
    """Table 3 with every identity holding; returns the carry-forward per column for next year."""
    ed = report.template
    columns = [c.key for c in ed.request_columns][:-1]
    rows = [r.key for r in ed.result_rows]
    forward = {}
    for col in columns:
        results = {r: rng.randint(0, 6) for r in rows}
        results["granted"] += carried_over.get(col, 0) + rng.randint(10 if own else 0, 30)
        handled = sum(results.values())
        forward[col] = rng.randint(10, 20) if own else rng.randint(0, 5)
        values = {**{r: v for r, v in results.items()}, "total_handled": handled, "carried_forward": forward[col],
                  "carried_over": carried_over.get(col, 0),
                  "new_received": handled + forward[col] - carried_over.get(col, 0)}
        for row, value in values.items():
            report.values[f"requests.{row}.{col}"] = value
    for row in [r.key for r in ed.request_rows]:
        report.values[f"requests.{row}.total"] = sum(report.values[f"requests.{row}.{c}"] for c in columns)
    return forward


def _add(total: Report, part: Report) -> None:
    for key in total.values:
        if key.startswith("requests."):
            total.values[key] = (total.values[key] or 0) + part.values[key]


def fill_other_tables(rng: random.Random, report: Report, in_force: dict[str, int]) -> None:
    ed = report.template
    for key in ed.table_keys:
        if key.startswith("appeals.") or key.startswith("requests."):
            continue
        column = ed.cell(key).column
        report.values[key] = Decimal(rng.randint(0, 99999)).scaleb(-2) if column.type == "money" else \
            rng.randint(-5 if column.signed else 0, 40)
    if report.edition == "2021":
        for row in ("regulations", "normative_documents"):
            issued, repealed = rng.randint(0, 5), rng.randint(0, 2)
            before = in_force.get(row, rng.randint(5, 30))
            report.values[f"proactive.{row}.issued"] = issued
            report.values[f"proactive.{row}.repealed"] = repealed
            report.values[f"proactive.{row}.in_force"] = in_force[row] = before + issued - repealed
    for group in ed.appeal_groups:
        parts = {c.key: rng.randint(0, 3) for c in ed.appeal_columns if c.key != "total"}
        for column, value in {**parts, "total": sum(parts.values())}.items():
            report.values[f"appeals.{group.key}.{column}"] = value


def fill_texts(rng: random.Random, report: Report) -> None:
    y = report.year
    report.texts["overview"] = (f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。\n"
                                + prose(rng, 4) + "\n" + prose(rng, 3))
    report.texts["problems"] = prose(rng, 3)
    report.texts["other"] = prose(rng, 2)


def build_region(folder: Path, seed: int = 7, pdf: bool = True) -> Region:
    """Write the region's files into ``folder``; return what was injected."""
    rng = random.Random(seed)
    region = Region()
    carry = {a: {} for a in (GOVERNMENT, *DEPARTMENTS, "office")}
    in_force: dict[str, dict[str, int]] = {a: {} for a in (GOVERNMENT, *DEPARTMENTS)}
    for year in YEARS:
        ed = edition_for_year(year).id
        children = []
        for agency in DEPARTMENTS:
            report = Report(edition=ed, agency=agency, year=year, published=date(year + 1, 1, rng.randint(5, 28)))
            carry[agency] = fill_table3(rng, report, carry[agency], own=False)
            fill_other_tables(rng, report, in_force[agency])
            fill_texts(rng, report)
            children.append(report)
            region.reports[(agency, year)] = report
        government = Report(edition=ed, agency=GOVERNMENT, year=year, published=date(year + 1, 3, rng.randint(1, 30)))
        office = Report(edition=ed, agency=GOVERNMENT, year=year)
        carry["office"] = fill_table3(rng, office, carry["office"], own=True)
        for key in government.values:
            if key.startswith("requests."):
                government.values[key] = 0
        for part in (*children, office):
            _add(government, part)
        fill_other_tables(rng, government, in_force[GOVERNMENT])
        fill_texts(rng, government)
        region.reports[(GOVERNMENT, year)] = government
    _inject(region, rng)
    _write(region, folder, rng, pdf)
    return region


def _inject(region: Region, rng: random.Random) -> None:
    r = region.reports
    edu, eco, ndrc, town = DEPARTMENTS
    # arithmetic: a result cell one more than the totals say (R2 and R3)
    r[(edu, 2023)].values["requests.granted.natural_person"] += 1
    region.inject("R2", edu, 2023)
    # carry-over: this year's 上年结转 is not last year's 结转下年度 (R1 and R3 still hold)
    report = r[(ndrc, 2023)]
    for key in ("requests.carried_over.natural_person", "requests.carried_over.total"):
        report.values[key] += 4
    for key in ("requests.new_received.natural_person", "requests.new_received.total"):
        report.values[key] -= 4
    region.inject("X1", ndrc, 2023)
    # in force: 现行有效 not last year's + issued − repealed
    r[(edu, 2024)].values["proactive.normative_documents.in_force"] += 3
    region.inject("X2", edu, 2024)
    # copied text: last year's section 五 again with the year changed; another agency's overview
    r[(eco, 2024)].texts["problems"] = r[(eco, 2023)].texts["problems"]
    region.inject("C1", eco, 2024)
    r[(town, 2022)].texts["overview"] = r[(edu, 2022)].texts["overview"]
    region.inject("C1", town, 2022, (edu, 2022))
    region.inject("C1", edu, 2022)
    # late: a department after 1月31日, the government after 3月31日
    r[(ndrc, 2021)].published = date(2022, 2, 15)
    region.inject("P1", ndrc, 2021)
    r[(GOVERNMENT, 2022)].published = date(2023, 4, 3)
    region.inject("P1", GOVERNMENT, 2022)
    # missing year
    del r[(eco, 2021)]
    region.inject("P2", eco, 2021)
    # parent against children: the government's last report counts far fewer new requests than its departments
    gov = r[(GOVERNMENT, 2024)]
    children = sum(r[(d, 2024)].values["requests.new_received.total"] for d in DEPARTMENTS)
    cut = gov.values["requests.new_received.total"] - children + 7
    for column in [c.key for c in gov.template.request_columns][:-1]:
        moved = min(cut, gov.values[f"requests.new_received.{column}"])
        for row, sign in (("new_received", -1), ("carried_over", 1)):  # R1 and R3 still hold; X1 breaks with it
            gov.values[f"requests.{row}.{column}"] += sign * moved
            gov.values[f"requests.{row}.total"] += sign * moved
        cut -= moved
    region.inject("H1", GOVERNMENT, 2024)
    # narrative: section 五 only 无; fees contradicted; statistics period of another year
    r[(edu, 2021)].texts["problems"] = "无。"
    region.inject("N1", edu, 2021)
    r[(town, 2023)].values["proactive.fees.amount"] = Decimal("3.5")
    r[(town, 2023)].texts["other"] += "\n本年度未收取任何费用。"
    region.inject("N2", town, 2023)
    r[(ndrc, 2024)].texts["overview"] = r[(ndrc, 2024)].texts["overview"].replace("自2024年", "自2023年", 1)
    region.inject("N3", ndrc, 2024)
    # text against tables: the prose quotes another number of new requests
    quoted = r[(eco, 2023)].values["requests.new_received.total"] + 11
    r[(eco, 2023)].texts["other"] += f"\n本年度共收到政府信息公开申请{quoted}件。"
    region.inject("X3", eco, 2023)


def _write(region: Region, folder: Path, rng: random.Random, pdf: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, ((agency, year), report) in enumerate(sorted(region.reports.items())):
        fmt = "pdf" if pdf and i in (3, 17) else FORMATS[i % len(FORMATS)]
        printed = report.agency
        if agency == "某某县发展和改革局" and year % 2:
            printed = "某某县发改局"  # the same agency, abbreviated in some years' titles
        written = Report.from_flat({**report.flat(), "meta.agency": printed})
        writer = WRITERS[fmt]
        path = folder / f"{i:02d}-{year}{writer.suffix}"
        path.write_bytes(writer.render(written))
        region.files[(agency, year)] = path
