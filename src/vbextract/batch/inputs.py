"""What a batch reads and where each document's JSON goes.

Inputs are files, folders (recursive, the known suffixes only), glob patterns and
list files (one path a line; ``-`` is standard input).  The order is the order
given, each folder and glob sorted, each file once: the aggregate exports follow
it, whatever the number of workers."""

from __future__ import annotations

import glob
import hashlib
import sys
from pathlib import Path
from typing import Iterable, TextIO

SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".doc", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_GLOB_CHARS = set("*?[")
MAX_NAME = 200  # bytes of an output name before ".json" (file systems allow 255)


def _folder(p: Path) -> list[Path]:
    return sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)


def _one(s: str) -> list[Path]:
    p = Path(s)
    if p.is_dir():
        return _folder(p)
    if not p.exists() and _GLOB_CHARS & set(s):
        found = [Path(x) for x in sorted(glob.glob(s, recursive=True))]
        return [q for f in found for q in (_folder(f) if f.is_dir() else [f])]
    return [p]  # a missing file stays: it becomes its own error record


def read_list(stream: TextIO) -> list[str]:
    """The paths of a list file: one a line, blank lines and '#' comments skipped."""
    return [s for s in (line.strip() for line in stream) if s and not s.startswith("#")]


def expand(inputs: Iterable[str], lists: Iterable[str] = ()) -> list[Path]:
    """Every input file, in order, once.  ``lists`` are list files (``-``: stdin);
    an input ``-`` is standard input read as a list too."""
    given: list[str] = []
    for s in inputs:
        given += read_list(sys.stdin) if s == "-" else [s]
    for name in lists:
        if name == "-":
            given += read_list(sys.stdin)
        else:
            with open(name, encoding="utf-8") as f:
                given += read_list(f)
    seen: set[str] = set()
    out: list[Path] = []
    for s in given:
        for p in _one(s):
            key = str(p.resolve())
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def _safe(name: str) -> str:
    """A file name that cannot leave the output folder nor hide in it."""
    name = "".join("_" if c in "/\\\0" or ord(c) < 32 else c for c in name).lstrip(".") or "document"
    raw = name.encode("utf-8")
    if len(raw) > MAX_NAME:
        name = raw[:MAX_NAME].decode("utf-8", "ignore")
    return name


def output_names(files: list[Path]) -> list[str]:
    """``<file name>.json`` per input; a name taken by an earlier input (two folders
    with the same file name) gets ``~`` and 8 hex digits of its path's hash, the same
    on every run."""
    used: set[str] = set()
    out: list[str] = []
    for f in files:
        name = _safe(f.name)
        if name.casefold() in used:
            digest = hashlib.sha256(str(f.resolve()).encode("utf-8")).hexdigest()[:8]
            name = f"{name}~{digest}"
        used.add(name.casefold())
        out.append(f"{name}.json")
    return out


def inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refusing any path that would leave ``out_dir``."""
    target = (out_dir / name).resolve()
    if target.parent != out_dir.resolve():
        raise ValueError(f"refusing to write outside {out_dir}: {name}")
    return target
