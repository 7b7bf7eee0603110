"""PDF reader: digital PDFs with a text layer -> ``RawDocument``.

Why two libraries (measured 2026-11-25, this machine, warm, medians)
-------------------------------------------------------------------
* **pypdfium2** gives every character with its box, baseline and font: the
  raw text costs 0.6-1.2 ms/page on clean PDFs (11-19 ms/page on the 3 MB
  e-signed corpus files 46/47); this reader's full layout work on top of it
  (characters, rows, zones, paragraphs) brings a text-only page to 5-9 ms
  (LibreOffice renderings of corpus 37/41/42/44) and 46/47 to 28-30 ms/page,
  of which ~10 ms is flattening the e-signature widgets.  All text, bold,
  the header/signature zones, the stamps and the W101/W102 checks come from it.
* **pdfplumber** is the only permissive library here with a usable ruled-table
  finder (``find_tables``), but it re-parses the page through pdfminer:
  30-105 ms/page on the same pages, 80-190 ms/page on 46 (perf-anchors §1:
  90-580 ms/page).  So it runs only on pages where pypdfium2 finds at least
  ``_MIN_PATHS`` ruling-like path objects (stroked, or thin filled rectangles
  as Word draws borders; big filled rectangles = paragraph shading do not
  count).  The check costs 0.05-0.5 ms/page.  Corpus 37 (16 pages, task table
  on pages 14-16): 266 ms gated vs 1003 ms with pdfplumber on every page; the
  gate picks exactly the 3 table pages (a plain ">= 4 path objects" gate would
  also send the 3 pages with shaded paragraphs).  A ruled-table page costs
  26-44 ms more than a text page.  pdfplumber supplies only the cell boxes;
  the cell text comes from the pypdfium2 characters, so both views agree.

Layout model
------------
characters (pdfium order) -> runs (no big gap, same line) -> rows (runs that
share a line band, sorted by x) -> segments (runs in a row separated by less
than about one em).  Rows in the top two-column header of page 1 and in the
signature block become one borderless 2-column table each; the remaining rows
are joined into paragraphs by line geometry (first-line indent, vertical gap,
"would the next line's first word have fit on this line", font) with
punctuation only as a tie-breaker, also across a page break.  Page numbers are
dropped; e-signature stamps and the footnote block of a page float: they are
emitted after the paragraph that is open at their place, so they never cut a
paragraph in two.

Scanned pages
-------------
A page without a usable text layer (W101) or with a broken font map (W102)
is rendered to grayscale and read by tesseract when it is installed
(``ocr_mode``: "auto", "always" = every page, "never"); the OCR lines
become the same ``Row`` objects (``ocr.to_rows``), so zones, paragraphs and
page breaks follow the rules above.  The warning stays, saying "read by OCR".
"""
from __future__ import annotations

import ctypes
import io
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence, Union

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import errors, legacy
from ..model import DocBuilder, RawCell, RawDocument
from ..normalize import fold, match_key
from ..lexicon import vietnamese_share

# --- tunables (lengths are in units of the line height ``h`` unless noted) --
_SEG_GAP = 1.0  # a horizontal gap wider than this splits a row into segments
_MIN_PATHS = 4  # path objects on a page before pdfplumber is asked for tables
_NO_TEXT_CHARS = 12  # fewer non-space characters: the page has no text layer
_SCAN_TEXT_CHARS = 120  # ... or fewer than this on a page mostly covered by an image
_PLAUSIBLE_SHARE = 0.5  # below this share of known syllables a page's text is not Vietnamese (lexicon.vietnamese_share)
_LEGACY_SHARE = 0.6  # a legacy-font page (TCVN3/VNI) stays digital when its converted text reaches this share
_GARBLED_SHARE = 0.01  # share of impossible characters (Cyrillic, U+FFFD, PUA)
_BOLD_FLAG = 0x40000  # PDF font descriptor ForceBold
_STAMP_ANNOTS = {pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_FREETEXT, pdfium_c.FPDF_ANNOT_STAMP}


# =============================================================================
# geometry primitives
# =============================================================================
class Glyph:
    """One character; coordinates are top-down (``top`` < ``bottom``).

    ``ink`` is False for spaces and for PDFium's generated (zero-size) ones.
    """

    __slots__ = ("ch", "x0", "x1", "top", "bottom", "bold", "size", "ink")

    def __init__(self, ch: str, x0: float, x1: float, top: float, bottom: float,
                 bold: bool = False, size: float = 0.0) -> None:
        self.ch, self.x0, self.x1, self.top, self.bottom = ch, x0, x1, top, bottom
        self.bold, self.size = bold, size or (bottom - top) / 1.15
        self.ink = not ch.isspace() and x1 > x0

    @property
    def h(self) -> float:
        return self.bottom - self.top


@dataclass
class Seg:
    """Characters of one row with no gap wider than about one em."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    h: float
    size: float  # font size in pt (the loose box height differs between fonts)
    bold: bool
    first_word_w: float


@dataclass
class Row:
    """One visual line of a page: its segments from left to right."""

    segs: list[Seg]
    page: int

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @property
    def top(self) -> float:
        return min(s.top for s in self.segs)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segs)

    @property
    def h(self) -> float:
        return max(s.h for s in self.segs)

    @property
    def size(self) -> float:
        return max(s.size for s in self.segs)

    @property
    def lh(self) -> float:
        """Line height: box height, or 1.15 x font size where boxes are squat."""
        return max(self.h, 1.15 * self.size)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segs)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    @property
    def first_word_w(self) -> float:
        return self.segs[0].first_word_w


@dataclass
class TableItem:
    """A table found on one page (or merged over several)."""

    cells: list[RawCell]
    n_rows: int
    n_cols: int
    top: float
    bottom: float
    page: int
    col_xs: list[float] = field(default_factory=list)
    borderless: bool = False
    last_page: int = 0


@dataclass
class StampItem:
    """Text outside the flow, emitted after the paragraph open at its place:
    e-signature widget text (number/date stamps) or a footnote."""

    text: str
    page: int
    style: str = "stamp"


Item = Union[Row, TableItem, StampItem]


@dataclass
class PageLayout:
    """Everything read from one page before document-level decisions."""

    number: int
    width: float
    height: float
    rows: list[Row] = field(default_factory=list)
    tables: list[TableItem] = field(default_factory=list)
    stamps: list[StampItem] = field(default_factory=list)
    status: str = "ok"  # "ok" | "no_text" | "garbled"
    n_chars: int = 0
    why: str = ""  # what is wrong with a garbled text layer
    ocr: str = ""  # read by OCR: the status that sent it there ("no_text", "garbled", "always")
    legacy: str = ""  # text layer in a legacy font, converted: "tcvn3" | "vni"
    ocr_note: str = ""  # why a page that needs OCR was not read by it


# =============================================================================
# public entry point
# =============================================================================
def read(data: bytes, name: str, ocr_mode: Optional[str] = None) -> RawDocument:
    """Read a PDF into a ``RawDocument``; pages without a usable text layer are
    OCRed per ``ocr_mode`` ("auto", "always", "never"; None: ``ocr.OCR_MODE``,
    the process default).

    Raises ``errors.EncryptedFile`` for password-protected files and
    ``errors.CorruptFile`` for anything PDFium cannot open; no library
    exception escapes.
    """
    from . import ocr  # lazily: numpy and the OCR code load only for PDFs

    mode = ocr.mode(ocr_mode)  # an unknown mode is the caller's error (ValueError), not the file's
    pdf = _open(data, name)
    try:
        return _build(_read_pages(pdf, data, mode))
    except errors.VbeError:
        raise
    except Exception as exc:  # a library failure in the middle of a page
        raise errors.CorruptFile(name, f"unreadable PDF ({type(exc).__name__}: {exc})"[:200]) from exc
    finally:
        pdf.close()


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    if not data[:1024].lstrip().startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise errors.CorruptFile(name, "not a PDF (no %PDF header)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise errors.EncryptedFile(name, "password-protected PDF") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise errors.EncryptedFile(name, "unsupported PDF encryption") from exc
        raise errors.CorruptFile(name, "invalid PDF (PDFium cannot parse it)") from exc
    except Exception as exc:
        raise errors.CorruptFile(name, f"invalid PDF ({type(exc).__name__})") from exc
    if len(pdf) == 0:
        pdf.close()
        raise errors.CorruptFile(name, "PDF has no pages")
    return pdf


def _read_pages(pdf: pdfium.PdfDocument, data: bytes, ocr_mode: Optional[str] = None) -> list[PageLayout]:
    forms = pdf.get_formtype() != pdfium_c.FORMTYPE_NONE
    if forms:
        pdf.init_forms()  # needed before pages load, for flattening widgets
    plumber = _Plumber(data)
    out = []
    try:
        for i in range(len(pdf)):
            out.append(_read_page(pdf, i, plumber, forms))
    finally:
        plumber.close()
    _ocr_pages(data, out, ocr_mode)
    return out


def _ocr_pages(data: bytes, pages: list[PageLayout], ocr_mode: Optional[str] = None) -> None:
    """Pages without a usable text layer (or every page, ``ocr_mode ==
    "always"``) are rendered to grayscale and read by tesseract, two at a
    time; their rows then go through the same zone and paragraph rules as a
    digital page.  Without tesseract (or with ``ocr_mode == "never"``) they
    stay empty and keep their W101/W102 warning, which then says why
    (``PageLayout.ocr_note``).

    The pages are rendered from a fresh copy of the document, without
    annotations: the reading copy has its e-signature widgets flattened into
    the page content, and their text is already taken as stamps."""
    from . import ocr

    mode = ocr.mode(ocr_mode)
    todo = [p for p in pages if mode == "always" or p.status != "ok"]
    if not todo:
        return
    if mode == "never" or not ocr.available():
        note = "OCR is off, --ocr never" if mode == "never" else "tesseract and its Vietnamese model are not installed"
        for p in todo:
            p.ocr_note = note
        return
    dpi = ocr.DPI
    pdf = pdfium.PdfDocument(data)

    def images():
        for p in todo:
            page = pdf[p.number - 1]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True, draw_annots=False, may_draw_forms=False)
                image = bitmap.to_pil().convert("L")  # a copy: the bitmap's buffer is freed below
                bitmap.close()
            finally:
                page.close()
            yield p, image, dpi

    try:
        results = list(ocr.ocr_many(images()))
    finally:
        pdf.close()
    for p, res in results:
        if isinstance(res, ocr.OcrError):
            p.ocr_note = str(res)  # keeps its W101/W102 "needs OCR" warning, with the reason
            continue
        layout = ocr.page_layout(res, p.number)
        p.rows, p.tables, p.ocr = layout.rows, layout.tables, ("always" if p.status == "ok" else p.status)
        p.width, p.height, p.status = layout.width, layout.height, "ok"


# =============================================================================
# one page
# =============================================================================
def _read_page(pdf: pdfium.PdfDocument, index: int, plumber: "_Plumber", forms: bool) -> PageLayout:
    page = pdf[index]
    xf = _Transform(page)
    layout = PageLayout(index + 1, xf.width, xf.height)
    textpage = page.get_textpage()
    raw_glyphs = _glyphs(textpage, xf)
    textpage.close()
    glyphs, layout.legacy = _legacy_glyphs(raw_glyphs)
    text = "".join([g.ch for g in glyphs if g is not None and not g.ch.isspace()])
    layout.n_chars = len(text)
    if _is_garbled(text):
        layout.status, layout.why = "garbled", "broken font map"
    elif (share := vietnamese_share("".join(g.ch for g in glyphs if g is not None))) is not None and share < _PLAUSIBLE_SHARE:
        layout.status, layout.why = "garbled", f"not Vietnamese text, {share:.0%} known syllables: legacy font encoding or lost diacritics"
    elif len(text) < _NO_TEXT_CHARS or (len(text) < _SCAN_TEXT_CHARS and _image_cover(page) > 0.5):
        layout.status = "no_text"
    if layout.status == "ok":
        cells = _find_table_cells(page, index, plumber, xf)
        rest = _assign_table_glyphs(glyphs, cells, layout)
        layout.rows = _rows(_runs(rest), layout.number)
    stamp_rects = _stamp_rects(page, xf) if forms else []
    page.close()
    if stamp_rects:
        layout.stamps = _stamps(pdf, index, raw_glyphs, stamp_rects)  # compared with the raw text page
    return layout


def _legacy_glyphs(glyphs: list[Optional[Glyph]]) -> tuple[list[Optional[Glyph]], str]:
    """A text layer typed in a legacy font (TCVN3 ".VnTime": "Céng hoµ"; VNI:
    "Coäng hoøa") holds valid Latin-1 characters, so only the syllable check
    would catch it, and OCR would be the slow way out.  Convert the legacy
    words instead (``legacy.repair_chars``; a VNI letter and its mark become
    one glyph over both boxes) and keep the result when the page then reads
    as Vietnamese: ``_LEGACY_SHARE`` for a page that did not, no loss for a
    page that did (a few legacy words), or too few words to tell.
    Returns the glyphs and the encoding ("" when nothing was converted)."""
    fix = legacy.repair_chars(["\n" if g is None else g.ch for g in glyphs])
    if fix is None:
        return glyphs, ""
    enc, pieces, _ = fix
    out = _converted_glyphs(glyphs, pieces)
    before, after = _page_share(glyphs), _page_share(out)
    if after is None or after >= _LEGACY_SHARE or (before is not None and before >= _PLAUSIBLE_SHARE and after >= before):
        return out, enc
    return glyphs, ""


def _page_share(glyphs: list[Optional[Glyph]]) -> Optional[float]:
    return vietnamese_share("".join(g.ch for g in glyphs if g is not None))


def _converted_glyphs(glyphs: list[Optional[Glyph]], pieces: list[tuple[str, int]]) -> list[Optional[Glyph]]:
    """Glyphs carrying the converted characters; ``n`` glyphs merged into one
    box where a character took ``n`` inputs (VNI base letter + mark)."""
    out: list[Optional[Glyph]] = []
    i = 0
    for ch, n in pieces:
        g = glyphs[i]
        if g is None or (n == 1 and g.ch == ch):
            out.append(g)
        else:
            part = [x for x in glyphs[i:i + n] if x is not None]
            out.append(Glyph(ch, min(x.x0 for x in part), max(x.x1 for x in part), g.top, g.bottom, g.bold, g.size))
        i += n
    return out


class _Transform:
    """PDF user space -> top-down display coordinates of the (rotated) page."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        # get_bbox(): the displayed area (CropBox ∩ MediaBox, inherited boxes resolved)
        self.cx0, self.cy0, self.cx1, self.cy1 = page.get_bbox()
        self.rotation = page.get_rotation() % 360
        w, h = self.cx1 - self.cx0, self.cy1 - self.cy0
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 90:
            return y - self.cy0, x - self.cx0
        if r == 180:
            return self.cx1 - x, y - self.cy0
        if r == 270:
            return self.cy1 - y, self.cx1 - x
        return x - self.cx0, self.cy1 - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in display coordinates."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _glyphs(textpage: pdfium.PdfTextPage, xf: _Transform, fonts: bool = True) -> list[Optional[Glyph]]:
    """All characters of a page in PDFium order; ``None`` marks a line break.

    Horizontal extent: PDFium's loose box.  Vertical extent: the baseline
    (character origin) and the effective font size (Tf size x text-matrix
    scale), because some embedded fonts give per-glyph "loose" boxes (a comma
    would sit below its line) and some producers draw with ``/F 1 Tf`` and a
    scaled matrix.  Font name, size and matrix are looked up once per word.
    Cost: about 2 ctypes calls per character (~0.5 µs each).
    """
    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    text = textpage.get_text_range()
    aligned = len(text) == n
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(0), ctypes.c_double(0)
    buf = ctypes.create_string_buffer(96)
    flags = ctypes.c_int(0)
    get_box, get_origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    upright = xf.rotation == 0
    cx0, cy1 = xf.cx0, xf.cy1
    out: list[Optional[Glyph]] = []
    bold, size, word_start = False, 0.0, True
    for i in range(n):
        ch = text[i] if aligned else chr(pdfium_c.FPDFText_GetUnicode(tp, i) or 0x20)
        if ch == "\ufffe":  # PDFium's marker for a hyphen at the end of a line
            ch = "-"
        if ch == "\r" or ch == "\n":
            if out and out[-1] is not None:
                out.append(None)
            word_start = True
            continue
        get_box(tp, i, rect)
        get_origin(tp, i, ox, oy)
        if upright:
            x0, x1, base = rect.left - cx0, rect.right - cx0, cy1 - oy.value
        else:
            x0, _, x1, _ = xf.box(rect.left, rect.bottom, rect.right, rect.top)
            base = xf.point(ox.value, oy.value)[1]
        if ch.isspace():
            word_start = True
        elif word_start:
            word_start = False
            size = _font_size(tp, i, matrix) or abs(rect.top - rect.bottom) / 1.15 or 10.0
            if fonts:
                pdfium_c.FPDFText_GetFontInfo(tp, i, buf, 96, ctypes.byref(flags))
                bold = bool(flags.value & _BOLD_FLAG) or b"Bold" in buf.value or b"bold" in buf.value
        if size <= 0.0:
            size = abs(rect.top - rect.bottom) / 1.15 or 10.0
        out.append(Glyph(ch, x0, x1, base - 0.85 * size, base + 0.25 * size, bold, size))
    return out


def _font_size(tp, i: int, matrix) -> float:
    """Effective font size in points: Tf size times the text matrix' scale."""
    tf = pdfium_c.FPDFText_GetFontSize(tp, i)
    if tf <= 0:
        return 0.0
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(tp, i, matrix):
        scale = (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5 or 1.0
    size = tf * scale
    return size if 2.0 <= size <= 200.0 else 0.0


# --- page checks -------------------------------------------------------------
def _is_garbled(text: str) -> bool:
    """Broken font map: characters no Vietnamese text contains."""
    if not text:
        return False
    bad = sum(1 for c in text if _impossible(c))
    return bad >= 3 and bad / len(text) >= _GARBLED_SHARE


def _impossible(c: str) -> bool:
    o = ord(c)
    return (
        0x0400 <= o <= 0x04FF  # Cyrillic: CID fonts without ToUnicode (corpus 49)
        or o == 0xFFFD
        or 0xE000 <= o <= 0xF8FF  # private use area
        or o < 0x20
    )


def _image_cover(page: pdfium.PdfPage) -> float:
    """Share of the page area covered by image objects (largest one)."""
    w, h = page.get_size()
    best = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        best = max(best, (right - left) * (top - bottom) / max(w * h, 1.0))
    return best


# =============================================================================
# characters -> runs -> rows
# =============================================================================
def _runs(glyphs: Sequence[Optional[Glyph]]) -> list[list[Glyph]]:
    """Split PDFium's character stream where a line breaks or a gap opens:
    a new line band, a jump back to the left, or a gap wider than ~1 em."""
    runs: list[list[Glyph]] = []
    cur: list[Glyph] = []
    prev: Optional[Glyph] = None
    for g in glyphs:
        if g is None:
            if prev is not None:
                runs.append(cur)
            cur, prev = [], None
            continue
        if not g.ink:
            if prev is not None:
                keep = g.x1 > g.x0 or not g.ch.isspace()  # zero-size non-space: keep the text
                cur.append(g if keep else Glyph(" ", prev.x1, prev.x1, prev.top, prev.bottom))
            continue
        if prev is not None:
            gh = g.bottom - g.top
            h = max(prev.bottom - prev.top, gh, prev.size)
            overlap = min(prev.bottom, g.bottom) - max(prev.top, g.top)
            if (
                overlap < 0.5 * min(prev.bottom - prev.top, gh)
                or g.x0 < prev.x0 - 0.3 * h
                or g.x0 - prev.x1 > _SEG_GAP * h
            ):
                runs.append(cur)
                cur = []
        cur.append(g)
        prev = g
    if prev is not None:
        runs.append(cur)
    return runs


def _same_band(t1: float, b1: float, t2: float, b2: float) -> bool:
    overlap = min(b1, b2) - max(t1, t2)
    return overlap >= 0.5 * min(b1 - t1, b2 - t2)


def _rows(runs: list[list[Glyph]], page: int) -> list[Row]:
    """Group runs into visual rows (top to bottom) and rows into segments."""
    boxes = []
    for r in runs:
        ink = _ink(r)
        boxes.append((_mid([g.top for g in ink]), _mid([g.bottom for g in ink]), r))
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    groups: list[list[tuple[float, float, list[Glyph]]]] = []
    for b in boxes:
        if groups:
            ref = groups[-1][0]
            if _same_band(ref[0], ref[1], b[0], b[1]):
                groups[-1].append(b)
                continue
        groups.append([b])
    rows = [Row(_segments([b[2] for b in grp]), page) for grp in groups]
    rows.sort(key=lambda r: r.top)
    return rows


def _segments(runs: list[list[Glyph]]) -> list[Seg]:
    """Order the runs of one row by x and merge those closer than one em."""
    runs = sorted(runs, key=lambda r: _ink(r)[0].x0)
    out: list[list[Glyph]] = []
    for r in runs:
        if out:
            last = _ink(out[-1])[-1]
            first = _ink(r)[0]
            h = max(last.h, first.h, last.size, first.size, 1.0)
            gap = first.x0 - last.x1
            if gap <= _SEG_GAP * h:
                if gap > 0.15 * h and not out[-1][-1].ch.isspace() and not r[0].ch.isspace():
                    out[-1].append(Glyph(" ", last.x1, last.x1, last.top, last.bottom))
                out[-1].extend(r)
                continue
        out.append(list(r))
    return [_seg(s) for s in out]


def _ink(run: Sequence[Glyph]) -> list[Glyph]:
    return [g for g in run if g.ink]


def _mid(values: list[float]) -> float:
    """Median (upper middle) without statistics' overhead."""
    return sorted(values)[len(values) // 2]


def _seg(glyphs: list[Glyph]) -> Seg:
    ink = _ink(glyphs)
    text = re.sub(r"\s+", " ", "".join(g.ch for g in glyphs)).strip()
    first_end = ink[0].x1
    for g in glyphs[glyphs.index(ink[0]):]:
        if g.ch.isspace():
            break
        first_end = max(first_end, g.x1)
    return Seg(
        text=text,
        x0=min(g.x0 for g in ink),
        x1=max(g.x1 for g in ink),
        top=_mid([g.top for g in ink]),
        bottom=_mid([g.bottom for g in ink]),
        h=_mid([g.bottom - g.top for g in ink]),
        size=_mid([g.size for g in ink]),
        bold=all(g.bold for g in ink if g.ch.isalnum()) and any(g.ch.isalnum() for g in ink),
        first_word_w=first_end - ink[0].x0,
    )


# =============================================================================
# ruled tables (pdfplumber, gated)
# =============================================================================
class _Plumber:
    """Opens pdfplumber lazily, only when a page passes the ruling-line gate."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf = None
        self._failed = False

    def page(self, index: int):  # -> Optional[pdfplumber.page.Page]
        if self._failed:
            return None
        if self._pdf is None:
            try:
                import pdfplumber

                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            except Exception:
                self._failed = True
                return None
        try:
            return self._pdf.pages[index]
        except Exception:
            return None

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:
                pass


def _path_count(page: pdfium.PdfPage, limit: int = _MIN_PATHS) -> int:
    """Ruling-like path objects (stroked, or filled but thin: Word draws cell
    borders as thin filled rectangles) on the page and one level into form
    XObjects, counted up to ``limit``.  Paragraph shading (big filled
    rectangles) does not count."""
    raw = pdfium_c
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    l, b, r, t = (ctypes.c_float(0) for _ in range(4))
    n = 0
    stack = [(raw.FPDFPage_CountObjects(page.raw), lambda k: raw.FPDFPage_GetObject(page.raw, k), 0)]
    while stack:
        count, get, depth = stack.pop()
        for k in range(count):
            obj = get(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
                thin = False
                if not stroke.value and raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
                    thin = min(r.value - l.value, t.value - b.value) <= 2.5
                if stroke.value or thin:
                    n += 1
                    if n >= limit:
                        return n
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 1:
                stack.append((raw.FPDFFormObj_CountObjects(obj), lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j), depth + 1))
    return n


def _ruling(obj: dict) -> bool:
    """pdfplumber object filter: drop filled rectangles that are not thin
    (paragraph/cell shading), whose edges would otherwise look like rulings."""
    if obj.get("object_type") != "rect":
        return True
    return bool(obj.get("stroke")) or min(obj.get("width", 0), obj.get("height", 0)) <= 2.5


@dataclass
class _Grid:
    """Cell boxes of one ruled table with their grid positions."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int, tuple[float, float, float, float]]]  # row, col, rs, cs, bbox
    bbox: tuple[float, float, float, float]


def _find_table_cells(page: pdfium.PdfPage, index: int, plumber: _Plumber, xf: _Transform) -> list[_Grid]:
    """Ruled tables of a page as grids (empty if the page has no rulings)."""
    if _path_count(page) < _MIN_PATHS:
        return []
    ppage = plumber.page(index)
    if ppage is None:
        return []
    try:
        found = ppage.filter(_ruling).find_tables()
    except Exception:
        return []
    # pdfplumber: x in PDF space, top measured down from the MediaBox top;
    # ours: from the top-left of the displayed box (same thing unless cropped)
    # (rotated pages: pdfplumber rotates like _Transform; crop offsets ignored there)
    dx = dy = 0.0
    if xf.rotation == 0:
        try:
            dx, dy = xf.cx0, float(ppage.page_obj.mediabox[3]) - xf.cy1 + float(ppage.mediabox[1])
        except Exception:
            pass
    grids = []
    for t in found:
        g = _grid([(c[0] - dx, c[1] - dy, c[2] - dx, c[3] - dy) for c in t.cells])
        if g is not None:
            grids.append(g)
    return grids


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _grid(boxes: list[tuple[float, float, float, float]]) -> Optional[_Grid]:
    """Grid positions and spans from cell boxes (merged cells span lines)."""
    if len(boxes) < 2:  # one bordered box is a frame, not a table
        return None
    if len(_cluster([b[0] for b in boxes] + [b[2] for b in boxes])) < 3:
        return None  # a single column: boxed paragraphs, not a table
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])

    def idx(lines: list[float], v: float) -> int:
        return min(range(len(lines)), key=lambda k: abs(lines[k] - v))

    cells = []
    for b in boxes:
        c0, c1, r0, r1 = idx(xs, b[0]), idx(xs, b[2]), idx(ys, b[1]), idx(ys, b[3])
        if c1 > c0 and r1 > r0:
            cells.append((r0, c0, r1 - r0, c1 - c0, b))
    if len(cells) < 2:
        return None
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return _Grid(xs, ys, cells, bbox)


def _assign_table_glyphs(glyphs: list[Optional[Glyph]], grids: list[_Grid], layout: PageLayout) -> list[Optional[Glyph]]:
    """Put glyphs inside table cells into the tables; return the others."""
    if not grids:
        return glyphs
    per_cell: list[dict[int, list[Optional[Glyph]]]] = [{} for _ in grids]
    slot_maps = [_slot_map(g) for g in grids]
    rest: list[Optional[Glyph]] = []
    for g in glyphs:
        if g is None:
            rest.append(None)
            for pc in per_cell:
                for lst in pc.values():
                    if lst and lst[-1] is not None:
                        lst.append(None)
            continue
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        placed = False
        for k, grid in enumerate(grids):
            x0, t, x1, b = grid.bbox
            if not (x0 - 1 <= cx <= x1 + 1 and t - 1 <= cy <= b + 1):
                continue
            r = bisect_right(grid.ys, cy) - 1
            c = bisect_right(grid.xs, cx) - 1
            cell = slot_maps[k].get((r, c))
            if cell is not None:
                per_cell[k].setdefault(cell, []).append(g)
                placed = True
            break
        if not placed:
            rest.append(g)
    for k, grid in enumerate(grids):
        layout.tables.append(_table_item(grid, per_cell[k], layout.number))
    return rest


def _slot_map(grid: _Grid) -> dict[tuple[int, int], int]:
    slots = {}
    for i, (r, c, rs, cs, _) in enumerate(grid.cells):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                slots[(rr, cc)] = i
    return slots


def _table_item(grid: _Grid, per_cell: dict[int, list[Optional[Glyph]]], page: int) -> TableItem:
    return table_item(grid, {i: cell_text(_rows(_runs(per_cell.get(i, [])), page), grid.cells[i][4])
                             for i in range(len(grid.cells))}, page)


def table_item(grid: _Grid, texts: dict[int, str], page: int) -> TableItem:
    """A grid and the text of its cells (by index) -> ``TableItem``; the OCR
    reader fills the same grids from scanned words."""
    cells = []
    for i, (r, c, rs, cs, box) in enumerate(grid.cells):
        cells.append(RawCell(r, c, texts.get(i, ""), rowspan=rs, colspan=cs, page=page))
    return TableItem(
        cells=cells,
        n_rows=len(grid.ys) - 1,
        n_cols=len(grid.xs) - 1,
        top=grid.bbox[1],
        bottom=grid.bbox[3],
        page=page,
        col_xs=list(grid.xs),
        last_page=page,
    )


def cell_text(rows: list[Row], box: tuple[float, float, float, float]) -> str:
    """Rows of one cell, wrapped lines joined, paragraphs separated by newlines."""
    if not rows:
        return ""
    pad = max(1.0, min(8.0, min(r.x0 for r in rows) - box[0]))
    inner = (box[2] - box[0]) - 2 * pad

    def wrapped(prev: Row, nxt: Row) -> bool:
        space = 0.25 * nxt.size
        if (prev.x1 - prev.x0) + space + nxt.first_word_w <= inner - 0.5:
            return False  # the next word would have fit: a real line break
        return not _starts_item(nxt.text) and prev.bold == nxt.bold

    paras = _join_rows(rows, wrapped)
    return "\n".join(paras)


def _join_rows(rows: list[Row], wrapped: Callable[[Row, Row], bool]) -> list[str]:
    out: list[str] = []
    prev: Optional[Row] = None
    for r in rows:
        if prev is not None and wrapped(prev, r):
            out[-1] = _glue(out[-1], r.text)
        else:
            out.append(r.text)
        prev = r
    return out


def _glue(a: str, b: str) -> str:
    """Join a wrapped line; a word or symbol broken after its hyphen
    ('3169/SCT-' + 'CN', '11-' + 'CT/TU') gets no space."""
    if re.search(r"\w-$", a) and b[:1].isalnum():
        return a + b
    return a + " " + b


# =============================================================================
# e-signature stamps (widget appearance streams)
# =============================================================================
def _stamp_rects(page: pdfium.PdfPage, xf: _Transform) -> list[tuple[float, float, float, float]]:
    rects = []
    rect = pdfium_c.FS_RECTF()
    for k in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, k)
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) in _STAMP_ANNOTS and pdfium_c.FPDFAnnot_HasKey(annot, b"AP"):
                if pdfium_c.FPDFAnnot_GetRect(annot, rect):
                    rects.append(xf.box(rect.left, rect.bottom, rect.right, rect.top))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return rects


def _stamps(pdf: pdfium.PdfDocument, index: int, before: list[Optional[Glyph]],
            rects: list[tuple[float, float, float, float]]) -> list[StampItem]:
    """Text that only appears once the page's annotations are flattened.

    PDFium does not put widget appearance streams into the text page; after
    ``FPDFPage_Flatten`` (2-4 ms on corpus 46/47) they are page content.  The
    new characters are the stamp: grouped per annotation rectangle.
    """
    page = pdf[index]
    try:
        if page.flatten() != pdfium_c.FLATTEN_SUCCESS:
            return []
    finally:
        page.close()
    page = pdf[index]
    xf = _Transform(page)
    textpage = page.get_textpage()
    after = _glyphs(textpage, xf, fonts=False)
    textpage.close()
    page.close()
    seen = Counter(_glyph_key(g) for g in before if g is not None and g.ink)
    new: list[Optional[Glyph]] = []
    for g in after:
        if g is not None and g.ink:
            key = _glyph_key(g)
            if seen[key] > 0:
                seen[key] -= 1
                continue
        new.append(g)
    if not any(g is not None and g.ink for g in new):
        return []
    return _group_stamps(new, rects, index + 1)


def _glyph_key(g: Glyph) -> tuple[str, int, int]:
    return g.ch, round(g.x0), round(g.top)


def _group_stamps(glyphs: list[Optional[Glyph]], rects: list[tuple[float, float, float, float]],
                  page: int) -> list[StampItem]:
    groups: dict[int, list[Optional[Glyph]]] = {}
    for g in glyphs:
        if g is None:
            for lst in groups.values():
                lst.append(None)
            continue
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        k = next((i for i, r in enumerate(rects) if r[0] - 2 <= cx <= r[2] + 2 and r[1] - 2 <= cy <= r[3] + 2), -1)
        groups.setdefault(k, []).append(g)
    order = sorted(groups, key=lambda k: (rects[k][1], rects[k][0]) if k >= 0 else (1e9, 0))
    out = []
    for k in order:
        rows = _rows(_runs(groups[k]), page)
        text = " ".join(r.text for r in rows).strip()
        if text and not _is_garbled(text):
            out.append(StampItem(text, page))
    return out


# =============================================================================
# document level: zones, page numbers, paragraphs, split tables
# =============================================================================
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|doc lap - tu do - hanh phuc")
_RECIPIENTS = re.compile(r"^noi nhan\b")
_NUMBER_OR_DATE = re.compile(r"^so\s*:")
_PLACE_DATE = re.compile(r"ngay\b.*\bthang\b.*\bnam\b")
_SIGN_TITLE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.?\s+[A-ZĐÀ-Ỹ]")
_PAGE_NO = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$")
_ITEM = re.compile(
    r"^(?:[-–—+•●▪*]\s|"
    r"\d{1,2}(?:\.\d{1,2})*[.)]\s|"
    r"[a-zđ]\)\s|"
    r"[IVXLC]{1,5}[.)]\s|"
    r"\(\d{1,2}\)\s|"
    r"(?:Điều|Chương|Mục|Phần|ĐIỀU|CHƯƠNG|MỤC|PHẦN)\s+[0-9IVXLC]+\s*[.:]|"
    r"Nơi nhận|Kính gửi|V/v\s)"
)
_TERMINAL = re.compile(r"[.;:!?][\"'”’)*_]*$")


def _starts_item(text: str) -> bool:
    return bool(_ITEM.match(text))


def _build(pages: list[PageLayout]) -> RawDocument:
    b = DocBuilder("pdf")
    b.pages = len(pages)
    for p in pages:
        why = f"; {p.ocr_note}" if p.ocr_note else ""
        if p.status == "no_text":
            b.warn(errors.W_NO_TEXT_LAYER, f"page {p.number}: no text layer (needs OCR{why})", page=p.number)
        elif p.status == "garbled":
            b.warn(errors.W_GARBLED_TEXT, f"page {p.number}: text layer is garbled ({p.why}), needs OCR{why}", page=p.number)
        elif p.ocr in ("no_text", "garbled"):
            found = "" if p.rows else " (no text found)"
            if p.ocr == "no_text":
                b.warn(errors.W_NO_TEXT_LAYER, f"page {p.number}: no text layer, read by OCR{found}", page=p.number)
            else:
                b.warn(errors.W_GARBLED_TEXT, f"page {p.number}: text layer is garbled ({p.why}), read by OCR{found}", page=p.number)
        elif p.legacy and not p.ocr:
            b.warn(errors.W_LEGACY_FONT, f"page {p.number}: legacy {legacy.NAMES[p.legacy]} font text converted to Unicode", page=p.number)
    b.ocr = any(p.ocr for p in pages)
    layout_to_blocks(pages, b)
    return b.build()


def layout_to_blocks(pages: list[PageLayout], b: DocBuilder) -> None:
    """Page layouts (from the text layer or from OCR) -> blocks in ``b``."""
    for p in pages:
        _drop_page_numbers(p)
    header = _header_zone(pages)
    zones = ([header] if header is not None else []) + _signature_zones(pages, header)
    items = _items(pages, zones)
    items = _merge_split_tables(items, b)
    _emit(items, pages, b)


def _drop_page_numbers(p: PageLayout) -> None:
    """Remove a lone page number at the top or bottom of the page."""
    if not p.rows:
        return
    for r in (p.rows[0], p.rows[-1]):
        mid = (r.x0 + r.x1) / 2
        near_edge = r.bottom < 0.12 * p.height or r.top > 0.88 * p.height
        centred = abs(mid - p.width / 2) < 0.2 * p.width or r.x0 > 0.75 * p.width
        if _PAGE_NO.match(r.text) and near_edge and centred and len(r.segs) == 1:
            if r in p.rows:
                p.rows.remove(r)


@dataclass
class _Zone:
    """Rows of a page that form one borderless two-column table."""

    page: int
    rows: list[Row]
    split: float
    kind: str  # "header" | "signature"


def _header_zone(pages: list[PageLayout]) -> Optional[_Zone]:
    """Top of page 1: issuer/number (left) and motto/place-date (right)."""
    p = pages[0]
    if p.status != "ok" or not p.rows or p.number != 1:
        return None
    motto_i, split = -1, 0.0
    for i, r in enumerate(p.rows[:12]):
        if r.top > 0.45 * p.height:
            break
        for s in r.segs:
            if _MOTTO.search(fold(s.text)) and s.x0 > 0.3 * p.width:
                motto_i, split = i, s.x0 - 2
                break
        if motto_i >= 0:
            break
    if motto_i < 0:
        return None
    rows: list[Row] = []
    vv_open = False
    tol = 0.03 * p.width
    closed = False  # the number / place-date row has been passed
    for i, r in enumerate(p.rows):
        sides = [_side(s, split, tol) for s in r.segs]
        left = " ".join(s.text for s, side in zip(r.segs, sides) if side == "L")
        right = " ".join(s.text for s, side in zip(r.segs, sides) if side == "R")
        vv_open = vv_open or left.startswith(("V/v", "V/V"))
        if i > motto_i:
            if "x" in sides or _RECIPIENTS.match(fold(r.text)) or fold(r.text).startswith("kinh gui"):
                break
            if rows and r.top - rows[-1].bottom > 2.5 * r.lh:
                break
            if (closed or "R" not in sides) and not (vv_open and "R" not in sides) and not (
                not closed and _right_follows(p, i, split, tol)
            ):
                break  # below the number/date row only the 'V/v' summary continues
        rows.append(r)
        closed = closed or bool(_NUMBER_OR_DATE.search(fold(left)) or _PLACE_DATE.search(fold(right)))
    return _Zone(p.number, rows, split, "header")


def _right_follows(p: PageLayout, i: int, split: float, tol: float) -> bool:
    """The row after ``i`` still has the right column (the number line sits
    alone on the left, the place-date line comes a row lower: corpus 48)."""
    if i + 1 >= len(p.rows):
        return False
    r, nxt = p.rows[i], p.rows[i + 1]
    sides = [_side(s, split, tol) for s in nxt.segs]
    return "R" in sides and "x" not in sides and nxt.top - r.bottom <= 2.5 * nxt.lh


def _side(s: Seg, split: float, tol: float = 2.0) -> str:
    """'L'eft of the split, 'R'ight of it, or crossing it ('x')."""
    if s.x1 <= split + tol:
        return "L"
    if s.x0 >= split - 2:
        return "R"
    return "x"


def _signature_zones(pages: list[PageLayout], header: Optional[_Zone]) -> list[_Zone]:
    """'Nơi nhận:' list (left) and the signer block (right) on the same rows;
    at most one per page (a signed annex may have its own)."""
    zones = []
    for p in pages:
        if p.status != "ok":
            continue
        floor = len(header.rows) if header is not None and header.page == p.number else 0
        anchor = next((i for i in range(len(p.rows) - 1, floor - 1, -1) if _RECIPIENTS.match(fold(p.rows[i].segs[0].text))), -1)
        if anchor < 0:
            anchor = _signer_anchor(p, floor)
        if anchor >= 0:
            zones.append(_signature_at(p, anchor, floor))
    return zones


def _signature_at(p: PageLayout, anchor: int, floor: int) -> _Zone:
    split = _signature_split(p, anchor)
    start = anchor
    while start > floor:  # the signer's title may sit above 'Nơi nhận:'
        r = p.rows[start - 1]
        if any(s.x0 < split for s in r.segs) or p.rows[start].top - r.bottom > 3 * r.lh:
            break
        start -= 1
    end = anchor + 1
    while end < len(p.rows):  # down to the page end or a full-width line
        r = p.rows[end]
        if any(s.x0 < split - 20 and s.x1 > split + 20 for s in r.segs):
            break
        end += 1
    return _Zone(p.number, p.rows[start:end], split, "signature")


def _signer_anchor(p: PageLayout, floor: int) -> int:
    """No 'Nơi nhận': a right-hand row starting with TM./KT./TL./Q./TUQ."""
    for i, r in enumerate(p.rows):
        if i >= floor and r.x0 > 0.45 * p.width and _SIGN_TITLE.match(r.text):
            return i
    return -1


def _signature_split(p: PageLayout, anchor: int) -> float:
    """x between the recipients list and the signer block."""
    lo = p.rows[max(0, anchor - 3):]
    right = [s.x0 for r in lo for s in r.segs if s.x0 > 0.45 * p.width]
    if right:
        return min(right) - 2
    return p.width / 2


def _items(pages: list[PageLayout], zones: list[_Zone]) -> list[list[Item]]:
    """Per page: rows, tables and zone tables in reading order (stamps last)."""
    zoned = {id(r): z for z in zones for r in z.rows}
    out: list[list[Item]] = []
    for p in pages:
        placed: list[tuple[float, Item]] = []
        done: set[int] = set()
        for r in p.rows:
            z = zoned.get(id(r))
            if z is None:
                placed.append((r.top, r))
            elif id(z) not in done:
                done.add(id(z))
                placed.append((z.rows[0].top, _zone_table(z)))
        placed.extend((t.top, t) for t in p.tables)
        placed.sort(key=lambda x: x[0])
        notes = _footnotes(placed)
        out.append([it for _, it in placed] + notes + list(p.stamps))
    return out


_NOTE_START = re.compile(r"^(?:\d{1,2}|\*+|\(\d{1,2}\))(?:\s+|(?=[^\W\d_]))\S")


def _footnotes(placed: list[tuple[float, Item]]) -> list[StampItem]:
    """Remove the footnote block at the foot of a page (rows in a smaller font
    than the page's body, the first one starting with a note number) and
    return it as floating notes, so it does not cut a paragraph in two."""
    rows = [it for _, it in placed if isinstance(it, Row)]
    if len(rows) < 4 or not isinstance(placed[-1][1], Row):
        return []
    body = _mid([r.size for r in rows])
    k = len(placed)
    while k > 0 and isinstance(placed[k - 1][1], Row) and placed[k - 1][1].size < 0.88 * body:
        k -= 1
    block = [it for _, it in placed[k:]]
    if not block or len(block) > len(rows) // 2 or not _NOTE_START.match(block[0].text):
        return []
    notes: list[str] = []
    for r in block:
        if notes and not _NOTE_START.match(r.text):
            notes[-1] = _glue(notes[-1], r.text)
        else:
            notes.append(r.text)
    del placed[k:]
    return [StampItem(t, block[0].page, "footnote") for t in notes]


def _zone_table(z: _Zone) -> TableItem:
    left: list[str] = []
    right: list[str] = []
    for r in z.rows:
        lt = " ".join(s.text for s in r.segs if s.x0 < z.split)
        rt = " ".join(s.text for s in r.segs if s.x0 >= z.split)
        if lt:
            left.append(lt)
        if rt:
            right.append(rt)
    left = _join_continuations(left, z.kind)
    cells = [RawCell(0, 0, "\n".join(left), page=z.page), RawCell(0, 1, "\n".join(right), page=z.page)]
    return TableItem(cells, 1, 2, z.rows[0].top, z.rows[-1].bottom, z.page, borderless=True, last_page=z.page)


def _join_continuations(lines: list[str], kind: str) -> list[str]:
    """Header: the wrapped 'V/v …' summary is one line.  Signature: wrapped
    recipients ('- Phó Chủ tịch UBND tỉnh (phụ trách' / 'XD);') are one item."""
    out: list[str] = []
    open_ = False
    for ln in lines:
        if kind == "header":
            if open_:
                out[-1] = _glue(out[-1], ln)
                continue
            open_ = ln.startswith(("V/v", "V/V"))
        elif out and not re.match(r"^[-–+•*]", ln) and len(out) > 1 and not _RECIPIENTS.match(fold(ln)):
            out[-1] = _glue(out[-1], ln)
            continue
        out.append(ln)
    return out


# --- split tables --------------------------------------------------------------
def _merge_split_tables(items: list[list[Item]], b: DocBuilder) -> list[list[Item]]:
    """A table ending page N and one starting page N+1 become one table."""
    for n in range(len(items) - 1):
        cur, nxt = items[n], items[n + 1]
        t1 = _last_content(cur)
        t2 = nxt[0] if nxt and isinstance(nxt[0], TableItem) else None
        if t1 is None or t2 is None or t1.borderless or t2.borderless or t1.n_cols != t2.n_cols:
            continue
        repeated = _header_rows_repeated(t1, t2)
        if not repeated and not _same_columns(t1, t2):
            continue
        _append_part(t1, t2, repeated)
        nxt[0] = t1  # the merged table travels on; it is emitted once, on its first page
        cur.remove(t1)
        t1.last_page = t2.page
    for page_items in items:
        for it in page_items:
            if isinstance(it, TableItem) and it.last_page != it.page:
                b.warn(errors.W_TABLE_MERGED, f"table on pages {it.page}–{it.last_page} merged", page=it.page)
    return items


def _last_content(items: list[Item]) -> Optional[TableItem]:
    content = [it for it in items if not isinstance(it, StampItem)]
    if content and isinstance(content[-1], TableItem):
        return content[-1]
    return None


def _row_texts(t: TableItem, row: int) -> list[str]:
    return [match_key(c.text) for c in sorted(t.cells, key=lambda c: c.col) if c.row == row]


def _header_rows_repeated(t1: TableItem, t2: TableItem) -> int:
    """How many leading rows of t2 repeat t1's header rows (0 if none)."""
    k = max([c.rowspan for c in t1.cells if c.row == 0] or [1])
    if t2.n_rows <= k or t1.n_rows <= k:
        return 0
    for r in range(k):
        a, b2 = _row_texts(t1, r), _row_texts(t2, r)
        if not a or a != b2 or not any(a):
            return 0
    return k


def _same_columns(t1: TableItem, t2: TableItem) -> bool:
    return len(t1.col_xs) == len(t2.col_xs) and all(abs(a - b) <= 6 for a, b in zip(t1.col_xs, t2.col_xs))


def _append_part(t1: TableItem, t2: TableItem, skip: int) -> None:
    """Append t2's rows (minus a repeated header) to t1; a first row whose
    number cell is empty continues t1's last row."""
    rows2 = [c for c in t2.cells if c.row >= skip]
    first = min((c.row for c in rows2), default=None)
    if first is not None:
        lead = [c for c in rows2 if c.row == first]
        num = next((c for c in lead if c.col == 0), None)
        if num is not None and not num.text.strip() and all(c.rowspan == 1 for c in lead):
            last = t1.n_rows - 1
            for c in lead:
                host = next((h for h in t1.cells if h.row <= last < h.row + h.rowspan and h.col <= c.col < h.col + h.colspan), None)
                if host is not None and c.text.strip():
                    host.text = f"{host.text}\n{c.text}" if host.text.strip() else c.text
            rows2 = [c for c in rows2 if c.row != first]
            skip = first + 1
    offset = t1.n_rows - skip
    for c in rows2:
        t1.cells.append(RawCell(c.row + offset, c.col, c.text, c.rowspan, c.colspan, c.page))
    t1.n_rows += max(0, t2.n_rows - skip)


# --- paragraphs ------------------------------------------------------------------
@dataclass
class _Margins:
    left: float
    right: float
    pitch: float
    indents: bool = False  # the document starts its paragraphs with a first-line indent
    justified: bool = True  # wrapped lines end exactly at the right edge


def _margins(pages: list[PageLayout], items: list[list[Item]]) -> dict[int, _Margins]:
    """Left/right text edges and the usual line pitch, per page."""
    all_rows = [it for page in items for it in page if isinstance(it, Row)]
    doc = _margin_of(all_rows, None)
    out = {}
    for p, page_items in zip(pages, items):
        rows = [it for it in page_items if isinstance(it, Row)]
        out[p.number] = _margin_of(rows, doc) if len(rows) >= 6 else (doc or _Margins(0, p.width, 0))
    indents = _uses_indents(items, out)
    justified = _is_justified(all_rows, out)
    for m in out.values():
        m.indents, m.justified = indents, justified
    return out


def _is_justified(rows: list[Row], margins: dict[int, _Margins]) -> bool:
    """Most lines near the right edge end exactly on it (ragged text does not)."""
    near = [r for r in rows if r.x1 > margins[r.page].right - 3 * r.size and len(r.text) > 30]
    if len(near) < 5:
        return True
    exact = sum(1 for r in near if abs(r.x1 - margins[r.page].right) <= 1.5)
    return exact >= 0.6 * len(near)


def _uses_indents(items: list[list[Item]], margins: dict[int, _Margins]) -> bool:
    """Do lines that follow a certain paragraph end (short line ending a
    sentence) start indented?  Then an unindented line after a full line is
    always a continuation, even after a full stop or before a '- '."""
    n = indented = 0
    for page_items in items:
        rows = [it for it in page_items if isinstance(it, Row)]
        for prev, nxt in zip(rows, rows[1:]):
            m = margins[nxt.page]
            if prev.x1 + 0.25 * nxt.size + nxt.first_word_w > m.right - 0.5 or not _TERMINAL.search(prev.text):
                continue
            if _centred(nxt, m, nxt.size) or nxt.x0 < m.left - nxt.size:
                continue
            n += 1
            indented += nxt.x0 > m.left + 0.6 * nxt.size
    return n >= 3 and indented >= 0.75 * n


def _margin_of(rows: list[Row], fallback: Optional[_Margins]) -> Optional[_Margins]:
    if not rows:
        return fallback
    long_rows = [r for r in rows if len(r.text) >= 20] or rows
    lefts = Counter(round(r.x0) for r in long_rows)
    left = float(min(v for v, n in lefts.items() if n == max(lefts.values())))
    rights = sorted(r.x1 for r in long_rows)
    common = Counter(round(x) for x in rights).most_common(1)[0]
    right = float(common[0]) if common[1] >= 3 and common[0] >= rights[int(0.75 * (len(rights) - 1))] else rights[int(0.9 * (len(rights) - 1))]
    pitches = [round(b.top - a.top) for a, b in zip(rows, rows[1:]) if 0 < b.top - a.top < 3 * a.lh]
    pitch = float(Counter(pitches).most_common(1)[0][0]) if pitches else (fallback.pitch if fallback else 0.0)
    return _Margins(left, right, pitch)


def _continues(para: list[Row], nxt: Row, m_prev: _Margins, m_next: _Margins) -> bool:
    """Is ``nxt`` the wrapped continuation of the paragraph ``para``?

    Hard breaks: a bold heading ending, a change of font size, a list/heading
    marker, a first-line indent, a blank line, or a previous line that had
    room for the next line's first word.  A larger-than-usual line pitch also
    breaks, unless the next line starts in lower case mid-sentence.
    """
    prev = para[-1]
    em = nxt.size
    if nxt.page not in (prev.page, prev.page + 1):
        return False
    if (prev.bold and not nxt.bold) or abs(prev.size - nxt.size) > 0.12 * max(prev.size, nxt.size):
        return False  # a bold heading ends; a bold phrase inside a paragraph does not break it
    indented = nxt.x0 > m_next.left + 0.6 * em
    if _starts_item(nxt.text) and (indented or not m_next.indents or nxt.bold != prev.bold):
        return False
    open_end = not _TERMINAL.search(prev.text)
    if prev.page == nxt.page:
        pitch = nxt.top - prev.top
        if pitch <= 0 or pitch > 2.2 * prev.lh:
            return False
        ref = para[-1].top - para[-2].top if len(para) >= 2 and para[-2].page == prev.page else m_prev.pitch
        if ref and pitch > ref + 0.3 * em and not (open_end and nxt.text[:1].islower()):
            return False  # paragraph spacing
    full = prev.x0 <= m_prev.left + em and prev.x1 >= m_prev.right - em
    if _centred(nxt, m_next, em) and (_centred(prev, m_prev, em) or full):
        fits = (prev.x1 - prev.x0) + 0.25 * em + nxt.first_word_w <= (m_prev.right - m_prev.left) - 0.5
        caps = prev.text.isupper() and nxt.text.isupper() and prev.x1 - prev.x0 > 0.6 * (m_prev.right - m_prev.left)
        if fits and not (open_end and (nxt.text[:1].islower() or caps)):
            return False  # centred lines broken by hand, unless mid-sentence (title lines)
    else:
        if nxt.x0 > prev.x0 + 0.6 * em and indented:
            return False  # first-line indent
        if prev.x1 + 0.25 * em + nxt.first_word_w <= m_prev.right - 0.5:
            return False  # the next word would have fit: the line was not wrapped
        if m_next.indents and not indented:
            return True  # full line, next one not indented: wrapped, whatever the punctuation
    if not open_end and (nxt.text[:1].isupper() or nxt.text[:1].isdigit()) and m_prev.justified:
        return False  # ragged text: the fit test above already decided
    return True


def _centred(r: Row, m: _Margins, em: float) -> bool:
    """Clear of both text edges and centred between them."""
    return (
        r.x0 > m.left + 0.5 * em
        and r.x1 < m.right - 0.5 * em
        and abs((r.x0 + r.x1) / 2 - (m.left + m.right) / 2) < 1.5 * em
    )


def _emit(items: list[list[Item]], pages: list[PageLayout], b: DocBuilder) -> None:
    margins = _margins(pages, items)
    para: list[Row] = []
    queued: list[StampItem] = []

    def flush() -> None:
        if para:
            text = para[0].text
            for r in para[1:]:
                text = _glue(text, r.text)
            style = "bold" if all(r.bold for r in para) else None
            b.paragraph(text, page=para[0].page, style=style)
            para.clear()
        for s in queued:
            b.paragraph(s.text, page=s.page, style=s.style)
        queued.clear()

    for page_items in items:
        for it in page_items:
            if isinstance(it, StampItem):
                queued.append(it)
                if not para:
                    flush()
                continue
            if isinstance(it, TableItem):
                flush()
                b.table(it.cells, page=it.page, borderless=it.borderless)
                continue
            if para and _continues(para, it, margins[para[-1].page], margins[it.page]):
                para.append(it)
                continue
            flush()
            para.append(it)
    flush()
