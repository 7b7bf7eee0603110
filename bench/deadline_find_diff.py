"""Equivalence harness: the prose deadline finder of tasks.py against deadlines.find.

Walks every paragraph of every document under ../shared/corpus (recursive,
wild/ included) and ../shared/seeds, read with ``vbextract.extract(path,
"never")``.  Each paragraph is tried as printed and, when it opens with an
outline number or bullet, without it (tasks.py runs its finder on the text
after the number).  Old: ``tasks._prose_deadline`` (the regexes
``_PROSE_TIMING``/``_DEADLINE_IN_TEXT`` of tasks.py, run unchanged).  New:
``deadlines.find``.  Prints counts of identical / changed / new / lost and
every case that is not identical, with both found texts and their parsed
kinds.

    PYTHONPATH=src python bench/deadline_find_diff.py [--cache FILE] [-q]

``--cache FILE`` keeps the paragraph texts in FILE (JSON) so a second run
does not read the documents again.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SUFFIXES = {".md", ".txt", ".docx", ".pdf", ".doc", ".html", ".htm"}


def _files() -> list[Path]:
    out: list[Path] = []
    for folder in (SHARED / "corpus", SHARED / "seeds"):
        out += sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
    return out


def _paragraphs(path: Path) -> list[str]:
    from vbextract import VbeError, extract
    from vbextract.structure.outline import classify

    try:
        doc = extract(path, "never")
    except VbeError:
        return []
    out: list[str] = []
    for b in doc.blocks:
        if b.kind != "paragraph":
            continue
        text = doc.text[b.source.start : b.source.end]
        out.append(text)
        c = classify(text)
        if c and c[2] and text.find(c[2]) > 0:
            out.append(text[text.find(c[2]) :])
    return out


def corpus(cache: Path | None) -> dict[str, list[str]]:
    if cache and cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    got = {str(f.relative_to(SHARED)): _paragraphs(f) for f in _files()}
    if cache:
        cache.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
    return got


def old_find(text: str) -> tuple[int, int, str] | None:
    from vbextract.extract import tasks

    p = SimpleNamespace(block=SimpleNamespace(page=1, start=0))
    d = tasks._prose_deadline(text, p)  # noqa: SLF001 - the old finder, run as it is
    if d is None:
        return None
    return d.source.start, d.source.end, d.text


def new_find(text: str) -> tuple[int, int, str, str] | None:
    from vbextract.extract import deadlines

    f = deadlines.find(text)
    return None if f is None else (f.start, f.end, f.text, f.rule)


def main() -> int:
    from vbextract.extract.deadlines import parse

    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path)
    ap.add_argument("-q", action="store_true", help="counts only")
    a = ap.parse_args()
    docs = corpus(a.cache)
    counts: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    cases: dict[tuple, list[str]] = {}
    seen: set[str] = set()
    for name, paras in docs.items():
        for text in paras:
            if text in seen:
                continue
            seen.add(text)
            old, new = old_find(text), new_find(text)
            if new:
                rules[new[3]] += 1
            if old is None and new is None:
                counts["none in both"] += 1
                continue
            if old and new and old[:2] == new[:2]:
                counts["identical"] += 1
                continue
            what = "new" if old is None else "lost" if new is None else "changed"
            counts[what] += 1
            key = (what, old[2] if old else None, new[2] if new else None)
            cases.setdefault(key, []).append(name)
    print(f"{len(docs)} documents, {len(seen)} distinct paragraph texts")
    print("  " + ", ".join(f"{k}: {counts[k]}" for k in ("identical", "changed", "new", "lost", "none in both")))
    print("  found by rule: " + ", ".join(f"{k} {n}" for k, n in rules.most_common()))
    if not a.q:
        for (what, o, n), names in sorted(cases.items(), key=lambda kv: (kv[0][0], kv[1][0])):
            ok = parse(o).kind if o is not None else "-"
            nk = parse(n).kind if n is not None else "-"
            print(f"\n[{what}] {names[0]}" + (f" (+{len(names) - 1})" if len(names) > 1 else ""))
            print(f"  old: {o!r} -> {ok}")
            print(f"  new: {n!r} -> {nk}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
