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
than about one em) -> one ``layout.PageLayout`` per page.  The document-level
rules (header and signature zones, paragraphs, page numbers, stamps and
footnotes, tables split over pages) are in ``layout.py``, shared with OCR.

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
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import errors, faults, legacy
from ..lexicon import vietnamese_share
from ..model import DocBuilder, RawDocument
from . import ocr
from .layout import (
    Grid,
    PageLayout,
    Row,
    Seg,
    StampItem,
    TableItem,
    cell_text,
    grid_of,
    layout_to_blocks,
    mid,
    table_item,
)

if TYPE_CHECKING:  # pdfplumber itself is imported only for a page that passes the ruling gate
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.pdf import PDF as PlumberPDF

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

    def __init__(
        self, ch: str, x0: float, x1: float, top: float, bottom: float, bold: bool = False, size: float = 0.0
    ) -> None:
        self.ch, self.x0, self.x1, self.top, self.bottom = ch, x0, x1, top, bottom
        self.bold, self.size = bold, size or (bottom - top) / 1.15
        self.ink = not ch.isspace() and x1 > x0

    @property
    def h(self) -> float:
        return self.bottom - self.top


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
    mode = ocr.mode(ocr_mode)  # an unknown mode is the caller's error (ValueError), not the file's
    pdf = _open(data, name)
    try:
        return _build(_read_pages(pdf, data, mode))
    except errors.VbeError:
        raise
    except Exception as exc:  # a library failure in the middle of a page
        faults.reraise_unless_input_fault(exc)
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
        faults.reraise_unless_input_fault(exc)
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
    elif (
        share := vietnamese_share("".join(g.ch for g in glyphs if g is not None))
    ) is not None and share < _PLAUSIBLE_SHARE:
        layout.status, layout.why = (
            "garbled",
            f"not Vietnamese text, {share:.0%} known syllables: legacy font encoding or lost diacritics",
        )
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
    if (
        after is None
        or after >= _LEGACY_SHARE
        or (before is not None and before >= _PLAUSIBLE_SHARE and after >= before)
    ):
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
            part = [x for x in glyphs[i : i + n] if x is not None]
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
        boxes.append((mid([g.top for g in ink]), mid([g.bottom for g in ink]), r))
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


def _seg(glyphs: list[Glyph]) -> Seg:
    ink = _ink(glyphs)
    text = re.sub(r"\s+", " ", "".join(g.ch for g in glyphs)).strip()
    first_end = ink[0].x1
    for g in glyphs[glyphs.index(ink[0]) :]:
        if g.ch.isspace():
            break
        first_end = max(first_end, g.x1)
    return Seg(
        text=text,
        x0=min(g.x0 for g in ink),
        x1=max(g.x1 for g in ink),
        top=mid([g.top for g in ink]),
        bottom=mid([g.bottom for g in ink]),
        h=mid([g.bottom - g.top for g in ink]),
        size=mid([g.size for g in ink]),
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
        self._pdf: Optional[PlumberPDF] = None
        self._failed = False

    def page(self, index: int) -> Optional[PlumberPage]:
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
    left, bottom, right, top = (ctypes.c_float(0) for _ in range(4))
    n = 0
    # (object count, k -> k-th object, depth): the page, then its form XObjects
    stack: list[tuple[int, Callable[[int], Any], int]] = [
        (raw.FPDFPage_CountObjects(page.raw), partial(raw.FPDFPage_GetObject, page.raw), 0)
    ]
    while stack:
        count, get, depth = stack.pop()
        for k in range(count):
            obj = get(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
                thin = False
                if not stroke.value and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    thin = min(right.value - left.value, top.value - bottom.value) <= 2.5
                if stroke.value or thin:
                    n += 1
                    if n >= limit:
                        return n
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 1:
                stack.append((raw.FPDFFormObj_CountObjects(obj), partial(raw.FPDFFormObj_GetObject, obj), depth + 1))
    return n


def _ruling(obj: dict) -> bool:
    """pdfplumber object filter: drop filled rectangles that are not thin
    (paragraph/cell shading), whose edges would otherwise look like rulings."""
    if obj.get("object_type") != "rect":
        return True
    return bool(obj.get("stroke")) or min(obj.get("width", 0), obj.get("height", 0)) <= 2.5


def _find_table_cells(page: pdfium.PdfPage, index: int, plumber: _Plumber, xf: _Transform) -> list[Grid]:
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
        g = grid_of([(c[0] - dx, c[1] - dy, c[2] - dx, c[3] - dy) for c in t.cells])
        if g is not None:
            grids.append(g)
    return grids


def _assign_table_glyphs(glyphs: list[Optional[Glyph]], grids: list[Grid], layout: PageLayout) -> list[Optional[Glyph]]:
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


def _slot_map(grid: Grid) -> dict[tuple[int, int], int]:
    slots = {}
    for i, (r, c, rs, cs, _) in enumerate(grid.cells):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                slots[(rr, cc)] = i
    return slots


def _table_item(grid: Grid, per_cell: dict[int, list[Optional[Glyph]]], page: int) -> TableItem:
    return table_item(
        grid,
        {i: cell_text(_rows(_runs(per_cell.get(i, [])), page), grid.cells[i][4]) for i in range(len(grid.cells))},
        page,
    )


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


def _stamps(
    pdf: pdfium.PdfDocument, index: int, before: list[Optional[Glyph]], rects: list[tuple[float, float, float, float]]
) -> list[StampItem]:
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


def _group_stamps(
    glyphs: list[Optional[Glyph]], rects: list[tuple[float, float, float, float]], page: int
) -> list[StampItem]:
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
# document: warnings per page, then the shared layout rules
# =============================================================================
def _build(pages: list[PageLayout]) -> RawDocument:
    b = DocBuilder("pdf")
    b.pages = len(pages)
    for p in pages:
        why = f"; {p.ocr_note}" if p.ocr_note else ""
        if p.status == "no_text":
            b.warn(errors.W_NO_TEXT_LAYER, f"page {p.number}: no text layer (needs OCR{why})", page=p.number)
        elif p.status == "garbled":
            b.warn(
                errors.W_GARBLED_TEXT,
                f"page {p.number}: text layer is garbled ({p.why}), needs OCR{why}",
                page=p.number,
            )
        elif p.ocr in ("no_text", "garbled"):
            found = "" if p.rows else " (no text found)"
            if p.ocr == "no_text":
                b.warn(errors.W_NO_TEXT_LAYER, f"page {p.number}: no text layer, read by OCR{found}", page=p.number)
            else:
                b.warn(
                    errors.W_GARBLED_TEXT,
                    f"page {p.number}: text layer is garbled ({p.why}), read by OCR{found}",
                    page=p.number,
                )
        elif p.legacy and not p.ocr:
            b.warn(
                errors.W_LEGACY_FONT,
                f"page {p.number}: legacy {legacy.NAMES[p.legacy]} font text converted to Unicode",
                page=p.number,
            )
    b.ocr = any(p.ocr for p in pages)
    layout_to_blocks(pages, b)
    return b.build()
