"""Ruled tables in a page image: the ruling lines found in the pixels, the
cells they enclose found by pdfplumber's grid code.

A scanned plan's task table is a grid of printed rules.  Finding the rules in
the image is the part written here (numpy): a pixel belongs to a horizontal
rule when it lies in an unbroken run of ink at least ``_MIN_RULE_IN`` inch
long (a morphological opening with a 1 x n line, done as a sliding AND by
doubling shifts: ~35 ms for an A4 page at 300 dpi); rows of such pixels are
merged into one rule per line (a slightly skewed rule becomes a staircase of
runs in neighbouring rows, merged into one band).  Vertical rules are the same
on the transposed image.  Letters never make a 0.2-inch run of ink in one
pixel row; underlines and the short rule under the national motto do, but
they meet no vertical rule and enclose no cell.

Turning rules into cells is not written here: the rules become pdfplumber
edge objects and go through ``pdfplumber.table`` (snap, join, intersections,
cells, tables), the same code that finds the ruled tables of digital PDF
pages, so both kinds of page get the same grid semantics (merged cells are
boxes spanning several grid lines).

OpenCV would do the opening in a call, but it is a 40 MB wheel for one
operation; numpy is enough.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pdfplumber import table as ptable
from PIL import Image

_INK_SHARE = 0.4  # ink threshold: this share of the way from the paper's grey to the ink's
_MIN_RULE_IN = 0.2  # a rule is an unbroken ink run at least this long (inch); 60 px at 300 dpi
_MAX_THICK_IN = 0.04  # ... and at most this thick (thicker: a filled area, a photo, a seal)
_TABLE_MIN_W_IN = 1.0  # a table is at least this wide (inch) ...
_CELL_MIN_H_IN = 0.12  # ... and its typical cell at least a 10 pt line high
_SNAP_IN = 0.025  # rules this close (inch) are one grid line; also the intersection tolerance
_JOIN_IN = 0.1  # collinear pieces of a broken rule with a gap up to this are joined


@dataclass
class Rule:
    """One ruling line in pixels: ``x0..x1`` by ``top..bottom`` (inclusive-exclusive)."""

    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.bottom - self.top


@dataclass
class RuledTable:
    """One table: its cell boxes ``(x0, top, x1, bottom)`` in pixels and the
    rules that draw it (to be erased before OCR)."""

    cells: list[tuple[float, float, float, float]]
    rules: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(c[0] for c in self.cells),
            min(c[1] for c in self.cells),
            max(c[2] for c in self.cells),
            max(c[3] for c in self.cells),
        )


def levels(image: Image.Image) -> tuple[int, int]:
    """Grey levels of the paper (the median) and of the ink (the darkest 0.5 %)."""
    a = np.asarray(image.convert("L") if image.mode != "L" else image)
    cum = np.cumsum(np.bincount(a[::4, ::4].ravel(), minlength=256))
    return int(np.searchsorted(cum, cum[-1] * 0.5)), int(np.searchsorted(cum, cum[-1] * 0.005))


def ink_mask(image: Image.Image, lv: "tuple[int, int] | None" = None) -> np.ndarray:
    """Dark pixels of a grayscale page.  The threshold is set between the
    paper and the ink (``levels``), so a grey photo or a faint scan works like
    a clean black-on-white render; nearer the paper than the ink, because a
    hairline rule (0.5 pt is 1.4 px at 200 dpi) blurred by a lens never gets
    as dark as a letter's stroke.  ``lv``: the image's ``levels``, if already measured."""
    a = np.asarray(image.convert("L") if image.mode != "L" else image)
    paper, ink = levels(image) if lv is None else lv
    if paper - ink < 40:  # a blank or uniformly dark page: nothing to find
        return np.zeros(a.shape, dtype=bool)
    return a < paper - _INK_SHARE * (paper - ink)


def _runs(mask: np.ndarray, n: int, axis: int) -> list[tuple[int, int, int]]:
    """Runs ``(line, start, end)`` of at least ``n`` True pixels along ``axis``
    (1: in each row; 0: in each column); ``end`` is exclusive."""
    e = mask if axis == 1 else mask.T  # a view: the shifts below work on either
    k = 1
    while k * 2 <= n:  # after this loop e[y, x] = all(mask[y, x:x+k])
        e = e[:, :-k] & e[:, k:]
        k *= 2
    if k < n:
        e = e[:, : -(n - k)] & e[:, n - k :]
    out = []
    for y in np.flatnonzero(e.any(axis=1)):
        d = np.diff(np.concatenate(([0], e[y].view(np.int8), [0])))
        for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):
            out.append((int(y), int(a), int(b) + n - 1))
    return out


def _bands(runs: list[tuple[int, int, int]]) -> list[list[int]]:
    """Runs in neighbouring rows that overlap -> one band ``[top, bottom, x0, x1]``."""
    out: list[list[int]] = []
    open_: list[list[int]] = []
    for y, a, b in runs:
        open_ = [o for o in open_ if o[1] >= y - 1]
        for o in open_:
            if min(o[3], b) > max(o[2], a):
                o[1], o[2], o[3] = y, min(o[2], a), max(o[3], b)
                break
        else:
            o = [y, y, a, b]
            open_.append(o)
            out.append(o)
    return out


_SKEW_MIN_DEG = 0.1  # a page less skewed than this is read as it is
_SKEW_MAX_DEG = 5.0  # ... and one more skewed than this is a photo to be cropped, not guessed at
_SKEW_BAND_IN = 1.0  # rules at least this long vote on the skew


def skew(image: Image.Image, dpi: float, mask: "np.ndarray | None" = None) -> float:
    """The angle (degrees, PIL's counter-clockwise sense) that makes the
    page's long horizontal rules level; 0.0 without such rules.

    A rule on a page scanned 2° askew climbs one pixel every 29, so no pixel
    row holds a long run of it; with the ink first thickened by 2 pixels up
    and down, every row crossing the rule does.  Each band of such runs
    votes with the slope of a line fitted through its runs' middles (weighted
    by length); the median vote wins.
    """
    mask = ink_mask(image) if mask is None else mask
    thick = mask.copy()
    for d in (1, 2):
        thick[d:, :] |= mask[:-d, :]
        thick[:-d, :] |= mask[d:, :]
    n = max(8, round(_MIN_RULE_IN * dpi))
    votes: list[tuple[float, float]] = []
    for top, bottom, x0, x1 in _bands(_runs(thick, n, 1)):
        if x1 - x0 < _SKEW_BAND_IN * dpi:
            continue
        # the rule's own ink (not the thickened band) in every 4th column: its
        # centre row where the column crosses only the rule (not a letter or
        # a vertical rule), and a straight line through those centres
        sub = mask[top : bottom + 1, x0:x1:4]
        counts = sub.sum(axis=0)
        ok = (counts > 0) & (counts <= max(2, round(_MAX_THICK_IN * dpi / 2)))
        if ok.sum() < 10:
            continue
        rows = np.arange(sub.shape[0], dtype=float)[:, None]
        y = (sub * rows).sum(axis=0)[ok] / counts[ok]
        x = (np.arange(sub.shape[1], dtype=float) * 4)[ok]
        slope = float(np.polyfit(x, y, 1)[0])
        votes.append((float(np.degrees(np.arctan(slope))), float(x1 - x0)))
    if not votes:
        return 0.0
    votes.sort()
    angle = _weighted_median(votes)
    if abs(angle) < _SKEW_MIN_DEG or abs(angle) > _SKEW_MAX_DEG:
        return 0.0
    return round(angle, 2)


def _weighted_median(votes: list[tuple[float, float]]) -> float:
    """The value where the weights of the sorted ``(value, weight)`` votes reach half their sum."""
    half, acc = sum(w for _, w in votes) / 2, 0.0
    for value, w in votes:
        acc += w
        if acc >= half:
            return value
    return votes[-1][0]


def find_rules(image: Image.Image, dpi: float, mask: "np.ndarray | None" = None) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules of a page image (``mask``: its ``ink_mask``, if already made)."""
    mask = ink_mask(image) if mask is None else mask
    n = max(8, round(_MIN_RULE_IN * dpi))
    thick = max(3, round(_MAX_THICK_IN * dpi))

    # breaks of up to 3 pixels in a scanned or photographed rule closed along its direction
    h = mask.copy()
    v = mask.copy()
    for g in (1, 2):
        h[:, g:-g] |= mask[:, : -2 * g] & mask[:, 2 * g :]
        v[g:-g, :] |= mask[: -2 * g, :] & mask[2 * g :, :]
    hs = [Rule(x0, top, x1, bottom + 1) for top, bottom, x0, x1 in _bands(_runs(h, n, 1)) if bottom - top < thick]
    # along columns a band's "rows" are x and its "columns" are y
    vs = [Rule(x0, top, x1 + 1, bottom) for x0, x1, top, bottom in _bands(_runs(v, n, 0)) if x1 - x0 < thick]
    return hs, vs


def _edge(r: Rule, horizontal: bool) -> dict:
    if horizontal:
        y = (r.top + r.bottom) / 2
        return {
            "x0": float(r.x0),
            "x1": float(r.x1),
            "top": y,
            "bottom": y,
            "width": float(r.x1 - r.x0),
            "height": 0.0,
            "orientation": "h",
            "rule": r,
        }
    x = (r.x0 + r.x1) / 2
    return {
        "x0": x,
        "x1": x,
        "top": float(r.top),
        "bottom": float(r.bottom),
        "width": 0.0,
        "height": float(r.bottom - r.top),
        "orientation": "v",
        "rule": r,
    }


def find_tables(image: Image.Image, dpi: float, mask: "np.ndarray | None" = None) -> list[RuledTable]:
    """Ruled tables of a page image (pixels), top to bottom.  A grid needs two
    columns at least: a single boxed paragraph is a frame, not a table.  The
    rules must be level (see ``skew``)."""
    hs, vs = find_rules(image, dpi, mask)
    if len(hs) < 2 or len(vs) < 2:
        return []
    snap = max(2.0, _SNAP_IN * dpi)
    join = max(3.0, _JOIN_IN * dpi)
    edges = [_edge(r, True) for r in hs] + [_edge(r, False) for r in vs]
    # pdfplumber's snap/join copy the dicts and keep extra keys; a joined edge
    # keeps the first piece's "rule", so the pieces are collected again below
    edges = ptable.merge_edges(edges, snap, snap, join, join)
    cells = ptable.intersections_to_cells(ptable.edges_to_intersections(edges, snap, snap))
    out = []
    for group in ptable.cells_to_tables(cells):
        if len(group) < 2 or len({c[0] for c in group} | {c[2] for c in group}) < 3:
            continue
        if not _plausible(group, dpi):
            continue
        t = RuledTable([(float(c[0]), float(c[1]), float(c[2]), float(c[3])) for c in group], [])
        x0, top, x1, bottom = t.bbox
        t.rules = [
            r
            for r in hs + vs
            if r.x0 >= x0 - snap and r.x1 <= x1 + snap and r.top >= top - snap and r.bottom <= bottom + snap
        ]
        out.append(t)
    out.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return out


def _plausible(cells: list, dpi: float) -> bool:
    """A grid big enough to hold text: an inch wide, a text line high, and
    most cells a line high.  Pen strokes of a signature crossing a seal's
    edge make tiny 'grids' of a few pixels."""
    x0, x1 = min(c[0] for c in cells), max(c[2] for c in cells)
    top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
    if x1 - x0 < _TABLE_MIN_W_IN * dpi or bottom - top < _CELL_MIN_H_IN * dpi:
        return False
    heights = sorted(c[3] - c[1] for c in cells)
    return heights[len(heights) // 2] >= _CELL_MIN_H_IN * dpi


def erase(image: Image.Image, tables: list[RuledTable], paper: int = 255) -> Image.Image:
    """A copy of ``image`` with the tables' rules painted in the ``paper``
    grey (two pixels of margin), so tesseract reads no '|' from a column rule
    into a cell.  Paper, not white: on a grey photo, white patches move
    tesseract's global threshold between paper and white."""
    a = np.array(image.convert("L") if image.mode != "L" else image)
    h, w = a.shape
    for t in tables:
        for r in t.rules:
            a[max(0, r.top - 2) : min(h, r.bottom + 2), max(0, r.x0 - 2) : min(w, r.x1 + 2)] = paper
    return Image.fromarray(a, mode="L")


def blank(image: Image.Image, tables: list[RuledTable], paper: int = 255) -> Image.Image:
    """A copy of ``image`` with the tables' areas painted in the ``paper``
    grey (the page pass reads the text around the tables only)."""
    a = np.array(image.convert("L") if image.mode != "L" else image)
    h, w = a.shape
    for t in tables:
        x0, top, x1, bottom = t.bbox
        a[max(0, int(top) - 2) : min(h, int(bottom) + 3), max(0, int(x0) - 2) : min(w, int(x1) + 3)] = paper
    return Image.fromarray(a, mode="L")


def ink_box(
    mask: np.ndarray, cell: tuple[float, float, float, float], inset: int = 0
) -> "tuple[int, int, int, int] | None":
    """The box of the ink inside ``cell`` (pixels) less ``inset`` pixels on
    every side (what is left of the rules' blurred edges), or None for an
    empty cell; specks of a few pixels do not count."""
    x0, top = int(cell[0]) + 1 + inset, int(cell[1]) + 1 + inset
    x1, bottom = int(cell[2]) - inset, int(cell[3]) - inset
    sub = mask[top:bottom, x0:x1]
    if sub.size == 0 or int(sub.sum()) < 12:
        return None
    rows = np.flatnonzero(sub.any(axis=1))
    cols = np.flatnonzero(sub.any(axis=0))
    return (x0 + int(cols[0]), top + int(rows[0]), x0 + int(cols[-1]) + 1, top + int(rows[-1]) + 1)


def has_gap(mask: np.ndarray, box: tuple[int, int, int, int], gap: int) -> bool:
    """Whether the ink in ``box`` has a blank column run of ``gap`` pixels or
    more between its first and last inked column (a space between words)."""
    cols = mask[box[1] : box[3], box[0] : box[2]].any(axis=0)
    inked = np.flatnonzero(cols)
    if inked.size < 2:
        return False
    return bool((np.diff(inked) > gap).any())
