"""Plain-text reader.

Two kinds of plain text arrive:

* "seed" text: one paragraph per line, tables as TAB-separated lines.  A
  table split across pages repeats its header row after a blank line; the
  first row after the break whose number cell is empty and that fills only a
  few cells (or starts in lower case) is the rest of the row cut by the page
  break and is joined to it.  Elsewhere a row whose leading cells are empty
  shares those cells with the row above (Word's vertical merge, flattened):
  the cells above get a rowspan.
* layout text (``pdftotext -layout``): columns laid out with spaces and pages
  separated by form feeds.  The two-column header and signature zones become
  borderless 2-column tables; body lines are joined into paragraphs by their
  first-line indentation.

Encodings: UTF-8 (with or without BOM), UTF-16 (BOM or not), else the
Vietnamese Windows code page 1258 with a warning.  Text typed in legacy
TCVN3/VNI fonts ("Céng hoµ", "Coäng hoøa") is converted to Unicode word by
word (``legacy.repair``) with W104; bytes that are not UTF-8 are first tried
as TCVN3/VNI bytes (their Latin-1 reading), before Windows-1258.
"""

from __future__ import annotations

import re
from typing import Optional

from .. import errors, legacy
from ..model import DocBuilder, RawCell, RawDocument
from ..normalize import clean_line, starts_item, unwrap_lines


# --- decoding ----------------------------------------------------------------
def decode(data: bytes) -> tuple[str, Optional[str]]:
    """Bytes -> (text, warning message or None)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return data.decode(enc, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    # Not UTF-8: TCVN3/VNI bytes read as Latin-1 (as the legacy tables expect;
    # Windows-1258 would turn some of them into combining tone marks), else
    # the Vietnamese Windows code page, the usual legacy encoding.
    latin = data.decode("latin-1")
    if legacy.detect(latin):  # whole-text test: Windows-1258 text must not pass for TCVN3
        return latin, None
    text = data.decode("cp1258", errors="replace")
    return text, "not UTF-8: decoded as Windows-1258 (Vietnamese legacy code page)"


# --- seed text: paragraphs and TAB tables ------------------------------------
_TAG_P = re.compile(r"</p>\s*<p>|<br\s*/?>", re.I)
_TAG = re.compile(r"</?(?:p|span|b|i|strong|em|u)\b[^>]*>", re.I)
_MD_BOLD = re.compile(r"\*\*")


def _cell_text(s: str) -> str:
    s = _TAG_P.sub("\n", s)
    return _TAG.sub("", s).strip()


def _para_text(s: str) -> str:
    return _MD_BOLD.sub("", s)


class _TableBuilder:
    """Rows of TAB-separated cells -> RawCells with spans and page-break joins."""

    def __init__(self, header: list[str]) -> None:
        self.n_cols = len(header)
        self.header_key = [clean_line(c) for c in header]
        self.cells: list[RawCell] = []
        self.cover: list[list[Optional[RawCell]]] = []
        self.after_break = False
        self._add_row(header)

    def _add_row(self, cells: list[str], start_col: int = 0) -> None:
        r = len(self.cover)
        row: list[Optional[RawCell]] = [None] * self.n_cols
        if start_col:
            for c in range(start_col):
                above = self.cover[r - 1][c]
                if above is not None:
                    if above.row + above.rowspan == r:
                        above.rowspan += 1
                    row[c] = above
        for c in range(start_col, self.n_cols):
            cell = RawCell(r, c, cells[c])
            self.cells.append(cell)
            row[c] = cell
        self.cover.append(row)

    def blank(self) -> None:
        self.after_break = True

    def add(self, line: str) -> None:
        cells = [_cell_text(c) for c in line.split("\t")]
        if len(cells) > self.n_cols:
            self._widen(len(cells))
        cells += [""] * (self.n_cols - len(cells))
        if [clean_line(c) for c in cells] == self.header_key:
            self.after_break = True  # repeated header after a page break
            return
        if not any(cells):
            return
        if cells[0] == "" and self.cover:
            if self.after_break and self._is_continuation(cells):
                self._join_row(cells)
            else:
                first = next(i for i, c in enumerate(cells) if c)
                self._add_row(cells, start_col=first)
        else:
            self._add_row(cells)
        self.after_break = False

    def _widen(self, n: int) -> None:
        for row in self.cover:
            row.extend([None] * (n - self.n_cols))
        self.n_cols = n
        self.header_key += [""] * (n - len(self.header_key))

    def _is_continuation(self, cells: list[str]) -> bool:
        filled = [c for c in cells if c]
        prev = {id(c): c for c in self.cover[-1] if c is not None and c.text}
        if any(c[:1].islower() for c in filled):
            return True
        return len(filled) <= max(1, len(prev) // 2)

    def _join_row(self, cells: list[str]) -> None:
        for c, txt in enumerate(cells):
            if not txt:
                continue
            target = self.cover[-1][c]
            if target is None:
                continue
            target.text = f"{target.text}\n{txt}" if target.text else txt

    def result(self) -> list[RawCell]:
        return self.cells


_LINE_ITEM = re.compile(r"^\s*-\s")


def _read_seed(lines: list[str], b: DocBuilder) -> None:
    wrap = _wrap_width(lines)
    para_buf: list[str] = []
    table: Optional[_TableBuilder] = None

    def flush_paras() -> None:
        if not para_buf:
            return
        paras = unwrap_lines(para_buf, wrap) if wrap else [p for p in para_buf if p.strip()]
        merged: list[str] = []
        for p in paras:
            if merged and p.strip()[:1].islower() and not starts_item(p.strip()):
                merged[-1] = f"{merged[-1].rstrip()} {p.strip()}"  # a paragraph cut by a page break
            else:
                merged.append(p)
        for p in merged:
            b.paragraph(_para_text(p))
        para_buf.clear()

    def flush_table() -> None:
        nonlocal table
        if table is not None:
            b.table(table.result())
            table = None

    for line in lines:
        if "\t" in line and line.strip():
            flush_paras()
            if table is None:
                table = _TableBuilder(line.split("\t"))
            else:
                table.add(line)
        elif not line.strip():
            if table is not None:
                table.blank()
            else:
                para_buf.append("")
        else:
            flush_table()
            para_buf.append(line)
    flush_paras()
    flush_table()


def _wrap_width(lines: list[str]) -> Optional[int]:
    """The width text was wrapped at, or None when lines are whole paragraphs."""
    lens = sorted(len(ln.rstrip()) for ln in lines if ln.strip() and "\t" not in ln)
    if len(lens) < 10:
        return None
    w = lens[int(len(lens) * 0.9)]
    near = sum(1 for n in lens if 0.8 * w <= n <= w * 1.05)
    return w if w < 200 and near / len(lens) > 0.4 else None


# --- layout text (pdftotext -layout) ----------------------------------------
_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
_HEAD_MARK = re.compile(r"CỘNG H(?:OÀ|ÒA)|ĐẢNG CỘNG SẢN|Độc lập|ỦY BAN|UỶ BAN|UBND|^\s*(?:SỞ|BỘ|BAN)\s", re.I)
_SIGN_START = re.compile(r"^\s*(?:\*\*)?Nơi nhận", re.I)


def is_layout(lines: list[str]) -> bool:
    body = [ln for ln in lines if ln.strip()]
    if len(body) < 5:
        return False
    gaps = sum(1 for ln in body if _GAP.search(ln.strip()))
    indented = sum(1 for ln in body if ln.startswith("    "))
    return gaps >= 2 and (gaps + indented) / len(body) > 0.15


def _split_columns(lines: list[tuple[str, Optional[int]]], width: int) -> tuple[list, list]:
    """Lines of a two-column zone -> (left lines, right lines) with pages."""
    left, right = [], []
    for line, page in lines:
        if not line.strip():
            continue
        m = _GAP.search(line.strip())
        indent = len(line) - len(line.lstrip())
        if m:
            s = line.strip()
            left.append((s[: m.start()].strip(), page))
            right.append((s[m.end() :].strip(), page))
        elif indent >= 0.4 * width:
            right.append((line.strip(), page))
        else:
            left.append((line.strip(), page))
    return left, right


def _zone_table(b: DocBuilder, lines: list[tuple[str, Optional[int]]], width: int) -> None:
    left, right = _split_columns(lines, width)
    if not left and not right:
        return
    page = (left or right)[0][1]
    cells = [
        RawCell(0, 0, "\n".join(t for t, _ in left), page=page),
        RawCell(0, 1, "\n".join(t for t, _ in right), page=page),
    ]
    b.table(cells, page=page, borderless=True)


def _header_end(lines: list[tuple[str, Optional[int]]]) -> tuple[int, int]:
    """(first, last+1) line index of the two-column header zone, or (0, 0)."""
    first = next((i for i, (ln, _) in enumerate(lines[:40]) if _HEAD_MARK.search(ln) and _GAP.search(ln.strip())), None)
    if first is None:
        return 0, 0
    so = next((i for i in range(first, min(first + 15, len(lines))) if re.search(r"Số\s*:", lines[i][0])), first)
    end = so + 1
    while end < len(lines) and lines[end][0].strip():
        end += 1
    return first, end


_PAGE_NO = re.compile(r"^\s*-?\s*\d{1,3}\s*-?\s*$")


def _body_paragraphs(b: DocBuilder, lines: list[tuple[str, Optional[int]]]) -> None:
    """Join layout body lines into paragraphs by first-line indentation.

    A line starting in lower case continues the paragraph before it even
    across a blank line or a page break (the page-number line is dropped), and
    a paragraph ending in a citation cut at '-' or '/' ("số 10-" / "NQ/TW")
    is joined without a space.
    """
    paras: list[list] = []  # [text, page, closed]
    prev_page = None
    for line, page in lines:
        s = line.strip()
        if page != prev_page or not s:
            if paras:
                paras[-1][2] = True
            prev_page = page
        if not s or _PAGE_NO.match(s):
            continue
        indent = len(line) - len(line.lstrip())
        last = paras[-1] if paras else None
        if last and s[:1].islower() and not starts_item(s):
            last[0] += " " + s
            last[2] = False
        elif last and re.search(r"\d[-/]$", last[0]) and re.match(r"[A-ZĐ]", s):
            last[0] += s
            last[2] = False
        elif last is None or last[2] or indent >= 3 or starts_item(s) or re.search(r"\./\.$|:$", last[0]):
            paras.append([s, page, False])
        else:
            last[0] += " " + s
    for text, page, _ in paras:
        b.paragraph(text, page=page)


def _read_layout(text: str, b: DocBuilder) -> None:
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    b.pages = len(pages) if len(pages) > 1 else None
    lines = [(ln.rstrip(), (i + 1) if b.pages else None) for i, p in enumerate(pages) for ln in p.split("\n")]
    lens = sorted(len(ln) for ln, _ in lines if ln.strip())
    width = lens[int(len(lens) * 0.95)] if lens else 80  # robust to one long note line
    h0, h1 = _header_end(lines)
    sig = next((i for i in range(h1, len(lines)) if _SIGN_START.match(lines[i][0])), len(lines))
    _body_paragraphs(b, lines[:h0])
    if h1 > h0:
        _zone_table(b, lines[h0:h1], width)
    _body_paragraphs(b, lines[h1:sig])
    if sig < len(lines):
        _zone_table(b, lines[sig:], width)


def read(data: bytes, name: str) -> RawDocument:
    """Plain text bytes -> RawDocument."""
    text, warn = decode(data)
    b = DocBuilder("txt")
    if warn:
        b.warn(errors.W_LEGACY_ENCODING, warn)
    text = legacy.convert_legacy(text, b)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if is_layout([ln.replace("\f", "") for ln in lines]):
        _read_layout(text, b)
    else:
        _read_seed([ln.replace("\f", "") for ln in lines], b)
    raw = b.build()
    if not raw.text.strip():
        raise errors.EmptyFile(name, "no text in file")
    return raw
