"""Index extracted JSON: one document's rows, replaced in one transaction.

A document is known by its key, the JSON file's name without ``.json`` (``extract -o
out/`` names it after the source file).  Its JSON's sha256 is stored: the same bytes again
change nothing; other bytes replace all of the document's rows (same ``documents.id``, so
review links stay valid) inside one ``BEGIN IMMEDIATE ... COMMIT``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import sqlite_utils
from pydantic import ValidationError

from .. import errors
from ..gazetteer import gazetteer
from ..normalize import fold
from ..schema import Deadline, Document, Source, Task, UnitRef
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
    """Folders -> their ``*.json`` files (sorted, recursively); files as given."""
    out: list[Path] = []
    for s in inputs:
        p = Path(s)
        out += sorted(q for q in p.rglob("*.json") if q.is_file()) if p.is_dir() else [p]
    return out


def index_paths(db: Db | sqlite3.Connection, inputs: Iterable[str | Path]) -> IndexReport:
    """Index every JSON file (folders searched for ``*.json``); a bad file is reported in
    ``failed`` and the others go on."""
    conn = db if isinstance(db, sqlite3.Connection) else connect(db)
    report = IndexReport()
    sync_units(conn)
    for path in expand(inputs):
        try:
            outcome = index_file(conn, path)
        except errors.VbeError as e:
            report.failed.append((e.path, e.reason))
            continue
        getattr(report, outcome).append(path.name)
    if not isinstance(db, sqlite3.Connection):
        conn.close()
    return report


def read_document(path: Path) -> tuple[bytes, Document]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise errors.NotFound(str(path), "no such file") from e
    except OSError as e:
        raise errors.VbeError(str(path), f"cannot read ({e.strerror})") from e
    try:
        return data, Document.model_validate_json(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "top level"
        raise errors.CorruptFile(str(path), f"not a vbextract JSON output ({where}: {first['msg']})") from e


def index_file(conn: sqlite3.Connection, path: Path) -> str:
    """Index one JSON file; returns "added", "replaced" or "unchanged"."""
    data, doc = read_document(path)
    key = path.name[: -len(".json")] if path.name.endswith(".json") else path.name
    sha = hashlib.sha256(data).hexdigest()
    old = conn.execute("SELECT id, content_sha256 FROM documents WHERE key = ?", (key,)).fetchone()
    if old and old[1] == sha:
        return "unchanged"
    conn.execute("BEGIN IMMEDIATE")
    try:
        if old:
            delete_document(conn, old[0])
        insert_document(conn, doc, key, sha, old[0] if old else None)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return "replaced" if old else "added"


def delete_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Every row of the document (foreign keys cascade) and its full-text rows."""
    conn.execute("DELETE FROM tasks_fts WHERE rowid IN (SELECT id FROM tasks WHERE document_id = ?)", (doc_id,))
    conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (doc_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def sync_units(conn: sqlite3.Connection) -> None:
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
    # sqlite-utils' upsert: insert-or-update by primary key without hand-written SQL per table
    db = sqlite_utils.Database(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        # a successor row may come after the body it succeeds: the references are checked at COMMIT
        conn.execute("PRAGMA defer_foreign_keys = ON")
        db.table("units").upsert_all(units, pk="unit_id")
        db.table("unit_aliases").upsert_all(aliases, pk=("unit_id", "alias"))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _insert(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    # plain executemany: sqlite-utils' insert_all inspects the table on every call, which
    # costs more than the rows of a small document
    if rows:
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
        conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


def _q(col: str) -> str:
    return f'"{col}"' if col == "end" else col


def _src(s: Optional[Source]) -> Row:
    return {"page": s.page if s else None, "start": s.start if s else None, "end": s.end if s else None}


def _month(end: Optional[str]) -> Optional[str]:
    return end[:7] if end and len(end) >= 7 else None


def _ensure_unit(conn: sqlite3.Connection, ref: Optional[UnitRef]) -> None:
    """A unit_id the gazetteer no longer has still gets a ``units`` row (the foreign key)."""
    if ref is not None and ref.unit_id:
        conn.execute("INSERT OR IGNORE INTO units (unit_id, name) VALUES (?, ?)", (ref.unit_id, ref.name))


def insert_document(conn: sqlite3.Connection, doc: Document, key: str, sha: str, doc_id: Optional[int]) -> int:
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
    cur = conn.execute(
        f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
    )
    did = int(doc_id if doc_id is not None else cur.lastrowid or 0)
    conn.execute("UPDATE documents SET review = ? WHERE id = ?", (f"/-/review/{did}", did))
    light = doc.model_dump(mode="json", exclude={"blocks"})
    _insert(conn, "document_json", [{"document_id": did, "json": json.dumps(light, ensure_ascii=False)}])
    conn.execute(
        "INSERT INTO documents_fts (rowid, title, symbol, issuer, folded) VALUES (?, ?, ?, ?, ?)",
        (did, m.title or "", m.symbol or "", issuer or "", fold(" ".join(filter(None, [m.title, m.symbol, issuer])))),
    )
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


def _sections(conn: sqlite3.Connection, doc: Document, did: int) -> None:
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


def _legal_refs(conn: sqlite3.Connection, doc: Document, did: int) -> dict[str, tuple[int, bool, list[Source]]]:
    """Insert the references and their mentions; ref id -> (row id, implemented, mentions)."""
    out: dict[str, tuple[int, bool, list[Source]]] = {}
    for r in doc.legal_refs:
        kinds = [x.kind for x in r.relations]
        implements = "implements" in kinds
        cur = conn.execute(
            "INSERT INTO legal_refs (document_id, ref_id, doc_type, doc_type_name, number, year, symbol, symbol_key,"
            " issuer_code, issuer, issuer_unit_id, date, date_text, title, text, relations, implements)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                did,
                r.id,
                r.doc_type,
                r.doc_type_name,
                r.number,
                r.year,
                r.symbol,
                symbol_key(r.symbol),
                r.issuer_code,
                r.issuer.name if r.issuer else None,
                r.issuer.unit_id if r.issuer else None,
                r.date,
                r.date_text,
                r.title,
                r.text,
                ",".join(dict.fromkeys(kinds)),
                int(implements),
            ),
        )
        rid = int(cur.lastrowid or 0)
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


def _tasks(conn: sqlite3.Connection, doc: Document, did: int, refs: dict[str, tuple[int, bool, list[Source]]]) -> None:
    m = doc.meta
    units, deadlines, links, fts = [], [], [], []
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
        cur = conn.execute(
            f"INSERT INTO tasks ({', '.join(map(_q, row))}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        )
        tid = int(cur.lastrowid or 0)
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
        exact = [t.content + (" " + t.outputs if t.outputs else ""), t.group or "", m.title or "", " ; ".join(names)]
        fts.append((tid, *exact, fold(" \n ".join(exact))))
    _insert(conn, "task_units", units)
    _insert(conn, "deadlines", deadlines)
    _insert(conn, "task_legal_refs", links)
    conn.executemany(
        "INSERT INTO tasks_fts (rowid, content, group_name, title, units, folded) VALUES (?,?,?,?,?,?)", fts
    )


def _targets(conn: sqlite3.Connection, doc: Document, did: int) -> None:
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


def _document_units(conn: sqlite3.Connection, doc: Document, did: int) -> None:
    rows = []
    for u in doc.units:
        if u.unit_id:
            conn.execute("INSERT OR IGNORE INTO units (unit_id, name) VALUES (?, ?)", (u.unit_id, u.name))
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
