"""Reading the merge structure of a python-docx table."""

from __future__ import annotations

from docx.oxml.ns import qn


def docx_table_spans(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell that starts a merge area in a python-docx table."""
    starts: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            text = "".join(t.text for t in tc.iter(qn("w:t"))).strip("\u3000 ")
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                above = next(s for (rr, cc), s in sorted(starts.items(), reverse=True) if cc == col and rr < r)
                above[2] += 1
            else:
                starts[(r, col)] = [r, col, 1, span, text]
            col += span
    return [tuple(v) for _, v in sorted(starts.items())]
