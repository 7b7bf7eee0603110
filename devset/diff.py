#!/usr/bin/env python3
"""The tasks that changed on the development set between a revision and the working tree.

usage: diff.py [--rev REV] [--out DIR] [DIR ...]     (default: HEAD, ../shared/corpus ../shared/seeds)

REV is checked out into a temporary ``git worktree`` (removed afterwards); both trees extract the
same documents with ``python -m vbextract extract DIR... -o OUT --no-progress``, each with its own
``src`` on PYTHONPATH. Tasks are matched by key as in tests/test_golden.py and printed as summary
lines (vbextract.summary): ``+`` added, ``-`` removed, ``~`` changed, with the fields that changed.
The last line counts them. Nothing is written outside a temporary directory, or --out when given.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vbextract.summary import KEYS, id_map, item_changes, item_line, match_items, show  # noqa: E402

DEFAULT_DIRS = ("../shared/corpus", "../shared/seeds")
FIELD_LIMIT = 6  # field changes shown per changed task
MANIFEST = "documents.jsonl"

Doc = dict[str, Any]


def extract(tree: Path, dirs: list[Path], out: Path) -> subprocess.Popen[bytes]:
    """Start the extraction of dirs with the code of tree (its src and models)."""
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    cmd = [sys.executable, "-m", "vbextract", "extract", *map(str, dirs), "-o", str(out), "--no-progress"]
    return subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL)


def load(out: Path) -> dict[str, Doc]:
    return {p.name.removesuffix(".json"): json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}


def task_diff(before: Doc, after: Doc) -> tuple[list[str], dict[str, int]]:
    """Lines for one document and its counts of added, removed and changed tasks."""
    pairs, removed, added = match_items(before.get("tasks") or [], after.get("tasks") or [], KEYS["tasks"])
    lines = [f"  + {item_line('tasks', t)}" for t in added] + [f"  - {item_line('tasks', t)}" for t in removed]
    renamed = id_map(pairs)
    changed = 0
    for old, new in pairs:
        real, _ = item_changes(old, new, renamed)
        if real:
            changed += 1
            lines.append(f"  ~ {item_line('tasks', new)}")
            lines += [f"      {path}: {show(a)} -> {show(b)}" for path, a, b in real[:FIELD_LIMIT]]
            if len(real) > FIELD_LIMIT:
                lines.append(f"      ... and {len(real) - FIELD_LIMIT} more")
    return lines, {"added": len(added), "removed": len(removed), "changed": changed}


def report(before: dict[str, Doc], after: dict[str, Doc], rev: str) -> list[str]:
    lines: list[str] = []
    totals = {"added": 0, "removed": 0, "changed": 0}
    touched = 0
    for name in sorted(set(before) | set(after)):
        if name not in after or name not in before:
            lines.append(f"{name}: extracted only {'at ' + rev if name in before else 'in the working tree'}")
            continue
        doc_lines, counts = task_diff(before[name], after[name])
        if doc_lines:
            touched += 1
            lines.append(f"{name}: +{counts['added']} -{counts['removed']} ~{counts['changed']}")
            lines += doc_lines
        for k, v in counts.items():
            totals[k] += v
    n = len(set(before) | set(after))
    lines.append(
        f"tasks {rev} -> working tree: +{totals['added']} -{totals['removed']} ~{totals['changed']}"
        f" in {touched} of {n} documents"
    )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="HEAD", help="revision to compare the working tree with (default HEAD)")
    ap.add_argument("--out", type=Path, help="keep the two extractions in OUT/rev and OUT/work")
    ap.add_argument("dirs", nargs="*", default=list(DEFAULT_DIRS), help="input directories (relative to the repo)")
    args = ap.parse_args()
    dirs = [(ROOT / d).resolve() for d in args.dirs]
    with tempfile.TemporaryDirectory(prefix="vbextract-diff-") as tmp:
        out = args.out.resolve() if args.out else Path(tmp)
        checkout = Path(tmp) / "checkout"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(checkout), args.rev], cwd=ROOT, check=True)
        try:
            jobs = [extract(checkout, dirs, out / "rev"), extract(ROOT, dirs, out / "work")]
            for tree, job in zip((args.rev, "working tree"), jobs, strict=True):
                if job.wait():  # a document that failed is reported by its absence, as in make devset
                    print(f"note: extraction with {tree} exited with {job.returncode}", file=sys.stderr)
            before, after = load(out / "rev"), load(out / "work")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=True)
    print("\n".join(report(before, after, args.rev)))


if __name__ == "__main__":
    main()
