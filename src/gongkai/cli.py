"""The ``gongkai`` command line: thin, the library does the work."""

from __future__ import annotations

import json
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gongkai import batch
from gongkai.cli_ledger import ledger_app
from gongkai.cli_web import app as web_app
from gongkai.read import ReadError, read_file
from gongkai.render import WRITERS
from gongkai.report import Report, edition
from gongkai.report.template import TEXT_KEYS

DEBUG = False  # set by `gongkai --debug`


class CommandLine(typer.Typer):
    """The app: an exception a command lets through is one line on stderr and exit status 2, never a
    traceback (``gongkai --debug COMMAND`` prints the traceback too)."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:  # the last resort: every expected failure already has its own line
            if DEBUG:
                traceback.print_exception(exc)
            message = " ".join(str(exc).split())[:300]
            print(f"error: internal error: {type(exc).__name__}: {message} (gongkai --debug shows the traceback)",
                  file=sys.stderr)
            sys.exit(2)


app = CommandLine(
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="gongkai 公开 — 政府信息公开年度报告: read, check, convert; the request ledger.",
)
app.add_typer(ledger_app)
app.add_typer(web_app)


@app.callback()
def main(debug: Annotated[bool, typer.Option(
        "--debug", help="On a failure, print the Python traceback as well as the one-line error.")] = False) -> None:
    """gongkai 公开 — 政府信息公开年度报告: read, check, convert; the request ledger."""
    global DEBUG
    DEBUG = debug


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


def _read(path: Path) -> Report:
    """Read a report in a bounded worker process, or stop with one clear line and exit status 2."""
    result = next(batch.check_paths([path]))
    if result.error is not None:
        _debug(result)
        _fail(result.error)
    return Report.from_flat(result.flat)


def _debug(result: batch.FileResult) -> None:
    if DEBUG and result.detail:
        typer.echo(result.detail.rstrip(), err=True)


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
    report = _read(file)
    _out(WRITERS["flat" if flat else "json"].render(report), None)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Reports, or folders of reports (every format gongkai reads).")],
    previous: Annotated[list[Path] | None, typer.Option(
        "--previous", help="Last year's report(s) of the same agencies, files or folders (rules X1, X2).")] = None,
    format: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = CheckFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.zh,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files read in parallel, each in its own process.")] = 1,
    dataset: Annotated[Path | None, typer.Option(
        "--dataset", help="Also write one flat row per report with its findings: OUT.jsonl, .csv or .xlsx.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one file may take.")] = batch.DEFAULT_TIMEOUT,
) -> None:
    """Check reports against rules R1–R6 and X1–X3. Exit 1 on an error-level finding, 2 if a file cannot be read."""
    if dataset is not None and dataset.suffix.lower() not in {".jsonl", ".csv", ".xlsx"}:
        _fail(f"--dataset {dataset}: use .jsonl, .csv or .xlsx")
    prior = _previous(previous or [], jobs, timeout)
    files = list(batch.iter_files(paths))
    results = []
    console = Console(stderr=True)  # a progress bar only on a terminal: piped, stderr holds only the lines
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=len(files) < 2 or not console.is_terminal) as progress:
        task = progress.add_task("checking", total=len(files))
        for result in batch.check_paths(files, jobs=jobs, previous=prior, timeout=timeout):
            results.append(result)
            progress.advance(task)
            if result.error is not None:
                _debug(result)
                typer.echo(f"error: {result.error}", err=True)
            elif format is CheckFormat.text:
                _print_result(result, lang)
    if format is CheckFormat.json:
        typer.echo(json.dumps([_result_json(r) for r in results if r.error is None], ensure_ascii=False, indent=1))
    summary = batch.summarize(results)
    if len(results) > 1:
        formats = ", ".join(f"{fmt} {n}" for fmt, n in sorted(summary.by_format.items()))
        typer.echo(f"{summary.files} files: {summary.read} read, {summary.failed} failed, {summary.with_errors} with "
                   f"errors, {summary.with_warnings} with warnings ({formats})", err=True)
    if dataset is not None:
        batch.write_dataset(results, dataset)
        typer.echo(f"dataset: {dataset} ({len(results)} rows)", err=True)
    raise typer.Exit(2 if summary.failed else 1 if summary.with_errors else 0)


@app.command()
def audit(
    paths: Annotated[list[Path], typer.Argument(help="Folders or files of many agencies' reports, several years.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder: dataset, findings, review.csv, audit.html.")] = Path("audit"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files read in parallel, each in its own process.")] = 1,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one file may take.")] = batch.DEFAULT_TIMEOUT,
) -> None:
    """Audit a region's reports: R1–R6, X1–X3, late (P1), missing years (P2), copied text (C1), parent vs children (H1), narrative (N1–N3)."""
    from gongkai import audit as auditing
    from gongkai.audit.identify import Aliases, AliasFileError

    try:
        Aliases.load(output / "aliases.toml")
    except AliasFileError as exc:
        _fail(str(exc))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("审计读取", total=None)
        result = auditing.run(paths, output, jobs=jobs, timeout=timeout,
                              progress=lambda done, total: progress.update(task, completed=done, total=total))
    for record in result.records:
        if record.error is not None:
            typer.echo(f"无法读取: {record.error}", err=True)
    for problem in result.review_problems:
        typer.echo(problem, err=True)
    counts = result.counts()
    read = sum(r.error is None for r in result.records)
    typer.echo(f"{len(result.records)} 个文件：读取 {read}，无法读取 {len(result.records) - read}；"
               f"{len(result.reports)} 份报告；错误 {counts['error']}，警告 {counts['warning']}，"
               f"无法评估 {counts['not_assessable']}（已驳回的不计）")
    typer.echo(f"审计页面：{output / 'audit.html'}；审核文件：{output / 'review.csv'}")


def _previous(paths: list[Path], jobs: int, timeout: float) -> dict[tuple[str, int], dict]:
    """Last year's reports, by (agency, year), for the cross-year rules."""
    prior = {}
    for result in batch.check_paths(batch.iter_files(paths), jobs=jobs, timeout=timeout):
        if result.error is not None:
            _fail(result.error)
        prior[(result.flat["meta.agency"], result.flat["meta.year"])] = result.flat
    return prior


def _print_result(result: batch.FileResult, lang: Lang) -> None:
    flat = result.flat
    typer.echo(f"{result.source}: {flat['meta.agency'] or '?'} {flat['meta.year'] or '?'} "
               f"(edition {flat['meta.edition']}): {result.errors} errors, {result.warnings} warnings")
    blanks: dict[str, list[str]] = {}  # blank cells, one line per table row
    for finding in result.findings:
        if finding["rule"] == "R5" and finding["severity"] == "warning" and finding["labels"]:
            row, _, column = finding["labels"][0].rpartition(" / ")
            blanks.setdefault(row or "四、政府信息公开行政复议、行政诉讼情况", []).append(column)
            continue
        msg = finding["message_zh" if lang is Lang.zh else "message_en"]
        names = finding["labels"] if lang is Lang.zh and finding["labels"] else finding["keys"]
        where = f" [{'; '.join(names[:3])}{' …' if len(names) > 3 else ''}]" if names else ""
        typer.echo(f"  {finding['severity'].upper():7} {finding['rule']:5} {msg}{where}")
    for row, columns in blanks.items():
        head = "空白单元格，无法核验" if lang is Lang.zh else "blank cells, cannot be verified"
        typer.echo(f"  WARNING R5    {head}: {row}: {'、'.join(columns)}")


def _result_json(result: batch.FileResult) -> dict:
    return {"source": result.source, "meta": {k: v for k, v in result.flat.items() if k.startswith("meta.")},
            "findings": result.findings}


def _fail(message: str):
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


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
            data = json.loads(read_file(path).decode("utf-8"))  # a regular file only, within the size limit
            return Report.from_json(data) if "meta" in data else Report.from_flat(data)
        except ReadError as exc:
            _fail(str(exc))
        except (ValueError, TypeError) as exc:
            typer.echo(f"error: {path}: not a gongkai report JSON file ({exc})", err=True)
            raise typer.Exit(2) from None
    return _read(path)


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
