"""Charts as inline SVG: no script, no font or image to fetch, printable as they are."""

from __future__ import annotations

from html import escape

FONT = "font-family='Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif'"
PALETTE = ("#2b6cb0", "#38a169", "#d69e2e", "#e53e3e", "#805ad5", "#718096", "#dd6b20", "#319795")


def hbars(items: list[tuple[str, float]], title: str, width: int = 560, number=lambda v: f"{v:,.0f}") -> str:
    """Horizontal bars, one per label, largest first as given."""
    if not items:
        return f"<p class='empty'>{escape(title)}：无数据</p>"
    row, left, top = 18, 190, 24
    height = top + row * len(items) + 8
    biggest = max(v for _, v in items) or 1
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
             f"height='{height}' role='img' aria-label='{escape(title)}' {FONT} font-size='11'>",
             f"<text x='0' y='14' font-size='13' font-weight='bold'>{escape(title)}</text>"]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = (width - left - 60) * value / biggest
        short = label if len(label) <= 15 else "…" + label[-14:]
        parts.append(f"<text x='{left - 6}' y='{y + 12}' text-anchor='end'><title>{escape(label)}</title>{escape(short)}</text>"
                     f"<rect x='{left}' y='{y + 2}' width='{w:.1f}' height='{row - 5}' fill='{PALETTE[0]}'/>"
                     f"<text x='{left + w + 4:.1f}' y='{y + 12}'>{escape(number(value))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(columns: list[str], series: dict[str, list[float]], title: str, width: int = 560) -> str:
    """Vertical stacked columns (one per year), a legend of the series, the column total on top."""
    if not columns:
        return f"<p class='empty'>{escape(title)}：无数据</p>"
    height, top, bottom, left = 260, 30, 40, 40
    totals = [sum(s[i] for s in series.values()) for i in range(len(columns))]
    biggest = max(totals) or 1
    slot = (width - left - 10) / len(columns)
    bar = min(48, slot * 0.6)
    plot = height - top - bottom
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height + 18 * ((len(series) + 3) // 4)}' "
             f"width='{width}' role='img' aria-label='{escape(title)}' {FONT} font-size='11'>",
             f"<text x='0' y='14' font-size='13' font-weight='bold'>{escape(title)}</text>",
             f"<line x1='{left}' y1='{top + plot}' x2='{width - 10}' y2='{top + plot}' stroke='#444'/>"]
    for i, column in enumerate(columns):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot
        for j, values in enumerate(series.values()):
            h = plot * values[i] / biggest
            y -= h
            if h > 0:
                parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h:.1f}' "
                             f"fill='{PALETTE[j % len(PALETTE)]}'/>")
        parts.append(f"<text x='{x + bar / 2:.1f}' y='{y - 4:.1f}' text-anchor='middle'>{totals[i]:,.0f}</text>"
                     f"<text x='{x + bar / 2:.1f}' y='{top + plot + 14}' text-anchor='middle'>{escape(column)}</text>")
    for j, name in enumerate(series):
        x, y = left + (j % 4) * 130, height + 18 * (j // 4) - 8
        parts.append(f"<rect x='{x}' y='{y - 9}' width='10' height='10' fill='{PALETTE[j % len(PALETTE)]}'/>"
                     f"<text x='{x + 14}' y='{y}'>{escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def strip(values: list[tuple[str, float, bool]], quartiles: dict[str, float] | None, title: str,
          percent: bool, width: int = 560) -> str:
    """One dot per agency-year on an axis, the region's quartile box behind them, outliers in red."""
    if not values:
        return f"<p class='empty'>{escape(title)}：无数据</p>"
    height, left, right = 70, 10, 10
    low = 0.0
    high = max(max(v for _, v, _ in values), 1.0 if percent else 1.0)
    scale = (width - left - right) / ((high - low) or 1)

    def x(v: float) -> float:
        return left + (v - low) * scale

    def label(v: float) -> str:
        return f"{v:.0%}" if percent else f"{v:,.0f}"

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
             f"height='{height}' role='img' aria-label='{escape(title)}' {FONT} font-size='10'>",
             f"<text x='0' y='12' font-size='12' font-weight='bold'>{escape(title)}</text>",
             f"<line x1='{left}' y1='42' x2='{width - right}' y2='42' stroke='#999'/>"]
    if quartiles:
        parts.append(f"<rect x='{x(quartiles['p25']):.1f}' y='30' width='{max(1, x(quartiles['p75']) - x(quartiles['p25'])):.1f}' "
                     f"height='24' fill='#e2e8f0' stroke='#a0aec0'/>"
                     f"<line x1='{x(quartiles['p50']):.1f}' y1='28' x2='{x(quartiles['p50']):.1f}' y2='56' stroke='#2d3748' stroke-width='2'/>")
    for name, v, outlier in values:
        colour = "#e53e3e" if outlier else PALETTE[0]
        parts.append(f"<circle cx='{x(v):.1f}' cy='42' r='{4 if outlier else 3}' fill='{colour}' fill-opacity='0.7'>"
                     f"<title>{escape(name)}：{label(v)}</title></circle>")
    parts.append(f"<text x='{left}' y='66'>{label(low)}</text>"
                 f"<text x='{width - right}' y='66' text-anchor='end'>{label(high)}</text>")
    if quartiles:
        parts.append(f"<text x='{x(quartiles['p50']):.1f}' y='26' text-anchor='middle'>中位数 {label(quartiles['p50'])}</text>")
    parts.append("</svg>")
    return "".join(parts)
