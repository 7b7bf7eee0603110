"""Word-level OCR post-correction (``ingest/ocr_fix.py``), measured (~1-2 min on 2 cores).

Pages: those of bench/ocr_eval.py (digital PDF pages 46 p1-2, 47 p1 and
LibreOffice renders of the DOCX plans 37 p3-4, 42 p1, cached in /tmp/ocrbench),
each read three ways:

* ``clean``: rendered at ``ocr.DPI`` grayscale with pypdfium2, as ocr_eval.py;
* ``150up``: rendered at 150 dpi and scaled up to the 300-dpi size (bilinear),
  a low-resolution scan;
* ``blur``: the 300-dpi render blurred (Gaussian, radius 2) at 45 % contrast,
  a soft, grey copy.  Diacritic errors are several times more frequent here.

Each page is read with ``ocr.ocr_page`` as the pipeline does (the fixed-phrase
correction included: that is "before") and then every line's words go through
``ocr_fix.fix_words`` ("after").  CER = Levenshtein distance / reference length,
the page's text layer as reference, both NFC with whitespace collapsed.  Words
are judged against the reference word they align with (character alignment of
the page text before the fix): a changed word is *help* when it was wrong and
is now right, *harm* when it was right and is now wrong, *other* when wrong
both times (or not aligned to one reference word).

The counts behind the fix (models/ocr_ngrams.tsv) leave out the documents read
here (devset/build_ocr_ngrams.py).  ``--dev`` reads other pages of 37 and 42
instead (the pages the thresholds were tuned on); ``-v`` lists every change;
``--scans`` lists the changes on the real scans 48 and 49 (no reference text:
to be judged by eye).

Run from the repository root: ``.venv/bin/python bench/ocr_fix_eval.py``.
Exits 0 with a message when tesseract (with ``vie``) is not installed.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageEnhance, ImageFilter
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ocr_eval as base  # helpers: norm, to_pdf, page lists

from vbextract.ingest import ocr, ocr_fix

DEV = [("37_KH_sotrong-KH-UBND_Lao-Cai_2026.docx", [1, 5, 6, 7, 8]), ("42_KH_2242-KH-SCT_Lao-Cai_2026.docx", [2, 3])]


def render_at(pdf: pdfium.PdfDocument, number: int, dpi: float) -> tuple[Image.Image, str]:
    return base.render(pdf, number, dpi)


def variants(pdf: pdfium.PdfDocument, number: int) -> tuple[dict[str, Image.Image], str]:
    clean, text = render_at(pdf, number, ocr.DPI)
    low, _ = render_at(pdf, number, 150)
    blur = ImageEnhance.Contrast(clean.filter(ImageFilter.GaussianBlur(2.0))).enhance(0.45)
    return {"clean": clean, "150up": low.resize(clean.size, Image.BILINEAR), "blur": blur}, text


def finish(lines: list[ocr.OcrLine], fix: bool) -> list[list[str]]:
    """The words of ``lines`` after ocr_page's last step, ``ocr.correct_line``,
    with or without ``ocr_fix.fix_words``: called from correct_line once it is
    wired in there (then in correct_line's order), else applied after it."""
    lines = copy.deepcopy(lines)
    names = ocr.correct_line.__code__.co_names
    wired = "ocr_fix" in names or "fix_words" in names
    real = ocr_fix.fix_words
    if not fix:
        ocr_fix.fix_words = lambda words: list(words)
        if hasattr(ocr, "fix_words"):
            ocr.fix_words = ocr_fix.fix_words
    try:
        for ln in lines:
            ocr.correct_line(ln)
    finally:
        ocr_fix.fix_words = real
        if hasattr(ocr, "fix_words"):
            ocr.fix_words = real
    words = [[w.text for w in ln.words] for ln in lines]
    return [real(ws) for ws in words] if fix and not wired else words


def aligned(ref: str, hyp: str) -> list[str]:
    """For each whitespace word of ``hyp``, the text of ``ref`` aligned with it."""
    pos = [0] * (len(hyp) + 1)
    for op in Levenshtein.opcodes(ref, hyp):
        for k in range(op.dest_start, op.dest_end + 1):
            if op.tag in ("equal", "replace"):
                pos[k] = op.src_start + (k - op.dest_start)
            else:  # insert: nothing in ref; delete: empty on the hyp side
                pos[k] = op.src_start if op.tag == "insert" else op.src_end
    return [ref[pos[m.start()] : pos[m.end()]].strip() for m in re.finditer(r"\S+", hyp)]


def judge(ref: str, before: list[str], after: list[str]) -> tuple[int, int, int, list[str]]:
    """(help, harm, other, notes) over the words that changed.  A word whose
    aligned reference is not one word (a header read in another order) is
    judged by its three-word context: found in the reference after the fix
    and not before is help, the reverse harm."""
    refs = aligned(ref, " ".join(before))
    padded = f" {ref} "
    helped = harmed = other = 0
    notes = []
    for i, (r, b, a) in enumerate(zip(refs, before, after)):
        if a == b:
            continue
        if not r or " " in r:
            ctx_b = " ".join(before[max(0, i - 1) : i + 2])
            ctx_a = " ".join(after[max(0, i - 1) : i + 2])
            r_b, r_a = f" {ctx_b} " in padded, f" {ctx_a} " in padded
            r = "(context)"
            if r_b == r_a:  # neither context in the reference: is the word itself there?
                words = set(ref.split())
                r_b, r_a = before[i] in words, after[i] in words
            b, a = ctx_b, ctx_a
            b_ok, a_ok = r_b, r_a
        else:
            b_ok, a_ok = b == r, a == r
        if a_ok and not b_ok:
            helped, verdict = helped + 1, "help"
        elif b_ok and not a_ok:
            harmed, verdict = harmed + 1, "HARM"
        else:
            other, verdict = other + 1, "other"
        notes.append(f"{verdict:5} {b!r} -> {a!r} (reference {r!r})")
    return helped, harmed, other, notes


def show_scans() -> None:
    """Every word the fix changes on the real scans (all pages of 48 and 49), with context."""
    jobs = []
    for name in ("48_CV_2265-BCT-ATMT_Trung-uong_2026.pdf", "49_CV_3036-SCT-CN_Lao-Cai_2026.pdf"):
        with pdfium.PdfDocument(str(base.SAMPLES / name)) as pdf:
            for no in range(1, len(pdf) + 1):
                jobs.append((f"{name[:2]} p{no}", render_at(pdf, no, ocr.DPI)[0], float(ocr.DPI)))
    with base.no_correction():
        pages = list(ocr.ocr_many(iter(jobs), workers=2))
    print("\nchanges on the real scans (judge by eye):")
    for label, page in pages:
        if isinstance(page, ocr.OcrError):
            raise page
        for ws in finish(page.lines, fix=False):
            for i, (b, a) in enumerate(zip(ws, ocr_fix.fix_words(ws))):
                if a != b:
                    print(f"   {label}: {b!r} -> {a!r}   | {' '.join(ws[max(0, i - 3) : i + 4])}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", action="store_true", help="the tuning pages instead of ocr_eval.py's")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every changed word")
    ap.add_argument("--scans", action="store_true", help="list the changes on the real scans 48, 49")
    a = ap.parse_args()
    if not ocr.available():
        print(f"tesseract with the '{ocr.LANG}' model is not available: nothing to measure.")
        return 0
    t0 = time.perf_counter()
    base.SCRATCH.mkdir(parents=True, exist_ok=True)
    sources: list[tuple[Path, list[int], str]] = []
    if not a.dev:
        sources += [(base.SAMPLES / name, pages, "") for name, pages in base.NATIVE]
    for name, pages in DEV if a.dev else base.CONVERTED:
        pdf = base.to_pdf(base.SAMPLES / name)
        if pdf is None:
            print(f"(LibreOffice unavailable or failed: {name} skipped)")
            continue
        sources.append((pdf, pages, " LO"))
    jobs, refs = [], {}
    for path, pages, tag in sources:
        with pdfium.PdfDocument(str(path)) as pdf:
            for no in pages:
                images, text = variants(pdf, no)
                for kind, image in images.items():
                    label = (f"{path.name[:2]} p{no}{tag}", kind)
                    jobs.append((label, image, float(ocr.DPI)))
                    refs[label] = base.norm(text)
    ocr_fix.index()  # build the indexes before timing
    results = {}
    with base.no_correction():  # ocr_page without correct_line: done by finish(), with and without the fix
        for label, page in ocr.ocr_many(iter(jobs), workers=2):
            if isinstance(page, ocr.OcrError):
                raise page
            results[label] = page
    print("OCR post-correction (ocr_fix.fix_words after ocr_page), CER vs the text layer")
    head = (
        f"{'page':<10} {'kind':<6} {'ref ch':>6} {'CER before':>10} {'after':>7} {'words':>5} "
        f"{'changed':>7} {'help':>4} {'harm':>4} {'other':>5} {'fix ms':>6}"
    )
    print(head)
    totals: dict[str, list[float]] = {}
    notes_all = []
    for label, _, _ in jobs:
        page, ref = results[label], refs[label]
        before = finish(page.lines, fix=False)
        after = finish(page.lines, fix=True)
        t1 = time.perf_counter()
        for ws in before:
            ocr_fix.fix_words(ws)
        ms = (time.perf_counter() - t1) * 1000
        flat_b = [w for ws in before for w in ws]
        flat_a = [w for ws in after for w in ws]
        tb, ta = base.norm(" ".join(flat_b)), base.norm(" ".join(flat_a))
        db, da = Levenshtein.distance(ref, tb), Levenshtein.distance(ref, ta)
        helped, harmed, other, notes = judge(ref, tb.split(), ta.split())
        notes_all += [f"{label[0]} {label[1]}: {n}" for n in notes]
        changed = sum(x != y for x, y in zip(flat_b, flat_a))
        flag = "" if da <= db else "  <- worse"
        print(
            f"{label[0]:<10} {label[1]:<6} {len(ref):>6} {db / len(ref):>10.2%} {da / len(ref):>7.2%} "
            f"{len(flat_b):>5} {changed:>7} {helped:>4} {harmed:>4} {other:>5} {ms:>6.2f}{flag}"
        )
        t = totals.setdefault(label[1], [0, 0, 0, 0, 0, 0, 0, 0])
        for i, v in enumerate((len(ref), db, da, len(flat_b), changed, helped, harmed, other)):
            t[i] += v
    print("-" * len(head))
    for kind, t in totals.items():
        print(
            f"{'all':<10} {kind:<6} {t[0]:>6} {t[1] / t[0]:>10.2%} {t[2] / t[0]:>7.2%} {t[3]:>5} "
            f"{t[4]:>7} {t[5]:>4} {t[6]:>4} {t[7]:>5}"
        )
    if a.verbose:
        print("\n".join(notes_all))
    # speed of fix_text on a page's worth of lines (warm)
    lines = [" ".join(ws) for ws in finish(results[jobs[0][0]].lines, fix=False)]
    reps = 50
    t1 = time.perf_counter()
    for _ in range(reps):
        for s in lines:
            ocr_fix.fix_text(s)
    print(
        f"\nfix_text: {(time.perf_counter() - t1) / reps * 1000:.2f} ms per page "
        f"({sum(len(s.split()) for s in lines)} words, warm)"
    )
    if a.scans:
        show_scans()
    print(f"(total {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
