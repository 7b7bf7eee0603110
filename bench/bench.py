"""Throughput of vbextract against the raw readers, same files, same run.

For each file in samples/ (or the paths given), round-robin over REPS
repetitions: the raw baseline (bytes -> text with the library alone:
pypdfium2 text for PDF, python-docx paragraphs+tables for DOCX, UTF-8 decode
for txt/md) and the full pipeline (vbextract.extract).  Reports documents/s,
pages/s (PDF) and the ratio pipeline/baseline.  Medians; imports excluded.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPS = int((sys.argv[1:] or ["5"])[0]) if (sys.argv[1:] or ["5"])[0].isdigit() else 5


def raw_baseline(p: Path) -> int:
    """Read the file with the bare library; returns characters read."""
    data = p.read_bytes()
    if data.startswith(b"%PDF"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        n = sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
        pdf.close()
        return n
    if data.startswith(b"PK"):
        import io

        import docx

        d = docx.Document(io.BytesIO(data))
        return sum(len(x.text) for x in d.paragraphs) + sum(len(c.text) for t in d.tables for r in t.rows for c in r.cells)
    return len(data.decode("utf-8", errors="replace"))


def pages(p: Path) -> int:
    if p.read_bytes()[:5] != b"%PDF-":
        return 0
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(p.read_bytes()))


def main() -> None:
    from vbextract import VbeError, extract

    args = [a for a in sys.argv[1:] if not a.isdigit()]
    files = [Path(a) for a in args] or sorted(q for q in (ROOT / "samples").iterdir() if q.is_file())
    for f in files:  # warm-up: imports, caches
        raw_baseline(f)
        try:
            extract(f)
        except VbeError:
            pass
    base: list[float] = []
    full: list[float] = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        for f in files:
            raw_baseline(f)
        t1 = time.perf_counter()
        for f in files:
            try:
                extract(f)
            except VbeError:
                pass
        t2 = time.perf_counter()
        base.append(t1 - t0)
        full.append(t2 - t1)
    n, npages = len(files), sum(pages(f) for f in files)
    b, v = statistics.median(base), statistics.median(full)
    print(f"{n} files ({npages} PDF pages), {REPS} reps, medians")
    print(f"raw readers : {b:7.3f} s  {n / b:8.1f} docs/s")
    print(f"vbextract   : {v:7.3f} s  {n / v:8.1f} docs/s")
    print(f"ratio vbextract/raw: {v / b:.1f}x")
    pdfs = [f for f in files if pages(f)]
    if pdfs:
        pb, pv = [], []
        for _ in range(REPS):
            t0 = time.perf_counter()
            for f in pdfs:
                raw_baseline(f)
            t1 = time.perf_counter()
            for f in pdfs:
                try:
                    extract(f)
                except VbeError:
                    pass
            pb.append(t1 - t0)
            pv.append(time.perf_counter() - t1)
        np_ = sum(pages(f) for f in pdfs)
        print(f"PDF only    : raw {np_ / statistics.median(pb):7.1f} pages/s, vbextract {np_ / statistics.median(pv):7.1f} pages/s, ratio {statistics.median(pv) / statistics.median(pb):.1f}x")


if __name__ == "__main__":
    main()
