"""Throughput of vbextract against the raw readers, same files, same run.

For each file in samples/ (or the paths given), round-robin over REPS
repetitions: the raw baseline (bytes -> text with the library alone:
pypdfium2 text for PDF, python-docx paragraphs+tables for DOCX, UTF-8 decode
for txt/md) and the full pipeline (vbextract.extract).  Reports documents/s,
pages/s (PDF) and the ratio pipeline/baseline.  Medians; imports excluded.

The comparison runs with OCR off (``--ocr never``): the raw readers cannot
OCR, so scanned pages would compare tesseract with nothing.  The cost of the
default (OCR on for pages without a usable text layer) is reported on its own
line; bench/ocr_eval.py measures OCR against plain tesseract.
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
        return sum(len(x.text) for x in d.paragraphs) + sum(
            len(c.text) for t in d.tables for r in t.rows for c in r.cells
        )
    return len(data.decode("utf-8", errors="replace"))


def pages(p: Path) -> int:
    if p.read_bytes()[:5] != b"%PDF-":
        return 0
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(p.read_bytes()))


def _timed(files: list[Path], reps: int) -> tuple[float, float]:
    """Median seconds of (raw readers, vbextract) over the files, round-robin per rep."""
    from vbextract import VbeError, extract

    base: list[float] = []
    full: list[float] = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for f in files:
            raw_baseline(f)
        t1 = time.perf_counter()
        for f in files:
            try:
                extract(f)
            except VbeError:
                pass
        base.append(t1 - t0)
        full.append(time.perf_counter() - t1)
    return statistics.median(base), statistics.median(full)


def main() -> None:
    from vbextract.ingest import ocr

    args = [a for a in sys.argv[1:] if not a.isdigit()]
    files = [Path(a) for a in args] or sorted(q for q in (ROOT / "samples").iterdir() if q.is_file())
    ocr.OCR_MODE = "never"
    _timed(files, 1)  # warm-up: imports, caches
    b, v = _timed(files, REPS)
    n, npages = len(files), sum(pages(f) for f in files)
    print(f"{n} files ({npages} PDF pages), {REPS} reps, medians")
    print(f"raw readers : {b:7.3f} s  {n / b:8.1f} docs/s")
    print(f"vbextract   : {v:7.3f} s  {n / v:8.1f} docs/s")
    print(f"ratio vbextract/raw: {v / b:.1f}x")
    pdfs = [f for f in files if pages(f)]
    if pdfs:
        np_ = sum(pages(f) for f in pdfs)
        pb, pv = _timed(pdfs, REPS)
        print(f"PDF only    : raw {np_ / pb:7.1f} pages/s, vbextract {np_ / pv:7.1f} pages/s, ratio {pv / pb:.1f}x")
    ocr.OCR_MODE = "auto"
    if ocr.available():
        _, w = _timed(files, 1)
        print(
            f"default (OCR of pages without a usable text layer on): {w:7.3f} s  {n / w:8.1f} docs/s "
            f"(+{w - v:.2f} s for the scanned/broken pages)"
        )
    ocr.OCR_MODE = "never"


def bench_units(files: list[Path], n: int = 10_000) -> None:
    """Normalising n unit mentions (the samples' own, repeated): cold cache and warm."""
    from vbextract import VbeError, extract
    from vbextract.extract.unit_mentions import canonical_name
    from vbextract.gazetteer import _match_cached, gazetteer

    texts: list[str] = []
    for f in files:
        try:
            d = extract(f)
        except VbeError:
            continue
        for t in d.tasks:
            texts += [u.text for u in t.lead + t.support]
        texts += [r.text for r in d.meta.recipients]
    if not texts:
        return
    mentions = (texts * (n // len(texts) + 1))[:n]
    g = gazetteer()
    _match_cached.cache_clear()
    canonical_name.cache_clear() if hasattr(canonical_name, "cache_clear") else None
    t0 = time.perf_counter()
    known = sum(1 for m in mentions if g.match(canonical_name(m)).unit_id)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for m in mentions:
        g.match(canonical_name(m))
    warm = time.perf_counter() - t0
    print(
        f"units       : {n} mentions ({len(set(texts))} distinct), cold {cold:.3f} s, warm {warm:.3f} s, "
        f"{known / n:.0%} matched to the gazetteer"
    )


def bench_ocr_fix(reps: int = 10) -> None:
    """OCR word repair (ingest/ocr_fix) on a page of 400 words: index build, then per page."""
    from vbextract.ingest import ocr_fix

    line = "Theo chức năng, nhiệm vụ, phạm vi quản lý tô chức tuyên truyền, phố biến các nội dung"
    page = [line] * 25
    ocr_fix.fix_text(line)  # indexes built (~0.15 s once per process, usually by the OCR run above)
    t0 = time.perf_counter()
    for _ in range(reps):
        for s in page:
            ocr_fix.fix_text(s)
    per_page = (time.perf_counter() - t0) / reps
    print(f"ocr repair  : {sum(len(s.split()) for s in page)} words/page, {per_page * 1000:.1f} ms/page (warm)")


if __name__ == "__main__":
    main()
    bench_units(sorted(q for q in (ROOT / "samples").iterdir() if q.is_file()))
    bench_ocr_fix()
