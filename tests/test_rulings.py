"""Ruling lines and ruled tables found in page images (ingest/rulings.py).

Images are drawn here with Pillow at 200 dpi: grids with merged cells, thin,
grey, broken and skewed rules, and the lines that are not tables (an
underline, a single frame, a column of boxes).  No tesseract needed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from vbextract.ingest import rulings

DPI = 200


def page(w: int = 1600, h: int = 1000, paper: int = 255) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("L", (w, h), paper)
    return im, ImageDraw.Draw(im)


def grid(
    d: ImageDraw.ImageDraw,
    xs: list[int],
    ys: list[int],
    ink: int = 0,
    width: int = 2,
    skip_v: tuple[tuple[int, int], ...] = (),
) -> None:
    """Rules at ``xs`` x ``ys``; ``skip_v`` = (column line, row) pairs where the
    vertical rule is left out (a merged cell)."""
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=ink, width=width)
    for i, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (i, r) not in skip_v:
                d.line([(x, ys[r]), (x, ys[r + 1])], fill=ink, width=width)


def words(d: ImageDraw.ImageDraw, x: int, y: int, n: int, ink: int = 0) -> None:
    """A line of 'text': letter-sized blocks with gaps (no long ink run)."""
    for k in range(n):
        d.rectangle([x + 30 * k, y, x + 30 * k + 20, y + 28], fill=ink)


def cells(im: Image.Image) -> list[list[tuple[int, int, int, int]]]:
    return [[tuple(round(v) for v in c) for c in t.cells] for t in rulings.find_tables(im, DPI)]


XS, YS = [100, 300, 900, 1400], [100, 200, 400, 600]


def test_a_ruled_grid_gives_one_table_with_every_cell():
    im, d = page()
    grid(d, XS, YS)
    words(d, 320, 250, 12)
    [t] = rulings.find_tables(im, DPI)
    assert len(t.cells) == 9
    x0, top, x1, bottom = t.bbox
    assert abs(x0 - 100) <= 2 and abs(top - 100) <= 2 and abs(x1 - 1400) <= 2 and abs(bottom - 600) <= 2
    assert len([r for r in t.rules if r.horizontal]) == 4 and len([r for r in t.rules if not r.horizontal]) == 4


def test_a_merged_cell_is_one_box_spanning_two_columns():
    im, d = page()
    grid(d, XS, YS, skip_v=((1, 0),))  # header row: first two columns merged
    [t] = cells(im)
    assert len(t) == 8
    wide = [c for c in t if c[1] < 150]
    assert any(abs(c[0] - 100) <= 2 and abs(c[2] - 900) <= 2 for c in wide)


@pytest.mark.parametrize("ink,paper,width", [(0, 255, 1), (120, 200, 2), (90, 210, 1)])
def test_thin_and_grey_rules_on_grey_paper_are_found(ink, paper, width):
    im, d = page(paper=paper)
    grid(d, XS, YS, ink=ink, width=width)
    words(d, 320, 250, 12, ink=ink)
    assert [len(t) for t in cells(im)] == [9]


def test_rules_broken_by_a_few_pixels_are_joined():
    im, d = page()
    grid(d, XS, YS)
    for x in range(120, 1400, 97):  # 2-pixel breaks along every horizontal rule
        for y in YS:
            d.rectangle([x, y - 3, x + 1, y + 3], fill=255)
    assert [len(t) for t in cells(im)] == [9]


def test_two_tables_on_a_page_come_top_to_bottom():
    im, d = page(h=1600)
    grid(d, [100, 500, 1000], [900, 1000, 1100])
    grid(d, XS, YS)
    assert [len(t) for t in cells(im)] == [9, 4]


@pytest.mark.parametrize(
    "draw",
    [
        lambda d: d.line([(700, 150), (1300, 150)], fill=0, width=2),  # the rule under the motto
        lambda d: d.rectangle([100, 100, 1400, 600], outline=0, width=2),  # one framed paragraph
        lambda d: grid(d, [100, 1400], [100, 300, 500, 700]),  # boxes in a single column
        lambda d: words(d, 100, 100, 40),  # text only
        lambda d: d.rectangle([200, 200, 900, 500], fill=0),  # a photo / a black area
    ],
)
def test_lines_that_make_no_grid_are_not_tables(draw):
    im, d = page()
    draw(d)
    assert rulings.find_tables(im, DPI) == []


@pytest.mark.parametrize("angle", [0.0, 0.3, 0.7, -1.0, 1.5, 2.5])
def test_skew_is_measured_from_the_rules_and_levelling_finds_the_table(angle):
    im, d = page()
    grid(d, XS, YS)
    words(d, 320, 250, 12)
    turned = im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    measured = rulings.skew(turned, DPI)
    assert measured == pytest.approx(-angle, abs=0.15) if abs(angle) >= 0.15 else measured == 0.0
    level = turned.rotate(measured, resample=Image.Resampling.BICUBIC, fillcolor=255) if measured else turned
    assert [len(t) for t in cells(level)] == [9]


def test_a_page_without_rules_has_no_skew_and_a_blank_page_no_ink():
    im, d = page()
    words(d, 100, 100, 30)
    assert rulings.skew(im, DPI) == 0.0
    assert not rulings.ink_mask(Image.new("L", (300, 300), 230)).any()


def test_erase_and_blank_paint_with_the_paper_grey():
    im, d = page(paper=200)
    grid(d, XS, YS, ink=60)
    words(d, 320, 250, 12, ink=60)
    tables = rulings.find_tables(im, DPI)
    erased = np.asarray(rulings.erase(im, tables, paper=200))
    assert erased[YS[1], 150] == 200 and erased[150, XS[2]] == 200  # rules gone
    assert erased[260, 330] == 60  # text kept
    blanked = np.asarray(rulings.blank(im, tables, paper=200))
    assert (blanked[100:601, 100:1401] == 200).all()
    mask = rulings.ink_mask(im)
    assert rulings.ink_box(mask, (300, 200, 900, 400)) is not None
    assert rulings.ink_box(rulings.ink_mask(Image.fromarray(erased)), (900, 400, 1400, 600)) is None


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 399),
            st.integers(0, 299),
            st.integers(0, 399),
            st.integers(0, 299),
            st.integers(0, 255),
            st.integers(1, 4),
        ),
        max_size=30,
    )
)
def test_any_drawing_gives_tables_inside_the_page_and_never_raises(lines):
    im, d = page(400, 300)
    for x0, y0, x1, y1, ink, w in lines:
        d.line([(x0, y0), (x1, y1)], fill=ink, width=w)
    for t in rulings.find_tables(im, 100):
        x0, top, x1, bottom = t.bbox
        assert 0 <= x0 < x1 <= 400 and 0 <= top < bottom <= 300
        assert all(c[0] < c[2] and c[1] < c[3] for c in t.cells)
    assert abs(rulings.skew(im, 100)) <= 5.0


def test_a_tiny_grid_of_pen_strokes_is_not_a_table():
    # corpus 49 page 3: a signature stroke crossing the seal's edge drew a
    # 2-cell "grid" 80 x 40 pixels at 300 dpi
    im, d = page()
    grid(d, [500, 527, 579], [300, 331, 340])
    assert rulings.find_tables(im, 300) == []
