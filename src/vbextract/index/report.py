"""How search results are shown: a rich table on the terminal, or CSV rows."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .search import Hit, HitUnit, Result

CSV_HEADER = [
    "document",
    "symbol",
    "province",
    "doc_type",
    "task_id",
    "path",
    "content",
    "lead",
    "support",
    "deadline",
    "deadline_kind",
    "deadline_end",
    "cites",
    "review",
]


def unit_label(u: HitUnit) -> str:
    """'Sở Kế hoạch và Đầu tư → Sở Tài chính' for a body taken over in 2025."""
    return f"{u.name} → {u.successor}" if u.successor else u.name


def _units(h: Hit, role: str) -> str:
    return "; ".join(unit_label(u) for u in h.units if u.role == role)


def _deadline(h: Hit) -> tuple[str, str, str]:
    if not h.deadlines:
        return "", "", ""
    d = h.deadlines[0]
    return d.text, d.kind, d.end or ""


def csv_rows(r: Result) -> list[list[str]]:
    rows = []
    for h in r.hits:
        text, kind, end = _deadline(h)
        cites = "; ".join(sorted({x.symbol or "" for x in h.refs if x.how == "cites"} - {""}))
        rows.append(
            [
                h.document,
                h.symbol or "",
                h.province or "",
                h.doc_type or "",
                h.task_id,
                h.path or "",
                h.content,
                _units(h, "lead"),
                _units(h, "support"),
                text,
                kind,
                end,
                cites,
                h.review,
            ]
        )
    return rows


def describe_unit(r: Result) -> str | None:
    u = r.unit
    if u is None:
        return None
    if not u.unit_id:
        return f"{u.query}: not in the gazetteer; matched on the name as written"
    line = f"{u.query} = {u.name}"
    if u.successor:
        line += f"; dissolved in the 2025 reorganisation, succeeded by {u.successor}"
    if u.succeeds:
        line += f"; also the tasks of the bodies it took over: {', '.join(u.succeeds)}"
    return line


def print_table(r: Result, console: Console | None = None) -> None:
    console = console or Console(soft_wrap=False)
    note = describe_unit(r)
    if note:
        console.print(note, markup=False, highlight=False)
    t = Table(show_lines=True)
    for col, kw in (
        ("document", {"max_width": 28}),
        ("task", {}),
        ("content", {"ratio": 3}),
        ("lead", {"ratio": 1}),
        ("support", {"ratio": 1}),
        ("deadline", {"max_width": 24}),
    ):
        t.add_column(col, overflow="fold", **kw)  # type: ignore[arg-type]
    for h in r.hits:
        text, kind, end = _deadline(h)
        content = h.content if len(h.content) <= 300 else h.content[:299] + "…"
        doc = " ".join(x for x in (h.symbol or h.document, h.province and f"({h.province})") if x)
        cells = [
            doc,
            h.task_id,
            content,
            _units(h, "lead"),
            _units(h, "support"),
            f"{text} ({kind} {end})" if text else "",
        ]
        t.add_row(*(Text(c) for c in cells))  # Text: no rich markup read from the documents
    console.print(t, markup=False, highlight=False)
    shown = f"showing {len(r.hits)} of {r.total}" if len(r.hits) < r.total else f"{r.total}"
    console.print(f"{shown} tasks", markup=False, highlight=False)
