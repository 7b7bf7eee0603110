"""Build models/ocr_ngrams.tsv: syllable and syllable-pair counts for the OCR
post-correction (src/vbextract/ingest/ocr_fix.py).

Source: the texts of the corpus (shared/corpus: Markdown, plain text and DOCX
files, read with vbextract's own readers) and the seed texts (shared/seeds),
*except* the documents that bench/ocr_fix_eval.py OCRs (37, 42, 46, 47) and
the scans (48, 49), so the measurement runs on text the counts never saw.

Words are split as ``ocr_fix.tokens`` splits OCR words: a pair is counted only
between two words with no punctuation between them, and both editable
(Vietnamese letters only, no digit).  Counted in ``ocr_fix.key`` form (lower
case, old tone placement).  Written:

* ``1<TAB>syllable<TAB>count`` for every word spelled like a Vietnamese
  syllable (``ocr_fix.valid_shape``) seen at least ``--min-word`` times;
* ``2<TAB>syl syl<TAB>count`` for every pair seen at least ``--min-pair`` times,
  and every pair (even seen once) that folds like a pair seen at least
  ``--min-group`` times (so a real but rare pair such as "cơ thể" keeps its
  word from being "corrected" into the frequent "có thể").

Run from the repository root: ``.venv/bin/python devset/build_ocr_ngrams.py``
(about 10 s).  Prints the phrases of models/ocr_phrases.yaml whose folded form
is also a different corpus pair (candidates for its ``keep`` list).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from vbextract.ingest import read
from vbextract.ingest.ocr_fix import _phrase_runs, adjacent, fold, key, load_phrases, tokens, valid_shape

ROOT = Path(__file__).resolve().parents[1]
EXCLUDE = re.compile(r"^(37|42|46|47|48|49)_")  # the eval documents and the scans
OUT = ROOT / "models" / "ocr_ngrams.tsv"


def texts(shared: Path) -> list[tuple[str, str]]:
    out = []
    for sub in ("corpus", "seeds"):
        for p in sorted((shared / sub).iterdir()):
            if p.suffix.lower() not in (".md", ".txt", ".docx") or EXCLUDE.match(p.name):
                continue
            out.append((f"{sub}/{p.name}", read(p, p.read_bytes()).text))
    return out


def count(docs: list[tuple[str, str]]) -> tuple[Counter, Counter]:
    words: Counter = Counter()
    pairs: Counter = Counter()
    for _, text in docs:
        for line in text.splitlines():
            toks = tokens(line.split())
            for i, t in enumerate(toks):
                if t[3] and valid_shape(t[1]):
                    words[key(t[1])] += 1
                    if i + 1 < len(toks) and adjacent(t, toks[i + 1]) and valid_shape(toks[i + 1][1]):
                        pairs[key(t[1]), key(toks[i + 1][1])] += 1
    return words, pairs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--min-word", type=int, default=1)
    ap.add_argument("--min-pair", type=int, default=2)
    ap.add_argument("--min-group", type=int, default=3)
    a = ap.parse_args()
    docs = texts(a.shared)
    words, pairs = count(docs)
    group_max: Counter = Counter()
    for (x, y), n in pairs.items():
        f = (fold(x), fold(y))
        group_max[f] = max(group_max[f], n)
    kept_words = {w: n for w, n in words.items() if n >= a.min_word}
    kept_pairs = {p: n for p, n in pairs.items() if n >= a.min_pair or group_max[fold(p[0]), fold(p[1])] >= a.min_group}
    with OUT.open("w", encoding="utf-8") as f:
        f.write(
            f"# made by devset/build_ocr_ngrams.py from {len(docs)} texts of shared/corpus and shared/seeds\n"
            f"# (not 37, 42, 46, 47, 48, 49); min word {a.min_word}, min pair {a.min_pair}, "
            f"min group {a.min_group}\n"
        )
        for w, n in sorted(kept_words.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"1\t{w}\t{n}\n")
        for (x, y), n in sorted(kept_pairs.items(), key=lambda kv: (-kv[1], kv[0])):
            f.write(f"2\t{x} {y}\t{n}\n")
    print(
        f"{len(docs)} texts, {sum(words.values())} words: {len(kept_words)} syllables, "
        f"{len(kept_pairs)} pairs -> {OUT.relative_to(ROOT)}"
    )
    bad = Counter(
        {
            w: n
            for w, n in Counter(
                key(t[1]) for _, text in docs for t in tokens(text.split()) if t[3] and not valid_shape(t[1])
            ).items()
        }
    )
    print(
        "most frequent letter-only words not spelled like a syllable:",
        ", ".join(f"{w} {n}" for w, n in bad.most_common(40)),
    )
    # phrases whose folded pairs are also other corpus pairs
    by_fold: dict = {}
    for p, n in pairs.items():
        by_fold.setdefault((fold(p[0]), fold(p[1])), []).append((p, n))
    for group in load_phrases()["phrases"].values():
        for text in group:
            for run in _phrase_runs(text):
                ks = [key(w) for w in run]
                for x, y in zip(ks, ks[1:]):
                    others = [(p, n) for p, n in by_fold.get((fold(x), fold(y)), []) if p != (x, y)]
                    if others:
                        print(f"  phrase {text!r}: pair {x} {y} folds like", others)
    return 0


if __name__ == "__main__":
    sys.exit(main())
