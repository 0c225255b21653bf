"""The ``gongkai`` command line: thin, the library does the work."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli_ledger import ledger_app
from gongkai.cli_web import app as web_app
from gongkai.read import ReadError, read_report
from gongkai.render import WRITERS
from gongkai.report import Report, edition
from gongkai.report.findings import has_errors
from gongkai.report.template import TEXT_KEYS

app = typer.Typer(
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="gongkai 公开 — 政府信息公开年度报告: read, check, convert; the request ledger.",
)
app.add_typer(ledger_app)
app.add_typer(web_app)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


def _read(path: Path):
    """Read a report or stop with one clear line and exit status 2."""
    try:
        return read_report(path)
    except ReadError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _out(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A published report: txt, md, html, docx, pdf, xlsx.")],
    flat: Annotated[bool, typer.Option("--flat", help="Print the flat form (report keys → values).")] = False,
) -> None:
    """Read a report and print it as JSON (nested, or --flat)."""
    report = _read(file).report
    _out(WRITERS["flat" if flat else "json"].render(report), None)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Reports to check.")],
    previous: Annotated[Path | None, typer.Option("--previous", help="Last year's report of the same agency (X1, X2).")] = None,
    format: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = CheckFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.zh,
) -> None:
    """Check reports against rules R1–R6 and X1–X3. Exit 1 on an error-level finding, 2 if a file cannot be read."""
    prior = _read(previous).report if previous else None
    status = 0
    results = []
    for path in files:
        try:
            extraction = read_report(path)
        except ReadError as exc:
            typer.echo(f"error: {exc}", err=True)
            status = 2
            continue
        findings = extraction.check(prior)
        if has_errors(findings) and status == 0:
            status = 1
        if format is CheckFormat.json:
            results.append({"source": str(path), "meta": {k: v for k, v in extraction.report.flat().items()
                                                          if k.startswith("meta.")},
                            "findings": [f.to_json() for f in findings]})
            continue
        errors = sum(f.severity == "error" for f in findings)
        typer.echo(f"{path}: {extraction.report.agency or '?'} {extraction.report.year or '?'} "
                   f"(edition {extraction.report.edition}): {errors} errors, {len(findings) - errors} warnings")
        for finding in findings:
            typer.echo("  " + finding.line(lang.value))
    if format is CheckFormat.json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))
    raise typer.Exit(status)


@app.command()
def convert(
    file: Annotated[Path, typer.Argument(help="A report in any format gongkai reads (or a gongkai JSON file).")],
    to: Annotated[str, typer.Option("--to", help=f"One of: {', '.join(WRITERS)}.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (default: standard output).")] = None,
) -> None:
    """Convert a report to another format."""
    writer = WRITERS.get(to)
    if writer is None:
        typer.echo(f"error: unknown format {to!r}; choose one of {', '.join(WRITERS)}", err=True)
        raise typer.Exit(2)
    if writer.binary and output is None:
        typer.echo(f"error: {to} is a binary format: give -o FILE", err=True)
        raise typer.Exit(2)
    report = _load(file)
    _out(writer.render(report), output)


def _load(path: Path) -> Report:
    """A gongkai JSON file (nested or flat) as it is, anything else through the readers."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Report.from_json(data) if "meta" in data else Report.from_flat(data)
        except (OSError, ValueError) as exc:
            typer.echo(f"error: {path}: not a gongkai report JSON file ({exc})", err=True)
            raise typer.Exit(2) from None
    return _read(path).report


@app.command()
def keys(
    edition_id: Annotated[str, typer.Option("--edition", help="Template edition: 2021 or 2019.")] = "2021",
) -> None:
    """List the report keys of an edition, in template order, with their Chinese labels (optional keys marked)."""
    try:
        ed = edition(edition_id)
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(2) from None
    for key in (*ed.keys[:3], "meta.published", *ed.keys[3:-len(TEXT_KEYS)], *ed.collapsed_cells, *TEXT_KEYS):
        mark = " (optional)" if key in ed.optional_keys else ""
        typer.echo(f"{key}\t{ed.label(key)}{mark}")


if __name__ == "__main__":  # pragma: no cover
    app()
