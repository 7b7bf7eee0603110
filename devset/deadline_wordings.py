"""Distinct deadline wordings in the corpus and seeds, and how many parse.

Runs the pipeline over ../shared/corpus and ../shared/seeds, collects every
task deadline text (and per-actor deadline texts) and reports how many
distinct wordings there are and how many get a kind other than "unknown".
Use -v to list the ones that do not parse.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from vbextract import VbeError, extract

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    kinds: dict[str, str] = {}
    for folder in (ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "seeds"):
        for f in sorted(folder.glob("*")):
            if f.suffix not in (".md", ".txt", ".docx", ".pdf"):
                continue
            try:
                d = extract(f)
            except VbeError:
                continue
            for t in d.tasks:
                if t.deadline:
                    kinds[" ".join(t.deadline.text.split())] = t.deadline.kind
                    for a in t.deadline.actors:
                        kinds[" ".join(a.deadline.text.split())] = a.deadline.kind
    c = Counter(kinds.values())
    parsed = sum(n for k, n in c.items() if k != "unknown")
    print(
        f"{len(kinds)} distinct deadline wordings, {parsed} parse ({parsed / max(len(kinds), 1):.0%}); by kind: {dict(c.most_common())}"
    )
    if "-v" in sys.argv:
        for text, k in sorted(kinds.items()):
            if k == "unknown":
                print("  unknown:", text[:120])


if __name__ == "__main__":
    main()
