"""Bulk reading: walking folders, results in file order, summary, cross-year findings and datasets."""

from __future__ import annotations

import csv
import json
import shutil

from answer_keys import CORPUS
from openpyxl import load_workbook

from gongkai.batch import check_paths, flat_columns, iter_files, summarize, write_dataset
from gongkai.report.template import edition

SEED = CORPUS / "seed" / "000_db8b9a3c8d2b1499.txt"
HONGZE = CORPUS / "real" / "huaian-hongze-2024.pdf"


def _folder(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED.with_suffix(".expected.json"), tmp_path / "a.expected.json")
    shutil.copy(HONGZE, tmp_path / "sub" / "report")  # no extension: found by its first bytes
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / ".hidden.txt").write_text("x")
    return tmp_path


def test_walks_folders_for_readable_files(tmp_path):
    folder = _folder(tmp_path)
    assert list(iter_files([folder])) == [folder / "a.txt", folder / "sub" / "report"]


def test_results_summary_and_datasets(tmp_path):
    folder = _folder(tmp_path)
    results = list(check_paths([folder, tmp_path / "missing.pdf"], jobs=2))
    assert [r.format for r in results] == ["txt", "pdf", None]
    assert results[1].flat["meta.agency"] == "淮安市洪泽区人民政府"
    assert results[2].error.startswith(f"{tmp_path / 'missing.pdf'}: cannot open")
    summary = summarize(results)
    assert (summary.files, summary.read, summary.failed) == (3, 2, 1)
    assert summary.by_format == {"txt": 1, "pdf": 1, "unknown": 1}
    assert summary.with_warnings == 1  # the PDF (its collapsed （六）其他处理); the seed has none

    lines = write_dataset(results, tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    first = json.loads(lines[0])
    assert set(first) == {"source", "format", "error", "flat", "findings"} and len(lines) == 3

    with open(write_dataset(results, tmp_path / "out.csv"), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert header[:3] == ["source", "format", "error"] and header[-2:] == ["errors", "warnings"]
    assert rows[2][header.index("requests.other_handling.total")] == "0"
    assert rows[3][header.index("error")].endswith("cannot open: No such file or directory")

    book = load_workbook(write_dataset(results, tmp_path / "out.xlsx"), read_only=True)
    assert book.sheetnames == ["reports", "findings"]
    assert next(book["reports"].iter_rows(values_only=True)) == tuple(header)
    assert sum(1 for _ in book["findings"].iter_rows()) == 1 + sum(len(r.findings) for r in results)


def test_flat_columns_are_the_union_of_both_editions_in_template_order():
    columns = flat_columns()
    assert len(columns) == len(set(columns))
    for ed in ("2021", "2019"):
        keys = [k for k in columns if k in edition(ed).keys]
        assert keys == list(edition(ed).keys)
    assert columns.index("requests.other_handling.total") < columns.index("requests.other_handling.no_supplement.total")
    assert "proactive.procurement.amount" in columns and "meta.published" in columns


def test_previous_reports_give_cross_year_findings(tmp_path):
    [plain] = check_paths([SEED])
    flat = plain.flat
    prior = {k: (v + 1 if k.startswith("requests.carried_forward.") and isinstance(v, int) else v)
             for k, v in flat.items()} | {"meta.year": flat["meta.year"] - 1}
    [checked] = check_paths([SEED], previous={(flat["meta.agency"], flat["meta.year"] - 1): prior})
    assert not any(f["rule"] == "X1" for f in plain.findings)
    assert any(f["rule"] == "X1" for f in checked.findings)
