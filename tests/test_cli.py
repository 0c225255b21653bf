"""The command line: every command has help, a line in docs/cli.md and a test; reading commands end cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from gongkai.cli import app

RUNNER = CliRunner()
DOCS = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
TESTED = Path(__file__).parent


def _commands(group, prefix: str = "") -> dict:
    out = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            out.update(_commands(command, f"{prefix}{name} "))
        else:
            out[prefix + name] = command
    return out


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_a_docs_line_and_a_test(name):
    command = COMMANDS[name]
    assert command.help, f"{name} has no help text"
    for param in command.params:
        if param.name not in {"ctx", "help"}:
            assert getattr(param, "help", None), f"{name}: option {param.name} has no help"
    assert f"`gongkai {name}" in DOCS, f"gongkai {name} has no line in docs/cli.md"
    tests = "".join(p.read_text(encoding="utf-8") for p in TESTED.rglob("test_*.py"))
    words = name.split()  # the whole command, subcommand included: `import requests`, not only `import`
    invoked = ["[" + q + f"{q}, {q}".join(words) + q for q in "\"'"]  # ["import", "requests" ...
    invoked.append('"gongkai.cli", "' + '", "'.join(words) + '"')
    assert any(form in tests for form in invoked), f"gongkai {name} is never invoked by a test: {invoked}"


def seed(corpus):
    return str(corpus / "seed/000_db8b9a3c8d2b1499.txt")


def test_extract_flat_prints_the_flat_form(corpus):
    result = RUNNER.invoke(app, ["extract", seed(corpus), "--flat"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["meta.agency"] == "科学技术和工业信息化局" and data["requests.total_handled.total"] == 0


def test_extract_nested_by_default(corpus):
    result = RUNNER.invoke(app, ["extract", seed(corpus)])
    assert json.loads(result.stdout)["meta"]["year"] == 2021


def test_check_seed_is_clean_and_a_changed_cell_names_the_rules(corpus, tmp_path):
    assert RUNNER.invoke(app, ["check", seed(corpus)]).exit_code == 0
    broken = tmp_path / "broken.txt"
    text = Path(seed(corpus)).read_text(encoding="utf-8")
    broken.write_text(text.replace("1.属于国家秘密\t0\t0", "1.属于国家秘密\t4\t0"), encoding="utf-8")
    result = RUNNER.invoke(app, ["check", str(broken), "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)[0]["findings"]
    errors = {(f["rule"], tuple(f["keys"])) for f in findings if f["severity"] == "error"}
    assert {rule for rule, _ in errors} == {"R2", "R3"}
    assert all("requests.withheld.state_secret.natural_person" in keys for _, keys in errors)


def test_check_unreadable_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    result = RUNNER.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and str(bad) in result.stderr and "Traceback" not in result.output


def test_check_with_previous(corpus, tmp_path):
    """X1 against last year's report: silent where this year's 上年结转 equals last year's 结转下年度, a
    warning naming both figures where it does not."""
    text = Path(seed(corpus)).read_text(encoding="utf-8").replace("2021年政府信息公开", "2022年政府信息公开")
    consistent, inconsistent = tmp_path / "2022.txt", tmp_path / "2022-changed.txt"
    consistent.write_text(text, encoding="utf-8")
    row = "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"
    assert row in text
    inconsistent.write_text(text.replace(row, row.replace("\t\t0\t", "\t\t3\t", 1)), encoding="utf-8")
    result = RUNNER.invoke(app, ["check", str(consistent), "--previous", seed(corpus), "--lang", "en"])
    assert result.exit_code == 0 and "X1" not in result.output, result.output
    result = RUNNER.invoke(app, ["check", str(inconsistent), "--previous", seed(corpus), "--lang", "en"])
    assert "X1" in result.output and "carried over 3 differs from last year's carried forward 0" in result.output
    result = RUNNER.invoke(app, ["check", str(inconsistent), "--lang", "en"])  # no previous year: no X1
    assert "X1" not in result.output


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "json", "flat", "csv"])
def test_convert_text_formats(corpus, fmt):
    result = RUNNER.invoke(app, ["convert", seed(corpus), "--to", fmt])
    assert result.exit_code == 0 and "科学技术和工业信息化局" in result.stdout


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_convert_binary_formats_need_an_output_and_read_back(corpus, tmp_path, fmt):
    assert RUNNER.invoke(app, ["convert", seed(corpus), "--to", fmt]).exit_code == 2
    out = tmp_path / f"seed.{fmt}"
    assert RUNNER.invoke(app, ["convert", seed(corpus), "--to", fmt, "-o", str(out)]).exit_code == 0
    back = json.loads(RUNNER.invoke(app, ["extract", str(out), "--flat"]).stdout)
    assert back["meta.agency"] == "科学技术和工业信息化局" and back["requests.new_received.total"] == 0


def test_convert_unknown_format():
    result = RUNNER.invoke(app, ["convert", "x.txt", "--to", "odt"])
    assert result.exit_code == 2 and "unknown format" in result.stderr


def test_keys_lists_both_editions_with_optional_marks():
    lines = RUNNER.invoke(app, ["keys"]).stdout.splitlines()
    assert len(lines) == 206 + 8
    assert "meta.published\t发布日期 (optional)" in lines
    assert any(line.startswith("requests.other_handling.total\t") and "(optional)" in line for line in lines)
    old = RUNNER.invoke(app, ["keys", "--edition", "2019"]).stdout.splitlines()
    assert any(line.startswith("proactive.procurement.amount\t") for line in old)
    assert RUNNER.invoke(app, ["keys", "--edition", "2017"]).exit_code == 2


def test_check_a_folder_in_parallel_with_a_dataset(corpus, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "seed.txt").write_bytes((corpus / "seed/000_db8b9a3c8d2b1499.txt").read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (folder / "empty.docx").write_bytes(b"")
    (folder / "stcsm.md").write_bytes((corpus / "real/shanghai-stcsm-2024.md").read_bytes())
    out = tmp_path / "dataset.csv"
    result = RUNNER.invoke(app, ["check", str(folder), "--jobs", "2", "--dataset", str(out)])
    assert result.exit_code == 2  # two files cannot be read; the others are still checked
    assert "4 files: 2 read, 2 failed" in result.stderr
    assert "seed.txt: 科学技术和工业信息化局 2021" in result.stdout and "stcsm.md: 上海市科委 2024" in result.stdout
    import csv

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert len(rows) == 5 and rows[0][:4] == ["source", "format", "error", "meta.agency"]
    assert sum(1 for row in rows[1:] if row[2]) == 2
