"""Image reader: PNG / JPEG / TIFF (every frame of a multi-page TIFF) -> ``RawDocument``.

Each frame is one page: made 8-bit grayscale (EXIF orientation applied,
transparency flattened on white, small images upscaled to about 300 dpi, see
``ocr.prepare``), read by tesseract two pages at a time, and laid out by the
PDF reader's rules (header and signature zones as borderless 2-column tables,
paragraphs joined across lines and pages) through ``ocr.pages_to_blocks``.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import Optional

from PIL import Image, ImageSequence, UnidentifiedImageError

from .. import errors
from ..model import DocBuilder, RawDocument
from . import ocr

MAX_PAGES = 500  # frames read from one TIFF
MAX_PIXELS = 120_000_000  # per frame: an A0 scan at 300 dpi is ~140 M; a page at 600 dpi ~35 M


def read(data: bytes, name: str, ocr_mode: Optional[str] = None) -> RawDocument:
    """OCR every page of an image file (``ocr_mode`` "never" refuses it; None:
    the process default ``ocr.OCR_MODE``).

    Raises ``errors.UnsupportedFormat`` when tesseract (with ``vie``) is not
    installed, ``errors.CorruptFile`` when the image cannot be decoded and
    ``errors.TooLarge`` for a frame over ``MAX_PIXELS``.
    """
    if ocr.mode(ocr_mode) == "never":
        raise errors.UnsupportedFormat(name, "an image can only be read by OCR, and OCR is off (--ocr never)")
    if not ocr.available():
        raise errors.UnsupportedFormat(
            name, "image input needs OCR: tesseract with the Vietnamese model (vie) is not installed"
        )
    frames = _frames(data, name)
    b = DocBuilder("image")
    b.pages = len(frames)
    b.ocr = True
    done: list[tuple[int, ocr.OcrPage]] = []
    for n, res in ocr.ocr_many((i + 1, im, dpi) for i, (im, dpi) in enumerate(frames)):
        if isinstance(res, ocr.OcrError):
            b.warn(errors.W_NO_TEXT_LAYER, f"page {n}: OCR failed ({res})", page=n)
            continue
        if not res.lines:  # a blank page, a photo of something else, or text too small or faint to read
            b.warn(errors.W_NO_TEXT_LAYER, f"page {n}: OCR found no text", page=n)
        done.append((n, res))
    ocr.pages_to_blocks(b, done)
    return b.build()


def _frames(data: bytes, name: str) -> list[tuple[Image.Image, float]]:
    """Decoded, OCR-ready frames with their resolution."""
    out: list[tuple[Image.Image, float]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(BytesIO(data))
            for k, frame in enumerate(ImageSequence.Iterator(im)):
                if k >= MAX_PAGES:
                    break
                if frame.width * frame.height > MAX_PIXELS:
                    raise errors.TooLarge(name, f"image page {k + 1} is {frame.width}x{frame.height} pixels")
                frame.load()
                out.append(ocr.prepare(frame.copy()))
    except errors.VbeError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise errors.TooLarge(name, f"image too large ({exc})"[:200]) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        if out:  # a damaged last frame of a TIFF: keep the pages already decoded
            return out
        raise errors.CorruptFile(name, f"unreadable image ({type(exc).__name__}: {exc})"[:200]) from exc
    if not out:
        raise errors.CorruptFile(name, "image has no pages")
    return out
