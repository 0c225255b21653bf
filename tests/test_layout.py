import docx
import pytest
from docx_spans import docx_table_spans

from gongkai.render.layout import format_value, layout
from gongkai.report import edition
from gongkai.report.model import Report


def grid_spans(grid, values=False):
    return [
        (r, col, cell.rowspan, cell.colspan, "" if cell.kind == "value" and not values else cell.text)
        for r, row in enumerate(grid.placed())
        for col, cell in row
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_tables_have_the_merges_and_labels_of_the_national_template(index, corpus):
    template = docx.Document(str(corpus / "template/national-template-2021.docx")).tables[index]
    grid = layout(edition("2021"))[index]
    assert grid.width == len(template.columns)
    assert grid_spans(grid) == docx_table_spans(template)


def test_grids_cover_every_grid_cell_exactly_once():
    for ed in ("2021", "2019"):
        for grid in layout(edition(ed)):
            covered = []
            for r, row in enumerate(grid.placed()):
                for col, cell in row:
                    covered += [(r + i, col + j) for i in range(cell.rowspan) for j in range(cell.colspan)]
            assert sorted(covered) == [(r, c) for r in range(len(grid.rows)) for c in range(grid.width)]


def test_every_table_key_has_one_value_cell():
    for ed_id in ("2021", "2019"):
        ed = edition(ed_id)
        keys = [c.key for g in layout(ed) for c in g.value_cells]
        assert keys == list(ed.table_keys)


def test_collapsed_other_handling_is_one_row_spanning_two_label_columns(distinct):
    distinct.collapse_other_handling()
    grid = layout(distinct.template, distinct)[1]
    keys = [c.key for c in grid.value_cells]
    assert "requests.other_handling.total" in keys
    assert not any(k.startswith("requests.other_handling.no_supplement") for k in keys)
    row = next(r for r in grid.rows if r[0].text == "（六）其他处理")
    assert row[0].colspan == 2
    assert grid.rows[5][0].rowspan == 20  # 三、本年度办理结果: 18 result rows - 3 + 1 collapsed + 总计


def test_values_are_formatted_for_print():
    from decimal import Decimal

    assert format_value(None) == ""
    assert format_value(0) == "0"
    assert format_value(Decimal("0")) == "0.0000"
    assert format_value(Decimal("12.5")) == "12.5000"
    assert format_value(Decimal("0.00001")) == "0.00001"  # never rounds a printed digit away
    assert format_value(Decimal("3"), money_places=2) == "3.00"


def test_values_land_in_their_cells(distinct: Report):
    for grid in layout(distinct.template, distinct):
        for cell in grid.value_cells:
            assert cell.text == format_value(distinct.values[cell.key])
