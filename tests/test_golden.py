"""Golden files: the JSON of every file in samples/ compared item by item, plus its summary.

Lists are matched by key, not by index (tasks by offset, row and first words; references by
symbol; units by id and name; ...), so an inserted task is reported as one added task, not as
a shift of every task after it. ``text`` and ``blocks`` are compared apart, by hash and first
difference. ``golden/<name>.summary.txt`` (vbextract.summary.summarize) is one line per task,
reference and target: ``git diff golden/*.summary.txt`` is the review of a rule change.

Regenerate deliberately with ``make golden`` (VBEXTRACT_UPDATE_GOLDEN=1), then
read ``git diff golden/*.summary.txt`` before committing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLDEN, UPDATE_GOLDEN, sample_files
from vbextract import to_json
from vbextract.summary import KEYS, LINES, id_map, item_changes, item_line, items, match_items, show, summarize

Doc = dict[str, Any]

ITEM_LIMIT = 30  # added/removed/changed item lines shown
FIELD_LIMIT = 30  # field changes shown
CONTEXT = 40  # characters of text shown on each side of the first difference
SEPARATE = ("text", "blocks")  # compared apart from the rest, by hash
SUMMARY_SUFFIX = ".summary.txt"


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:12]


def _capped(lines: list[str], limit: int, what: str) -> list[str]:
    return lines if len(lines) <= limit else lines[:limit] + [f"... and {len(lines) - limit} more {what}"]


def text_diff(expected: str, got: str) -> list[str]:
    """Hashes and the first differing offset, with context on each side."""
    if expected == got:
        return []
    at = next((i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b), min(len(expected), len(got)))
    lo = max(0, at - CONTEXT)
    return [
        f"text: sha256 {_sha(expected)} -> {_sha(got)}, {len(expected)} -> {len(got)} chars,"
        f" first difference at offset {at}",
        f"  expected ...{expected[lo : at + CONTEXT]!r}",
        f"  got      ...{got[lo : at + CONTEXT]!r}",
    ]


def blocks_diff(expected: list[Doc], got: list[Doc]) -> list[str]:
    """Hashes and the first differing block."""
    dumps = [[json.dumps(b, ensure_ascii=False, sort_keys=True) for b in side] for side in (expected, got)]
    if dumps[0] == dumps[1]:
        return []
    at = next((i for i, (a, b) in enumerate(zip(*dumps, strict=False)) if a != b), min(map(len, dumps)))
    old, new = (_sha("\n".join(d)) for d in dumps)
    return [f"blocks: sha256 {old} -> {new}, {len(expected)} -> {len(got)} blocks, first difference at block {at}"]


def golden_diff(expected: Doc, got: Doc) -> list[str]:
    """Report of what differs: text and blocks, then added (+), removed (-) and changed (~) items
    one line each, then the fields that changed, inside changed items and elsewhere."""
    head = text_diff(expected.get("text") or "", got.get("text") or "")
    head += blocks_diff(expected.get("blocks") or [], got.get("blocks") or [])
    item_lines: list[str] = []
    field_lines: list[str] = []
    keyed = set(KEYS) | set(SEPARATE)
    rest_real, rest_moved = item_changes(
        {k: v for k, v in expected.items() if k not in keyed}, {k: v for k, v in got.items() if k not in keyed}, {}
    )
    field_lines += [f"{path}: {show(old)} -> {show(new)}" for path, old, new in rest_real]
    for kind in LINES:
        pairs, removed, added = match_items(items(expected, kind), items(got, kind), KEYS[kind])
        renamed = id_map(pairs)
        item_lines += [f"+ {item_line(kind, it)}" for it in added]
        item_lines += [f"- {item_line(kind, it)}" for it in removed]
        incidental = 0
        for e, g in pairs:
            real, moved = item_changes(e, g, renamed)
            if real:
                item_lines.append(f"~ {item_line(kind, g)}")
                field_lines += [
                    f"{g.get('id') or item_line(kind, g)[:CONTEXT]}: {path}: {show(old)} -> {show(new)}"
                    for path, old, new in real
                ]
            elif moved:
                incidental += 1
        if incidental:
            item_lines.append(f"  ({incidental} {kind} differ only in ids or offsets)")
    if rest_moved:
        item_lines.append(f"  ({len(rest_moved)} offsets outside the lists differ, e.g. {rest_moved[0][0]})")
    return head + _capped(item_lines, ITEM_LIMIT, "items") + _capped(field_lines, FIELD_LIMIT, "field changes")


def summary_path(golden_json: Path) -> Path:
    return golden_json.with_name(golden_json.name.removesuffix(".json") + SUMMARY_SUFFIX)


def test_update_flag_is_off_in_ci():
    assert not (os.environ.get("CI") and UPDATE_GOLDEN), "golden files must not be regenerated in CI"


def test_every_sample_has_a_golden_file():
    missing = [p.name for p in sample_files() if not (GOLDEN / f"{p.name}.json").exists()]
    assert UPDATE_GOLDEN or not missing, f"no golden file for {missing}: run make golden"


def test_every_golden_file_has_a_sample():
    samples = {p.name for p in sample_files()}
    names = [p.name.removesuffix(SUMMARY_SUFFIX).removesuffix(".json") for p in GOLDEN.iterdir()]
    orphans = sorted(n for n in names if n not in samples)
    assert not orphans, f"golden files with no sample (delete them with git rm): {orphans}"


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_golden(path, extracted):
    doc = extracted(path)
    got_text = to_json(doc)
    target = GOLDEN / f"{path.name}.json"
    if UPDATE_GOLDEN:
        target.write_text(got_text, encoding="utf-8")
        summary_path(target).write_text(summarize(json.loads(got_text)), encoding="utf-8")
        return
    expected = json.loads(target.read_text(encoding="utf-8"))
    diff = golden_diff(expected, json.loads(got_text))
    assert not diff, f"{path.name} differs from golden:\n" + "\n".join(diff)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_summary_is_current(path):
    """golden/<name>.summary.txt is the summary of golden/<name>.json."""
    target = GOLDEN / f"{path.name}.json"
    if UPDATE_GOLDEN or not target.exists():
        return
    want = summarize(json.loads(target.read_text(encoding="utf-8"))).splitlines(keepends=True)
    summary = summary_path(target)
    have = summary.read_text(encoding="utf-8").splitlines(keepends=True) if summary.exists() else []
    diff = "".join(difflib.unified_diff(have, want, f"{summary.name} (committed)", f"{summary.name} (from its JSON)"))
    assert not diff, f"stale summary, run make golden:\n{diff}"


# --- the report itself -------------------------------------------------------------------------


def _task(tid: str, start: int, content: str, lead: str) -> Doc:
    return {
        "id": tid,
        "path": f"I.{start}",
        "content": content,
        "origin": "prose",
        "lead": [{"name": lead, "text": lead, "source": {"start": start, "end": start + 1}}],
        "support": [],
        "deadline": None,
        "source": {"start": start, "end": start + len(content), "row": None},
    }


def _doc(tasks: list[Doc], text: str = "body") -> Doc:
    return {"meta": {"doc_type": "KH", "symbol": "1/KH-UBND"}, "text": text, "blocks": [], "tasks": tasks}


def test_inserted_task_and_changed_lead_are_named_first():
    tasks = [_task(f"T{i + 1}", 10 * (i + 1), f"Nhiệm vụ số {i}", "Sở Y tế") for i in range(12)]
    changed = [dict(t, id=f"T{i + 2}") for i, t in enumerate(tasks)]
    changed[5] = dict(changed[5], lead=[dict(changed[5]["lead"][0], name="Sở Tài chính")])
    inserted = _task("T1", 1, "Nhiệm vụ mới chèn vào đầu", "Sở Xây dựng")
    report = golden_diff(_doc(tasks), _doc([inserted] + changed))
    assert report[0].startswith("+ T1 | I.1 |") and "Nhiệm vụ mới" in report[0]
    assert report[1].startswith("~ T7 |") and "Sở Tài chính" in report[1]
    assert report[2] == "  (11 tasks differ only in ids or offsets)"
    assert report[3] == "T7: lead[0].name: 'Sở Y tế' -> 'Sở Tài chính'"
    assert len(report) == 4  # not one line per shifted index


def test_text_diff_names_the_first_offset():
    text = "Ủy ban nhân dân tỉnh Lào Cai"
    report = golden_diff(_doc([], text), _doc([], "x" + text))
    assert "first difference at offset 0" in report[0]
    assert report[1] == f"  expected ...{text[:CONTEXT]!r}" and report[2] == f"  got      ...{('x' + text)[:CONTEXT]!r}"


def test_summarize_a_tiny_document():
    doc = _doc([_task("T1", 5, "Xây dựng  kế hoạch\n triển khai", "Sở Y tế")])
    doc["meta"].update(date="2026-01-04", signer={"name": "Nguyễn Văn A"})
    doc["tasks"][0].update(
        rule="assign.heading",
        support=[{"name": "Sở Tài chính"}],
        deadline={"text": "trước ngày 30/6/2026", "kind": "before", "end": "2026-06-30"},
    )
    doc["legal_refs"] = [{"id": "R1", "symbol": "11-CT/TU", "doc_type": "CT", "year": 2026}]
    doc["targets"] = [
        {
            "text": "đạt 95%",
            "subject": "Tỷ lệ",
            "comparator": ">=",
            "value": 95.0,
            "unit": "%",
            "year": None,
            "source": {"start": 0, "end": 7},
        }
    ]
    assert summarize(doc) == (
        "meta | KH | 1/KH-UBND | 2026-01-04 | Nguyễn Văn A\n"
        "task | I.5 | assign.heading | Sở Y tế | Sở Tài chính | trước ngày 30/6/2026 (before 2026-06-30)"
        " | Xây dựng kế hoạch triển khai\n"
        "ref | 11-CT/TU | CT | 2026\n"
        "target | Tỷ lệ | >= 95.0 % | - | đạt 95%\n"
    )
