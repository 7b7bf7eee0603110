"""The page-layout model shared by the PDF reader and OCR, and the document-level
rules that turn page layouts into blocks.

``pdf.py`` fills ``PageLayout`` objects from a page's text layer, ``ocr.py``
from tesseract's words on a scanned page or image; both then call
``layout_to_blocks``, so a scanned page gets the same zones, paragraphs and
table merging as a digital one.  Lengths are in points, ``top`` < ``bottom``.

Layout model
------------
characters (pdfium order) or OCR words -> rows (sorted by x) -> segments
(pieces of a row separated by less than about one em).  Rows in the top
two-column header of page 1 and in the
signature block become one borderless 2-column table each; the remaining rows
are joined into paragraphs by line geometry (first-line indent, vertical gap,
"would the next line's first word have fit on this line", font) with
punctuation only as a tie-breaker, also across a page break.  Page numbers are
dropped; e-signature stamps and the footnote block of a page float: they are
emitted after the paragraph that is open at their place, so they never cut a
paragraph in two.  Ruled tables come as cell boxes (pdfplumber's, or the ruling
lines found in a scan) and become a ``Grid``, then a ``TableItem``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from .. import errors
from ..model import DocBuilder, RawCell
from ..normalize import fold, match_key

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


# =============================================================================
# the model
# =============================================================================
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


# --- line helpers ---------------------------------------------------------------
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


def mid(values: list[float]) -> float:
    """Median (upper middle) without statistics' overhead."""
    return sorted(values)[len(values) // 2]


# =============================================================================
# ruled tables: cell boxes -> grid -> TableItem
# =============================================================================
@dataclass
class Grid:
    """Cell boxes of one ruled table with their grid positions."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int, Box]]  # row, col, rowspan, colspan, cell box
    bbox: Box


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def grid_of(boxes: list[Box]) -> Optional[Grid]:
    """Grid positions and spans from cell boxes (merged cells span lines); None
    when the boxes make no table (a single frame, a single column)."""
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
    return Grid(xs, ys, cells, bbox)


def table_item(grid: Grid, texts: dict[int, str], page: int) -> TableItem:
    """A grid and the text of its cells (by index) -> ``TableItem``; the OCR
    reader fills the same grids from scanned words."""
    cells = []
    for i, (r, c, rs, cs, _box) in enumerate(grid.cells):
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


def cell_text(rows: list[Row], box: Box) -> str:
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
# document level: zones, page numbers, paragraphs, split tables
# =============================================================================
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|doc lap - tu do - hanh phuc")
_RECIPIENTS = re.compile(r"^noi nhan\b")
_NUMBER_OR_DATE = re.compile(r"^so\s*:")
_PLACE_DATE = re.compile(r"ngay\b.*\bthang\b.*\bnam\b")
_SIGN_TITLE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.?\s+[A-ZĐÀ-Ỹ]")
_PAGE_NO = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$")


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
    if not pages:  # an image whose every page failed OCR
        return None
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
            if (
                (closed or "R" not in sides)
                and not (vv_open and "R" not in sides)
                and not (not closed and _right_follows(p, i, split, tol))
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
        anchor = next(
            (i for i in range(len(p.rows) - 1, floor - 1, -1) if _RECIPIENTS.match(fold(p.rows[i].segs[0].text))), -1
        )
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
    lo = p.rows[max(0, anchor - 3) :]
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
    body = mid([r.size for r in rows])
    k = len(placed)
    while k > 0:
        last = placed[k - 1][1]
        if not isinstance(last, Row) or last.size >= 0.88 * body:
            break
        k -= 1
    block = [it for _, it in placed[k:] if isinstance(it, Row)]  # all of them
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
                host = next(
                    (h for h in t1.cells if h.row <= last < h.row + h.rowspan and h.col <= c.col < h.col + h.colspan),
                    None,
                )
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
    doc = _margin_of(all_rows, None) if all_rows else None
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


def _margin_of(rows: list[Row], fallback: Optional[_Margins]) -> _Margins:
    """Margins of ``rows`` (not empty); the pitch comes from ``fallback`` when no two rows are close."""
    long_rows = [r for r in rows if len(r.text) >= 20] or rows
    lefts = Counter(round(r.x0) for r in long_rows)
    left = float(min(v for v, n in lefts.items() if n == max(lefts.values())))
    rights = sorted(r.x1 for r in long_rows)
    common = Counter(round(x) for x in rights).most_common(1)[0]
    right = (
        float(common[0])
        if common[1] >= 3 and common[0] >= rights[int(0.75 * (len(rights) - 1))]
        else rights[int(0.9 * (len(rights) - 1))]
    )
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
