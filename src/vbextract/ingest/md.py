"""Markdown reader.

Three kinds of Markdown arrive:

* thuvienphapluat.vn page crawls (corpus 01-36).  Text is hard-wrapped at
  about 80 columns, in mid-sentence and mid-citation; some files separate
  paragraphs with blank lines, some have no blank line at all.  Tables are
  flattened one cell per line: a line that is exactly ``|`` closes a cell, and
  two such lines in a row (an empty segment) end a row, or hold an empty cell.
  The page chrome (copyright notices, metadata table, related documents,
  login and privacy notices) surrounds the document.
* the CongBot dataset (53-58): one paragraph per line, blank lines between,
  ordinary pipe tables for the header and signature, a ``*Source: …*`` line
  and a dataset-added ``# …`` title above the header.
* hand transcriptions (50, 51 as .txt, 59): ordinary Markdown with pipe
  tables; 51's appendix has a Markdown header row followed by its rows
  flattened one cell per line.

What this module does, in order: decode; find the document proper between
the boilerplate (patterns in ``models/boilerplate.yaml``, see
``ingest.boilerplate``); split the lines into prose runs, flattened tables and
pipe tables; join wrapped lines into paragraphs; rebuild tables as cells with
row/col/colspan; remove Markdown emphasis (a paragraph entirely bold gets
style "bold", entirely italic "italic", a ``#`` line "heading"); mark the
layout tables (header, signature, "Kính gửi") borderless; rejoin letters the
crawl split by spaces ("t ỉ nh").  Markdown has no pages: page is None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Optional

from .. import errors
from ..legacy import convert_legacy
from ..lexicon import syllables
from ..model import DocBuilder, RawCell, RawDocument
from ..normalize import clean, clean_line, starts_item
from .boilerplate import Boilerplate, count_nonblank, find_doc_start, head_end, load_boilerplate, tail_start

# --- decoding -------------------------------------------------------------------


def _decode(data: bytes, b: DocBuilder) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        b.warn(errors.W_LEGACY_ENCODING, "not valid UTF-8: undecodable bytes replaced (U+FFFD)")
        return data.decode("utf-8-sig", errors="replace")


# --- inline Markdown ----------------------------------------------------------------
_WORD = re.compile(r"\w")
_HEADING = re.compile(r"^\s*(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_RULE = re.compile(r"^[\s\-–—_=*.·]{3,}$")
_DOTS = re.compile(r"^[\s.…·]{5,}$")
_SPACES = re.compile(r"\s+")


def _emph_tokens(s: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each emphasis delimiter: kind 'b' (** __) or 'i' (* _)."""
    if "*" not in s and "_" not in s:
        return []  # most lines: no delimiter at all
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(s)
    bullet = re.match(r"^\s*\*\s+\S", s) is not None and s.count("*") == 1
    while i < n:
        ch = s[i]
        if ch in "*_" and i + 1 < n and s[i + 1] == ch:
            out.append((i, i + 2, "b"))
            i += 2
            continue
        if ch == "*" and not (bullet and i == s.index("*")):
            out.append((i, i + 1, "i"))
        elif ch == "_":
            left = s[i - 1] if i else " "
            right = s[i + 1] if i + 1 < n else " "
            inner = _WORD.match(left) and _WORD.match(right)
            flanking = (not right.isspace()) != (not left.isspace())
            if not inner and flanking:
                out.append((i, i + 1, "_"))
        i += 1
    return out


def strip_inline(s: str) -> tuple[str, bool, bool]:
    """Remove ** * __ _ emphasis; also say whether every letter was bold / italic."""
    toks = _emph_tokens(s)
    bold = ital = False
    all_b = all_i = True
    seen = False
    out: list[str] = []
    pos = 0
    for a, e, kind in toks + [(len(s), len(s), "")]:
        chunk = s[pos:a]
        if chunk.strip():
            seen = True
            all_b &= bold
            all_i &= ital
        out.append(chunk)
        if kind == "b":
            bold = not bold
        elif kind:
            ital = not ital
        pos = e
    text = "".join(out)
    return text, seen and all_b, seen and all_i


def plain(s: str) -> str:
    """One line without emphasis, heading marks and extra spaces (for matching)."""
    m = _HEADING.match(s)
    if m:
        s = m.group(2) or ""
    return _SPACES.sub(" ", strip_inline(clean(s))[0]).strip()


def _open_after(s: str, bold: bool, ital: bool) -> tuple[bool, bool]:
    for _, _, kind in _emph_tokens(s):
        if kind == "b":
            bold = not bold
        else:
            ital = not ital
    return bold, ital


# --- line kinds ----------------------------------------------------------------------
_PIPE_ROW = re.compile(r"^\s*\|.*\|")
_SEP_ROW = re.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")


def _is_bar(s: str) -> bool:
    return s.strip() == "|"


def _is_pipe_row(s: str) -> bool:
    return bool(_PIPE_ROW.match(s)) and s.count("|") >= 2 and not _is_bar(s)


def _is_heading(s: str) -> bool:
    return bool(_HEADING.match(s))


# --- paragraphs: joining hard-wrapped lines --------------------------------------------
_END = re.compile(r"[.;:!?…]['\"”’)\]]*$|\./\.\S*$")
_ITEM_EXTRA = re.compile(r"^(?:\[\d+\]|(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]$|\(\d+\)|[+•]\s)")
_WEAK_ITEM = re.compile(r"^(?:Điều|Chương|Mục|Phần|Căn cứ|Thực hiện)\b|^(?:\d{3,}|3[2-9]|[4-9]\d)[.)]\s")
_EXIT = re.compile(r"^PHỤ LỤC\b|^\[\d+\]")  # what follows a table in crawls without blank lines


def _item(p: str) -> bool:
    return starts_item(p) or bool(_ITEM_EXTRA.match(p))


def _terminal(p: str) -> bool:
    return bool(_END.search(p))


def _caps(p: str) -> Optional[bool]:
    """True/False for an all-capitals / mixed line; None when too few letters to say."""
    letters = [c for c in p if c.isalpha()]
    if len(letters) < 4:
        return None
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@dataclass
class _Line:
    raw: str
    plain: str
    heading: bool
    indent: int
    hard_break: bool  # ends with two spaces or a backslash: Markdown's line break


def _mkline(raw: str) -> _Line:
    brk = raw.endswith(("  ", "\\")) and bool(raw.strip())
    return _Line(raw, plain(raw), _is_heading(raw), len(raw) - len(raw.lstrip(" ")), brk)


@dataclass
class Layout:
    """Per-document facts that steer line joining."""

    width: int = 80  # typical length of a wrapped line
    wrapped: bool = True  # lines are hard-wrapped (crawls) rather than one per paragraph
    blank_sep: bool = True  # paragraphs are separated by blank lines


def measure_layout(lines: list[str]) -> Layout:
    """Wrap width, whether lines are hard-wrapped, whether blank lines separate paragraphs."""
    lens = [len(plain(s)) for s in lines if s.strip() and not _is_bar(s) and not _is_pipe_row(s)]
    lens = [n for n in lens if n >= 20]
    if not lens:
        return Layout()
    lens.sort()
    width = lens[int(0.9 * (len(lens) - 1))]
    long_share = sum(1 for n in lens if n > 130) / len(lens)
    wrapped = width <= 120 and long_share < 0.03
    blanks = sum(1 for s in lines if not s.strip())
    nonblank = sum(1 for s in lines if s.strip())
    return Layout(width=max(width, 40), wrapped=wrapped, blank_sep=blanks >= max(3, 0.01 * nonblank))


def _emph_unit_closes_at_eol(lines: list[_Line], j: int) -> bool:
    """Line j opens an emphasis span at its start that closes at the end of a line."""
    s = lines[j].raw.lstrip()
    if not s.startswith(("*", "_")) or not lines[j].plain:
        return False
    bold = ital = False
    for k in range(j, min(j + 8, len(lines))):
        raw = lines[k].raw
        toks = _emph_tokens(raw)
        for _start, e, kind in toks:
            if kind == "b":
                bold = not bold
            else:
                ital = not ital
            if not bold and not ital:
                return not plain(raw[e:]) or bool(re.fullmatch(r"[\s.;:,*_]*", raw[e:]))
    return False


@dataclass
class _State:
    bold: bool = False
    ital: bool = False
    first: bool = True  # the previous line was the first line of its paragraph
    full: bool = False  # the paragraph so far is one emphasis span, closed


def _join(prev: _Line, nxt: _Line, after: Optional[_Line], st: _State, lay: Layout, nxt_full: bool) -> bool:
    """Whether ``nxt`` continues the paragraph that ``prev`` belongs to."""
    p, n, w = prev.plain, nxt.plain, lay.width
    if prev.heading or nxt.heading or prev.hard_break:
        return False
    if st.bold or st.ital:
        return True
    if not lay.wrapped:
        return nxt.indent >= 2 and not _item(n)
    if lay.blank_sep:
        return not (_item(n) and not _WEAK_ITEM.match(n) and (_terminal(p) or (not st.first and len(p) < 0.75 * w)))
    if st.full or nxt_full:
        return False
    if _item(n):
        return bool(_WEAK_ITEM.match(n)) and not _terminal(p) and len(p) >= 0.85 * w
    cp, cn = _caps(p), _caps(n)
    if cp is not None and cn is not None and cp != cn:
        return False
    if n[:1].islower():
        return True
    if _terminal(p):
        return len(p) >= 0.85 * w and len(n) >= 0.85 * w
    if not st.first:
        return len(p) >= 0.75 * w
    if len(n) >= 0.85 * w or (cp and cn):  # a mid line, or a title in capitals going on
        return True
    return not (after is not None and len(after.plain) >= 0.85 * w and not _item(after.plain))


def split_paragraphs(raw_lines: list[str], lay: Layout) -> list[list[str]]:
    """A run of prose lines (no blank line, no table) -> lines of each paragraph."""
    lines = [_mkline(s) for s in raw_lines]
    out: list[list[str]] = []
    cur: list[_Line] = []
    st = _State()
    for j, ln in enumerate(lines):
        if _RULE.match(ln.raw.strip()) or (not ln.plain and not ln.heading and not cur):
            cur = _flush(out, cur)  # a rule "-------", or "** **" between paragraphs
            st = _State()
            continue
        if cur:
            after = lines[j + 1] if j + 1 < len(lines) else None
            nxt_full = _emph_unit_closes_at_eol(lines, j)
            if not _join(cur[-1], ln, after, st, lay, nxt_full):
                cur = _flush(out, cur)
                st = _State()
            else:
                st.first = False
        cur.append(ln)
        st.bold, st.ital = _open_after(ln.raw, st.bold, st.ital)
        joined = " ".join(x.raw for x in cur)
        _, all_b, all_i = strip_inline(joined)
        st.full = (all_b or all_i) and not st.bold and not st.ital
    _flush(out, cur)
    return out


def _flush(out: list[list[str]], cur: list[_Line]) -> list[_Line]:
    if cur:
        out.append([x.raw for x in cur])
    return []


# --- flattened tables ("|" lines) --------------------------------------------------------
Seg = list[str]  # the lines between two "|" lines; [] is an empty segment
_NEW_TABLE = re.compile(r"^(?:STT|TT|Số TT)$", re.I)
_LAYOUT_FIRST = re.compile(r"^(?:Nơi nhận|Kính gửi|Đồng kính gửi)\b", re.I)


def _seg_plain(seg: Seg) -> str:
    return " ".join(plain(s) for s in seg).strip()


def _upcoming(lines: list[str], j: int, end: int) -> Seg:
    out = []
    while j < end and lines[j].strip() and not _is_bar(lines[j]):
        out.append(lines[j])
        j += 1
    return out


def _cells_to_boundary(lines: list[str], j: int, end: int) -> tuple[int, int]:
    """From ``lines[j]``: (number of short cells, each closed by "|", index after them).

    Stops at a row boundary (an empty segment), at a long or unclosed segment,
    or after 20 cells.  The index points at the boundary "|" when one was found.
    """
    cells = 0
    while j < end and cells < 20:
        seg = _upcoming(lines, j, end)
        if not seg or len(seg) > 8:
            break
        j += len(seg)
        if j >= end or not _is_bar(lines[j]):
            break
        cells += 1
        j += 1
        if j < end and _is_bar(lines[j]):
            break
    return cells, j


def _row_continues(lines: list[str], j: int, end: int, row: int) -> bool:
    """Text after the row's last expected cell: more cells of a wider row, or outside?

    The row goes on if the cells up to the next row boundary make it no wider
    than the row after that, give or take two (data rows under a two-level
    header, rows with merged cells).  A heading and the header row of the next
    table would make it much wider than the next row.
    """
    m, k = _cells_to_boundary(lines, j, end)
    if m == 0 or k >= end or not _is_bar(lines[k]):
        return False
    nxt, _ = _cells_to_boundary(lines, k + 1, end)
    return nxt >= 3 and row + m <= nxt + 2


@dataclass
class _FlatState:
    row: int = 0  # cells in the current row so far (a greedy count)
    widest: int = 0  # most cells in a finished row
    rows_done: int = 0


def _table_ends(lines: list[str], j: int, end: int, segs: list[Seg], fs: _FlatState) -> bool:
    """At a text line right after a cell (crawls without blank lines): is it outside the table?

    A row is ended by an empty segment ("|" twice), so text after "|" is either
    the next cell of the current row or, after the last row, outside the
    table.  It is outside when the row already has as many cells as the widest
    row so far, unless (in a data table) more short cells and a row boundary
    follow: data rows under a two-level header are wider than the first row.
    It is outside too when it opens an appendix or a footnote.  A one-row
    table (signature, "Kính gửi") ends after its second cell when the first
    is a layout label or empty.
    """
    up = _upcoming(lines, j, end)
    k = j + len(up)
    if len(up) == 1 and _DOTS.match(up[0]) and k < end and _is_bar(lines[k]):
        return False  # a row of dots standing for skipped rows
    first = next((plain(s) for s in up if plain(s)), "")
    if _EXIT.match(first):
        return True
    if fs.widest == 0:  # still in the first row
        if fs.row >= 2 and (_LAYOUT_FIRST.match(_seg_plain(segs[0])) or not _seg_plain(segs[0])):
            return True
        return fs.row >= 2 and len(up) > 12
    if fs.row < fs.widest:
        return False
    return not (fs.widest >= 3 and _row_continues(lines, j, end, fs.row))


def scan_flat_table(lines: list[str], i: int, end: int, lay: Layout) -> tuple[list[Seg], int]:
    """Segments of the flattened table opened by the "|" at ``lines[i]``; index after it.

    With blank lines between paragraphs a table ends at the first blank line;
    without them (some crawls) ``_table_ends`` decides at each text line that
    follows a cell.
    """
    segs: list[Seg] = []
    cur: Seg = []
    fs = _FlatState()
    j = i + 1
    while j < end:
        s = lines[j]
        if _is_bar(s):
            if cur:
                segs.append(cur)
                fs.row = 0 if len(cur) == 1 and _DOTS.match(cur[0]) else fs.row + 1
            else:
                segs.append([])
                if fs.row:
                    fs.widest, fs.row = max(fs.widest, fs.row), 0
                    fs.rows_done += 1
            cur = []
            j += 1
            continue
        if not s.strip():
            break
        if not cur and j > i + 1 and _is_bar(lines[j - 1]):
            crawl = not (lay.blank_sep and lay.wrapped)
            if segs and segs[-1]:
                if crawl and _table_ends(lines, j, end, segs, fs):
                    break
            elif fs.rows_done >= 2 and _NEW_TABLE.match(plain(s)):
                segs.pop()  # the header row of a second table right below: its "|" opens it
                return segs, j - 1
            elif crawl and _EXIT.match(next((plain(x) for x in _upcoming(lines, j, end) if plain(x)), "")):
                break
        cur.append(s)
        j += 1
    if cur:
        segs.append(cur)
    return segs, j


def _greedy_rows(segs: list[Seg]) -> list[list[Seg]]:
    rows: list[list[Seg]] = [[]]
    for s in segs:
        if s:
            rows[-1].append(s)
        else:
            rows.append([])
    return [r for r in rows if r]


def _row_cost(row: list[Seg], n: int) -> float:
    k = len(row)
    empties = sum(1 for c in row if not c)
    if k == n:
        return 0.05 * empties
    if k < n:
        return 1 + 1.5 * empties
    return 3.0 * (k - n) + 0.05 * empties


def rows_from_segments(segs: list[Seg]) -> list[list[Seg]]:
    """Group segments into rows: an empty segment is a row boundary or an empty cell.

    Dynamic programming over the segments: a row is k cells followed by an
    empty segment (or the end); full rows cost nothing, short rows (group rows
    like "I | Hoàn thiện thể chế") cost 1 plus more for each empty cell they
    would contain, so "5 | task | unit | (empty) | 2025 | product" stays one
    row while "A | title" then "I | title" stay two.  A segment of dots stands
    for rows the crawl skipped and becomes a row of its own.
    """
    out: list[list[Seg]] = []
    chunk: list[Seg] = []
    for s in segs + [["<end>"]]:
        if s == ["<end>"] or (len(s) == 1 and _DOTS.match(s[0])):
            out.extend(_dp_rows(chunk))
            if s != ["<end>"]:
                out.append([s])
            chunk = []
        else:
            chunk.append(s)
    return out


def _row_widths(segs: list[Seg]) -> list[int]:
    """Width of each row if every empty segment after the first one that follows
    a cell were an empty cell ("95,24 | | | 21." is a row ending in an empty cell)."""
    widths: list[int] = []
    k = empties = 0
    for s in segs:
        if s:
            if k and empties:
                widths.append(k + empties - 1)
                k = 0
            k, empties = k + 1, 0
        else:
            empties += 1
    if k:
        widths.append(k)
    return widths


def _dp_rows(segs: list[Seg]) -> list[list[Seg]]:
    greedy = _greedy_rows(segs)
    if not greedy:
        return []
    lens = _row_widths(segs)
    repeated = [k for k in set(lens) if lens.count(k) >= max(2, 0.1 * len(lens))]
    n = max(repeated) if repeated else max(lens)
    kmax = max(lens + [n])
    size = len(segs)
    inf = float("inf")
    best = [inf] * (size + 1)
    choice = [0] * (size + 1)
    best[size] = 0.0
    empty_tail = [True] * (size + 1)
    for i in range(size - 1, -1, -1):
        empty_tail[i] = empty_tail[i + 1] and not segs[i]
    for i in range(size - 1, -1, -1):
        if empty_tail[i]:
            best[i], choice[i] = 0.0, -1
            continue
        for k in range(1, kmax + 1):
            j = i + k
            if j > size:
                break
            if j < size and segs[j]:
                continue
            rest = best[j + 1] if j < size else 0.0
            cost = _row_cost(segs[i:j], n) + rest
            if cost < best[i]:
                best[i], choice[i] = cost, k
    if best[0] == inf:
        return greedy
    rows = []
    i = 0
    while i < size and choice[i] > 0:
        k = choice[i]
        rows.append(_trim_empty(segs[i : i + k], n))
        i += k + 1
    return rows


def _trim_empty(row: list[Seg], n: int) -> list[Seg]:
    """A row wider than the table loses empty cells, last ones first."""
    row = list(row)
    k = len(row) - 1
    while len(row) > n and k >= 0:
        if not _seg_plain(row[k]):
            del row[k]
        k -= 1
    return row


# --- pipe tables -----------------------------------------------------------------------------


def _pipe_cells(s: str) -> list[str]:
    s = s.strip()[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def scan_pipe_table(lines: list[str], i: int, end: int) -> tuple[list[list[str]], int]:
    """Rows of cell strings of the pipe table starting at ``lines[i]`` (separators dropped)."""
    rows = []
    j = i
    while j < end and _is_pipe_row(lines[j]):
        if not _SEP_ROW.match(lines[j]):
            rows.append(_pipe_cells(lines[j]))
        j += 1
    return rows, j


_ROW_MARK = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[IVXLC]+\.?)$")


FlatRows = tuple[list[str], list[list[str]], int]  # header, rows, index after


def scan_flat_rows(lines: list[str], j: int, end: int, header: list[str]) -> Optional[FlatRows]:
    """Rows flattened one cell per line under a Markdown header row (corpus 51's appendix).

    Short lines before the first row number are header cells the Markdown row
    lost; a row starts at a line that is only a row number ("1", "a)", "II").
    A row with more lines than columns holds the rest of cells cut by a page
    break: the extra lines continue the cells from the second column on, in
    order.  Returns (header, rows, index after) or None if the lines do not
    have that shape.
    """
    extra: list[str] = []
    k = j
    while k < end and lines[k].strip() and not _ROW_MARK.match(lines[k].strip()) and len(lines[k]) < 60:
        if _is_bar(lines[k]) or _is_pipe_row(lines[k]) or _is_heading(lines[k]):
            return None
        extra.append(lines[k].strip())
        k += 1
    if k >= end or not _ROW_MARK.match(lines[k].strip()):
        return None
    head = header + extra
    n = len(head)
    rows: list[list[str]] = []
    while k < end:
        s = lines[k].strip()
        if not s or _is_bar(s) or _is_pipe_row(s) or _is_heading(s):
            break
        if _ROW_MARK.match(s) or not rows:
            rows.append([s])
        else:
            rows[-1].append(s)
        k += 1
    return head, [_fold_overflow(r, n) for r in rows], k


def _fold_overflow(row: list[str], n: int) -> list[str]:
    if len(row) <= n:
        return row
    cells, extra = row[:n], row[n:]
    for x, col in zip(extra, range(1, n)):
        cells[col] = cells[col] + " " + x
    if len(extra) > n - 1:
        cells[-1] = cells[-1] + " " + " ".join(extra[n - 1 :])
    return cells


# --- table cells -----------------------------------------------------------------------------
_DATA_HEAD = re.compile(r"^(?:STT|TT|Số TT|Nội dung|Nhiệm vụ)$", re.I)
_SO = re.compile(r"^Số\s*:?$")
_CONNECT = re.compile(r"^(?:và|VÀ|của|CỦA)\b")


def is_layout_table(rows: list[list[str]]) -> bool:
    """Header / signature / "Kính gửi" layout: at most 2 columns and 4 rows, no data headings."""
    if not rows or len(rows) > 4 or max(len(r) for r in rows) > 2:
        return False
    return not any(_DATA_HEAD.match(c.strip()) for r in rows for c in r)


def _join_cell_lines(group: list[_Line], nxt: _Line, st: _State, layout: bool, width: int) -> bool:
    """Whether ``nxt`` continues the last paragraph of a cell (``group``).

    Layout cells (header, signature) keep their lines apart unless a line
    plainly continues: open emphasis, a lower-case start, a trailing comma or
    dash, "Số:" alone, or the rest of a "- " recipient item.  Data cells are
    wrapped text: lines join unless a list item starts or a sentence ends
    well before the cell's width.
    """
    p, n = group[-1].plain, nxt.plain
    if st.bold or st.ital:
        return True
    if _item(n) or not p:
        return False
    if layout:
        first = group[0].plain
        return bool(
            n[:1].islower()
            or p.endswith((",", "-", "–"))
            or _SO.match(p)
            or _CONNECT.match(n)
            or first.startswith(("- ", "+ "))
        )
    if _terminal(p) and n[:1].isupper():
        return len(p) >= 0.85 * width
    return True


def cell_text(seg: Seg, layout: bool) -> str:
    """The lines of one crawled cell -> its text, one paragraph per line."""
    lines = [_mkline(s) for s in seg if not _RULE.match(s.strip())]
    width = max([len(x.plain) for x in lines] + [20])
    groups: list[list[_Line]] = []
    st = _State()
    for ln in lines:
        if groups and _join_cell_lines(groups[-1], ln, st, layout, width):
            groups[-1].append(ln)
        else:
            groups.append([ln])
        st.bold, st.ital = _open_after(ln.raw, st.bold, st.ital)
    texts = [clean_line(strip_inline(" ".join(x.raw for x in g))[0]) for g in groups]
    return "\n".join(t for t in texts if t)


_PIPE_SPLITS = [
    (re.compile(r"\s*-{3,}\s*"), "\n"),  # the rule under issuer and motto
    (re.compile(r"\s+(?=Độc lập\s*[-–]\s*Tự do)"), "\n"),
    (re.compile(r"(?<=\S)\s+(?=V/[vV]\b)"), "\n"),
    (re.compile(r"(?<=[:;.])\s+(?=-\s)"), "\n"),  # "Nơi nhận: - A; - B"
    (re.compile(r"\s{3,}"), "\n"),
]


def _is_title_word(w: str) -> bool:
    return len(w) >= 2 and w[0].isupper() and w[1:].islower()


def _split_name(line: str) -> list[str]:
    """ "THỦ TƯỚNG Nguyễn Xuân Phúc" -> ["THỦ TƯỚNG", "Nguyễn Xuân Phúc"] (capitals, then a name)."""
    words = line.split()
    for k in range(1, len(words)):
        tail = words[k:]
        if 2 <= len(tail) <= 5 and all(_is_title_word(w) for w in tail) and words[k - 1].isupper():
            return [" ".join(words[:k]), " ".join(tail)]
    return [line]


_AUTHORITY = re.compile(r"(?:^|\s)(?:TM|KT|TL|TUQ|Q)\.\s")
_POSITION = re.compile(
    r"(?<!PHÓ)\s+(?=(?:TM|KT|TL|TUQ)\.\s|PHÓ\s|THỨ TRƯỞNG\b|VỤ TRƯỞNG\b|CỤC TRƯỞNG\b|CHÁNH VĂN PHÒNG\b"
    r"|GIÁM ĐỐC\b|CHỦ TỊCH\b|THỦ TƯỚNG\b|BỘ TRƯỞNG\b)"
)


def _split_signature(line: str) -> list[str]:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] (pipe cells flatten the block)."""
    parts: list[str] = []
    start = 0
    for m in _POSITION.finditer(line):
        before = line[start : m.start()].strip()
        if not before or re.fullmatch(r"(?:TM|KT|TL|TUQ|Q)\.", before):
            continue  # the title right after "KT." belongs to it
        parts.append(before)
        start = m.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def pipe_cell_text(s: str, layout: bool) -> str:
    """One pipe-table cell; layout cells get their lines back (issuer, motto, V/v, signer...)."""
    t = clean(strip_inline(s)[0])
    if layout:
        for rx, rep in _PIPE_SPLITS:
            t = rx.sub(rep, t)
        t = "\n".join(p for x in t.split("\n") for p in _split_name(x.strip()))
        first = t.split("\n")[0]
        if _AUTHORITY.search(t) or (first.isupper() and _POSITION.search(" " + first)):
            t = "\n".join(p for x in t.split("\n") for p in _split_signature(x))
    return "\n".join(clean_line(x) for x in t.split("\n") if clean_line(x))


# --- letters split by spaces ("t ỉ nh") ------------------------------------------------
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_SYLLABLE = re.compile(  # onset? + vowel group + coda?, tone marks removed
    r"^(?:ngh|ng|gh|gi|kh|ch|nh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


@lru_cache(maxsize=65536)
def _syllable_shape(w: str) -> bool:
    base = unicodedata.normalize("NFD", w.lower())
    base = unicodedata.normalize("NFC", "".join(c for c in base if c not in _TONE_MARKS))
    return bool(_SYLLABLE.match(base))


def _case_ok(parts: list[str]) -> bool:
    joined = "".join(parts)
    return joined.isupper() or joined.islower() or (joined[:1].isupper() and joined[1:].islower())


_PIECE = re.compile(r"^(?P<lead>[(\[“\"']*)(?P<core>[^\W\d_]+)(?P<trail>[)\]”\"'.,;:!?]*)$")


def _initial(core: str) -> bool:
    """One capital letter, or two without a vowel ("ND"): a piece of a split abbreviation."""
    return core.isupper() and (len(core) == 1 or (len(core) == 2 and not _syllable_shape(core + "a")))


class _Rejoiner:
    """The state of ``rejoin_split_letters`` for one document: what counts as a word."""

    def __init__(self, lines: list[str]) -> None:
        self.vocab = syllables()  # models/vi_syllables.txt
        self.seen: dict[str, int] = {}
        for ln in lines:
            for t in ln.split():
                m = _PIECE.match(t)
                if m and len(m.group("core")) > 1:  # single letters: list markers, initials, pieces
                    w = m.group("core").lower()
                    self.seen[w] = self.seen.get(w, 0) + 1

    def word(self, w: str) -> bool:
        low = w.lower()
        return _syllable_shape(low) and (low in self.vocab or self.seen.get(low, 0) >= 2)

    def line(self, ln: str) -> tuple[str, int]:
        toks = ln.split(" ")
        ms = [_PIECE.match(t) for t in toks]
        frag = [m is not None and not self.word(m.group("core")) for m in ms]
        res: list[str] = []
        fixes = i = 0
        while i < len(toks):
            k = self._run(toks, ms, frag, i)
            run = [m for m in ms[i : i + k] if m is not None]  # a run found by _run has no gaps
            if run:
                res.append(run[0].group("lead") + "".join(m.group("core") for m in run) + run[-1].group("trail"))
                fixes += 1
                i += k
            else:
                res.append(toks[i])
                i += 1
        return " ".join(res), fixes

    def _run(self, toks: list[str], ms: list, frag: list[bool], i: int) -> int:
        """Length of the run of pieces to join at i (0: none)."""
        if ms[i] is None:
            return 0
        for k in range(min(6, len(toks) - i), 1, -1):
            run = ms[i : i + k]
            if not any(frag[i : i + k]) or not _joinable(run):
                continue
            parts = [m.group("core") for m in run]
            if _case_ok(parts) and self.word("".join(parts)):
                return k
        k = 0
        while i + k < len(toks) and ms[i + k] is not None and _initial(ms[i + k].group("core")):
            k += 1
            if not _joinable(ms[i : i + k]):
                k -= 1
                break
        if k >= 2 and not _syllable_shape("".join(m.group("core") for m in ms[i : i + k]).lower()):
            return k
        return 0


def _joinable(run: list) -> bool:
    """Pieces with letters only, punctuation only before the first and after the last."""
    if not all(run):
        return False
    return not any(m.group("trail") for m in run[:-1]) and not any(m.group("lead") for m in run[1:])


_LONE_CONSONANT = re.compile(r"(?<![\w/.-])[bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX](?= [^\W\d_])")


def rejoin_split_letters(lines: list[str]) -> tuple[list[str], int]:
    """Rejoin words a web copy split by spaces: "t ỉ nh" -> "tỉnh", "P HÓ" -> "PHÓ", "U B ND" -> "UBND".

    A run of 2-6 tokens is joined when the result is a syllable (listed in
    models/vi_syllables.txt or used as a word elsewhere in the document) and
    at least one piece is not a word by itself; a run of capitals of one or
    two letters that does not make a syllable is an abbreviation ("T T U B").
    Nothing is changed unless the document has at least 3 such runs, so a
    clean document is never touched.
    """
    # cheap gate: split words leave lone consonants ("t ỉ nh", "P HÓ"), which
    # clean Vietnamese text almost never has; skip the costly pass without them
    if not any(_LONE_CONSONANT.search(ln) for ln in lines):
        return lines, 0
    rj = _Rejoiner(lines)
    out: list[str] = []
    fixes = 0
    for ln in lines:
        new, n = rj.line(ln)
        out.append(new)
        fixes += n
    if fixes < 3:
        return lines, 0
    return out, fixes


# --- the reader -----------------------------------------------------------------------------


@dataclass
class _Ctx:
    b: DocBuilder
    lay: Layout
    first_paras: int = 0  # paragraphs emitted so far (the header is among the first)


def _issuer_start(lines: list[str], m: int, bp: Boilerplate) -> int:
    """Start of the header block whose motto is on line m (keep the issuer before it).

    In a crawled layout table the issuer is the cell before the motto's cell:
    the block starts at the "|" that opens it.  In a pipe table or a "#" line
    the issuer is on the motto's line.  Otherwise the capitalised lines just
    above the motto (issuer name, its rule) belong to the header.
    """
    if _is_pipe_row(lines[m]) or _is_heading(lines[m]):
        return m
    k = m - 1
    while k >= 0 and m - k <= 4 and lines[k].strip() and not _is_bar(lines[k]):
        k -= 1
    if k >= 0 and _is_bar(lines[k]):
        q = k - 1
        while q >= 0 and k - q <= 8 and lines[q].strip() and not _is_bar(lines[q]):
            q -= 1
        return q if q >= 0 and _is_bar(lines[q]) and k - q > 1 else k
    start = m
    k = m - 1
    while k >= 0 and m - k <= 6:
        p = plain(lines[k])
        if p and (_caps(p) is False or len(p) > 60 or _is_heading(lines[k]) or _is_pipe_row(lines[k])):
            break
        if p and any(x.regex.search(p) for x in bp.head):
            break
        if p or _RULE.match(lines[k].strip() or "x"):
            start = k if p else start
        k -= 1
    return start


def cut_boilerplate(lines: list[str], bp: Boilerplate) -> tuple[int, int, int, int]:
    """(start, end, removed_before, removed_after) of the document proper."""
    keys = [plain(s) for s in lines]
    m = find_doc_start(keys, bp)
    if m is not None:
        start = _issuer_start(lines, m, bp)
    else:  # head patterns see "#" marks: the dataset's "# title" is one of them
        marked = [_SPACES.sub(" ", strip_inline(s)[0]).strip() for s in lines]
        start = head_end(marked, bp, _is_bar)
    end = tail_start(keys, bp, max(start, m or 0))
    before = count_nonblank([k if not _is_bar(s) else "|" for k, s in zip(keys[:start], lines[:start])])
    after = count_nonblank([k if not _is_bar(s) else "|" for k, s in zip(keys[end:], lines[end:])])
    return start, end, before, after


_MOTTO_IN = re.compile(r"^(?P<issuer>.{3,}?)\s+(?P<motto>C[ỘO]NG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI.*)$")


def _emit_paragraph(ctx: _Ctx, group: list[str]) -> None:
    heading = _is_heading(group[0])
    if heading:
        m = _HEADING.match(group[0])
        group = [(m.group(2) or "") if m else group[0]] + group[1:]
    text, all_b, all_i = strip_inline(" ".join(s.strip() for s in group))
    style = "heading" if heading else "bold" if all_b else "italic" if all_i else None
    text = clean_line(text)
    if not text:
        return
    m2 = _MOTTO_IN.match(text) if ctx.first_paras < 3 else None
    ctx.first_paras += 1
    if m2 and not any(c.islower() for c in m2.group("issuer")):
        # "# CHÍNH PHỦ CỘNG HÒA XÃ HỘI …" (59): issuer and motto on one line
        ctx.b.paragraph(m2.group("issuer"), style=style)
        text = m2.group("motto")
    ctx.b.paragraph(text, style=style)


def _emit_flat(ctx: _Ctx, segs: list[Seg]) -> None:
    rows = [r for r in rows_from_segments(segs) if any(_seg_plain(c) for c in r)]
    if not rows:
        return
    layout = is_layout_table([[_seg_plain(c) for c in r] for r in rows])
    _emit_rows(ctx, [[cell_text(c, layout) for c in r] for r in rows], layout)


_ROW_ID = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+(?:\.\d+)*\.?|[A-ZĐ]\.?|[a-zđ][.)])$")


def _right_aligned(rows: list[list[str]], ri: int, n: int, prev_right: bool) -> bool:
    """A short row whose leading cells are merged with the row above.

    "Đã thực thi | 0 | 0 …" under "1 | Bộ Công an | Tổng | 7 | 0 …"; or the
    second header row under "STT | … | <group heading>".
    """
    row = rows[ri]
    if ri == 0 or not 2 <= len(row) < n:
        return False
    first = row[0].split("\n")[0]
    if not first or _ROW_ID.match(first):
        return False
    above = rows[ri - 1][0].split("\n")[0]
    if ri == 1:
        return bool(_NEW_TABLE.match(above))  # sub-header under a two-level header
    return prev_right or bool(_ROW_ID.match(above))


def place_cells(rows: list[list[str]], spans: bool = True) -> list[RawCell]:
    """Rows of cell texts -> RawCells.

    A row shorter than the widest is either a group row ("I | Hoàn thiện thể
    chế": its last cell spans to the last column) or, with ``spans``, a row
    whose first cells are merged with the row above (Word's vertical merge,
    flattened): its cells go to the right and the cells above get a rowspan.
    """
    n = max(len(r) for r in rows)
    out: list[RawCell] = []
    cover: dict[tuple[int, int], RawCell] = {}
    prev_right = False
    for ri, r in enumerate(rows):
        right = spans and _right_aligned(rows, ri, n, prev_right)
        offset = n - len(r) if right else 0
        for c in range(offset):
            above = cover.get((ri - 1, c))
            if above is not None:
                if above.row + above.rowspan == ri:
                    above.rowspan += 1
                cover[(ri, c)] = above
        for ci, t in enumerate(r):
            span = n - ci if not right and ci == len(r) - 1 and len(r) < n else 1
            cell = RawCell(ri, offset + ci, t, colspan=span)
            out.append(cell)
            for c in range(offset + ci, offset + ci + span):
                cover[(ri, c)] = cell
        prev_right = right
    return out


def _emit_rows(ctx: _Ctx, rows: list[list[str]], layout: bool, spans: bool = True) -> None:
    ctx.b.table(place_cells(rows, spans and not layout), borderless=layout)


def _emit_pipe(ctx: _Ctx, rows: list[list[str]]) -> None:
    rows = [r for r in rows if any(strip_inline(c)[0].strip() for c in r)]
    if not rows:
        return
    layout = is_layout_table([[plain(c) for c in r] for r in rows])
    _emit_rows(ctx, [[pipe_cell_text(c, layout) for c in r] for r in rows], layout, spans=False)


def _stray_blank(lines: list[str], i: int, end: int, prose: list[str]) -> Optional[int]:
    """Index of the line after the blank line(s) at i when they cut a sentence in two.

    Crawls sometimes put a blank line inside a paragraph ("người dân -" /
    "" / "doanh nghiệp nhanh hơn"): the line before does not end a sentence and
    the line after starts in lower case without being a list item.
    """
    if not prose or _is_heading(prose[-1]) or _is_bar(prose[-1]):
        return None
    j = i
    while j < end and not lines[j].strip():
        j += 1
    if j >= end or j - i > 2 or _is_bar(lines[j]) or _is_pipe_row(lines[j]) or _is_heading(lines[j]):
        return None
    prev, nxt = plain(prose[-1]), plain(lines[j])
    bold, ital = _open_after(" ".join(prose[-3:]), False, False)
    if not prev or _terminal(prev) or not nxt[:1].islower() or _item(nxt) or bold or ital:
        return None
    return j


def _parse_body(ctx: _Ctx, lines: list[str], start: int, end: int) -> None:
    prose: list[str] = []

    def flush() -> None:
        for g in split_paragraphs(prose, ctx.lay):
            _emit_paragraph(ctx, g)
        prose.clear()

    i = start
    while i < end:
        s = lines[i]
        if _is_bar(s):
            flush()
            segs, i = scan_flat_table(lines, i, end, ctx.lay)
            _emit_flat(ctx, segs)
        elif _is_pipe_row(s):
            flush()
            rows, i = scan_pipe_table(lines, i, end)
            if len(rows) == 1 and i < end and lines[i].strip():
                flat = scan_flat_rows(lines, i, end, rows[0])
                if flat is not None:
                    head, body, i = flat
                    _emit_rows(ctx, [[plain(c) for c in head]] + [[plain(c) for c in r] for r in body], False)
                    continue
            _emit_pipe(ctx, rows)
        elif not s.strip():
            j = _stray_blank(lines, i, end, prose)
            if j is not None:  # a blank line in mid-sentence: the paragraph goes on
                prose[-1] = prose[-1].rstrip() + " " + lines[j].strip()
                i = j + 1
                continue
            if ctx.lay.blank_sep or not ctx.lay.wrapped:
                flush()
            i += 1
        else:
            prose.append(s)
            i += 1
    flush()


_ONE_LINE_HEADER = re.compile(r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+XÃ\s+HỘI.*Hạnh\s+phúc", re.S)
_HEADER_CUTS = re.compile(
    r"\s*(?:_{2,}|-{3,}|\|)?\s*(?=Số\s*:|C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+XÃ|Độc\s+lập\s*[-–])|(?<=Hạnh phúc)[\s_\-|]*"
)


def _split_glued(
    lines: list[str], where: Iterable[int], glued: Callable[[str], object], cuts: re.Pattern[str], strip: str
) -> list[str]:
    """The first line (in ``where`` order) whose plain text is ``glued``, cut at ``cuts`` into
    one paragraph per part (a blank line after each) when it gives three parts or more."""
    out = list(lines)
    for i in where:
        key = plain(lines[i])
        if not glued(key):
            continue
        parts = [x for x in (x.strip(strip) for x in cuts.split(key)) if x]
        if len(parts) >= 3:
            out[i : i + 1] = [x for part in parts for x in (part, "")]
        break
    return out


def _glued_header(key: str) -> bool:
    return "Số" in key and bool(_ONE_LINE_HEADER.search(key))


def split_one_line_header(lines: list[str], look: int = 40) -> list[str]:
    """A crawl that flattened the whole header onto one line ("CHÍNH PHỦ___ Số: 171/2025/NĐ-CP |
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – Tự do – Hạnh phúc___ Hà Nội, ngày 30 tháng 6
    năm 2025 |"): one line per field, as a typed header has them (issuer, number, motto,
    slogan, place and date)."""
    return _split_glued(lines, range(min(look, len(lines))), _glued_header, _HEADER_CUTS, " _|-–")


_GLUED_SIGNATURE = re.compile(r"\b(?:TM|KT|TL|TUQ)\.\s*\S.*\(\s*[Đđ]ã\s+ký\s*\)", re.S)
_SIGNATURE_CUTS = re.compile(
    r"\s*\|\s*(?=(?:TM|KT|TL|TUQ)\.)|(?<=\S)(?=(?:KT|TL|TUQ)\.\s)|(?<=[A-ZĐÀ-Ỹ])(?=PHÓ\s)|\s*\(\s*[Đđ]ã\s+ký\s*\)\s*"
)


def split_one_line_signature(lines: list[str], look: int = 60) -> list[str]:
    """A crawl that glued the recipients and the signature block onto one line ("... - Lưu: VT |
    TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ TƯỚNG(Đã ký)Nguyễn Hòa Bình |"): one line per part, as a
    typed signature block has them (authority, position, name)."""
    last = len(lines) - 1
    return _split_glued(lines, range(last, max(-1, last - look), -1), _GLUED_SIGNATURE.search, _SIGNATURE_CUTS, " |")


def read(data: bytes, name: str) -> RawDocument:
    """Markdown bytes (UTF-8, BOM allowed) -> RawDocument; page is None throughout."""
    b = DocBuilder("md")
    text = convert_legacy(_decode(data, b), b)  # before clean(): TCVN3's ư is U+00AD
    lines = split_one_line_signature(split_one_line_header([clean(s).rstrip("\n") for s in text.split("\n")]))
    start, end, before, after = cut_boilerplate(lines, load_boilerplate())
    if before or after:
        b.warn(
            errors.W_BOILERPLATE,
            f"removed {before + after} lines of website boilerplate ({before} before the document, {after} after it)",
        )
    body = lines[start:end]
    body, n_fixed = rejoin_split_letters(body)
    if n_fixed:
        b.warn(errors.W_SPLIT_LETTERS, f"rejoined {n_fixed} words whose letters were split by spaces")
    ctx = _Ctx(b, measure_layout(body))
    _parse_body(ctx, body, 0, len(body))
    return b.build()
