"""OCR for scanned pages and images: tesseract 5 (``-l vie``) -> rows -> blocks.

Why the tesseract CLI through ``subprocess`` and not a Python binding
---------------------------------------------------------------------
* pytesseract is a thin wrapper that writes the image to a temporary file and
  runs this same CLI; it adds a dependency and a temp-file round trip and
  nothing else.
* tesserocr calls the C++ API in-process but needs a build compiled against the
  installed libtesseract/leptonica (no manylinux wheel), and a crash inside
  tesseract would take the whole process down.
* The CLI reads a level-1 PNG from stdin (no temporary file; faster for
  tesseract than an uncompressed PGM, see ``_png``), one process per page
  runs single-threaded (``OMP_THREAD_LIMIT=1``:
  a second thread gains nothing, perf-anchors §2) and pages run two at a time
  (1.6x throughput on 2 cores), and a timeout can kill a runaway page.

Resolution: 300 dpi (``DPI``), chosen by measurement
-----------------------------------------------------
This machine (2 cores), tesseract 5.3 single-threaded, medians of 5 runs of
``ocr_page`` (the full pass: TSV, picture re-read, despeckle, corrections) on
a pypdfium2 grayscale render fed as PGM.  CER = Levenshtein distance /
reference length after whitespace collapsing; "body" = from "Kính gửi" on
(the header's reading order and handwriting dominate the rest).

===========================================  =====  ==========  ========  ========
page                                         dpi    s/page      CER       body CER
===========================================  =====  ==========  ========  ========
48 p1, real scan (150 dpi JPEG), vs a        200    1.22        1.98 %    1.03 %
hand-checked transcript of the page          300    1.72        1.59 %    0.92 %
46 p1, digital page rendered, vs its own     200    1.28        1.52 %    0.47 %
text layer                                   300    1.75        1.48 %    0.41 %
===========================================  =====  ==========  ========  ========

Rendering costs 37-49 ms (48) and 7-24 ms (46) per page.  Whole documents
(3 pages, 2 tesseract processes at a time, ``pdf.read``): 48 in 1.28 s at
200 dpi vs 1.80 s at 300; 49 in 1.64 s vs 2.44 s.  300 dpi costs +40 % time
and makes 20 % fewer errors on the real scan (at 200 dpi the motto line
loses "lập", which the header zone keys on); on the clean rendered page both
are equal.  Scans are the reason OCR exists here, so 300 it is; set
``ocr.DPI = 200`` for about 30 % more speed on clean inputs.

Pipeline
--------
image -> ``ocr_image`` (TSV words with boxes and confidences, grouped into
tesseract's block/paragraph/line) -> ``correct`` (a few known phrases) ->
``to_rows`` (``layout.Row``/``Seg`` in points, segments split at
wide gaps, left and right columns on one visual line merged into one row) ->
the layout rules shared with the PDF reader (``layout.py``): page numbers
dropped, the header of page 1 and
the signature block as borderless 2-column tables, paragraphs joined by line
geometry (first-line indent, "would the next word have fit", line pitch) and
by list markers, also across a page break.  Scanned and digital pages thus go
through the same zone and paragraph rules.

Ruled tables (``_read``, ``rulings.py``): before tesseract, the page's rules
are looked for in the pixels; when they enclose a grid, the page is levelled
by the rules' skew if needed, the page pass reads it with the tables blanked
out, and the cells (rules erased) are cut out and read on a sheet of their
own, each word then tagged with its cell.  ``page_layout`` turns the tagged
lines into a ``layout.TableItem`` (its grid from the cell boxes, the
cell text joined by the digital cell rules), so a scanned table is split,
merged across pages and read for tasks like a digital one.  Measured with
bench/ocr_eval.py on the rendered corpus 37 and 42 plans: table tasks 23/23
(were 2/23 when a table page was read as prose), cell CER 0.35 % and 1.75 %
(the latter mostly "1." read as "1"); a page with tables costs ~1.3x plain
tesseract (the second call), one without ~1.05x (the rule search, 50 ms).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import time
import unicodedata
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from io import BytesIO
from typing import Iterable, Iterator, Optional, TypeVar, Union, cast

from PIL import Image, ImageOps
from rapidfuzz.distance import Levenshtein

from .. import faults, lexicon
from ..model import DocBuilder
from ..normalize import fold_char
from . import ocr_fix, rulings
from .layout import Box, PageLayout, Row, Seg, cell_text, grid_of, layout_to_blocks, table_item
from .rulings import RuledTable

K = TypeVar("K")  # the caller's key of a page in ocr_many

OCR_MODE = (
    "auto"  # process default of the readers' ocr_mode: "auto" (pages without a usable text layer), "always", "never"
)
MODES = ("auto", "always", "never")
DPI = 300  # render resolution of PDF pages (measured against 200: see the module docstring)
WORKERS = 2  # tesseract processes at a time (perf-anchors §2: 2 single-threaded beat 1 two-threaded)
TIMEOUT = 120.0  # seconds per tesseract call; a full A4 page takes 1-3 s
LANG = "vie"

# Words tesseract is unsure of are mostly stamp, signature or scribble noise,
# but a correct symbol next to a superscript can score 15 ("55/2024/QH15;",
# corpus 49): words with a digit are kept down to a confidence of 5.
_MIN_CONF = 20.0  # words without a digit below this are dropped
_MIN_CONF_DIGIT = 5.0  # ... words with a digit
_MIN_CONF_PUNCT = 60.0  # ... words without a letter or digit (rules, scratches)
_OSD_CONF = 2.0  # tesseract OSD orientation confidence needed before rotating


def mode(ocr_mode: Optional[str]) -> str:
    """The OCR mode to use: ``ocr_mode`` as given by the caller, else the
    process default ``OCR_MODE``; an unknown mode is a ValueError."""
    m = OCR_MODE if ocr_mode is None else ocr_mode
    if m not in MODES:
        raise ValueError(f"ocr mode must be one of {', '.join(MODES)}, not {m!r}")
    return m


class OcrError(RuntimeError):
    """tesseract failed, timed out or is missing."""


@dataclass
class OcrWord:
    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float


@dataclass
class OcrLine:
    """One tesseract text line (pixel coordinates of the image it came from)."""

    words: list[OcrWord]
    block: int = 0
    par: int = 0
    line: int = 0
    cell: Optional[tuple[int, int]] = None  # (table, cell) of ``OcrPage.tables`` when read from a ruled table's cell

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> int:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> int:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words)


@dataclass
class OcrPage:
    """The OCR result of one page image (``width``/``height`` in pixels, after
    any rotation applied to make the text upright)."""

    lines: list[OcrLine]
    width: int
    height: int
    dpi: float
    rotated: int = 0  # degrees the image was turned (counter-clockwise, PIL's sense)
    tables: "list[RuledTable]" = field(default_factory=list)  # ruled tables found in the image (pixels)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# =============================================================================
# tesseract
# =============================================================================
def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when the tesseract binary runs and has the Vietnamese model (cached)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        r = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=20, env=_env())
    except (OSError, subprocess.SubprocessError):
        return False
    langs = {ln.strip() for ln in r.stdout.decode("utf-8", "replace").splitlines()[1:]}
    return r.returncode == 0 and LANG in langs


def _png(image: Image.Image, dpi: float) -> bytes:
    """PNG bytes (fastest zlib level) of an 8-bit grayscale image.  Measured
    (bench/ocr_eval.py): tesseract decodes a level-1 PNG from stdin faster than
    an uncompressed PGM of the same page (1.58 s vs 1.87 s per page; the
    encode itself costs 0.07 s), as it spends the difference reading the
    8.7 MB PGM."""
    if image.mode != "L":
        image = image.convert("L")
    buf = BytesIO()
    image.save(buf, format="PNG", compress_level=1, dpi=(dpi, dpi))
    return buf.getvalue()


def _run(args: list[str], data: bytes, timeout: float) -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrError("tesseract is not installed")
    try:
        r = subprocess.run(
            [exe, "stdin", "stdout", *args], input=data, capture_output=True, timeout=timeout, env=_env()
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract timed out after {timeout:.0f} s") from exc
    except OSError as exc:
        raise OcrError(f"tesseract could not run ({exc})") from exc
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed (exit {r.returncode}): {msg[-1] if msg else ''}"[:200])
    return r.stdout.decode("utf-8", "replace")


def ocr_image(image: Image.Image, dpi: float = DPI, psm: int = 3, timeout: float = TIMEOUT) -> list[OcrLine]:
    """Run tesseract on one image; its words grouped into lines (pixel boxes).

    ``--dpi`` is passed as well as written into the PNG: without it
    tesseract misjudges small text (perf-anchors §2).  Raises ``OcrError``.
    """
    return parse_tsv(_tsv(image, dpi, psm, timeout))


def _tsv(image: Image.Image, dpi: float, psm: int, timeout: float) -> str:
    return _run(["-l", LANG, "--dpi", str(int(round(dpi))), "--psm", str(psm), "tsv"], _png(image, dpi), timeout)


def parse_tsv(
    tsv: str, pictures: Optional[list[tuple[int, int, int, int]]] = None, min_conf: Optional[float] = None
) -> list[OcrLine]:
    """tesseract TSV -> lines of confident words, in tesseract's reading order.

    ``pictures``, when given, receives the boxes (x0, top, x1, bottom) of the
    blocks tesseract found no text in (it takes a signature block under a
    red stamp for a picture).  ``min_conf`` overrides the confidence floors.
    """
    lines: dict[tuple[int, int, int, int], OcrLine] = {}
    blocks: dict[int, tuple[int, int, int, int]] = {}
    inked: set[int] = set()
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] not in ("2", "5"):
            continue
        try:
            left, top, w, h = int(f[6]), int(f[7]), int(f[8]), int(f[9])
            conf = float(f[10])
        except ValueError:
            continue
        if f[0] == "2":
            blocks[int(f[2])] = (left, top, left + w, top + h)
            continue
        text = f[11].strip().strip("|¦")  # table rulings and frame edges read as bars
        if not text:
            continue
        if any(c.isalnum() for c in text):
            inked.add(int(f[2]))
        key = (int(f[1]), int(f[2]), int(f[3]), int(f[4]))
        ln = lines.get(key)
        if ln is None:
            ln = lines[key] = OcrLine([], key[1], key[2], key[3])
        ln.words.append(OcrWord(unicodedata.normalize("NFC", text), left, top, left + w, top + h, conf))
    if pictures is not None:
        pictures.extend(box for k, box in blocks.items() if k not in inked)
    for ln in lines.values():
        ln.words = _confident(ln.words, min_conf)
    return [ln for ln in lines.values() if ln.words]


def _confident(words: list[OcrWord], min_conf: Optional[float]) -> list[OcrWord]:
    """The words of a line worth keeping.

    A word tesseract is unsure of is kept when it has a digit (a correct
    symbol next to a superscript scores 15) or when it sits between two
    confident neighbours on its line (a misread word inside a sentence:
    dropping it would lose the word); an unsure word at a line's edge or
    among other unsure words is stamp, signature or scribble noise.
    """
    if min_conf is not None:
        return [w for w in words if w.conf >= min_conf and any(c.isalnum() for c in w.text)]
    keep = []
    for i, w in enumerate(words):
        if not any(c.isalnum() for c in w.text):
            ok = w.conf >= _MIN_CONF_PUNCT
        elif any(c.isdigit() for c in w.text):
            ok = w.conf >= _MIN_CONF_DIGIT
        elif w.conf >= _MIN_CONF:
            ok = True
        else:
            h = max(1, w.bottom - w.top)
            near = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
            ok = len(near) == 2 and all(
                o.conf >= 60 and min(abs(w.x0 - o.x1), abs(o.x0 - w.x1)) < 1.5 * h for o in near
            )
        if ok:
            keep.append(w)
    return keep


_REREAD_CONF = 60.0  # words kept from a re-read picture block (a stamp's ink makes noise) ...
_REREAD_SURE = 85.0  # ... in lines of 2+ words, one of them a confident word of 3+ letters
_REREAD_MAX = 3  # picture blocks re-read per page


def _reread_pictures(
    image: Image.Image, dpi: float, lines: list[OcrLine], pictures: list[tuple[int, int, int, int]], timeout: float
) -> list[OcrLine]:
    """Read again, as one uniform text block (``--psm 6``), the blocks the
    page pass took for pictures: the signature block under a red stamp
    ("KT. BỘ TRƯỞNG / THỨ TRƯỞNG", the signer's name).  The seal's own ink
    reads as noise, so only fairly confident words (>= 60, 2+ characters, or
    >= 85) are kept, in lines of two or more words with one confident word of
    3+ letters (a title or a name; a lone word is the seal's text), and none
    that overlaps a word already read.  0.1-0.2 s per block."""
    heights = sorted(ln.bottom - ln.top for ln in lines if len(ln.words) >= 3)
    lh = heights[len(heights) // 2] if heights else dpi / 5
    W, H = image.size
    cands = [
        b
        for b in pictures
        if b[2] - b[0] >= 0.1 * W and b[3] - b[1] >= 1.5 * lh and (b[2] - b[0]) * (b[3] - b[1]) <= 0.25 * W * H
    ]
    cands.sort(key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))
    old = [w for ln in lines for w in ln.words]
    out: list[OcrLine] = []
    for n, (x0, t, x1, b) in enumerate(cands[:_REREAD_MAX]):
        m = int(lh)
        box = (max(0, x0 - m), max(0, t - m), min(W, x1 + m), min(H, b + m))
        try:
            found = parse_tsv(_tsv(image.crop(box), dpi, 6, timeout), min_conf=_REREAD_CONF)
        except OcrError:
            continue
        for ln in found:
            ln.block += 1000 * (n + 1)
            for w in ln.words:
                w.x0, w.x1, w.top, w.bottom = w.x0 + box[0], w.x1 + box[0], w.top + box[1], w.bottom + box[1]
            ln.words = [
                w
                for w in ln.words
                if not any(_overlaps(w, o) for o in old)
                and (w.conf >= _REREAD_SURE or sum(c.isalnum() for c in w.text) >= 2)
            ]
            if len(ln.words) >= 2 and any(
                w.conf >= _REREAD_SURE and sum(c.isalpha() for c in w.text) >= 3 for w in ln.words
            ):
                out.append(ln)
                old.extend(ln.words)
    return out


def _overlaps(a: OcrWord, b: OcrWord) -> bool:
    cx, cy = (a.x0 + a.x1) / 2, (a.top + a.bottom) / 2
    return b.x0 <= cx <= b.x1 and b.top <= cy <= b.bottom


def detect_rotation(image: Image.Image, dpi: float = DPI, timeout: float = 30.0) -> int:
    """Degrees to turn the image counter-clockwise (PIL ``rotate``) so that its
    text is upright, from tesseract's orientation detection (``--psm 0``, the
    ``osd`` model); 0 when unsure or when OSD is not installed."""
    if dpi >= 250:  # OSD needs no more than 150 dpi: 0.6 s instead of 1.1 s on an A4 page
        image = image.resize((image.width // 2, image.height // 2), Image.Resampling.BILINEAR)
        dpi /= 2
    try:
        out = _run(["--psm", "0", "--dpi", str(int(round(dpi)))], _png(image, dpi), timeout)
    except OcrError:
        return 0
    rot = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rot or not conf or float(conf.group(1)) < _OSD_CONF:
        return 0
    # tesseract: "rotate the image clockwise by N degrees"; PIL rotates counter-clockwise
    return (360 - int(rot.group(1))) % 360


def _looks_wrong(lines: list[OcrLine]) -> bool:
    """Maybe the page is turned: tesseract read its lines as vertical text
    (boxes taller than wide), or found almost nothing, or nothing it is sure of."""
    long = [ln for ln in lines if len(ln.words) >= 3]
    if long and sum(1 for ln in long if ln.bottom - ln.top > 2 * (ln.x1 - ln.x0)) >= 0.5 * len(long):
        return True
    words = [w for ln in lines for w in ln.words if any(c.isalnum() for c in w.text)]
    if sum(len(w.text) for w in words) < 20:
        return True
    return sum(w.conf for w in words) / len(words) < 70


def ocr_page(image: Image.Image, dpi: float = DPI, orient: bool = True, timeout: float = TIMEOUT) -> OcrPage:
    """OCR one page image, turning it first when it is read sideways.

    Orientation costs nothing on a normal page: tesseract's OSD (``--psm 0``,
    0.5-0.6 s) runs only when the first pass looks wrong (lines read as
    vertical text, almost no text, or a low mean confidence), and the turned
    page is kept if it reads right or better.  A page turned by 90° costs
    about three passes (1.6 s for the 1650x608 test crop, ~4 s for a page).
    """
    t0 = time.perf_counter()
    if image.mode != "L":
        image = image.convert("L")
    pictures: list[tuple[int, int, int, int]] = []
    lines, tables, read = _read(image, dpi, timeout, pictures)
    page = OcrPage(lines, image.width, image.height, dpi, tables=tables)
    if orient and _looks_wrong(lines):
        angle = detect_rotation(image, dpi)
        if angle:
            turned = image.rotate(angle, expand=True, fillcolor=255)
            pictures2: list[tuple[int, int, int, int]] = []
            lines2, tables2, read2 = _read(turned, dpi, timeout, pictures2)
            if not _looks_wrong(lines2) or _score(lines2) > _score(lines):
                page = OcrPage(lines2, turned.width, turned.height, dpi, rotated=angle, tables=tables2)
                page.notes.append(f"turned {angle}°")
                read, pictures = read2, pictures2
    if pictures and page.lines:
        page.lines.extend(_reread_pictures(read, dpi, page.lines, pictures, timeout))
    _despeckle(page.lines)
    for ln in page.lines:
        correct_line(ln)
    page.seconds = time.perf_counter() - t0
    return page


def _read(
    image: Image.Image, dpi: float, timeout: float, pictures: list[tuple[int, int, int, int]]
) -> "tuple[list[OcrLine], list[RuledTable], Image.Image]":
    """One reading of a page image: its lines, its ruled tables, and the image
    the page pass read (for re-reading picture blocks).

    A page with ruled tables is read in two passes.  The page pass sees the
    page with the tables blanked out; the cells are cut out (rules erased),
    laid out on sheets with blank space between them and read in one or two
    more tesseract calls (``_read_cells``), each word then put back at its
    place on the page and tagged with its cell.  Read as one page, a table mixes its
    columns: tesseract joins the words of neighbouring cells that share a
    baseline into one line, reads a wrapped cell's first line twice and drops
    the row numbers in the narrow first column."""
    lv = rulings.levels(image)
    paper = lv[0]
    mask = rulings.ink_mask(image, lv)
    angle = rulings.skew(image, dpi, mask)
    if angle:  # rules found askew: level the page, or no rule is found whole
        level = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
        tables = rulings.find_tables(level, dpi)
        if tables:
            image = level
    else:
        tables = rulings.find_tables(image, dpi, mask)
    if not tables:  # a page without tables is read as it came (tesseract levels text lines itself)
        return parse_tsv(_tsv(image, dpi, 3, timeout), pictures), tables, image
    erased = rulings.erase(image, tables, paper)
    outside = rulings.blank(erased, tables, paper)
    lines = parse_tsv(_tsv(outside, dpi, 3, timeout), pictures)
    lines.extend(_read_cells(erased, dpi, tables, timeout, paper))
    return lines, tables, outside


_CELL_GAP_IN = 0.3  # blank space between stacked cells (inch): more than a line, so no line spans two cells
_CELL_PAD_IN = 0.05  # white margin kept around a cell's ink
_CELL_INSET_IN = 0.012  # a cell's border band left out of its crop (blurred rule edges; text sits further in)
_STACK_MAX_PX = 30000  # a stack taller than this is read in several calls (tesseract/leptonica size limits)


def _read_cells(
    erased: Image.Image, dpi: float, tables: "list[RuledTable]", timeout: float, paper: int = 255
) -> list[OcrLine]:
    """The cells of ``tables`` read from ``erased`` (rules painted over), on a
    sheet of the ``paper`` grey; see ``_read``.

    Each crop is the cell's ink with a margin of its own paper (clipped to the
    cell less its border band), so faint letter edges are kept.  Single
    tokens (one line, an inch wide at most, no word gap: row numbers "1.",
    "II", "(3)") are set side by side on shared lines, bottoms aligned, and
    read as sparse text (``--psm 11``): alone on a line, or read as a block,
    a "5." in a narrow first column is often read as nothing, "c5" or "HÀ",
    and a lost row number turns a task row into a continuation of the row
    above (measured on the rendered corpus 37 and 42 tables: psm 11 reads
    every row number, psm 6 loses a third; psm 11 on whole cells misreads
    "Quý II" as "Quý H").  The other crops are stacked one under the other and
    read as a block (``--psm 6``): two calls per page with tables, the second
    small.  Pages under 300 dpi are enlarged to 300 on the sheets."""
    mask = rulings.ink_mask(erased)
    pad, gap = round(_CELL_PAD_IN * dpi), round(_CELL_GAP_IN * dpi)
    inset = max(2, round(_CELL_INSET_IN * dpi))
    crops: list[tuple[tuple[int, int], tuple[int, int, int, int]]] = []  # (table, cell), crop box on the page
    for ti, t in enumerate(tables):
        for ci, c in enumerate(t.cells):
            ink = rulings.ink_box(mask, c, inset)
            if ink is not None:
                crops.append(
                    (
                        (ti, ci),
                        (
                            max(ink[0] - pad, int(c[0]) + 1 + inset),
                            max(ink[1] - pad, int(c[1]) + 1 + inset),
                            min(ink[2] + pad, int(c[2]) - inset),
                            min(ink[3] + pad, int(c[3]) - inset),
                        ),
                    )
                )
    f = 300.0 / dpi if dpi < 290 else 1.0  # sheet scale
    gap_px = max(3, round(_WORD_GAP_IN * dpi))
    tokens: list[tuple[tuple[int, int], tuple[int, int, int, int]]] = []
    rest: list[tuple[tuple[int, int], tuple[int, int, int, int]]] = []
    for crop in crops:
        box = crop[1]
        one_token = (
            box[3] - box[1] <= _SHORT_H_IN * dpi
            and box[2] - box[0] <= _SHORT_W_IN * dpi
            and not rulings.has_gap(mask, box, gap_px)
        )
        (tokens if one_token else rest).append(crop)
    out: list[OcrLine] = []
    for psm, sheets in ((11, _shared_lines(tokens, f, round(gap * f), dpi)), (6, _stacked(rest, f, round(gap * f)))):
        for sheet, placed in sheets:
            out.extend(_read_sheet(erased, sheet, placed, f, dpi, psm, timeout, paper))
    return out


def _read_sheet(
    erased: Image.Image,
    sheet: tuple[int, int],
    placed: list,
    f: float,
    dpi: float,
    psm: int,
    timeout: float,
    paper: int,
) -> list[OcrLine]:
    """Paste the crops on a sheet, read it, and put each word back on the page,
    one line per crop (a tesseract line on a shared line spans several)."""
    canvas = Image.new("L", sheet, paper)
    for (x, y), _, box in placed:
        crop = erased.crop(box)
        if f != 1.0:
            crop = crop.resize((round(crop.width * f), round(crop.height * f)), Image.Resampling.LANCZOS)
        canvas.paste(crop, (x, y))
    out: list[OcrLine] = []
    for ln in parse_tsv(_tsv(canvas, dpi * f, psm, timeout)):
        groups: dict[int, OcrLine] = {}
        for w in ln.words:
            k = _placement(placed, (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, f)
            if k is None:
                continue
            (x, y), cell, box = placed[k]
            w.x0, w.x1 = round((w.x0 - x) / f) + box[0], round((w.x1 - x) / f) + box[0]  # back to page pixels
            w.top, w.bottom = round((w.top - y) / f) + box[1], round((w.bottom - y) / f) + box[1]
            g = groups.get(k)
            if g is None:
                g = groups[k] = OcrLine([], ln.block + 10000 * (1 + cell[0]), ln.par, ln.line, cell=cell)
            g.words.append(w)
        out.extend(groups.values())
    return out


_SHORT_H_IN = 0.3  # a crop this high at most (one line of text with its margin) ...
_SHORT_W_IN = 1.0  # ... and this wide at most ...
_WORD_GAP_IN = 0.03  # ... with no blank column this wide inside (one token) is set on a shared line
_SHEET_W_IN = 8.0  # width of the shared lines


def _size(box: tuple[int, int, int, int], f: float) -> tuple[int, int]:
    return round((box[2] - box[0]) * f), round((box[3] - box[1]) * f)


def _shared_lines(
    crops: list[tuple[tuple[int, int], tuple[int, int, int, int]]], f: float, gap: int, dpi: float
) -> Iterator[tuple[tuple[int, int], list]]:
    """Lay crops side by side on lines ``_SHEET_W_IN`` wide, bottoms aligned, on
    sheets ``((width, height), [((x, y), cell, box)])`` in sheet pixels (page
    pixels x ``f``); a new sheet when one passes ``_STACK_MAX_PX``."""
    line_w = round(_SHEET_W_IN * dpi * f)
    placed: list = []
    width, y = gap, gap // 2
    todo = list(crops)
    while todo:
        if placed and y > _STACK_MAX_PX:
            yield (width, y), placed
            placed, width, y = [], gap, gap // 2
        line: list[tuple[int, tuple[int, int], tuple[int, int, int, int]]] = []  # (x, cell, box)
        x = gap // 2
        while todo and (not line or x + _size(todo[0][1], f)[0] <= line_w):
            cell, box = todo.pop(0)
            line.append((x, cell, box))
            x += _size(box, f)[0] + gap
        h = max(_size(box, f)[1] for _, _, box in line)
        placed.extend(((lx, y + h - _size(box, f)[1]), cell, box) for lx, cell, box in line)
        width = max(width, x + gap // 2)
        y += h + gap
    if placed:
        yield (width, y), placed


def _stacked(
    crops: list[tuple[tuple[int, int], tuple[int, int, int, int]]], f: float, gap: int
) -> Iterator[tuple[tuple[int, int], list]]:
    """Lay crops one under the other on sheets (as ``_shared_lines``)."""
    placed: list = []
    width, y = gap, gap // 2
    for cell, box in crops:
        w, h = _size(box, f)
        if placed and y + h > _STACK_MAX_PX:
            yield (width, y), placed
            placed, width, y = [], gap, gap // 2
        placed.append(((gap // 2, y), cell, box))
        width = max(width, w + gap)
        y += h + gap
    if placed:
        yield (width, y), placed


def _placement(placed: list, cx: float, cy: float, f: float) -> Optional[int]:
    """Index of the crop whose area on the sheet holds the point (a word's centre)."""
    for k, ((x, y), _, box) in enumerate(placed):
        if x <= cx <= x + (box[2] - box[0]) * f and y <= cy <= y + (box[3] - box[1]) * f:
            return k
    return None


def _despeckle(lines: list[OcrLine]) -> None:
    """Drop specks: a word without a letter or digit much smaller than the
    page's text (dashes and bullets stay), a 'letter' a quarter of the line
    height, and a word whose centre lies inside a bigger word of another line
    (the same ink read twice)."""
    heights = sorted(ln.bottom - ln.top for ln in lines if len(ln.words) >= 3)
    if not heights:
        return
    typical = heights[len(heights) // 2]
    for ln in lines:
        ln.words = [
            w
            for w in ln.words
            if w.text in ("-", "–", "—", "+", "•", "*")
            or max(w.bottom - w.top, w.x1 - w.x0) >= (0.25 if any(c.isalnum() for c in w.text) else 0.35) * typical
        ]
    for ln in lines:
        if not ln.words:
            continue
        top, bottom = ln.top, ln.bottom
        others = [
            o
            for other in lines
            if other is not ln and other.words and other.top < bottom and other.bottom > top
            for o in other.words
        ]
        ln.words = [
            w
            for w in ln.words
            if not any(
                _overlaps(w, o) and (o.x1 - o.x0) * (o.bottom - o.top) > 2 * (w.x1 - w.x0) * (w.bottom - w.top)
                for o in others
            )
        ]
    lines[:] = [ln for ln in lines if ln.words]


def _score(lines: list[OcrLine]) -> float:
    """Confident characters: the better reading of two orientations."""
    return sum(len(w.text) * w.conf for ln in lines for w in ln.words)


def ocr_many(
    images: Iterable[tuple[K, Image.Image, float]], workers: int = WORKERS, orient: bool = True
) -> Iterator[tuple[K, Union[OcrPage, OcrError]]]:
    """OCR pages ``(key, image, dpi)`` with ``workers`` tesseract processes at a
    time; yields ``(key, OcrPage or OcrError)`` in input order.

    Images are pulled from ``images`` lazily (the PDF reader renders them one
    by one in this thread, pdfium not being thread-safe), so at most
    ``workers + 1`` rendered pages are held at once.
    """
    workers = max(1, min(workers, os.cpu_count() or 1))

    def job(image: Image.Image, dpi: float) -> Union[OcrPage, OcrError]:
        try:
            return ocr_page(image, dpi, orient=orient)
        except OcrError as exc:
            return exc
        except Exception as exc:  # one bad page must not sink the document (a bug of ours or a data file does)
            faults.reraise_unless_input_fault(exc)
            return OcrError(f"OCR failed ({type(exc).__name__}: {exc})"[:200])

    pending: list[tuple[K, Future]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for key, image, dpi in images:
            pending.append((key, pool.submit(job, image, dpi)))
            while len([f for _, f in pending if not f.done()]) > workers:
                wait([f for _, f in pending if not f.done()], return_when=FIRST_COMPLETED)
            while pending and pending[0][1].done():
                k, f = pending.pop(0)
                yield k, f.result()
        for k, f in pending:
            yield k, f.result()


# =============================================================================
# light post-correction of known phrases
# =============================================================================
# Phrases every administrative document prints in a fixed form.  A line (or
# its start) whose diacritic-free letters equal the phrase's, or differ in at
# most ``tol`` edits for the long ones, gets the printed form; spans holding a
# digit are never touched.  Alternatives keep the tone placement that was
# printed ("CỘNG HOÀ" and "CỘNG HÒA" are both correct).
_PHRASES: list[tuple[tuple[str, ...], str, int]] = [
    # (accepted forms, where: "any" | "start" | "line", max edits on the
    # folded letters); a phrase in capitals is only fixed where it is printed
    # in capitals ("Cộng hòa xã hội chủ nghĩa Việt Nam" in a sentence stays)
    (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "any", 3),
    (("Độc lập - Tự do - Hạnh phúc",), "any", 2),
    (("ĐẢNG CỘNG SẢN VIỆT NAM",), "any", 2),
    (("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"), "start", 1),
    # the labels and names below are lexicon blocks (models/lexicon.yaml)
    (tuple(w + ":" for w in lexicon.words("RECIPIENTS_LABEL")), "start", 0),
    (tuple(w + ":" for w in lexicon.words("ADDRESSEE_LABEL")), "start", 0),
    # type lines: every document type name in capitals ("KẾ HOẠCH"), and the
    # "QUYẾT ĐỊNH:" that enacts the articles of a decision
    (("QUYẾT ĐỊNH:",), "line", 0),
    *(((name.upper(),), "line", 0) for name in lexicon.words("DOC_TYPE_NAME")),
    # signer titles, in capitals only ("GIÁM ĐÓC" -> "GIÁM ĐỐC")
    *(((title,), "any", 0) for title in lexicon.words("SIGNER_TITLE")),
]


def _fold_char(c: str) -> str:
    """``normalize.fold_char``, and every dash a hyphen ("Độc lập – Tự do");
    one character in, one out, so folded offsets are the text's offsets."""
    return "-" if c in "—–‐‑−" else fold_char(c)


def _fold(s: str) -> str:
    return "".join(_fold_char(c) for c in s)


_FOLDED = [([(_fold(f), f) for f in forms], where, tol) for forms, where, tol in _PHRASES]
# 'năm' misread before the year of a 'ngày .. tháng .. năm YYYY' date
_NAM = re.compile(r"(?<![^\W\d_])(?:măm|mâm|mám|nắm|nấm|nằm|nẫm|năn|nâm|nãm|nám)(?=\s*\d{4}\b)")
_DATE_CONTEXT = re.compile(r"(?:ngay|thang)\S*\s*\S{0,6}\s*$")
# 'Số:' misread at the start of the number line ('Sô:', 'Só;', 'So.') before the number or '/'
_SO = re.compile(r"^[Ss][ốôóòồổỗộơớờỡợoõọỏ]\s*[:;.,]\s?(?=\s*[\d/])")


def correct(text: str) -> str:
    """Fix OCR confusions in a few known phrases (see ``_PHRASES``); never a digit."""
    if not text:
        return text
    folded = _fold(text)
    for forms, where, tol in _FOLDED:
        for ff, form in forms:
            if where == "line" and len(folded.strip()) != len(ff):
                continue
            lo = 0 if where != "any" else None
            fixed = False
            for a, b in _find_all(folded, ff, tol, lo):
                piece = text[a:b]
                if any(c.isdigit() for c in piece) or (form.isupper() and piece != piece.upper()):
                    continue  # a capitals phrase is only fixed where it is printed in capitals
                if piece in (f for _, f in forms):
                    continue  # printed and read correctly here; a later occurrence may not be
                best = min((f for _, f in forms), key=lambda f: Levenshtein.distance(f, piece))
                text = text[:a] + best + text[b:]
                folded = _fold(text)
                fixed = True
                break
            if fixed:
                break
    text = _NAM.sub(
        lambda m: "năm" if _DATE_CONTEXT.search(_fold(text[max(0, m.start() - 24) : m.start()])) else m.group(0), text
    )
    m = _SO.match(text)
    if m and not m.group(0).startswith("Số:"):
        text = "Số:" + (" " if m.group(0).endswith(" ") else "") + text[m.end() :]
    text = _QUARTER.sub(_quarter, text)
    return text


# a Roman quarter number read with the look-alikes of I ("l", "|") and of II ("H"):
# "Quý H/2026" -> "Quý II/2026"; Arabic digits ("Quý 1/2026") are printed so and kept
_QUARTER = re.compile(r"(?<![^\W\d_])(Qu[ýyí]|QU[ÝYÍ]|quý)(\s+)([IVHl|]{1,4})(?=\s*(?:[/,.;:)\-–]|năm|$|\s))")
_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def _quarter(m: re.Match) -> str:
    roman = m.group(3).replace("H", "II").replace("l", "I").replace("|", "I")
    if m.group(3) == roman or roman not in _ROMAN_QUARTERS:
        return m.group(0)
    return m.group(1) + m.group(2) + roman


def _find(folded: str, phrase: str, tol: int, at: Optional[int]) -> Optional[tuple[int, int]]:
    """First span of ``phrase`` in ``folded`` (see ``_find_all``)."""
    return next(iter(_find_all(folded, phrase, tol, at)), None)


def _find_all(folded: str, phrase: str, tol: int, at: Optional[int]) -> Iterator[tuple[int, int]]:
    """Spans of ``phrase`` in ``folded`` with at most ``tol`` edits, on word
    boundaries, one per start; at offset ``at`` only (line start) or anywhere."""
    n = len(phrase)
    starts = [at + (len(folded) - len(folded.lstrip()))] if at is not None else _word_starts(folded)
    for s in starts:
        for length in range(max(1, n - tol), n + tol + 1):
            e = s + length
            if e > len(folded) or (e < len(folded) and folded[e].isalnum()):
                continue
            if Levenshtein.distance(folded[s:e], phrase, score_cutoff=tol) <= tol:
                yield s, e
                break


def _word_starts(s: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)\w", s)]


def correct_line(line: OcrLine) -> None:
    """Repair a line's words: marks of known words in context (``ocr_fix``,
    one word out per word in), then the fixed phrases of ``correct``, keeping
    the word boxes when the word count holds."""
    for w, t in zip(line.words, ocr_fix.fix_words([w.text for w in line.words])):
        w.text = t
    before = line.text
    after = correct(before)
    if after == before:
        return
    parts = after.split()
    if len(parts) == len(line.words):
        for w, p in zip(line.words, parts):
            w.text = p
        return
    # a phrase gained or lost a space: spread the new words over the old boxes
    old = line.words
    new: list[OcrWord] = []
    for i, p in enumerate(parts):
        src = old[min(i * len(old) // len(parts), len(old) - 1)]
        new.append(OcrWord(p, src.x0, src.top, src.x1, src.bottom, src.conf))
    line.words = new


# =============================================================================
# lines -> layout rows (as the PDF reader's) -> blocks
# =============================================================================
_SEG_GAP = 1.2  # a gap between words wider than this many font sizes splits a row into segments


def to_rows(page: OcrPage, page_no: int, lines: Optional[list[OcrLine]] = None) -> list[Row]:
    """OCR lines (``lines``, by default all of the page's) -> ``layout.Row``
    objects in PDF points, top to bottom.

    Boxes of scanned glyphs are noisy (a line's box grows with its diacritics
    and descenders), so the geometry the paragraph rules need is rebuilt the
    way the PDF reader builds it from a text layer: the baseline is the median
    bottom of the line's words (most Vietnamese words have no descender), the
    font size is the page's typical line height unless a line is clearly
    bigger or smaller, and top/bottom are derived from baseline and size.
    """
    return _rows(lines if lines is not None else page.lines, 72.0 / page.dpi, _typical_height(page), page_no)


def _typical_height(page: OcrPage) -> float:
    heights: list[float] = sorted(ln.bottom - ln.top for ln in page.lines if len(ln.words) >= 3)
    if not heights:
        heights = sorted(ln.bottom - ln.top for ln in page.lines) or [page.dpi / 6]
    return heights[len(heights) // 2]


def _rows(lines: list[OcrLine], k: float, typical: float, page_no: int) -> list[Row]:
    segs: list[Seg] = []
    for ln in lines:
        h = sorted(w.bottom - w.top for w in ln.words)[-1] if len(ln.words) < 3 else ln.bottom - ln.top
        lh = typical if 0.75 * typical <= h <= 1.35 * typical else h
        size = lh / 1.25 * k
        base = sorted(w.bottom for w in ln.words)[len(ln.words) // 2] * k
        group: list[OcrWord] = []
        for w in ln.words:
            if group and (w.x0 - group[-1].x1) * k > _SEG_GAP * size:
                segs.append(_seg(group, k, base, size))
                group = []
            group.append(w)
        segs.append(_seg(group, k, base, size))
    segs.sort(key=lambda s: (s.top + s.bottom) / 2)
    rows: list[list[Seg]] = []
    for s in segs:
        if rows:
            ref = rows[-1][0]
            overlap = min(ref.bottom, s.bottom) - max(ref.top, s.top)
            if overlap >= 0.5 * min(ref.bottom - ref.top, s.bottom - s.top):
                rows[-1].append(s)
                continue
        rows.append([s])
    out = [Row(sorted(r, key=lambda s: s.x0), page_no) for r in rows]
    out.sort(key=lambda r: r.top)
    return out


_CLOSING = tuple("”’),.;:!?%")
_OPENING = ("“", "‘", "(")


def _join_words(words: list[OcrWord]) -> str:
    """Words of a segment with spaces, except where tesseract split off
    closing punctuation ('hộ' + '”.') or an opening quote/bracket: these never
    stand alone in Vietnamese print, and an italic quote sits a word gap away."""
    out = ""
    prev: Optional[OcrWord] = None
    for w in words:
        if prev is not None:
            tight = w.x0 - prev.x1 < 0.6 * max(1, prev.bottom - prev.top)
            glue = tight and (
                (w.text.startswith(_CLOSING) and not any(c.isalnum() for c in w.text)) or (prev.text in _OPENING)
            )
            out += "" if glue else " "
        out += w.text
        prev = w
    return out


def _seg(words: list[OcrWord], k: float, base: float, size: float) -> Seg:
    return Seg(
        text=_join_words(words),
        x0=words[0].x0 * k,
        x1=max(w.x1 for w in words) * k,
        top=base - 0.85 * size,
        bottom=base + 0.25 * size,
        h=1.1 * size,
        size=size,
        bold=False,  # tesseract's TSV has no font attributes
        first_word_w=(words[0].x1 - words[0].x0) * k,
    )


def page_layout(page: OcrPage, page_no: int) -> PageLayout:
    """An ``OcrPage`` as a ``layout.PageLayout`` (points), the model the PDF
    reader builds from a text layer."""
    k = 72.0 / page.dpi
    layout = PageLayout(page_no, page.width * k, page.height * k)
    rest = _table_items(page, page_no, layout) if page.tables else page.lines
    layout.rows = to_rows(page, page_no, rest)
    layout.n_chars = sum(len(w.text) for ln in page.lines for w in ln.words)
    return layout


def _table_items(page: OcrPage, page_no: int, layout: PageLayout) -> list[OcrLine]:
    """The lines read from the cells of the page's ruled tables (``OcrLine.cell``)
    become a ``layout.TableItem`` (grid, spans, wrapped lines of a
    cell joined), as a digital ruled table would; the other lines are
    returned.  A table whose cells make no grid gives its lines back."""
    k = 72.0 / page.dpi
    typical = _typical_height(page)
    per_table: dict[int, dict[int, list[OcrLine]]] = {}
    rest: list[OcrLine] = []
    for ln in page.lines:
        if ln.cell is None:
            rest.append(ln)
        else:
            per_table.setdefault(ln.cell[0], {}).setdefault(ln.cell[1], []).append(ln)
    for ti, t in enumerate(page.tables):
        cells = per_table.get(ti, {})
        boxes: list[Box] = [(c[0] * k, c[1] * k, c[2] * k, c[3] * k) for c in t.cells]
        g = grid_of(boxes)
        if g is None:
            rest.extend(ln for lns in cells.values() for ln in lns)
            continue
        # grid_of drops degenerate boxes: map the table's cell indices onto the grid's
        index = {id(box): i for i, (*_, box) in enumerate(g.cells)}
        texts: dict[int, str] = {}
        for ci, lns in cells.items():
            gi = index.get(id(boxes[ci]))
            if gi is None:
                rest.extend(lns)
            else:
                texts[gi] = cell_text(_rows(lns, k, typical, page_no), g.cells[gi][4])
        layout.tables.append(table_item(g, texts, page_no))
    rest.sort(key=lambda ln: ln.top)
    return rest


def pages_to_blocks(b: DocBuilder, pages: list[tuple[int, OcrPage]]) -> None:
    """OCR'd pages ``(page_no, OcrPage)`` -> paragraphs and zone tables in ``b``,
    with the PDF reader's rules (header of page 1 and signature blocks as
    borderless 2-column tables, paragraphs joined across lines and pages)."""
    layout_to_blocks([page_layout(p, n) for n, p in pages], b)


def page_to_blocks(
    b: DocBuilder, lines: list[OcrLine], page_no: int, width: int, height: Optional[int] = None, dpi: float = DPI
) -> None:
    """One OCR'd page (``lines`` in pixels of an image ``width`` pixels wide at
    ``dpi``) -> blocks in ``b``.  The header table is only looked for on page 1."""
    if height is None:
        height = max([ln.bottom for ln in lines] + [int(width * 1.414)])
    pages_to_blocks(b, [(page_no, OcrPage(lines, width, height, dpi))])


# =============================================================================
# images
# =============================================================================
def image_dpi(image: Image.Image) -> float:
    """Resolution of a page image: its own when plausible, else guessed from
    its width taken as the width of an A4 page (8.27 in; a photo or a
    screenshot has no true dpi, and a strip cut from a page keeps its width)."""
    dpi = image.info.get("dpi")
    try:
        d = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        d = 0.0
    if 100 <= d <= 1200:  # 72 and 96 are software defaults, not a scan's resolution
        return d
    return max(72.0, min(1200.0, image.width / 8.27))


_MAX_OCR_PIXELS = 40_000_000  # an upscaled image stays below this (A4 at 300 dpi: 8.7 M)


def prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """8-bit grayscale, EXIF orientation applied, transparency on white, and
    resampled to 300 dpi when under 200 dpi (tesseract wants letters 20+
    pixels high) or over 400 dpi (4x the pixels for nothing: 600 dpi scans)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        bg = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(bg, image.convert("RGBA"))
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):  # 16-bit / float scans
        lo, hi = cast(tuple[float, float], image.getextrema())  # one band: (min, max)
        scale = 255.0 / max(1.0, float(hi) - float(lo))
        image = image.convert("F").point(lambda v: (v - lo) * scale)
    image = image.convert("L")
    dpi = image_dpi(image)
    if dpi < 200 or dpi > 400:
        f = min(300.0 / dpi, (_MAX_OCR_PIXELS / max(1, image.width * image.height)) ** 0.5)
        if abs(f - 1.0) > 0.05:
            image = image.resize(
                (max(1, round(image.width * f)), max(1, round(image.height * f))), Image.Resampling.LANCZOS
            )
            dpi *= f
    return image, dpi
