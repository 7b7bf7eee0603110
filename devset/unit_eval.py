"""Precision and recall of unit_id on hand-labelled unit mentions.

devset/unit_mentions.tsv: mention, document, expected_id where expected_id
is a gazetteer id, "-" (a body the gazetteer does not have) or "x" (not a
unit).  Labels were written by reading the mentions, not from tool output.

  precision = correct ids / ids the matcher gave
  recall    = correct ids / mentions labelled with a gazetteer id
Also sweeps the fuzzy cut-off to show how FUZZY_CUTOFF was chosen.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from vbextract import gazetteer as gz
from vbextract.extract.unit_mentions import canonical_name

ROWS = Path(__file__).with_name("unit_mentions.tsv")


def evaluate(rows: list[dict], cutoff: float) -> tuple[float, float, int, int, int, list[str]]:
    old = gz.FUZZY_CUTOFF
    gz.FUZZY_CUTOFF = cutoff
    gz._match_cached.cache_clear()
    g = gz.gazetteer()
    given = correct = expected = 0
    wrong = []
    for r in rows:
        exp = (r["expected_id"] or "").strip()
        got = g.match(canonical_name(r["mention"])).unit_id
        if exp not in ("", "-", "x"):
            expected += 1
        if got:
            given += 1
            if got == exp:
                correct += 1
            else:
                wrong.append(f"{r['mention'][:60]!r}: got {got}, expected {exp or '?'}")
    gz.FUZZY_CUTOFF = old
    gz._match_cached.cache_clear()
    p = correct / given if given else float("nan")
    rc = correct / expected if expected else float("nan")
    return p, rc, given, correct, expected, wrong


def main() -> None:
    rows = list(csv.DictReader(ROWS.open(encoding="utf-8"), delimiter="\t"))
    rows = [r for r in rows if (r.get("expected_id") or "").strip()]
    print(f"{len(rows)} labelled mentions")
    for cutoff in (80, 85, 88, 90, 92, 95, 100):
        p, rc, given, correct, expected, _ = evaluate(rows, cutoff)
        print(f"cutoff {cutoff:>3}: precision {p:.3f} ({correct}/{given})  recall {rc:.3f} ({correct}/{expected})")
    p, rc, given, correct, expected, wrong = evaluate(rows, gz.FUZZY_CUTOFF)
    print(f"SUMMARY cutoff={gz.FUZZY_CUTOFF} precision={p:.3f} recall={rc:.3f}")
    if "-v" in sys.argv:
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
