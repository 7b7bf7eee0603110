"""``vbextract search``: tasks by unit, role, deadline, cited document, province, issuer,
document type and free text; every filter given must hold (they combine with AND).

A unit is resolved by the gazetteer matcher extraction uses (canonical name, alias,
abbreviation, with or without diacritics: "Sở KH&ĐT", "so ke hoach va dau tu"); a task
matches when one of its units is that body or was succeeded by it in the 2025
reorganisation (so "Sở Tài chính" also finds what Sở Kế hoạch và Đầu tư still owns, and
each hit says so).  A unit the gazetteer does not know is matched on its folded name.

Free text runs on the FTS5 table twice over (db.py): the words as typed on the exact
columns, the folded words on the shadow column; exact hits first, then FTS rank.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..extract.unit_mentions import canonical_name
from ..gazetteer import gazetteer
from ..normalize import fold
from .backend import Backend
from .db import symbol_key, unit_of

# deadlines that can be missed: a day or a period that ends (not ongoing, recurring, conditional)
DATED_KINDS = ("date", "before", "month", "quarter", "half_year", "year", "range", "relative")


class Query(BaseModel):
    """The filters of one search (all optional; given ones combine with AND)."""

    model_config = ConfigDict(extra="forbid")
    unit: Optional[str] = Field(None, description="a unit: name, alias, abbreviation; its successor's tasks too")
    role: Optional[Literal["lead", "support"]] = Field(None, description="the unit's role in the task")
    due_before: Optional[date] = Field(None, description="a deadline ending on or before this day")
    due_after: Optional[date] = Field(None, description="a deadline ending on or after this day")
    overdue: bool = Field(False, description="the task's dated deadline ended before as_of")
    as_of: Optional[date] = Field(None, description="the day overdue is judged on (default: today)")
    cites: Optional[str] = Field(None, description="a cited or implemented document's symbol")
    province: Optional[str] = None
    issuer: Optional[str] = None
    doc_type: Optional[str] = Field(None, description='a type code ("KH", "QĐ") or name ("Kế hoạch")')
    text: Optional[str] = Field(None, description="free text, with or without diacritics")
    limit: Optional[int] = Field(None, ge=1)


class UnitInfo(BaseModel):
    query: str
    unit_id: Optional[str] = None
    name: Optional[str] = None
    successor_id: Optional[str] = None
    successor: Optional[str] = Field(None, description="the body that took this one over (2025 reorganisation)")
    succeeds: list[str] = Field(default_factory=list, description="bodies this one took over")


class HitUnit(BaseModel):
    role: Literal["lead", "support"]
    name: str
    text: Optional[str] = None
    unit_id: Optional[str] = None
    successor: Optional[str] = None
    matched: bool = Field(False, description="this unit is the one searched for (or its predecessor)")


class HitDeadline(BaseModel):
    text: str
    kind: str
    start: Optional[str] = None
    end: Optional[str] = None
    rrule: Optional[str] = None
    actor: Optional[str] = None


class HitRef(BaseModel):
    symbol: Optional[str] = None
    title: Optional[str] = None
    how: Literal["cites", "implements"]


class Hit(BaseModel):
    document: str = Field(description="the document's key: its JSON file name without .json")
    document_id: int
    symbol: Optional[str] = None
    doc_type: Optional[str] = None
    title: Optional[str] = None
    province: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[str] = None
    task_id: str
    path: Optional[str] = None
    group: Optional[str] = None
    content: str
    rule: Optional[str] = None
    page: Optional[int] = None
    start: Optional[int] = None
    end: Optional[int] = None
    units: list[HitUnit] = Field(default_factory=list)
    deadlines: list[HitDeadline] = Field(default_factory=list, description="the task's own first, then per actor")
    refs: list[HitRef] = Field(default_factory=list)
    exact: Optional[bool] = Field(None, description="free text: found as typed (not only folded)")
    review: str


class Result(BaseModel):
    query: Query
    unit: Optional[UnitInfo] = None
    total: int
    hits: list[Hit]


_WORD = re.compile(r"\w+")


def unit_info(name: str) -> UnitInfo:
    uid = unit_of(name)
    if uid is None:
        return UnitInfo(query=name)
    g = gazetteer()
    succ = g.successor_of(uid)
    olds = sorted(e.name for e in g.entries.values() if (s := g.successor_of(e.id)) is not None and s.id == uid)
    return UnitInfo(
        query=name,
        unit_id=uid,
        name=g.get(uid).name,
        successor_id=succ.id if succ else None,
        successor=succ.name if succ else None,
        succeeds=olds,
    )


def _where(
    conn: Backend, q: Query, info: Optional[UnitInfo], today: date
) -> tuple[list[str], dict[str, Any], str, str, str]:
    """SQL conditions and parameters; for free text the JOIN, the exact-hit expression and
    the ORDER BY head."""
    conds: list[str] = []
    p: dict[str, Any] = {}
    if q.unit or q.role:
        unit_cond = "1 = 1"
        if info is not None and info.unit_id:
            unit_cond = "(tu.unit_id = :uid OR tu.successor_id = :uid)"
            p["uid"] = info.unit_id
        elif q.unit:
            unit_cond = conn.contains("tu.name_folded", "ufold")
            p["ufold"] = fold(canonical_name(q.unit))
        role_cond = " AND tu.role = :role" if q.role else ""
        p["role"] = q.role
        # IN (subquery) rather than EXISTS: the indexed unit columns drive the query
        conds.append(f"t.id IN (SELECT tu.task_id FROM task_units tu WHERE {unit_cond}{role_cond})")
    if q.due_before or q.due_after:
        rng = []
        if q.due_before:
            rng.append('dl."end" <= :before')
            p["before"] = q.due_before.isoformat()
        if q.due_after:
            rng.append('dl."end" >= :after')
            p["after"] = q.due_after.isoformat()
        conds.append(f"t.id IN (SELECT dl.task_id FROM deadlines dl WHERE {' AND '.join(rng)})")
    if q.overdue:
        p["as_of"] = (q.as_of or today).isoformat()
        conds.append(f"t.deadline_end < :as_of AND t.deadline_kind IN ({', '.join(repr(k) for k in DATED_KINDS)})")
    if q.cites:
        p["sym"] = symbol_key(q.cites)
        conds.append(
            "t.id IN (SELECT tl.task_id FROM task_legal_refs tl JOIN legal_refs lr ON lr.id = tl.legal_ref_id"
            " WHERE (lr.symbol_key = :sym OR lr.symbol_key LIKE :sym || '/%'"
            " OR lr.symbol_key LIKE :sym || '-%'))"
        )
    if q.province:
        p["prov"] = fold(q.province)
        conds.append(conn.contains("d.province_folded", "prov"))
    if q.issuer:
        p["iss"], p["iss_canon"], p["iss_uid"] = fold(q.issuer), fold(canonical_name(q.issuer)), unit_of(q.issuer)
        iss = f"({conn.contains('d.issuer_folded', 'iss')} OR {conn.contains('d.issuer_folded', 'iss_canon')}"
        conds.append(iss + " OR d.issuer_unit_id = :iss_uid)")
    if q.doc_type:
        # the few types in the index, matched in Python: "qd", "QĐ" and "Quyết định" are one
        want = fold(q.doc_type)
        types = conn.execute("SELECT DISTINCT doc_type, doc_type_name FROM documents WHERE doc_type IS NOT NULL")
        codes = sorted({c for c, n in types if want in (fold(c), fold(n or ""))})
        p.update({f"dtype{i}": c for i, c in enumerate(codes)})
        conds.append(f"d.doc_type IN ({', '.join(f':dtype{i}' for i in range(len(codes)))})" if codes else "0 = 1")
    join, exact, order = "", "NULL", ""
    if q.text is not None:
        exact_words = _WORD.findall(q.text.lower())
        folded_words = _WORD.findall(fold(q.text))
        if not folded_words:
            raise ValueError("--text has no words to search for")
        p.update(conn.text_params(exact_words, folded_words))
        join, exact, order = conn.text_match()
    return conds, p, join, exact, order


def search(conn: Backend, q: Query, today: Optional[date] = None) -> Result:
    """Run ``q`` on an open index (``db.connect``)."""
    info = unit_info(q.unit) if q.unit else None
    conds, p, join, exact, order = _where(conn, q, info, today or date.today())
    # first the ordered ids alone (the sort and the count carry no text), then the columns
    # of the page of hits
    # the hits first (PostgreSQL: materialised, or its planner walks every document in key
    # order to feed the LIMIT), then ordered with their count
    frank = "f.frank" if q.text is not None else "NULL"
    materialized = " MATERIALIZED" if conn.dialect == "postgresql" else ""
    sql = (
        f"WITH h AS{materialized} (SELECT t.id AS id, {exact} AS exact, {frank} AS frank, d.key AS dkey,"
        f" t.position AS pos FROM tasks t JOIN documents d ON d.id = t.document_id{join}"
        f" WHERE {' AND '.join(conds) or '1 = 1'})"
        f" SELECT id, exact, count(*) OVER () AS total FROM h ORDER BY {order}dkey, pos"
    )
    if q.limit:
        sql += f" LIMIT {int(q.limit)}"
    found = conn.execute(sql, p).fetchall()
    rows: dict[int, Any] = {}
    for chunk in (found[i : i + 500] for i in range(0, len(found), 500)):
        cur = conn.execute(
            "SELECT t.id, d.key, d.id, d.symbol, d.doc_type, d.title, d.province, d.issuer, d.date, t.task_id,"
            ' t.path, t.group_name, t.content, t.rule, t.page, t.start, t."end", t.review'
            " FROM tasks t JOIN documents d ON d.id = t.document_id"
            f" WHERE t.id IN ({', '.join('?' * len(chunk))})",
            [r[0] for r in chunk],
        )
        rows.update((r[0], r) for r in cur)
    hits = []
    for tid, ex, _ in found:
        r = rows[tid]
        hits.append(
            Hit(
                document=r[1],
                document_id=r[2],
                symbol=r[3],
                doc_type=r[4],
                title=r[5],
                province=r[6],
                issuer=r[7],
                date=r[8],
                task_id=r[9],
                path=r[10],
                group=r[11],
                content=r[12],
                rule=r[13],
                page=r[14],
                start=r[15],
                end=r[16],
                review=r[17],
                exact=None if ex is None else bool(ex),
            )
        )
    _details(conn, [r[0] for r in found], hits, info)
    return Result(query=q, unit=info, total=found[0][2] if found else 0, hits=hits)


def _details(conn: Backend, ids: list[int], hits: list[Hit], info: Optional[UnitInfo]) -> None:
    """The units, deadlines and cited documents of the hits, a few queries for all of them."""
    by_id = dict(zip(ids, hits))
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        marks = ", ".join("?" * len(chunk))
        for tid, role, name, text, uid, succ, succ_id in conn.execute(
            "SELECT task_id, role, name, text, unit_id, successor, successor_id FROM task_units"
            f" WHERE task_id IN ({marks}) ORDER BY task_id, role = 'support', position",
            chunk,
        ):
            matched = info is not None and info.unit_id is not None and info.unit_id in (uid, succ_id)
            by_id[tid].units.append(
                HitUnit(role=role, name=name, text=text, unit_id=uid, successor=succ, matched=matched)
            )
        for tid, text, kind, start, end, rrule, actor in conn.execute(
            'SELECT task_id, text, kind, start, "end", rrule, actor FROM deadlines'
            f" WHERE task_id IN ({marks}) ORDER BY task_id, actor IS NOT NULL, id",
            chunk,
        ):
            by_id[tid].deadlines.append(
                HitDeadline(text=text, kind=kind, start=start, end=end, rrule=rrule, actor=actor)
            )
        for tid, sym, title, how in conn.execute(
            "SELECT tl.task_id, lr.symbol, lr.title, tl.how FROM task_legal_refs tl"
            f" JOIN legal_refs lr ON lr.id = tl.legal_ref_id WHERE tl.task_id IN ({marks})"
            " ORDER BY tl.task_id, lr.id, tl.how",
            chunk,
        ):
            by_id[tid].refs.append(HitRef(symbol=sym, title=title, how=how))
