"""Units: every unit reference resolved against the gazetteer, and the
document's ``units`` list (each distinct unit, the spellings it was written
with, how often it leads, supports or receives, and its 2025 successor).

A unit keeps the name of the body the document names; a dissolved body's
successor is added as ``successor``, never written over it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional

from ..errors import W_DISTRICT_AFTER_2025
from ..gazetteer import gazetteer
from ..lexicon import find_provinces
from ..model import DocWarning
from ..normalize import fold
from ..schema import Meta, Roles, Task, Unit, UnitRef
from .unit_mentions import canonical_name, is_collective


def resolve(ref: UnitRef, keep_name: bool = False) -> UnitRef:
    """Fill unit_id and the canonical name when the gazetteer knows the body.

    ``keep_name``: the issuer is one particular body ("Ủy ban nhân dân tỉnh
    Đồng Nai"); its name keeps the locality, the gazetteer id says what it is.
    """
    name = canonical_name(ref.name or ref.text)
    m = gazetteer().match(name)
    if m.unit_id is not None:
        ref.unit_id = m.unit_id
        if not keep_name:
            ref.name = m.name
        ref.collective = ref.collective or gazetteer().get(m.unit_id).type == "collective"
    else:
        if not keep_name:
            ref.name = name
        ref.collective = ref.collective or is_collective(name)
    return ref


_LEVEL_END = re.compile(r"\s+(?:tỉnh|thành phố|Thành phố)$")


def _foreign_province(ref: UnitRef, own: Optional[str]) -> Optional[str]:
    """'thành phố Hà Nội' when the reference names a province the name lost and the document
    is not that province's own (ANNOTATION.md: a unit keeps its province when it is not the
    issuer's); None otherwise."""
    found = find_provinces(ref.text)
    if len(found) != 1 or found[0] == own or fold(found[0]) in fold(ref.name):
        return None
    m = re.search(r"\b(tinh|thanh pho|tp\.?)\s+" + re.escape(fold(found[0]).split()[0]), fold(ref.text))
    level = "thành phố" if m and m.group(1) != "tinh" else "tỉnh"
    return f"{level} {found[0]}"


def _task_refs(tasks: list[Task]) -> Iterable[tuple[str, UnitRef]]:
    for t in tasks:
        for u in t.lead:
            yield "lead", u
        for u in t.support:
            yield "support", u
        if t.deadline is not None:
            for a in t.deadline.actors:
                yield "", a.actor
        if t.transferred_from is not None:  # resolved (canonical name, successor), not counted as a role
            yield "", t.transferred_from


def _meta_refs(meta: Meta) -> Iterable[tuple[str, UnitRef]]:
    for u in (meta.issuer, meta.parent_issuer):
        if u is not None:
            yield "", u
    for r in meta.recipients:
        if r.unit is not None:
            yield "recipient", r.unit
    for r in meta.addressees:
        if r.unit is not None:
            yield "", r.unit


def resolve_all(meta: Meta, tasks: list[Task]) -> list[Unit]:
    """Resolve every reference in place and build the document's unit list."""
    units: dict[str, Unit] = {}
    order: list[str] = []
    issuers = {id(u) for u in (meta.issuer, meta.parent_issuer) if u is not None}
    for role, ref in list(_task_refs(tasks)) + list(_meta_refs(meta)):
        resolve(ref, keep_name=id(ref) in issuers)
        if not role:
            continue
        foreign = _foreign_province(ref, meta.province)
        if foreign:  # "UBND thành phố Hà Nội" in a central document: the province stays in the name
            ref.name = f"{_LEVEL_END.sub('', ref.name)} {foreign}"
        key = (ref.unit_id or "?") + fold(ref.name) if foreign else ref.unit_id or "?" + fold(ref.name)
        u = units.get(key)
        if u is None:
            succ = gazetteer().successor_of(ref.unit_id)
            u = units[key] = Unit(
                unit_id=ref.unit_id, name=ref.name, aliases=[], roles=Roles(), successor=succ.name if succ else None
            )
            order.append(key)
        if ref.text not in u.aliases:
            u.aliases.append(ref.text)
        setattr(u.roles, role, getattr(u.roles, role) + 1)
    return [units[k] for k in order]


def district_warnings(meta: Meta, tasks: list[Task]) -> list[DocWarning]:
    """'cấp huyện' in a document dated after the district level ended (1 July 2025)."""
    if not meta.date or date.fromisoformat(meta.date) < date(2025, 7, 1):
        return []
    out = []
    for _, ref in _task_refs(tasks):
        e = gazetteer().entries.get(ref.unit_id or "")
        if e is not None and e.level == "district" and ref.source is not None:
            out.append(
                DocWarning(
                    W_DISTRICT_AFTER_2025,
                    f"'{ref.text}' names the district level, abolished on 1 July 2025",
                    page=ref.source.page,
                    start=ref.source.start,
                    end=ref.source.end,
                )
            )
    return out


def successor_name(unit_id: Optional[str]) -> Optional[str]:
    succ = gazetteer().successor_of(unit_id)
    return succ.name if succ else None
