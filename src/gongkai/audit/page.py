"""The audit page: one self-contained HTML file (inline CSS, SVG and a few lines of script), offline and
printable.  Summary figures, agencies × years, charts, every finding with its evidence, filters by rule,
state and outcome, the reports and the indicators."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from datetime import datetime
from html import escape
from pathlib import Path

from ..report.rules import RULES
from .charts import hbars, stacked_columns, strip
from .findings import AUDIT_RULES, AuditFinding
from .indicators import INDICATORS, distribution
from .run import REGION_RULES, Audit

RULE_NAMES = {**{k: v[0] for k, v in RULES.items()}, **{k: v[0] for k, v in AUDIT_RULES.items()}}
SEVERITY = {"error": "错误", "warning": "警告", "not_assessable": "无法评估"}
STATE = {"open": "待核", "confirmed": "已确认", "dismissed": "已驳回"}
STATUS = {"clean": "无问题", "warnings": "有警告", "errors": "有错误", "unreadable": "无法读取", "duplicate": "重复文件",
          "missing": "缺失"}
OUTCOME = {"pass": "通过", "fail": "未通过", "not_assessable": "无法评估", "duplicate": "—"}
OUTCOME_MIX = {  # table 3 result rows, grouped as the template groups them
    "予以公开": ("granted",), "部分公开": ("partially_granted",), "不予公开": ("withheld",),
    "无法提供": ("unavailable",), "不予处理": ("not_handled",), "其他处理": ("other_handling",),
}

CSS = """
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:24px;color:#1a202c;font-size:13px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #2b6cb0;padding-bottom:3px;margin-top:28px}
.meta{color:#4a5568}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{border:1px solid #cbd5e0;border-radius:6px;padding:6px 10px;min-width:80px}
#findings td:nth-child(-n+4){white-space:nowrap}
.card b{display:block;font-size:22px}.card.bad b{color:#c53030}.card.warn b{color:#b7791f}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #cbd5e0;padding:3px 5px;vertical-align:top;text-align:left}
th{background:#edf2f7}td.n{text-align:right}
.grid td{text-align:center;min-width:44px}.s-clean{background:#c6f6d5}.s-warnings{background:#fefcbf}
.s-errors{background:#fed7d7}.s-unreadable{background:#e2e8f0;color:#4a5568}.s-duplicate{background:#edf2f7}
.s-missing{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#fbd38d 4px,#fbd38d 8px)}
.sev-error{color:#c53030;font-weight:bold}.sev-warning{color:#b7791f}.sev-not_assessable{color:#718096}
.st-dismissed{text-decoration:line-through;color:#718096}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px}
.filters{background:#f7fafc;border:1px solid #cbd5e0;padding:6px 10px;margin:6px 0}.filters select{margin-right:12px}
.out{color:#c53030;font-weight:bold}.small{font-size:11px;color:#4a5568}code{font-size:11px}
a{color:#2b6cb0}
@media print{.filters{display:none}tr.hidden{display:table-row!important}body{margin:0}h2{break-after:avoid}
 .charts{display:block}svg{break-inside:avoid}a{color:inherit;text-decoration:none}}
tr.hidden{display:none}
"""

SCRIPT = """
function filt(){var r=document.getElementById('f-rule').value,s=document.getElementById('f-state').value,
v=document.getElementById('f-sev').value,n=0;
document.querySelectorAll('#findings tbody tr').forEach(function(t){var ok=(!r||t.dataset.rule==r)&&(!s||t.dataset.state==s)
&&(!v||t.dataset.sev==v);t.classList.toggle('hidden',!ok);if(ok)n++});document.getElementById('f-count').textContent=n}
document.querySelectorAll('.filters select').forEach(function(e){e.addEventListener('change',filt)});filt();
"""


def _link(path: str | None, out_dir: Path) -> str:
    if not path:
        return ""
    try:
        href = os.path.relpath(path, out_dir)
    except ValueError:
        href = path
    return f"<a href='{escape(Path(href).as_posix())}'>{escape(Path(path).name)}</a>"


def _anchor(source: str | None) -> str:
    return "r" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12] if source else ""


def _cards(audit: Audit) -> str:
    live = [f for f in audit.findings if f.state != "dismissed"]
    sev = Counter(f.severity for f in live)
    read = sum(r.error is None for r in audit.records)
    agencies = {r.agency for r in audit.records if r.agency}
    years = sorted({r.year for r in audit.records if r.year})
    cards = [("文件", len(audit.records), ""), ("读取成功", read, ""), ("无法读取", len(audit.records) - read, "bad"),
             ("机关", len(agencies), ""), ("年度", f"{years[0]}–{years[-1]}" if years else "—", ""),
             ("错误", sev["error"], "bad"), ("警告", sev["warning"], "warn"), ("无法评估", sev["not_assessable"], ""),
             ("已确认", sum(f.state == "confirmed" for f in audit.findings), ""),
             ("已驳回", sum(f.state == "dismissed" for f in audit.findings), "")]
    out = "".join(f"<div class='card {c}'><b>{escape(str(v))}</b>{escape(k)}</div>" for k, v, c in cards)
    by_rule = Counter(f.rule for f in live if f.severity != "not_assessable")
    rules = "；".join(f"{rule} {RULE_NAMES.get(rule, rule)}：{n}" for rule, n in sorted(by_rule.items()))
    return f"<div class='cards'>{out}</div><p class='small'>未驳回的错误和警告按规则：{escape(rules) or '无'}</p>"


def _grid(audit: Audit) -> str:
    reports = audit.reports
    years = sorted({y for _, y in reports} | {f.year for f in audit.findings if f.rule == "P2" and f.year})
    missing = {(f.agency, f.year) for f in audit.findings if f.rule == "P2"}
    kinds = {r.agency: (r.kind, r.parent) for r in audit.records if r.agency}
    order = sorted(kinds, key=lambda a: (kinds[a][1] or a, kinds[a][1] is not None, a))
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = []
    for agency in order:
        kind, parent = kinds[agency]
        cells = []
        for year in years:
            record = reports.get((agency, year))
            if record is not None:
                status = audit.status(record)
                cells.append(f"<td class='s-{status}'><a href='#{_anchor(record.source)}'>{STATUS[status]}</a></td>")
            elif (agency, year) in missing:
                cells.append("<td class='s-missing'>缺失</td>")
            else:
                cells.append("<td></td>")
        label = "本级政府" if kind == "government" else "部门"
        indent = "　" if parent else ""
        rows.append(f"<tr><th>{indent}{escape(agency)} <span class='small'>{label}</span></th>{''.join(cells)}</tr>")
    unknown = [r for r in audit.records if r.key is None]
    note = f"<p class='small'>另有 {len(unknown)} 个文件无法确定机关或年度，见下方报告列表。</p>" if unknown else ""
    return f"<table class='grid'><tr><th>机关</th>{head}</tr>{''.join(rows)}</table>{note}"


def _charts(audit: Audit) -> str:
    reports = audit.reports
    years = sorted({y for _, y in reports})
    mix: dict[str, list[float]] = {name: [0.0] * len(years) for name in OUTCOME_MIX}
    for (_, year), r in reports.items():
        for key, value in (r.flat or {}).items():
            if not (key.startswith("requests.") and key.endswith(".total") and isinstance(value, int)):
                continue
            row = key[len("requests."):-len(".total")]
            for name, prefixes in OUTCOME_MIX.items():
                if any(row == p or row.startswith(p + ".") for p in prefixes):
                    mix[name][years.index(year)] += value  # a collapsed row's sub-rows are blank, never counted twice
    requests: Counter[str] = Counter()
    for (agency, _), r in reports.items():
        value = (r.flat or {}).get("requests.new_received.total")
        if isinstance(value, int):
            requests[agency] += value
    findings = Counter(f.agency for f in audit.findings if f.agency and f.state != "dismissed"
                       and f.severity in ("error", "warning"))
    received = [0.0] * len(years)
    for (_, year), r in reports.items():
        value = (r.flat or {}).get("requests.new_received.total")
        if isinstance(value, int):
            received[years.index(year)] += value
    parts = [stacked_columns([str(y) for y in years], {"本年新收": received}, "各年度新收申请数（件）"),
             stacked_columns([str(y) for y in years], mix, "各年度办理结果构成（表三总计列，件）"),
             hbars(requests.most_common(20), "各机关新收申请数（所审各年合计，前20）"),
             hbars(findings.most_common(20), "各机关未驳回的错误和警告数（前20）")]
    for name, (title, _) in INDICATORS.items():
        values = [(f"{r['agency']} {r['year']}", r[name], bool(r[f"{name}_outlier"]))
                  for r in audit.indicators if r[name] is not None]
        parts.append(strip(values, distribution(audit.indicators, name), f"指标分布：{title}", name != "requests"))
    return "<div class='charts'>" + "".join(f"<div>{p}</div>" for p in parts) + "</div>"


def _evidence(f: AuditFinding, out_dir: Path) -> str:
    e = f.evidence
    bits = []
    if e.get("file"):
        bits.append(_link(e["file"], out_dir) + (f"（第{e['page']}页）" if e.get("page") else ""))
    where = " / ".join(str(e[k]) for k in ("table", "row", "column") if e.get(k))
    if where:
        bits.append(escape(where))
    if e.get("printed") is not None:
        bits.append(f"所印数值：<b>{escape(str(e['printed']))}</b>")
    if f.expected is not None and f.found is not None:
        bits.append(f"应为 {escape(str(f.expected))}，实为 {escape(str(f.found))}")
    elif f.expected is not None:
        bits.append(f"应为 {escape(str(f.expected))}")
    if e.get("quote"):
        bits.append(f"原文：“{escape(e['quote'][:200])}”")
    if e.get("compared_with"):
        bits.append(f"对照：{_link(e['compared_with'], out_dir)}（{escape(str(e.get('compared_agency')))} "
                    f"{e.get('compared_year')}）")
    if e.get("previous_file"):
        bits.append(f"上年报告：{_link(e['previous_file'], out_dir)}")
    if e.get("neighbours"):
        bits.append("前后年度：" + "、".join(_link(p, out_dir) for p in e["neighbours"]))
    if e.get("children"):
        bits.append("所属部门：" + "；".join(f"{escape(k)} {v['value']}（{_link(v['file'], out_dir)}）"
                                        for k, v in sorted(e["children"].items())))
    return "<br>".join(bits)


def _findings(audit: Audit, out_dir: Path) -> str:
    rules = sorted({f.rule for f in audit.findings})
    options = "".join(f"<option value='{r}'>{r} {escape(RULE_NAMES.get(r, ''))}</option>" for r in rules)
    filters = (f"<div class='filters'>规则 <select id='f-rule'><option value=''>全部</option>{options}</select>"
               "状态 <select id='f-state'><option value=''>全部</option>"
               + "".join(f"<option value='{k}'>{v}</option>" for k, v in STATE.items()) + "</select>"
               "结论 <select id='f-sev'><option value=''>全部</option>"
               + "".join(f"<option value='{k}'>{v}</option>" for k, v in SEVERITY.items()) + "</select>"
               "显示 <b id='f-count'></b> 条</div>")
    order = {"error": 0, "warning": 1, "not_assessable": 2}
    rows = []
    def rank(f: AuditFinding) -> tuple:  # blank-cell warnings (one per cell) after the other warnings
        return (order[f.severity], f.rule == "R5" and f.severity == "warning", f.rule, f.agency or "", f.year or 0)

    for f in sorted(audit.findings, key=rank):
        report = f"<a href='#{_anchor(f.source)}'>{escape(f.agency or '（未识别）')} {f.year or ''}</a>" if f.source else \
            f"{escape(f.agency or '')} {f.year or ''}"
        state = STATE[f.state] + (f"：{escape(f.reason)}" if f.reason else "")
        rows.append(f"<tr data-rule='{f.rule}' data-state='{f.state}' data-sev='{f.severity}' class='st-{f.state}'>"
                    f"<td><code>{f.fingerprint}</code></td><td>{f.rule}</td><td class='sev-{f.severity}'>{SEVERITY[f.severity]}</td>"
                    f"<td>{state}</td><td>{report}</td><td>{escape(f.message_zh)}</td><td class='small'>{_evidence(f, out_dir)}</td></tr>")
    return (filters + "<table id='findings'><thead><tr><th>编号</th><th>规则</th><th>结论</th><th>审核状态</th><th>报告</th>"
            "<th>说明</th><th>证据</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _reports(audit: Audit, out_dir: Path) -> str:
    rows = []
    for r in sorted(audit.records, key=lambda r: (r.agency or "", r.year or 0, r.source)):
        outcomes = audit.outcomes(r)
        cells = "".join(f"<td class='small'>{OUTCOME[outcomes[rule]]}</td>" for rule in REGION_RULES)
        note = escape(r.error) if r.error else (f"与 {_link(r.duplicate_of, out_dir)} 重复" if r.duplicate_of else "")
        published = f"{r.published}（{'报告所载' if r.published_from == 'report' else '页面'}）" if r.published else "—"
        status = audit.status(r)
        rows.append(f"<tr id='{_anchor(r.source)}'><td>{escape(r.agency or '（未识别）')}<br><span class='small'>"
                    f"{escape(r.agency_printed or '')}</span></td><td>{r.year or '—'}</td><td>{_link(r.source, out_dir)}</td>"
                    f"<td>{escape(r.format or '')}</td><td>{published}</td><td class='s-{status}'>{STATUS[status]}</td>"
                    f"{cells}<td class='small'>{note}</td></tr>")
    head = "".join(f"<th title='{escape(RULE_NAMES[rule])}'>{rule}</th>" for rule in REGION_RULES)
    return (f"<table><tr><th>机关（规范名称／所印名称）</th><th>年度</th><th>文件</th><th>格式</th><th>发布日期</th><th>状态</th>"
            f"{head}<th>备注</th></tr>{''.join(rows)}</table>")


def _indicators(audit: Audit) -> str:
    head = "".join(f"<th>{escape(title)}</th>" for title, _ in INDICATORS.values())
    rows = []
    for row in audit.indicators:
        cells = []
        for name in INDICATORS:
            v = row[name]
            if v is None:
                cells.append("<td class='n'>—</td>")
                continue
            text = f"{v:,}" if name == "requests" else f"{v:.1%}"
            mark = " class='n out'" if row[f"{name}_outlier"] else " class='n'"
            cells.append(f"<td{mark}>{text}<br><span class='small'>P{row[f'{name}_percentile']:.0f}</span></td>")
        rows.append(f"<tr><td>{escape(row['agency'])}</td><td>{row['year']}</td>{''.join(cells)}</tr>")
    return (f"<p class='small'>P 为在本地区各机关年度中的百分位；红色为离群值（超出四分位距1.5倍）。指标是数据，不是问题结论。</p>"
            f"<table><tr><th>机关</th><th>年度</th>{head}</tr>{''.join(rows)}</table>")


def audit_page(audit: Audit, out_dir: Path) -> str:
    problems = "".join(f"<li>{escape(p)}</li>" for p in audit.review_problems)
    body = [
        "<h1>政府信息公开工作年度报告审计</h1>",
        f"<p class='meta'>生成时间 {datetime.now():%Y-%m-%d %H:%M}；读取 {audit.read_seconds:.1f} 秒，"
        f"跨报告核查 {audit.check_seconds:.2f} 秒。规则说明见 docs/audit.md。"
        "审核意见写在 review.csv（open / confirmed / dismissed＋理由），下次运行时读取。</p>",
        f"<ul class='small'>{problems}</ul>" if problems else "",
        "<h2>概况</h2>", _cards(audit),
        "<h2>机关 × 年度</h2>", _grid(audit),
        "<h2>图表</h2>", _charts(audit),
        "<h2>问题清单</h2>", _findings(audit, out_dir),
        "<h2>报告列表</h2>", _reports(audit, out_dir),
        "<h2>指标</h2>", _indicators(audit),
    ]
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>政府信息公开工作年度报告审计</title>"
            f"<style>{CSS}</style></head><body>{''.join(body)}<script>{SCRIPT}</script></body></html>")
