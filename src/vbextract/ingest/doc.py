"""Legacy Word 97-2003 (.doc) files.

Measured on corpus 42 saved as .doc (tests/data/doc/): LibreOffice headless
(`soffice --convert-to docx`, ~1.5 s cold) keeps tables, merged cells and
Word's automatic numbering, so the DOCX reader then reads it like any .docx;
antiword (~10 ms) keeps the text and draws tables as "|" rows, but loses the
numbering and the row boundaries of wrapped cells.  So LibreOffice is used
when installed, antiword otherwise (tables rebuilt from its "|" rows: a line
whose first filled column is empty continues the row above), and without
either the file gets a clear "not supported" error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import errors
from ..legacy import convert_legacy
from ..model import DocBuilder, RawCell, RawDocument

_TIMEOUT = 120


def read(data: bytes, name: str) -> RawDocument:
    """A .doc file's bytes -> RawDocument (format "doc")."""
    if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" not in data:
        raise errors.UnsupportedFormat(name, "an Office file that is not a Word document")
    with tempfile.TemporaryDirectory(prefix="vbextract-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        if shutil.which("soffice"):
            raw = _via_libreoffice(src, name)
        elif shutil.which("antiword"):
            raw = _via_antiword(src, name)
        else:
            raise errors.UnsupportedFormat(name, "legacy .doc needs LibreOffice or antiword (apt-get install antiword)")
    raw.format = "doc"
    return raw


def read_rtf(data: bytes, name: str) -> RawDocument:
    """An RTF file -> RawDocument (format "rtf") through the same LibreOffice
    conversion to DOCX: RTF tables (\\trowd/\\cell, \\clmgf merges) come out as
    Word tables, which a hand-written RTF parser would have to rebuild."""
    if not shutil.which("soffice"):
        raise errors.UnsupportedFormat(name, "RTF needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="vbextract-rtf-") as tmp:
        src = Path(tmp) / "in.rtf"
        src.write_bytes(data)
        raw = _via_libreoffice(src, name)
    raw.format = "rtf"
    return raw


def _via_libreoffice(src: Path, name: str) -> RawDocument:
    from . import docx

    env = dict(os.environ, HOME=str(src.parent))  # a private profile: no lock clashes between runs
    try:
        subprocess.run(
            ["soffice", "--headless", "--norestore", "--convert-to", "docx", "--outdir", str(src.parent), str(src)],
            check=True,
            capture_output=True,
            timeout=_TIMEOUT,
            env=env,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        raise errors.CorruptFile(name, f"LibreOffice could not convert the file ({type(e).__name__})") from e
    out = src.with_suffix(".docx")
    if not out.exists():
        raise errors.CorruptFile(name, "LibreOffice could not convert the file")
    return docx.read(out.read_bytes(), name)


def _via_antiword(src: Path, name: str) -> RawDocument:
    try:
        cp = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(src)], capture_output=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        raise errors.CorruptFile(name, "antiword timed out") from e
    if cp.returncode != 0:
        raise errors.CorruptFile(
            name, f"antiword could not read it ({cp.stderr.decode('utf-8', 'replace').strip()[:80]})"
        )
    return antiword_text_to_raw(cp.stdout.decode("utf-8", "replace"), name)


def antiword_text_to_raw(text: str, name: str) -> RawDocument:
    """antiword's text: paragraphs, and tables drawn as '|' rows."""
    b = DocBuilder("doc")
    text = convert_legacy(text, b)  # antiword keeps no font names: text-level check
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            cells = _rows_to_cells(rows)
            b.table(cells, borderless=len(rows) <= 6 and len(rows[0]) <= 3)
            rows.clear()

    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 2:
            rows.append([c.strip() for c in s[1:-1].split("|")])
            continue
        flush_table()
        if s:
            b.paragraph(s)
    flush_table()
    raw = b.build()
    if not raw.text.strip():
        raise errors.EmptyFile(name, "no text in the .doc file")
    return raw


def _rows_to_cells(lines: list[list[str]]) -> list[RawCell]:
    """Physical '|' lines -> rows: a line whose key column is empty continues the row above."""
    n = max(len(r) for r in lines)
    lines = [r + [""] * (n - len(r)) for r in lines]
    key = next((c for c in range(n) if lines[min(1, len(lines) - 1)][c]), 0)
    rows: list[list[str]] = []
    for r in lines:
        if not rows or r[key] or rows == [] or re.match(r"^\d+\.?$", r[0]):
            rows.append(list(r))
        else:
            rows[-1] = [f"{a}\n{c}".strip("\n") if c else a for a, c in zip(rows[-1], r)]
    return [RawCell(i, j, t) for i, row in enumerate(rows) for j, t in enumerate(row)]
