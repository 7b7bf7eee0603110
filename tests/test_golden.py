"""Golden files: the JSON of every file in samples/ compared field by field.

Regenerate deliberately with ``make golden`` (VBEXTRACT_UPDATE_GOLDEN=1), then
read ``git diff golden/`` before committing.
"""
from __future__ import annotations

import json
import os

import pytest

from conftest import GOLDEN, UPDATE_GOLDEN, sample_files
from vbextract import to_json


def flatten(obj, prefix: str = "") -> dict[str, object]:
    """{'a': {'b': [1]}} -> {'a.b[0]': 1}: a diff then names the field that changed."""
    out: dict[str, object] = {}
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


def field_diff(expected: dict, got: dict, limit: int = 25) -> list[str]:
    e, g = flatten(expected), flatten(got)
    lines = []
    for k in sorted(set(e) | set(g)):
        if k == "text":
            if e.get(k) != g.get(k):
                lines.append(f"text: differs (expected {len(e.get(k) or '')} chars, got {len(g.get(k) or '')})")
            continue
        if e.get(k, "<absent>") != g.get(k, "<absent>"):
            lines.append(f"{k}: expected {e.get(k, '<absent>')!r}, got {g.get(k, '<absent>')!r}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more differences"]
    return lines


def test_update_flag_is_off_in_ci():
    assert not (os.environ.get("CI") and UPDATE_GOLDEN), "golden files must not be regenerated in CI"


def test_every_sample_has_a_golden_file():
    missing = [p.name for p in sample_files() if not (GOLDEN / f"{p.name}.json").exists()]
    assert UPDATE_GOLDEN or not missing, f"no golden file for {missing}: run make golden"


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_golden(path, extracted):
    doc = extracted(path)
    got_text = to_json(doc)
    target = GOLDEN / f"{path.name}.json"
    if UPDATE_GOLDEN:
        target.write_text(got_text, encoding="utf-8")
        return
    expected = json.loads(target.read_text(encoding="utf-8"))
    diff = field_diff(expected, json.loads(got_text))
    assert not diff, f"{path.name} differs from golden:\n" + "\n".join(diff)
