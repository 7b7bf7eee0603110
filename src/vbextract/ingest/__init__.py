"""Ingest: bytes of one file -> RawDocument (the format-neutral model).

The format is decided by the content, not the extension (a ``.docx`` that is
really a PDF is read as a PDF, with a warning).  Each reader module exposes
``read(data: bytes, name: str) -> RawDocument``.  To add a format: write the
module, add its signature to ``sniff`` and its reader to ``_READERS``.
"""

from __future__ import annotations

import importlib
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Optional

from .. import errors
from ..model import DocWarning, RawDocument

MAX_BYTES = 200 * 1024 * 1024  # refuse larger inputs: a plan is rarely over 20 MB

_READERS = {
    "txt": "vbextract.ingest.txt",
    "md": "vbextract.ingest.md",
    "docx": "vbextract.ingest.docx",
    "pdf": "vbextract.ingest.pdf",
    "doc": "vbextract.ingest.doc",
    "image": "vbextract.ingest.image",
    "rtf": "vbextract.ingest.doc:read_rtf",  # "module:function" when the function is not read()
}
_EXT_FORMAT = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".docm": "docx",
    ".pdf": "pdf",
    ".doc": "doc",
    ".rtf": "rtf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MD_HINTS = re.compile(r"^(\|.*\|\s*$|\|\s*$|#{1,6}\s|\*\*[^*]+\*\*)", re.M)


def sniff(data: bytes) -> str:
    """Format from content: pdf, docx, doc, rtf, image, zip, ole, txt/md, or binary."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    return _sniff_text(data)


def _sniff_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "txt"
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 8:
        # UTF-16 without BOM has a NUL every other byte; anything else is binary
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return "txt" if max(even, odd) > len(sample) // 4 else "binary"
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if ctrl > len(sample) // 20:
        return "binary"  # text has almost no control bytes
    text = data[:200000].decode("utf-8", errors="ignore")
    n_lines = text.count("\n") + 1
    hits = len(_MD_HINTS.findall(text))
    return "md" if hits >= max(3, n_lines // 50) else "txt"


def _check_zip(data: bytes, name: str) -> None:
    """Bound decompression before any reader unpacks a zip container."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as e:
        raise errors.CorruptFile(name, f"damaged zip container ({e})") from e
    total = sum(i.file_size for i in infos)
    if total > 500 * 1024 * 1024:
        raise errors.TooLarge(name, f"zip expands to {total // 2**20} MB (limit 500 MB)")
    for i in infos:
        if i.file_size > 50 * 1024 * 1024 and i.file_size > 200 * max(i.compress_size, 1):
            raise errors.TooLarge(name, f"zip member {i.filename} has a suspicious compression ratio")


def read(path: Path, data: bytes, ocr_mode: Optional[str] = None) -> RawDocument:
    """Read one file's bytes into the document model, or raise a VbeError.
    ``ocr_mode`` ("auto", "always", "never"; None: ``ocr.OCR_MODE``) goes to
    the readers that OCR (PDF, images)."""
    name = path.name
    if not data:
        raise errors.EmptyFile(name, "empty file (0 bytes)")
    if len(data) > MAX_BYTES:
        raise errors.TooLarge(name, f"file is {len(data) // 2**20} MB (limit {MAX_BYTES // 2**20} MB)")
    fmt = sniff(data)
    ext_fmt = _EXT_FORMAT.get(path.suffix.lower())
    if fmt == "ole":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise errors.EncryptedFile(name, "password-protected Office document")
        fmt = "doc"
    if fmt in ("zip", "binary"):
        what = "a zip archive that is not a Word document" if fmt == "zip" else "binary data of unknown type"
        raise errors.UnsupportedFormat(name, f"content is {what}")
    if ext_fmt in ("pdf", "docx", "doc", "image") and fmt in ("txt", "md"):
        raise errors.CorruptFile(name, f"not a valid {ext_fmt.upper()} file: the content is plain text")
    if fmt == "docx":
        _check_zip(data, name)
    if fmt in ("txt", "md") and ext_fmt == "md":
        fmt = "md"
    module_name, _, func = _READERS[fmt].partition(":")
    reader = getattr(importlib.import_module(module_name), func or "read")
    raw: RawDocument = reader(data, name, ocr_mode=ocr_mode) if fmt in ("pdf", "image") else reader(data, name)
    if ext_fmt and ext_fmt != fmt and not (ext_fmt == "txt" and fmt == "md"):
        raw.warnings.insert(
            0, DocWarning(errors.W_EXTENSION, f"extension {path.suffix} but content is {fmt}: read as {fmt}")
        )
    return raw
