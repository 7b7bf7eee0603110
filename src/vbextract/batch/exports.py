"""The aggregate exports of a batch, made from the documents' rows in input order,
so they come out byte-identical whatever the number of workers:

* ``<kind>.csv``: UTF-8 with a BOM (Excel then reads Vietnamese right), one row per item;
* ``vbextract.xlsx``: one sheet per kind (openpyxl), header frozen and filtered,
  dates as Excel dates, column widths set;
* ``deadlines.ics``: one all-day event per dated task deadline, with an RRULE for
  a recurring one (icalendar).
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional

from .rows import TABLES, DocCols, DocRecord, Rows, TaskRow

# fixed instants, so that the files do not change from one run to the next
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAX_WIDTH = 60


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def table(name: str, docs: list[tuple[DocRecord, Rows]]) -> list[DocCols]:
    rows: list[DocCols] = []
    for _, r in docs:
        rows += getattr(r, name)
    return rows


def to_csv(name: str, docs: list[tuple[DocRecord, Rows]]) -> bytes:
    """One kind's rows as CSV (``\\r\\n`` line ends, as Excel writes them), UTF-8 with BOM."""
    buf = io.StringIO()
    w = csv.writer(buf)
    fields = list(TABLES[name].model_fields)
    w.writerow(fields)
    for row in table(name, docs):
        w.writerow([_cell(getattr(row, f)) for f in fields])
    return buf.getvalue().encode("utf-8-sig")


def _width(values: list[Any]) -> float:
    longest = max((len(_cell(v)) for v in values), default=0)
    return float(min(MAX_WIDTH, max(8, longest + 2)))


@contextmanager
def _temp_files_in(folder: Path) -> Iterator[None]:
    """openpyxl's write-only mode spools each sheet to a temporary file: keep it in
    the output folder's state (nothing is written outside the output folder)."""
    old = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = old


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01: zipfile stamps the time
    of writing, which would make two runs' files differ."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_xlsx(docs: list[tuple[DocRecord, Rows]], tmp_dir: Path) -> bytes:
    """Every kind on its own sheet: header frozen, auto filter, dates as dates, widths."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    with _temp_files_in(tmp_dir):
        wb = Workbook(write_only=True)
        wb.properties.creator = "vbextract"
        wb.properties.created = wb.properties.modified = _EPOCH.replace(tzinfo=None)
        for name, model in TABLES.items():
            ws = wb.create_sheet(name)
            fields = list(model.model_fields)
            rows = table(name, docs)
            for i, f in enumerate(fields, 1):
                ws.column_dimensions[get_column_letter(i)].width = _width([f] + [getattr(r, f) for r in rows])
            ws.freeze_panes = "A2"
            ws.append(fields)
            for r in rows:
                ws.append([getattr(r, f) for f in fields])
            ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{len(rows) + 1}"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps the current time
    return _fixed_zip(buf.getvalue())


def _event_day(t: TaskRow) -> Optional[date]:
    """The day a task's event is on: a recurring deadline from its start (or the
    document's date), any other from its end; None when the deadline has no date."""
    if t.deadline_recurrence:
        return t.deadline_start or t.doc_date
    return t.deadline_end


def dated(t: TaskRow) -> bool:
    """Does this task get an event in ``deadlines.ics``?"""
    return _event_day(t) is not None


def _description(t: TaskRow) -> str:
    doc = ", ".join(x for x in (t.doc_symbol, t.doc_date.isoformat() if t.doc_date else None, t.doc_issuer) if x)
    lines = [
        t.content,
        f"Chủ trì: {t.lead}" if t.lead else "",
        f"Phối hợp: {t.support}" if t.support else "",
        f"Thời hạn: {t.deadline_text}" if t.deadline_text else "",
        "Văn bản: " + " — ".join(x for x in (doc, t.doc_title) if x),
        f"Tệp: {t.file} ({t.task_id})",
    ]
    return "\n".join(x for x in lines if x)


def to_ics(docs: list[tuple[DocRecord, Rows]]) -> bytes:
    """One all-day VEVENT per dated task deadline (an office imports them into a
    calendar; VTODOs are ignored by the common calendars), RRULE for recurring ones."""
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("prodid", "-//vbextract//deadlines//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "vbextract: thời hạn nhiệm vụ")
    for rec, rows in docs:
        for t in rows.tasks:
            day = _event_day(t)
            if day is None:
                continue
            ev = Event()
            ev.add("uid", f"{(rec.sha256 or '')[:16]}-{t.task_id}@vbextract")
            ev.add("dtstamp", datetime.combine(t.doc_date, datetime.min.time(), timezone.utc) if t.doc_date else _EPOCH)
            ev.add("dtstart", day)
            ev.add("dtend", day + timedelta(days=1))
            who = f"{t.lead}: " if t.lead else ""
            summary = who + t.content
            ev.add("summary", summary if len(summary) <= 120 else summary[:119] + "…")
            ev.add("description", _description(t))
            if t.deadline_recurrence:
                ev.add("rrule", vRecur.from_ical(t.deadline_recurrence))
            cal.add_component(ev)
    return bytes(cal.to_ical())
