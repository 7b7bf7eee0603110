"""Reviewable views of an output JSON: a one-line-per-item summary, and a keyed diff of two outputs.

``summarize`` gives the text of ``golden/<name>.summary.txt``: a header line, then one line per
task, legal reference and target. The lines carry no ids and no offsets, so that a rule which
adds one task changes one line of ``git diff golden/*.summary.txt``, not every line after it.

``match_items`` pairs the items of two lists by stable keys (never by index), and
``item_changes`` names the fields that changed inside a pair. ``tests/test_golden.py`` and
``devset/diff.py`` build their reports from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

Item = dict[str, Any]
Key = tuple[Any, ...] | None  # None: the item has no key at this level
KeyFn = Callable[[Item], Key]

CONTENT_CHARS = 60  # content shown on a summary line
KEY_CHARS = 40  # content prefix that identifies a task or a target
NONE = "-"  # an empty field on a summary line
ID_KINDS = ("tasks", "legal_refs")  # lists whose items have an id ("T3", "R1"), renumbered in order
SUMMARY_KINDS = ("tasks", "legal_refs", "targets")  # the lists in a summary file
VALUE_CHARS = 80  # a changed value is shown up to this many characters
ABSENT = "<absent>"  # a field or list element on one side only
LIST_INDEX = re.compile(r"\[\d+\]")
# an offset into `text` changes whenever the text before it does: not a change of the item itself
OFFSET_PATH = re.compile(r"(?:^|\.)(?:source|sources\.\w+|mentions\[\d+\])\.(?:start|end)$")


def _source(item: Item) -> Item:
    return item.get("source") or {}


def _prefix(item: Item, field: str) -> str:
    return (item.get(field) or "")[:KEY_CHARS]


def _ref_name(r: Item) -> Key:
    name = r.get("symbol") or r.get("title") or r.get("text")
    return (name,) if name else None


def _ref_place(r: Item) -> Key:
    mentions = r.get("mentions") or []
    return (mentions[0].get("start"),) if mentions else None


def _unit_id(u: Item) -> Key:
    return (u["unit_id"],) if u.get("unit_id") else None


# per list of the output: keys tried in order, the first one most specific. The later keys pair
# what the first ones could not, so a task whose offsets moved is "changed", not "removed + added".
KEYS: dict[str, list[KeyFn]] = {
    "tasks": [
        lambda t: (_source(t).get("start"), _source(t).get("row"), _prefix(t, "content")),
        lambda t: (t.get("path"), _prefix(t, "content")),
        lambda t: (_source(t).get("start"), _source(t).get("row")),
    ],
    "legal_refs": [_ref_name, _ref_place],
    "targets": [
        lambda t: (_source(t).get("start"), _prefix(t, "text")),
        lambda t: (_prefix(t, "text"),),
        lambda t: (_source(t).get("start"),),
    ],
    "units": [lambda u: (u.get("unit_id"), u.get("name")), lambda u: (u.get("name"),), _unit_id],
    "sections": [lambda s: (s.get("id"),), lambda s: (s.get("number"), s.get("heading"))],
    "warnings": [
        lambda w: (w.get("code"), w.get("message")),
        lambda w: (w.get("code"), _source(w).get("start")),
    ],
}


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': [1]}} -> {'a.b[0]': 1}: a diff then names the field that changed."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else k))
        if not obj:
            out[prefix] = {}
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(flatten(v, f"{prefix}[{i}]"))
        if not obj:
            out[prefix] = []
    else:
        out[prefix] = obj
    return out


def walk_sections(sections: list[Item]) -> Iterator[Item]:
    """The section tree in document order, each section without its children."""
    for s in sections:
        yield {k: v for k, v in s.items() if k != "children"}
        yield from walk_sections(s.get("children") or [])


def items(doc: Item, kind: str) -> list[Item]:
    found = doc.get(kind) or []
    return list(walk_sections(found)) if kind == "sections" else found


def match_items(
    expected: list[Item], got: list[Item], keys: list[KeyFn]
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """(pairs in the order of got, removed, added). Each key in turn pairs the items still
    unpaired; items with equal keys pair in list order."""
    left, right = list(range(len(expected))), list(range(len(got)))
    pairs: list[tuple[int, int]] = []
    for key in keys:
        waiting: dict[tuple[Any, ...], list[int]] = {}
        for i in left:
            if (k := key(expected[i])) is not None:
                waiting.setdefault(k, []).append(i)
        for j in right:
            if (k := key(got[j])) is not None and waiting.get(k):
                pairs.append((waiting[k].pop(0), j))
        paired_left, paired_right = {i for i, _ in pairs}, {j for _, j in pairs}
        left = [i for i in left if i not in paired_left]
        right = [j for j in right if j not in paired_right]
    pairs.sort(key=lambda p: p[1])
    return [(expected[i], got[j]) for i, j in pairs], [expected[i] for i in left], [got[j] for j in right]


def _lone_element(path: str, other: set[str]) -> str | None:
    """The first list element on the path ('lead[1]') that the other side does not have."""
    return next((path[: m.end()] for m in LIST_INDEX.finditer(path) if path[: m.end()] not in other), None)


def _elements(flat: dict[str, Any]) -> set[str]:
    return {path[: m.end()] for path in flat for m in LIST_INDEX.finditer(path)}


def item_changes(
    expected: Item, got: Item, renamed: dict[str, str]
) -> tuple[list[tuple[str, Any, Any]], list[tuple[str, Any, Any]]]:
    """(real, incidental) field changes: (path, expected, got). Incidental changes are moved
    offsets and ids that changed as their items did (renamed: old id -> new id). A list element
    on one side only is one change ('lead[1]', {its fields}, ABSENT), not one per field."""
    e, g = flatten(expected), flatten(got)
    elements = _elements(e), _elements(g)
    real: list[tuple[str, Any, Any]] = []
    incidental: list[tuple[str, Any, Any]] = []
    lone_seen: set[str] = set()
    for path in [*e, *(p for p in g if p not in e)]:
        old, new = e.get(path, ABSENT), g.get(path, ABSENT)
        if old == new or (ABSENT in (old, new) and (old or new) in ([], {})):
            continue  # an empty list or dict on one side: its elements are the change
        lone = _lone_element(path, elements[1] if new == ABSENT else elements[0]) if ABSENT in (old, new) else None
        if lone:
            if lone not in lone_seen:
                lone_seen.add(lone)
                side = e if new == ABSENT else g
                fields = {p[len(lone) + 1 :]: v for p, v in side.items() if p.startswith(lone + ".")}
                real.append((lone, fields, ABSENT) if new == ABSENT else (lone, ABSENT, fields))
            continue
        moved = OFFSET_PATH.search(path) is not None
        renumbered = isinstance(old, str) and renamed.get(old) == new
        (incidental if moved or renumbered else real).append((path, old, new))
    return real, incidental


def show(value: object) -> str:
    """A changed value in a report, cut at VALUE_CHARS."""
    r = repr(value)
    return r if len(r) <= VALUE_CHARS else r[:VALUE_CHARS] + "..."


def id_map(pairs: list[tuple[Item, Item]]) -> dict[str, str]:
    return {e["id"]: g["id"] for e, g in pairs if isinstance(e.get("id"), str) and "id" in g}


def _one_line(s: str | None, limit: int = CONTENT_CHARS) -> str:
    flat = " ".join((s or "").split())
    return flat[:limit] if flat else NONE


def _names(units: list[Item] | None) -> str:
    return "; ".join(u.get("name") or u.get("text") or NONE for u in units or []) or NONE


def _deadline(d: Item | None) -> str:
    if not d:
        return NONE
    return f"{_one_line(d.get('text'))} ({d.get('kind') or NONE} {d.get('end') or NONE})"


def _line(*fields: object) -> str:
    return " | ".join(NONE if f is None or f == "" else str(f) for f in fields).rstrip()


def task_line(t: Item) -> str:
    """path | rule | leads | supports | deadline (kind end) | content."""
    return _line(
        t.get("path"),
        t.get("rule"),
        _names(t.get("lead")),
        _names(t.get("support")),
        _deadline(t.get("deadline")),
        _one_line(t.get("content")),
    )


def ref_line(r: Item) -> str:
    """symbol (or title) | type | year (or date)."""
    return _line(
        r.get("symbol") or _one_line(r.get("title") or r.get("text")), r.get("doc_type"), r.get("year") or r.get("date")
    )


def target_line(t: Item) -> str:
    """subject | comparator value unit | year | text."""
    value = t.get("value") if t.get("value_max") is None else f"{t.get('value')}-{t.get('value_max')}"
    measure = " ".join(str(x) for x in (t.get("comparator"), value, t.get("unit")) if x is not None)
    return _line(_one_line(t.get("subject")), measure, t.get("year"), _one_line(t.get("text")))


def unit_line(u: Item) -> str:
    return _line(u.get("unit_id"), u.get("name"))


def section_line(s: Item) -> str:
    return _line(s.get("id"), _one_line(s.get("heading")))


def warning_line(w: Item) -> str:
    return _line(w.get("code"), _one_line(w.get("message")))


# per list: (label on a line, the fields of the line)
LINES: dict[str, tuple[str, Callable[[Item], str]]] = {
    "tasks": ("task", task_line),
    "legal_refs": ("ref", ref_line),
    "targets": ("target", target_line),
    "units": ("unit", unit_line),
    "sections": ("section", section_line),
    "warnings": ("warning", warning_line),
}


def item_line(kind: str, item: Item) -> str:
    """An item on one line, after its id when it has one: 'T3 | II.1 | ...', 'target | ...'."""
    label, line = LINES[kind]
    ident = item.get("id") if kind in ID_KINDS else None
    return f"{ident or label} | {line(item)}"


def summarize(doc_json: Item) -> str:
    """The text of golden/<name>.summary.txt: meta, then one line per task, reference and target,
    in document order, without ids or offsets (they move when anything before them does)."""
    meta = doc_json.get("meta") or {}
    signer = meta.get("signer") or {}
    lines = [
        _line(
            "meta",
            meta.get("doc_type"),
            meta.get("symbol"),
            meta.get("date") or meta.get("date_text"),
            signer.get("name"),
        )
    ]
    for kind in SUMMARY_KINDS:
        label, line = LINES[kind]
        lines += [f"{label} | {line(it)}" for it in doc_json.get(kind) or []]
    return "\n".join(lines) + "\n"
