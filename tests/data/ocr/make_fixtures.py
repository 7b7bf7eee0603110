"""Regenerate the OCR test images from corpus pages (run from the repo root):

    .venv/bin/python tests/data/ocr/make_fixtures.py

* ``header.png``  corpus 49 page 1 (broken-font PDF, rendered), the header
  zone down to "Kính gửi": issuer/number left, motto/place-date right.
* ``text.png``    corpus 48 page 1 (a real 150 dpi scan), the two dash items
  "- Khoản 2 Điều 3 ..." and "- Khoản 1 Điều 8 ...".
* ``table.png``   corpus 42 (DOCX plan) converted to PDF by LibreOffice, page 4:
  the annex title and the first five rows of its ruled task table
  (TT | Nhiệm vụ thực hiện | Người thực hiện | Ghi chú).
* ``table_photo.jpg``  the same crop made to look photographed: turned 1.5°,
  grey paper and grey ink (contrast 95-205), light falling off across the
  page, a slight blur, sensor noise, saved as a JPEG (quality 80).

All are 8-bit grayscale rendered at 200 dpi (dpi stored in the file), cropped
to the text (the header and the table keep the full page width); each is under
300 KB.  ``table*`` need LibreOffice (``soffice``) to convert the DOCX.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
DPI = 200


def render(pdf_path: Path, page: int, box: tuple[float, float, float, float]) -> Image.Image:
    """Render a page and keep ``box`` (left, top, right, bottom as page fractions).
    Near-white pixels (> 200) become white: the scan's paper noise would
    double the PNG size; the strokes are untouched."""
    pdf = pdfium.PdfDocument(pdf_path)
    img = pdf[page].render(scale=DPI / 72, grayscale=True, draw_annots=False).to_pil().convert("L")
    pdf.close()
    w, h = img.size
    x0, y0, x1, y1 = box
    return img.crop((int(x0 * w), int(y0 * h), int(x1 * w), int(y1 * h))).point(lambda v: 255 if v > 200 else v)


def crop(pdf_name: str, page: int, box: tuple[float, float, float, float], out: str) -> None:
    render(ROOT / "samples" / pdf_name, page, box).save(HERE / out, dpi=(DPI, DPI), optimize=True)


def photo(img: Image.Image, angle: float) -> Image.Image:
    """A clean render made to look like a phone photo of the page."""
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    a = np.asarray(img).astype(np.float32)
    a = 95 + (a / 255.0) * (205 - 95)
    a += np.linspace(-12, 12, a.shape[1])[None, :]
    a += np.random.default_rng(1).normal(0, 5, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))


def docx_pdf(name: str, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice (soffice) is needed to render the DOCX table page")
    subprocess.run(
        [exe, "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(ROOT / "samples" / name)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return outdir / (Path(name).stem + ".pdf")


if __name__ == "__main__":
    crop("49_CV_3036-SCT-CN_Lao-Cai_2026.pdf", 0, (0.0, 0.045, 1.0, 0.295), "header.png")
    crop("48_CV_2265-BCT-ATMT_Trung-uong_2026.pdf", 0, (0.13, 0.435, 0.95, 0.70), "text.png")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = docx_pdf("42_KH_2242-KH-SCT_Lao-Cai_2026.docx", Path(tmp))
        table = render(pdf, 3, (0.0, 0.12, 1.0, 0.66))
    table.save(HERE / "table.png", dpi=(DPI, DPI), optimize=True)
    photo(table, 1.5).save(HERE / "table_photo.jpg", dpi=(DPI, DPI), quality=80)
