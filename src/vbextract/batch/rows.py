"""The batch's records and export rows, as pydantic models (the source of truth for
``documents.jsonl``, ``errors.jsonl`` and the columns of the CSV and XLSX exports).

A document's rows are made once, in the worker that extracted it, and kept in the
batch state so that a re-run rebuilds the aggregate exports without reading the
documents' JSON again."""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..schema import Document, Source, UnitRef

# The stage a document failed in: reading the file, reading its format, the
# extraction stages, vbextract's installation, or the worker running it
# (timeout, crash, memory).
Stage = Literal["read", "ingest", "extract", "install", "worker"]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorRecord(_M):
    """One line of ``errors.jsonl``."""

    file: str
    stage: Stage
    code: str
    reason: str


class Counts(_M):
    tasks: int = 0
    legal_refs: int = 0
    targets: int = 0
    units: int = 0


class DocRecord(_M):
    """One line of ``documents.jsonl``: every input, converted or not."""

    file: str = Field(description="the input path as given (or as found in a folder)")
    output: Optional[str] = Field(None, description="the JSON file written into the output folder")
    sha256: Optional[str] = None
    status: Literal["ok", "error"]
    format: Optional[str] = None
    pages: Optional[int] = None
    ocr_pages: int = 0
    counts: Counts = Field(default_factory=Counts)
    warnings: dict[str, int] = Field(default_factory=dict, description="warning code -> how many")
    error: Optional[ErrorRecord] = None


class DocCols(_M):
    """The columns every export row starts with: which document it comes from."""

    file: str
    doc_symbol: Optional[str] = None
    doc_date: Optional[date] = None
    doc_issuer: Optional[str] = None
    doc_title: Optional[str] = None


class TaskRow(DocCols):
    task_id: str
    path: Optional[str] = None
    group: Optional[str] = None
    content: str
    outputs: Optional[str] = None
    lead: str = Field("", description="canonical names, '; ' between units")
    lead_ids: str = Field("", description="gazetteer ids in the order of lead, empty for an unknown unit")
    support: str = ""
    support_ids: str = ""
    deadline_text: Optional[str] = None
    deadline_kind: Optional[str] = None
    deadline_start: Optional[date] = None
    deadline_end: Optional[date] = None
    deadline_recurrence: Optional[str] = None
    budget: Optional[str] = None
    origin: str
    rule: str = ""
    page: Optional[int] = None


class LegalRefRow(DocCols):
    ref_id: str
    symbol: Optional[str] = None
    doc_type: Optional[str] = None
    number: Optional[str] = None
    year: Optional[int] = None
    ref_date: Optional[date] = None
    issuer: Optional[str] = None
    issuer_id: Optional[str] = None
    title: Optional[str] = None
    relations: str = ""
    mentions: int = 0
    page: Optional[int] = None


class TargetRow(DocCols):
    subject: Optional[str] = None
    comparator: Optional[str] = None
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: Optional[str] = None
    year: Optional[int] = None
    owner: Optional[str] = None
    owner_id: Optional[str] = None
    text: str
    page: Optional[int] = None


class UnitRow(DocCols):
    unit_id: Optional[str] = None
    name: str
    aliases: str = ""
    lead: int = 0
    support: int = 0
    recipient: int = 0
    successor: Optional[str] = None


class Rows(_M):
    """A document's rows of every tabular export, in the document's order."""

    tasks: list[TaskRow] = Field(default_factory=list)
    legal_refs: list[LegalRefRow] = Field(default_factory=list)
    targets: list[TargetRow] = Field(default_factory=list)
    units: list[UnitRow] = Field(default_factory=list)


# export name -> row model, in the order of the XLSX sheets
TABLES: dict[str, type[DocCols]] = {
    "tasks": TaskRow,
    "legal_refs": LegalRefRow,
    "targets": TargetRow,
    "units": UnitRow,
}


def _day(iso: Optional[str]) -> Optional[date]:
    """An ISO day, or None (also for a string that is not a real day)."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _names(units: list[UnitRef]) -> tuple[str, str]:
    return "; ".join(u.name for u in units), "; ".join(u.unit_id or "" for u in units)


def _page(src: Optional[Source]) -> Optional[int]:
    return src.page if src else None


def rows_of(doc: Document, file: str) -> Rows:
    """Every export row of one document."""
    m = doc.meta
    cols = dict(
        file=file,
        doc_symbol=m.symbol,
        doc_date=_day(m.date),
        doc_issuer=m.issuer.name if m.issuer else None,
        doc_title=m.title,
    )
    out = Rows()
    for t in doc.tasks:
        lead, lead_ids = _names(t.lead)
        support, support_ids = _names(t.support)
        d = t.deadline
        out.tasks.append(
            TaskRow(
                **cols,
                task_id=t.id,
                path=t.path,
                group=t.group,
                content=t.content,
                outputs=t.outputs,
                lead=lead,
                lead_ids=lead_ids,
                support=support,
                support_ids=support_ids,
                deadline_text=d.text if d else None,
                deadline_kind=d.kind if d else None,
                deadline_start=_day(d.start) if d else None,
                deadline_end=_day(d.end) if d else None,
                deadline_recurrence=d.recurrence if d else None,
                budget=t.budget,
                origin=t.origin,
                rule=t.rule,
                page=t.source.page,
            )
        )
    for r in doc.legal_refs:
        out.legal_refs.append(
            LegalRefRow(
                **cols,
                ref_id=r.id,
                symbol=r.symbol,
                doc_type=r.doc_type,
                number=r.number,
                year=r.year,
                ref_date=_day(r.date),
                issuer=r.issuer.name if r.issuer else None,
                issuer_id=r.issuer.unit_id if r.issuer else None,
                title=r.title,
                relations="; ".join(f"{x.kind} {x.target}" if x.target else x.kind for x in r.relations),
                mentions=len(r.mentions),
                page=r.mentions[0].page if r.mentions else None,
            )
        )
    for g in doc.targets:
        out.targets.append(
            TargetRow(
                **cols,
                subject=g.subject,
                comparator=g.comparator,
                value=g.value,
                value_max=g.value_max,
                unit=g.unit,
                year=g.year,
                owner=g.owner.name if g.owner else None,
                owner_id=g.owner.unit_id if g.owner else None,
                text=g.text,
                page=_page(g.source),
            )
        )
    for u in doc.units:
        out.units.append(
            UnitRow(
                **cols,
                unit_id=u.unit_id,
                name=u.name,
                aliases="; ".join(u.aliases),
                lead=u.roles.lead,
                support=u.roles.support,
                recipient=u.roles.recipient,
                successor=u.successor,
            )
        )
    return out


def ocr_pages(doc: Document, ocr_mode: str) -> int:
    """Pages read by OCR: every page of an image (and of an OCR'd PDF under
    ``--ocr always``), else the pages whose warning says "read by OCR"."""
    sf = doc.source_file
    if sf.format == "image" or (sf.ocr and ocr_mode == "always"):
        return sf.pages or 0
    return sum(1 for w in doc.warnings if w.code in ("W101", "W102") and "read by OCR" in w.message)


def record_of(doc: Document, file: str, output: Optional[str], ocr_mode: str) -> DocRecord:
    """The ``documents.jsonl`` line of a converted document."""
    warnings: dict[str, int] = {}
    for w in doc.warnings:
        warnings[w.code] = warnings.get(w.code, 0) + 1
    return DocRecord(
        file=file,
        output=output,
        sha256=doc.source_file.sha256,
        status="ok",
        format=doc.source_file.format,
        pages=doc.source_file.pages,
        ocr_pages=ocr_pages(doc, ocr_mode),
        counts=Counts(
            tasks=len(doc.tasks),
            legal_refs=len(doc.legal_refs),
            targets=len(doc.targets),
            units=len(doc.units),
        ),
        warnings=dict(sorted(warnings.items())),
    )
