"""extract(path) -> Document: read the file (``ingest``), then the structure
stages (header, sections), then the extractors (tasks and their deadlines,
legal references, targets, units), then the output model.

Errors: a ``VbeError`` about the file; a reader's library failure on odd input
becomes ``CorruptFile`` (its cause kept); a missing or broken data file is an
``InstallationError``; a bug of ours propagates as it is (``faults``)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Optional, Union

import yaml

from . import errors, faults, ingest
from .errors import W_DEADLINE_YEAR, W_NOT_ADMINISTRATIVE
from .extract.deadlines import fill, plan_end, plan_year
from .extract.legal import extract_legal_refs
from .extract.targets import extract_targets
from .extract.tasks import Trace, extract_tasks
from .extract.unitlist import district_warnings, resolve, resolve_all
from .model import Block, DocWarning, RawDocument
from .schema import BlockOut, Document, Source, SourceFile, TableCell, Warning
from .structure.header import extract_meta, looks_administrative
from .structure.outline import extract_sections

_HEADER_MARK = re.compile(r"CỘNG\s+H(?:OÀ|ÒA)|ĐẢNG CỘNG SẢN|Độc lập|Số\s*:", re.I)
_SIGN_MARK = re.compile(r"Nơi nhận|\b(?:TM|KT|TL|TUQ)\.\s", re.I)


def read_file(path: Union[str, Path]) -> tuple[Path, bytes]:
    """Read a file's bytes, turning OS errors into VbeErrors."""
    p = Path(path)
    try:
        if not p.exists():
            raise errors.NotFound(p.name, "no such file")
        if p.is_dir():
            raise errors.UnsupportedFormat(p.name, "is a directory")
        size = p.stat().st_size
        if size > ingest.MAX_BYTES:
            raise errors.TooLarge(p.name, f"file is {size // 2**20} MB (limit {ingest.MAX_BYTES // 2**20} MB)")
        return p, p.read_bytes()
    except PermissionError as e:
        raise errors.VbeError(p.name, "permission denied") from e
    except OSError as e:
        raise errors.VbeError(p.name, f"cannot read ({e.strerror or e})") from e


def _role(raw: RawDocument, b: Block, first_table: bool) -> str | None:
    if b.kind != "table" or not b.borderless and b.n_rows > 3:
        return None
    text = raw.text[b.start : b.end]
    if first_table and _HEADER_MARK.search(text):
        return "header"
    if _SIGN_MARK.search(text):
        return "signature"
    return None


def _blocks_out(raw: RawDocument) -> list[BlockOut]:
    out = []
    seen_table = False
    for b in raw.blocks:
        if b.kind == "paragraph":
            out.append(BlockOut(kind="paragraph", source=Source(page=b.page, start=b.start, end=b.end), style=b.style))
            continue
        cells = [
            TableCell(
                row=c.row,
                col=c.col,
                rowspan=c.rowspan,
                colspan=c.colspan,
                text=c.text,
                source=Source(page=c.page, start=c.start, end=c.end, table=b.table_index, row=c.row, col=c.col),
            )
            for c in b.cells
        ]
        out.append(
            BlockOut(
                kind="table",
                source=Source(page=b.page, start=b.start, end=b.end, table=b.table_index),
                page_end=b.page_end,
                role=_role(raw, b, not seen_table),
                n_rows=b.n_rows,
                n_cols=b.n_cols,
                cells=cells,
            )
        )
        seen_table = True
    return out


def _parse_deadlines(raw: RawDocument, meta, tasks) -> None:
    """Deadline texts -> kinds and intervals; a year taken from context is warned about."""
    year = plan_year(meta.title, meta.date)
    doc_date = date.fromisoformat(meta.date) if meta.date else None
    end_of_plan = plan_end(meta.title)
    for t in tasks:
        if t.deadline is None:
            continue
        for w in fill(t.deadline, year, doc_date, end_of_plan):
            src = t.deadline.source
            raw.warnings.append(
                DocWarning(
                    W_DEADLINE_YEAR,
                    w,
                    page=src.page if src else None,
                    start=src.start if src else None,
                    end=src.end if src else None,
                )
            )


def extract_raw(raw: RawDocument, name: str, data: bytes, traces: Optional[dict[str, Trace]] = None) -> Document:
    """Run the structure stages on an already ingested document; ``traces`` (if given) gets
    each task's provenance by task id (``vbextract explain``)."""
    meta, body_start, body_end = extract_meta(raw)
    sections = extract_sections(raw, body_start, body_end)
    tasks = extract_tasks(raw, sections, body_start, body_end, traces)
    # a page with no type, number line or distribution list and no task table (an encyclopedia
    # page, a Q&A article quoting laws) assigns nothing; a photo of a plan's task table does
    administrative = looks_administrative(meta, raw.text) or any(t.origin == "table" for t in tasks)
    if not administrative:
        tasks = []
        if traces is not None:
            traces.clear()
    _parse_deadlines(raw, meta, tasks)
    legal_refs = extract_legal_refs(raw, meta.symbol)
    targets = (
        extract_targets(raw, sections, body_start, body_end, plan_year(meta.title, meta.date)) if administrative else []
    )
    if not administrative:
        raw.warnings.append(
            DocWarning(
                W_NOT_ADMINISTRATIVE,
                "not an administrative document: no type, number line or distribution list; no tasks or targets read",
            )
        )
    units = resolve_all(meta, tasks)
    for ref in legal_refs:
        if ref.issuer is not None:
            resolve(ref.issuer)
    raw.warnings.extend(district_warnings(meta, tasks))
    warnings = [
        Warning(
            code=w.code,
            message=w.message,
            page=w.page,
            source=Source(page=w.page, start=w.start, end=w.end) if w.start is not None and w.end is not None else None,
        )
        for w in raw.warnings
    ]
    return Document(
        source_file=SourceFile(
            name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=raw.format,
            pages=raw.pages,
            ocr=raw.ocr,
            size=len(data),
        ),
        text=raw.text,
        meta=meta,
        sections=sections,
        tasks=tasks,
        legal_refs=legal_refs,
        targets=targets,
        units=units,
        warnings=warnings,
        blocks=_blocks_out(raw),
    )


def extract(
    path: Union[str, Path], ocr_mode: Optional[str] = None, traces: Optional[dict[str, Trace]] = None
) -> Document:
    """Read one document and return its structured model (raises VbeError).
    ``ocr_mode``: "auto" (OCR the pages without a usable text layer),
    "always", "never"; None takes the process default ``ocr.OCR_MODE``."""
    p, data = read_file(path)
    try:
        return extract_raw(_ingest(p, data, ocr_mode), p.name, data, traces)
    except (OSError, yaml.YAMLError) as e:  # a data file read by a later stage
        inst = faults.installation_error(e)
        if inst is None:
            raise
        raise inst from e


def _ingest(p: Path, data: bytes, ocr_mode: Optional[str]) -> RawDocument:
    try:
        return ingest.read(p, data, ocr_mode)
    except errors.VbeError:
        raise
    except (MemoryError, RecursionError) as e:
        raise errors.CorruptFile(p.name, f"cannot be processed ({type(e).__name__})") from e
    except Exception as e:  # a library error on odd input: one clear line (our bugs and data files excepted)
        faults.reraise_unless_input_fault(e)
        raise errors.CorruptFile(p.name, f"unreadable {p.suffix or 'file'} ({type(e).__name__}: {str(e)[:120]})") from e


def to_json(doc: Document) -> str:
    """Deterministic JSON: field order from the models, UTF-8 text, no timestamps."""
    return doc.model_dump_json(indent=1) + "\n"
