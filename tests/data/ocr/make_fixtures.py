"""Regenerate the OCR test images from corpus pages (run from the repo root):

    .venv/bin/python tests/data/ocr/make_fixtures.py

* ``header.png``  corpus 49 page 1 (broken-font PDF, rendered), the header
  zone down to "Kính gửi": issuer/number left, motto/place-date right.
* ``text.png``    corpus 48 page 1 (a real 150 dpi scan), the two dash items
  "- Khoản 2 Điều 3 ..." and "- Khoản 1 Điều 8 ...".

Both are 8-bit grayscale PNGs rendered at 200 dpi (dpi stored in the file),
cropped to the text (the header keeps the full page width); each is under 300 KB.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
DPI = 200


def crop(pdf_name: str, page: int, box: tuple[float, float, float, float], out: str) -> None:
    """Render a page and keep ``box`` (left, top, right, bottom as page fractions).
    Near-white pixels (> 200) become white: the scan's paper noise would
    double the PNG size; the strokes are untouched."""
    pdf = pdfium.PdfDocument(ROOT / "samples" / pdf_name)
    img = pdf[page].render(scale=DPI / 72, grayscale=True, draw_annots=False).to_pil().convert("L")
    w, h = img.size
    l, t, r, b = box
    img = img.crop((int(l * w), int(t * h), int(r * w), int(b * h))).point(lambda v: 255 if v > 200 else v)
    img.save(HERE / out, dpi=(DPI, DPI), optimize=True)
    pdf.close()


if __name__ == "__main__":
    crop("49_CV_3036-SCT-CN_Lao-Cai_2026.pdf", 0, (0.0, 0.045, 1.0, 0.295), "header.png")
    crop("48_CV_2265-BCT-ATMT_Trung-uong_2026.pdf", 0, (0.13, 0.435, 0.95, 0.70), "text.png")
