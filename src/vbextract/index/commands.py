"""The CLI of the index: ``index``, ``search``, ``serve`` and ``review`` (added to the
``vbextract`` group by ``cli.py``).  Options are parsed here; the work is in the modules."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn, Optional

import click

from .. import errors

BATCH_FAILED = 9  # as `extract` on a folder: some files failed, the others were done
TABLE_LIMIT = 100  # rows a terminal table shows unless --limit says otherwise (the total is printed)


def _fail(e: errors.VbeError) -> NoReturn:
    click.echo(f"vbextract: error: {e.path}: {e.reason}", err=True)
    sys.exit(e.exit_code)


_DATE = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


def _day(v: Optional[datetime]) -> Optional[date]:
    return v.date() if v else None


@click.command("index")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--db",
    required=True,
    type=click.Path(dir_okay=False),
    help="The SQLite index (created if missing) or a postgresql:// URL.",
)
def index_cmd(inputs: tuple[str, ...], db: str) -> None:
    """Index extracted JSON (files, or folders of *.json such as `extract -o` writes) into
    an SQLite database; a changed document's rows are replaced, an unchanged one is skipped."""
    from .load import index_paths

    try:
        report = index_paths(db, inputs)
    except errors.VbeError as e:
        _fail(e)
    for path, reason in report.failed:
        click.echo(f"vbextract: error: {path}: {reason}", err=True)
    click.echo(f"{report.summary()} -> {db}", err=True)
    sys.exit(BATCH_FAILED if report.failed else 0)


@click.command("search")
@click.option(
    "--db", required=True, type=click.Path(dir_okay=False), help="The index made by `vbextract index` (file or URL)."
)
@click.option("--unit", help='A unit: name, alias or abbreviation ("Sở KH&ĐT", "so noi vu"); its successor too.')
@click.option("--role", type=click.Choice(["lead", "support"]), help="The unit's role (with --unit).")
@click.option("--due-before", type=_DATE, help="A deadline ending on or before this day (YYYY-MM-DD).")
@click.option("--due-after", type=_DATE, help="A deadline ending on or after this day.")
@click.option("--overdue", is_flag=True, help="A dated deadline that ended before --as-of.")
@click.option("--as-of", type=_DATE, help="The day --overdue is judged on (default: today).")
@click.option("--cites", help='A cited or implemented document ("59/2012/NĐ-CP").')
@click.option("--province", help="The document's province, with or without diacritics.")
@click.option("--issuer", help="The issuing body.")
@click.option("--type", "doc_type", help='The document type: code ("KH") or name ("Kế hoạch").')
@click.option("--text", help="Free text in the task, its heading, the title or the units, with or without diacritics.")
@click.option(
    "--limit", type=click.IntRange(min=1), help="At most this many tasks (the table: 100 unless given; JSON, CSV: all)."
)
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output (one row per task).")
def search_cmd(
    db: str,
    unit: Optional[str],
    role: Optional[str],
    due_before: Optional[datetime],
    due_after: Optional[datetime],
    overdue: bool,
    as_of: Optional[datetime],
    cites: Optional[str],
    province: Optional[str],
    issuer: Optional[str],
    doc_type: Optional[str],
    text: Optional[str],
    limit: Optional[int],
    as_json: bool,
    as_csv: bool,
) -> None:
    """Tasks across the indexed documents, by unit, role, deadline, cited document, province,
    issuer, type and free text (all filters given must hold)."""
    from .db import connect
    from .search import Query, search

    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    if as_of and not overdue:
        raise click.UsageError("--as-of goes with --overdue")
    q = Query(
        unit=unit,
        role=role,  # click.Choice checked it
        due_before=_day(due_before),
        due_after=_day(due_after),
        overdue=overdue,
        as_of=_day(as_of),
        cites=cites,
        province=province,
        issuer=issuer,
        doc_type=doc_type,
        text=text,
        limit=limit if limit or as_json or as_csv else TABLE_LIMIT,
    )
    try:
        conn = connect(db, create=False)
        result = search(conn, q)
    except errors.VbeError as e:
        _fail(e)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    from . import report

    if as_json:
        sys.stdout.write(result.model_dump_json(indent=1) + "\n")
    elif as_csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(report.CSV_HEADER)
        w.writerows(report.csv_rows(result))
    else:
        report.print_table(result)


@click.command("serve")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The index made by `vbextract index`.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (localhost by default).")
def serve_cmd(db: str, port: int, host: str) -> None:
    """Browse the index in Datasette: facets, full-text search, canned queries, review pages."""
    from .db import connect, is_postgres

    if is_postgres(db):
        raise click.UsageError("serve shows an SQLite index (Datasette); index into a file for it")
    try:
        from .web import serve
    except ImportError as e:
        click.echo(f"vbextract: error: serve needs Datasette: pip install 'vbextract[web]' ({e})", err=True)
        sys.exit(1)
    try:
        connect(db, create=False).close()  # exists, is an index, migrated
    except errors.VbeError as e:
        _fail(e)
    serve(Path(db), host, port)


@click.command("review")
@click.argument("file", type=click.Path())
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Write the page here (default: stdout).")
@click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
def review_cmd(file: str, html_out: Optional[str], ocr_mode: str) -> None:
    """An HTML page of a document (its JSON output, or the document itself) with every
    extracted fact highlighted in its text: tasks, units by role, deadlines, legal
    references, targets; the task list, the rule of each task, the warnings."""
    from ..review import load_or_extract, render

    try:
        doc = load_or_extract(Path(file), ocr_mode)
    except errors.VbeError as e:
        _fail(e)
    page = render(doc)
    if html_out:
        Path(html_out).write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)


COMMANDS = [index_cmd, search_cmd, serve_cmd, review_cmd]
