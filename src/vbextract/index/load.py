"""Index extracted JSON: one document's rows, replaced in one transaction.

A document is known by its key, the JSON file's name without ``.json`` (``extract -o
out/`` names it after the source file).  Its JSON's sha256 is stored: the same bytes again
change nothing; other bytes replace all of the document's rows (same ``documents.id``, so
review links stay valid) inside one ``BEGIN IMMEDIATE ... COMMIT``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import ValidationError

from .. import errors
from ..gazetteer import gazetteer
from ..normalize import fold
from ..schema import Deadline, Document, Source, Task, UnitRef
from .backend import Backend, FtsRow
from .db import Db, connect, symbol_key

Row = dict[str, Any]


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed"
        )


def expand(inputs: Iterable[str | Path]) -> list[Path]:
    """Folders -> their ``*.json`` files (sorted, recursively, not under a hidden folder such as
    the batch's ``.vbextract/`` state); files as given."""
    out: list[Path] = []
    for s in inputs:
        p = Path(s)
        if not p.is_dir():
            out.append(p)
            continue
        out += sorted(
            q for q in p.rglob("*.json") if q.is_file() and not any(x.startswith(".") for x in q.relative_to(p).parts)
        )
    return out


def index_paths(db: Db | Backend, inputs: Iterable[str | Path]) -> IndexReport:
    """Index every JSON file (folders searched for ``*.json``) into the index at ``db`` (an
    SQLite path, a PostgreSQL URL or an open backend); a bad file is reported in ``failed``
    and the others go on."""
    conn = db if isinstance(db, Backend) else connect(db)
    report = IndexReport()
    sync_units(conn)
    for path in expand(inputs):
        try:
            outcome = index_file(conn, path)
        except errors.VbeError as e:
            report.failed.append((e.path, e.reason))
            continue
        getattr(report, outcome).append(path.name)
    if not isinstance(db, Backend):
        conn.close()
    return report


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise errors.NotFound(str(path), "no such file") from e
    except OSError as e:
        raise errors.VbeError(str(path), f"cannot read ({e.strerror})") from e


def read_document(path: Path) -> tuple[bytes, Document]:
    data = read_bytes(path)
    return data, parse(data, str(path))


def parse(data: bytes, name: str) -> Document:
    try:
        return Document.model_validate_json(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "top level"
        raise errors.CorruptFile(name, f"not a vbextract JSON output ({where}: {first['msg']})") from e


def index_file(conn: Backend, path: Path) -> str:
    """Index one JSON file; returns "added", "replaced" or "unchanged"."""
    key = path.name[: -len(".json")] if path.name.endswith(".json") else path.name
    return index_json(conn, read_bytes(path), key, str(path))


def index_json(conn: Backend, data: bytes, key: str, name: str) -> str:
    """Index one document's JSON under ``key``; returns "added", "replaced" or "unchanged"."""
    sha = hashlib.sha256(data).hexdigest()
    old = conn.execute("SELECT id, content_sha256 FROM documents WHERE key = ?", (key,)).fetchone()
    if old and old[1] == sha:
        return "unchanged"
    doc = parse(data, name)
    with conn.transaction():
        if old:
            delete_document(conn, old[0])
        insert_document(conn, doc, key, sha, old[0] if old else None)
    return "replaced" if old else "added"


def delete_document(conn: Backend, doc_id: int) -> None:
    """Every row of the document (foreign keys cascade) and its full-text rows."""
    conn.fts_delete(doc_id)
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def sync_units(conn: Backend) -> None:
    """The gazetteer's bodies and spellings into ``units``/``unit_aliases`` (an upsert:
    the same gazetteer again changes nothing)."""
    from ..extract.unit_mentions import canonical_name

    g = gazetteer()
    units, aliases = [], []
    for e in g.entries.values():
        succ = g.successor_of(e.id)
        units.append(
            {
                "unit_id": e.id,
                "name": e.name,
                "type": e.type,
                "level": e.level,
                "code": e.code,
                "valid_from": e.valid_from.isoformat() if e.valid_from else None,
                "valid_to": e.valid_to.isoformat() if e.valid_to else None,
                "successor_id": succ.id if succ else None,
                "successor": succ.name if succ else None,
            }
        )
        for a in dict.fromkeys([e.name, *e.aliases, *map(canonical_name, e.aliases)]):
            aliases.append({"unit_id": e.id, "alias": a, "folded": fold(a)})
    # hand-written upserts rather than sqlite-utils' upsert_all: the same SQL runs on SQLite
    # and PostgreSQL; successors are set in a second pass (a successor may come later)
    with conn.transaction():
        cols = [c for c in units[0] if c not in ("unit_id", "successor_id", "successor")]
        conn.executemany(
            f"INSERT INTO units (unit_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})"
            f" ON CONFLICT (unit_id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols)}",
            [(u["unit_id"], *(u[c] for c in cols)) for u in units],
        )
        conn.executemany(
            "UPDATE units SET successor_id = ?, successor = ? WHERE unit_id = ?",
            [(u["successor_id"], u["successor"], u["unit_id"]) for u in units],
        )
        conn.executemany(
            "INSERT INTO unit_aliases (unit_id, alias, folded) VALUES (?, ?, ?) ON CONFLICT (unit_id, alias) DO NOTHING",
            [(a["unit_id"], a["alias"], a["folded"]) for a in aliases],
        )


def _insert(conn: Backend, table: str, rows: list[Row]) -> None:
    conn.insert_many(table, rows)


def _src(s: Optional[Source]) -> Row:
    return {"page": s.page if s else None, "start": s.start if s else None, "end": s.end if s else None}


def _month(end: Optional[str]) -> Optional[str]:
    return end[:7] if end and len(end) >= 7 else None


def _ensure_unit(conn: Backend, ref: Optional[UnitRef]) -> None:
    """A unit_id the gazetteer no longer has still gets a ``units`` row (the foreign key)."""
    if ref is not None and ref.unit_id:
        conn.execute(
            "INSERT INTO units (unit_id, name) VALUES (?, ?) ON CONFLICT (unit_id) DO NOTHING", (ref.unit_id, ref.name)
        )


def insert_document(conn: Backend, doc: Document, key: str, sha: str, doc_id: Optional[int]) -> int:
    m = doc.meta
    issuer = m.issuer.name if m.issuer else None
    row = {
        "id": doc_id,
        "key": key,
        "content_sha256": sha,
        "file_name": doc.source_file.name,
        "file_sha256": doc.source_file.sha256,
        "format": doc.source_file.format,
        "pages": doc.source_file.pages,
        "ocr": int(doc.source_file.ocr),
        "doc_type": m.doc_type,
        "doc_type_name": m.doc_type_name,
        "number": m.number,
        "symbol": m.symbol,
        "symbol_key": symbol_key(m.symbol),
        "issuer": issuer,
        "issuer_unit_id": m.issuer.unit_id if m.issuer else None,
        "issuer_folded": fold(issuer) if issuer else None,
        "parent_issuer": m.parent_issuer.name if m.parent_issuer else None,
        "province": m.province,
        "province_folded": fold(m.province) if m.province else None,
        "place": m.place,
        "date": m.date,
        "date_text": m.date_text,
        "title": m.title,
        "signer": m.signer.name if m.signer else None,
        "signer_position": m.signer.position if m.signer else None,
        "signer_authority": m.signer.authority if m.signer else None,
        "n_tasks": len(doc.tasks),
        "n_legal_refs": len(doc.legal_refs),
        "n_targets": len(doc.targets),
        "n_warnings": len(doc.warnings),
        "review": "",
    }
    if doc_id is None:
        del row["id"]
    did = conn.insert("documents", row)
    conn.execute("UPDATE documents SET review = ? WHERE id = ?", (f"/-/review/{did}", did))
    light = doc.model_dump(mode="json", exclude={"blocks"})
    _insert(conn, "document_json", [{"document_id": did, "json": json.dumps(light, ensure_ascii=False)}])
    folded = fold(" ".join(filter(None, [m.title, m.symbol, issuer])))
    conn.fts_add_document(did, m.title or "", m.symbol or "", issuer or "", folded)
    _ensure_unit(conn, m.issuer)
    _sections(conn, doc, did)
    ref_ids = _legal_refs(conn, doc, did)
    _tasks(conn, doc, did, ref_ids)
    _targets(conn, doc, did)
    _document_units(conn, doc, did)
    _insert(
        conn,
        "warnings",
        [
            {"document_id": did, "code": w.code, "message": w.message, **_src(w.source), "page": w.page}
            for w in doc.warnings
        ],
    )
    return did


def _sections(conn: Backend, doc: Document, did: int) -> None:
    rows: list[Row] = []

    def walk(secs: list[Any], parent: Optional[str]) -> None:
        for s in secs:
            rows.append(
                {
                    "document_id": did,
                    "section_id": s.id,
                    "parent_section_id": parent,
                    "number": s.number,
                    "heading": s.heading,
                    "level": s.level,
                    **_src(s.source),
                }
            )
            walk(s.children, s.id)

    walk(doc.sections, None)
    _insert(conn, "sections", rows)


def _legal_refs(conn: Backend, doc: Document, did: int) -> dict[str, tuple[int, bool, list[Source]]]:
    """Insert the references and their mentions; ref id -> (row id, implemented, mentions)."""
    out: dict[str, tuple[int, bool, list[Source]]] = {}
    for r in doc.legal_refs:
        kinds = [x.kind for x in r.relations]
        implements = "implements" in kinds
        rid = conn.insert(
            "legal_refs",
            {
                "document_id": did,
                "ref_id": r.id,
                "doc_type": r.doc_type,
                "doc_type_name": r.doc_type_name,
                "number": r.number,
                "year": r.year,
                "symbol": r.symbol,
                "symbol_key": symbol_key(r.symbol),
                "issuer_code": r.issuer_code,
                "issuer": r.issuer.name if r.issuer else None,
                "issuer_unit_id": r.issuer.unit_id if r.issuer else None,
                "date": r.date,
                "date_text": r.date_text,
                "title": r.title,
                "text": r.text,
                "relations": ",".join(dict.fromkeys(kinds)),
                "implements": int(implements),
            },
        )
        _insert(conn, "legal_mentions", [{"legal_ref_id": rid, "document_id": did, **_src(s)} for s in r.mentions])
        out[r.id] = (rid, implements, r.mentions)
    return out


def _inside(m: Source, t: Source) -> bool:
    """A mention inside a task's text, or in another cell of the task's table row."""
    if t.table is not None and m.table == t.table and m.row == t.row:
        return True
    return t.start <= m.start and m.end <= t.end


def _unit_rows(task: Task, tid: int, did: int) -> list[Row]:
    g = gazetteer()
    rows = []
    for role, refs in (("lead", task.lead), ("support", task.support)):
        for i, u in enumerate(refs):
            succ = g.successor_of(u.unit_id)
            rows.append(
                {
                    "task_id": tid,
                    "document_id": did,
                    "role": role,
                    "position": i,
                    "text": u.text,
                    "unit_id": u.unit_id,
                    "name": u.name,
                    "name_folded": fold(u.name),
                    "collective": int(u.collective),
                    "successor_id": succ.id if succ else None,
                    "successor": succ.name if succ else None,
                    **{k: v for k, v in _src(u.source).items() if k != "page"},
                }
            )
    return rows


def _deadline_rows(d: Optional[Deadline], tid: int, did: int) -> list[Row]:
    if d is None:
        return []

    def row(x: Deadline, actor: Optional[UnitRef]) -> Row:
        return {
            "task_id": tid,
            "document_id": did,
            "actor": actor.name if actor else None,
            "actor_unit_id": actor.unit_id if actor else None,
            "text": x.text,
            "kind": x.kind,
            "start": x.start,
            "end": x.end,
            "month": _month(x.end),
            "rrule": x.recurrence,
        }

    return [row(d, None)] + [row(a.deadline, a.actor) for a in d.actors]


def _tasks(conn: Backend, doc: Document, did: int, refs: dict[str, tuple[int, bool, list[Source]]]) -> None:
    m = doc.meta
    units, deadlines, links = [], [], []
    fts: list[FtsRow] = []
    for i, t in enumerate(doc.tasks):
        d = t.deadline
        row = {
            "document_id": did,
            "task_id": t.id,
            "position": i,
            "path": t.path,
            "group_name": t.group,
            "content": t.content,
            "outputs": t.outputs,
            "budget": t.budget,
            "origin": t.origin,
            "rule": t.rule,
            "lead": "; ".join(u.name for u in t.lead),
            "support": "; ".join(u.name for u in t.support),
            "deadline_text": d.text if d else None,
            "deadline_kind": d.kind if d else None,
            "deadline_start": d.start if d else None,
            "deadline_end": d.end if d else None,
            "deadline_month": _month(d.end) if d else None,
            "rrule": d.recurrence if d else None,
            "province": m.province,
            "doc_type": m.doc_type,
            **_src(t.source),
            "tbl": t.source.table,
            "row": t.source.row,
            "col": t.source.col,
            "review": f"/-/review/{did}#{t.id}",
        }
        tid = conn.insert("tasks", row)
        for u in [*t.lead, *t.support]:
            _ensure_unit(conn, u)
        units += _unit_rows(t, tid, did)
        deadlines += _deadline_rows(d, tid, did)
        for rid, implements, mentions in refs.values():
            if implements:
                links.append({"task_id": tid, "legal_ref_id": rid, "document_id": did, "how": "implements"})
            if any(_inside(s, t.source) for s in mentions):
                links.append({"task_id": tid, "legal_ref_id": rid, "document_id": did, "how": "cites"})
        names = [x for u in [*t.lead, *t.support] for x in dict.fromkeys([u.name, u.text])]
        content = t.content + (" " + t.outputs if t.outputs else "")
        group, title, unit_names = t.group or "", m.title or "", " ; ".join(names)
        fts.append((tid, content, group, title, unit_names, fold(" \n ".join([content, group, title, unit_names]))))
    _insert(conn, "task_units", units)
    _insert(conn, "deadlines", deadlines)
    _insert(conn, "task_legal_refs", links)
    conn.fts_add(fts)


def _targets(conn: Backend, doc: Document, did: int) -> None:
    rows = []
    for i, t in enumerate(doc.targets):
        _ensure_unit(conn, t.owner)
        rows.append(
            {
                "document_id": did,
                "position": i,
                "text": t.text,
                "subject": t.subject,
                "comparator": t.comparator,
                "value": t.value,
                "value_max": t.value_max,
                "unit": t.unit,
                "year": t.year,
                "baseline_value": t.baseline.value if t.baseline else None,
                "baseline_year": t.baseline.year if t.baseline else None,
                "owner": t.owner.name if t.owner else None,
                "owner_unit_id": t.owner.unit_id if t.owner else None,
                **_src(t.source),
            }
        )
    _insert(conn, "targets", rows)


def _document_units(conn: Backend, doc: Document, did: int) -> None:
    rows = []
    for u in doc.units:
        if u.unit_id:
            _ensure_unit(conn, UnitRef(text=u.name, unit_id=u.unit_id, name=u.name))
        rows.append(
            {
                "document_id": did,
                "unit_id": u.unit_id,
                "name": u.name,
                "aliases": "; ".join(u.aliases),
                "lead": u.roles.lead,
                "support": u.roles.support,
                "recipient": u.roles.recipient,
                "successor": u.successor,
            }
        )
    _insert(conn, "document_units", rows)
