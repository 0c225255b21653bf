"""Hostile input: every bad file gives one clear error naming it, in bounded time, and never stops a batch."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from answer_keys import CORPUS, differences
from PIL import Image
from typer.testing import CliRunner

from gongkai.batch import check_paths
from gongkai.cli import app
from gongkai.read import ReadError, read_report

SEED = CORPUS / "seed" / "000_db8b9a3c8d2b1499.txt"
HONGZE = CORPUS / "real" / "huaian-hongze-2024.pdf"
RUNNER = CliRunner()


def _lorem_pdf() -> bytes:
    from weasyprint import HTML

    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40
    return HTML(string=f"<html><body><h1>Lorem ipsum</h1><p>{text}</p></body></html>").write_pdf()


def _scanned_pdf() -> bytes:
    image = Image.new("RGB", (800, 1100), "white")
    for x in range(100, 700):
        image.putpixel((x, 200), (0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=100.0)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (1 << 30))  # 1 GB of document in ~1 MB
    return out.getvalue()


HOSTILE = {
    "truncated.pdf": (lambda: HONGZE.read_bytes()[: len(HONGZE.read_bytes()) // 2], "truncated PDF"),
    "corrupt.pdf": (lambda: b"%PDF-1.7\n" + random.Random(7).randbytes(4000), "corrupt PDF"),
    "lorem.pdf": (_lorem_pdf, "not an annual report"),
    "scanned.pdf": (_scanned_pdf, "scanned PDF without a text layer: OCR it first"),
    "junk.bin": (lambda: random.Random(3).randbytes(5000), "binary data, not text"),
    "empty.txt": (lambda: b"", "empty file"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_file_gives_a_clear_error(hostile, name):
    path = hostile / name
    with pytest.raises(ReadError) as caught:
        read_report(path)
    assert caught.value.path == str(path)
    assert HOSTILE[name][1] in caught.value.problem
    assert str(path) in str(caught.value)


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_MAX_BYTES", "1000")
    path = tmp_path / "big.txt"
    path.write_bytes(SEED.read_bytes())
    with pytest.raises(ReadError, match=r"file too large: .* \(limit 1,000\)"):
        read_report(path)


def test_a_batch_of_hostile_files_still_reads_the_seed(hostile, tmp_path, monkeypatch):
    (tmp_path / "bomb.docx").write_bytes(_zip_bomb())
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 600_000)
    monkeypatch.setenv("GONGKAI_MAX_BYTES", "500000")  # the workers inherit the environment
    paths = [hostile / name for name in sorted(HOSTILE)] + [tmp_path / "bomb.docx", big, SEED]
    results = list(check_paths(paths, jobs=2, timeout=10))
    assert [r.source for r in results] == [str(p) for p in paths]
    *bad, seed = results
    for result in bad:
        assert result.error and result.error.startswith(result.source + ":"), result
        assert result.flat is None
    assert "file too large" in bad[-1].error
    assert seed.error is None and seed.format == "txt"
    expected = json.loads(SEED.with_suffix(".expected.json").read_text("utf-8"))
    assert differences(seed.flat, expected) == []


def test_memory_limit_crash_and_timeout_cost_one_file_each(tmp_path):
    for name in ("hog.txt", "crash.txt", "slow.txt"):
        (tmp_path / name).write_bytes(SEED.read_bytes())
    paths = [tmp_path / "hog.txt", tmp_path / "crash.txt", tmp_path / "slow.txt", SEED]
    hog, crash, slow, seed = check_paths(paths, jobs=2, timeout=2, memory_mb=300, reader=_hog_reader())
    assert hog.error == f"{paths[0]}: out of memory (limit 300 MB)"
    assert crash.error.startswith(f"{paths[1]}: out of memory (limit 300 MB)")
    assert slow.error == f"{paths[2]}: timed out after 2 s"
    assert seed.error is None and seed.flat["meta.agency"] == "科学技术和工业信息化局"


def _hog_reader():
    import hog

    return hog.read


def test_no_worker_is_left_behind(tmp_path):
    import multiprocessing

    (tmp_path / "slow.txt").write_bytes(SEED.read_bytes())
    list(check_paths([tmp_path / "slow.txt"], timeout=1, reader=_hog_reader()))
    assert multiprocessing.active_children() == []


# -- the command line on hostile input (issue #13) ------------------------------------------------------
FUZZ = Path(__file__).parent / "fuzz"


def test_check_gives_one_line_per_file_of_the_fuzz_folder_and_no_traceback():
    done = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", str(FUZZ), "--jobs", "2"],
                          capture_output=True, text=True, timeout=300)  # a hang guard; its time is in bench/
    files = sorted(str(p) for p in FUZZ.iterdir())
    heads = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    named = sorted(line.split(": ")[0] for line in heads) + sorted(line.split(": ")[1] for line in errors)
    assert sorted(named) == files  # exactly one line per file
    summary = done.stderr.splitlines()[-1]
    assert summary.startswith(f"{len(files)} files: {len(heads)} read, {len(errors)} failed")
    assert len(done.stderr.splitlines()) == len(errors) + 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 2


def test_extract_and_convert_a_count_printed_with_decimals(tmp_path):
    path = str(FUZZ / "extract_traceback_decimal_count.txt")
    result = RUNNER.invoke(app, ["extract", path, "--flat"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["proactive.licensing.decisions"] == "3.5"
    result = RUNNER.invoke(app, ["convert", path, "--to", "xlsx", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    report = read_report(tmp_path / "r.xlsx").report
    assert str(report.values["proactive.licensing.decisions"]) == "3.5"


def _reader_bug(doc):
    raise TypeError("a reader bug")


def test_a_reader_bug_is_one_line_and_debug_shows_its_traceback(monkeypatch):
    monkeypatch.setattr("gongkai.read.match", _reader_bug)  # the forked worker inherits it
    result = RUNNER.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {SEED}: reader failed: TypeError: a reader bug\n"
    result = RUNNER.invoke(app, ["--debug", "extract", str(SEED)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback") and "_reader_bug" in result.stderr
    assert result.stderr.endswith(f"error: {SEED}: reader failed: TypeError: a reader bug\n")


def _broken_batch(*args, **kwargs):
    raise RuntimeError("something nobody foresaw")


@pytest.mark.parametrize("debug", [False, True])
def test_any_exception_of_a_command_is_one_line_and_exit_2(monkeypatch, capsys, debug):
    import gongkai.cli

    monkeypatch.setattr(gongkai.cli.batch, "check_paths", _broken_batch)
    with pytest.raises(SystemExit) as exited:
        app(["--debug", "extract", str(SEED)] if debug else ["extract", str(SEED)], prog_name="gongkai")
    assert exited.value.code == 2
    err = capsys.readouterr().err
    line = "error: internal error: RuntimeError: something nobody foresaw (gongkai --debug shows the traceback)\n"
    assert err.endswith(line)
    assert ("Traceback" in err) is debug and (err == line) is not debug


@pytest.mark.parametrize("command", ["extract", "convert"])
def test_extract_and_convert_refuse_a_fifo_in_one_line(tmp_path, command):
    import os

    fifo = tmp_path / ("report.json" if command == "convert" else "report.txt")
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["--to", "json"] if command == "convert" else [])
    result = RUNNER.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {fifo}: refused: not a regular file (a FIFO)\n"
