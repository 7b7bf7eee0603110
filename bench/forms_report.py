"""Which rule makes how many tasks, in how many documents: per form (models/task_forms.yaml),
layout (models/task_layouts.yaml) and the task table, over the corpus and the seeds.  A rule
that fires in one document only is flagged: a rule only one document needs is a smell.

    .venv/bin/python bench/forms_report.py [DIR ...]   (default ../shared/corpus ../shared/seeds)
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from vbextract import errors
from vbextract.cli import SUFFIXES
from vbextract.extract.tasks import grammar
from vbextract.pipeline import extract

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "seeds"]


def main(dirs: list[Path]) -> int:
    files = sorted(p for d in dirs for p in d.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    tasks: Counter[str] = Counter()
    docs: dict[str, set[str]] = defaultdict(set)
    for f in files:
        try:
            doc = extract(f, "never")
        except errors.VbeError:
            continue
        for t in doc.tasks:
            tasks[t.rule] += 1
            docs[t.rule].add(f.name)
    # the sentence layout is the forms' container: its tasks carry the form's id
    rules = [f.id for f in grammar.forms()] + [x for x in grammar.layouts().layouts if x != "sentence"] + ["task_table"]
    print(f"{len(files)} documents\n{'rule':28} {'tasks':>6} {'docs':>5}")
    for r in sorted(set(rules) | set(tasks), key=lambda r: -tasks[r]):
        flag = "  <- one document" if len(docs[r]) == 1 else ("  <- never fires" if not tasks[r] else "")
        print(f"{r:28} {tasks[r]:6} {len(docs[r]):5}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(a) for a in sys.argv[1:]] or DEFAULT))
