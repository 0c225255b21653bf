"""Bulk reading: walking folders, results in file order, summary, cross-year findings and datasets."""

from __future__ import annotations

import csv
import json
import os
import shutil
import time

import pytest
from answer_keys import CORPUS
from openpyxl import load_workbook

from gongkai.batch import check_paths, flat_columns, iter_files, read_bounded, summarize, write_dataset
from gongkai.read import ReadError, read_report
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


# -- hostile folders (issue #13): one line per input, whatever the input is ---------------------------
def test_a_fifo_in_a_folder_is_one_refusal_and_never_opened(tmp_path):
    os.mkfifo(tmp_path / "b.txt")  # opening it for reading would wait for a writer for ever
    shutil.copy(SEED, tmp_path / "c.txt")
    fifo, seed = check_paths([tmp_path], jobs=2, timeout=5)
    assert fifo.error == f"{tmp_path / 'b.txt'}: refused: not a regular file (a FIFO)"
    assert seed.error is None
    with pytest.raises(ReadError, match=r"refused: not a regular file \(a FIFO\)"):
        read_report(tmp_path / "b.txt")


def test_a_fifo_named_last_still_gets_its_line(tmp_path):
    os.mkfifo(tmp_path / "z.txt")
    results = list(check_paths([SEED, tmp_path / "z.txt"]))
    assert [r.source for r in results] == [str(SEED), str(tmp_path / "z.txt")]
    assert "not a regular file" in results[1].error


def test_files_named_like_a_format_are_listed_whatever_they_hold(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "notzip.xlsx").write_bytes(b"garbage")
    (tmp_path / "page.htm").write_bytes(b"<p>x</p>")
    assert [p.name for p in iter_files([tmp_path])] == ["empty.html", "notzip.xlsx", "page.htm"]
    results = list(check_paths([tmp_path]))
    assert [r.error.split(": ", 1)[1] for r in results] == [
        "empty file", "not a XLSX file (its content does not start like one)",
        "not an annual report: no title and none of the six section headings"]


def test_a_workers_output_never_reaches_the_parents_streams(tmp_path, capfd):
    (tmp_path / "noisy.txt").write_bytes(SEED.read_bytes())
    [result] = check_paths([tmp_path / "noisy.txt"], reader=_test_reader())
    assert result.error == f"{tmp_path / 'noisy.txt'}: out of memory (limit 500 MB)"
    assert capfd.readouterr() == ("", "")


def test_a_reader_bug_is_one_error_with_its_traceback_kept_apart(tmp_path):
    (tmp_path / "buggy.txt").write_bytes(SEED.read_bytes())
    [result] = check_paths([tmp_path / "buggy.txt"], reader=_test_reader())
    assert result.error == f"{tmp_path / 'buggy.txt'}: reader failed: KeyError: 'a reader bug'"
    assert "Traceback" in result.detail and "hog.py" in result.detail


def _test_reader():
    import hog

    return hog.read


# -- read_bounded: the CLI's bounds for library callers --------------------------------------------------
def test_read_bounded_gives_what_read_report_gives(tmp_path):
    assert read_bounded(SEED).report.flat() == read_report(SEED).report.flat()
    os.mkfifo(tmp_path / "f.txt")
    with pytest.raises(ReadError, match=r"not a regular file \(a FIFO\)"):
        read_bounded(tmp_path / "f.txt")


def _sleep(doc):
    time.sleep(60)


def _hoard(doc):
    return [bytearray(64 * 1024 * 1024) for _ in range(64)]


def _bug(doc):
    raise TypeError("a reader bug")


@pytest.mark.parametrize(("match", "problem"), [
    (_sleep, "timed out after 1 s"), (_hoard, "out of memory (limit 300 MB)"),
    (_bug, "reader failed: TypeError: a reader bug")])
def test_read_bounded_raises_only_read_error(monkeypatch, match, problem):
    monkeypatch.setattr("gongkai.read.match", match)  # the forked reader inherits it
    with pytest.raises(ReadError) as caught:
        read_bounded(SEED, timeout=1, memory_mb=300)
    assert caught.value.problem == problem and caught.value.path == str(SEED)
