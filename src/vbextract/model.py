"""The format-neutral document model every reader produces.

A reader never computes offsets: it feeds paragraphs and tables, with their
page, into a ``DocBuilder``; the builder normalises each piece once
(``normalize.clean``), appends it to the document ``text`` and records where
it landed.  Everything after ingest works on ``RawDocument`` and never knows
the file format.

Layout of ``text``: blocks are separated by one newline.  A paragraph is one
line.  A table is written row by row, one line per row, cells separated by a
TAB; a cell that holds several paragraphs keeps them separated by newlines.
Offsets (``start``/``end``) of every block and every cell point into ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Literal, Optional

from .normalize import clean, clean_line

Kind = Literal["paragraph", "table"]


@dataclass
class Cell:
    row: int
    col: int
    text: str
    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1
    page: Optional[int] = None


@dataclass
class Block:
    kind: Kind
    start: int
    end: int
    page: Optional[int] = None
    page_end: Optional[int] = None
    # paragraphs
    style: Optional[str] = None  # reader hint: "heading", "bold", "list", "title"
    # tables
    cells: list[Cell] = field(default_factory=list)
    n_rows: int = 0
    n_cols: int = 0
    borderless: bool = False  # reader hint: layout table (header/signature)
    index: int = -1  # position in RawDocument.blocks
    table_index: int = -1  # position among tables (for Source.table)

    def rows(self) -> list[list[Cell]]:
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        return out

    def cell_at(self, row: int, col: int) -> Optional[Cell]:
        """The cell covering grid position (row, col), following spans."""
        grid = self.__dict__.get("_grid")
        if grid is None or grid[0] != len(self.cells):
            index: dict[tuple[int, int], Cell] = {}
            for c in self.cells:
                for r in range(c.row, c.row + c.rowspan):
                    for k in range(c.col, c.col + c.colspan):
                        index.setdefault((r, k), c)
            grid = (len(self.cells), index)
            self.__dict__["_grid"] = grid
        return grid[1].get((row, col))


@dataclass
class Line:
    """One line of text in reading order, with where it came from."""

    text: str
    start: int
    end: int
    page: Optional[int]
    block: Block
    cell: Optional[Cell] = None


@dataclass
class DocWarning:
    code: str
    message: str
    page: Optional[int] = None
    start: Optional[int] = None
    end: Optional[int] = None


@dataclass
class RawDocument:
    text: str
    blocks: list[Block]
    format: str
    pages: Optional[int] = None
    ocr: bool = False
    warnings: list[DocWarning] = field(default_factory=list)

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    def lines(self) -> Iterator[Line]:
        """Every non-empty line: paragraphs, then table cells row by row."""
        for b in self.blocks:
            if b.kind == "paragraph":
                if b.end > b.start:
                    yield Line(self.text[b.start : b.end], b.start, b.end, b.page, b)
                continue
            for c in sorted(b.cells, key=lambda c: (c.row, c.col)):
                pos = c.start
                for part in self.text[c.start : c.end].split("\n"):
                    if part.strip():
                        lead = len(part) - len(part.lstrip())
                        s = pos + lead
                        yield Line(part.strip(), s, s + len(part.strip()), c.page, b, c)
                    pos += len(part) + 1


@dataclass
class RawCell:
    """What a reader hands over for one table cell (before offsets exist)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: Optional[int] = None


class DocBuilder:
    """Accumulates blocks into one normalised text with offsets."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        self._parts: list[str] = []
        self._pos = 0
        self.blocks: list[Block] = []
        self.warnings: list[DocWarning] = []
        self.pages: Optional[int] = None
        self.ocr = False

    # -- low level
    def _append(self, s: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n")
            self._pos += 1
        start = self._pos
        self._parts.append(s)
        self._pos += len(s)
        return start, self._pos

    def paragraph(self, text: str, page: Optional[int] = None, style: Optional[str] = None) -> Optional[Block]:
        """Add one paragraph; internal newlines and runs of spaces collapse."""
        t = clean_line(text)
        if not t:
            return None
        start, end = self._append(t)
        b = Block("paragraph", start, end, page=page, page_end=page, style=style, index=len(self.blocks))
        self.blocks.append(b)
        return b

    def table(self, cells: list[RawCell], page: Optional[int] = None, borderless: bool = False) -> Optional[Block]:
        """Add a table given its cells (each with row/col and spans)."""
        cells = [c for c in cells if c is not None]
        if not cells:
            return None
        cells.sort(key=lambda c: (c.row, c.col))
        n_rows = max(c.row + c.rowspan for c in cells)
        n_cols = max(c.col + c.colspan for c in cells)
        if self._parts:
            self._parts.append("\n")
            self._pos += 1
        tstart = self._pos
        out_cells: list[Cell] = []
        cur_row = -1
        for c in cells:
            if c.row != cur_row:
                if cur_row != -1:
                    self._parts.append("\n")
                    self._pos += 1
                cur_row = c.row
            else:
                self._parts.append("\t")
                self._pos += 1
            txt = "\n".join(clean_line(p) for p in clean(c.text).split("\n"))
            txt = "\n".join(p for p in txt.split("\n") if p)
            s = self._pos
            self._parts.append(txt)
            self._pos += len(txt)
            out_cells.append(
                Cell(c.row, c.col, txt, s, self._pos, c.rowspan, c.colspan, c.page if c.page is not None else page)
            )
        pages = [c.page for c in out_cells if c.page is not None]
        b = Block(
            "table",
            tstart,
            self._pos,
            page=min(pages) if pages else page,
            page_end=max(pages) if pages else page,
            cells=out_cells,
            n_rows=n_rows,
            n_cols=n_cols,
            borderless=borderless,
            index=len(self.blocks),
            table_index=sum(1 for x in self.blocks if x.kind == "table"),
        )
        self.blocks.append(b)
        return b

    def warn(self, code: str, message: str, page: Optional[int] = None) -> None:
        self.warnings.append(DocWarning(code, message, page))

    def build(self) -> RawDocument:
        return RawDocument(
            text="".join(self._parts),
            blocks=self.blocks,
            format=self.format,
            pages=self.pages,
            ocr=self.ocr,
            warnings=self.warnings,
        )


def grid_to_cells(rows: list[list[Optional[str]]], page: Optional[int] = None) -> list[RawCell]:
    """Plain rows of strings (no spans) to RawCells; None marks a missing cell."""
    out = []
    for r, row in enumerate(rows):
        for c, txt in enumerate(row):
            if txt is not None:
                out.append(RawCell(r, c, txt, page=page))
    return out
