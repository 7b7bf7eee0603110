"""The batch's state in the output folder, and atomic writes.

``OUT/.vbextract/state/<output name>`` holds, per document, the key it was made
with (the input's SHA-256, vbextract's version and a hash of its code and data
files, the schema version, the options that change a document's output and the path), its ``documents.jsonl`` record and its
export rows.  It is written after the document's JSON, each by a rename of a
finished temporary file, so a run killed at any moment leaves every file whole:
the next run redoes the documents without a state and rebuilds the aggregate
exports from the states, in input order."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import data
from ..schema import SCHEMA_VERSION
from .rows import DocRecord, Rows

STATE_DIR = ".vbextract"
BLOCK = 1 << 20


def tool_version() -> str:
    try:
        return metadata.version("vbextract")
    except metadata.PackageNotFoundError:  # run from a source tree
        from .. import __version__

        return __version__


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """A hash of vbextract's code and data files: an upgrade, or an edit in a source
    tree (``make run`` after a change), redoes every document; 0.05 s for ~1 MB."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    models = data.models_dir()
    try:
        files = sorted(package.rglob("*.py")) + sorted(p for p in models.iterdir() if p.is_file())
        for p in files:
            h.update(p.name.encode("utf-8") + b"\0" + p.read_bytes())
    except OSError as e:  # the data folder missing or unreadable: the installation's fault
        raise data.broken(Path(e.filename) if e.filename else models, e) from e
    return h.hexdigest()[:16]


def file_sha256(path: Path) -> Optional[str]:
    """The input's SHA-256, or None when it cannot be read (the worker reports why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(BLOCK):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def doc_key(sha256: str, ocr_mode: str, file: str) -> str:
    """What a document's outputs depend on: its content, vbextract's version (and
    its code and data, ``code_fingerprint``), the schema, the options that change a document, and its path as given (the
    ``file`` column of every record and row)."""
    return f"{sha256}|{tool_version()} {code_fingerprint()}|schema {SCHEMA_VERSION}|ocr {ocr_mode}|{file}"


class State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    record: DocRecord
    rows: Rows


def _file_mode() -> int:
    """The mode a plainly created file gets (mkstemp makes 0600 files)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes, tmp_dir: Path, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file, then rename it over ``path``: a reader (or a
    run killed half-way) sees the old file or the new one, never a part.  No fsync:
    this guards against a killed process, whose written pages the kernel keeps."""
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix=path.name[:50] + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """The state folder of one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.root = out_dir / STATE_DIR
        self.states = self.root / "state"
        self.tmp = self.root / "tmp"
        out_dir.mkdir(parents=True, exist_ok=True)
        self.states.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)  # a killed run's unfinished temporary files
        self.tmp.mkdir()
        self.mode = _file_mode()

    def load(self, output: str) -> Optional[State]:
        try:
            return State.model_validate_json((self.states / output).read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def save(self, output: str, state: State) -> None:
        write_atomic(self.states / output, state.model_dump_json().encode("utf-8"), self.tmp, self.mode)

    def forget(self, output: str) -> None:
        (self.states / output).unlink(missing_ok=True)

    def exports_key(self) -> Optional[str]:
        """The key of the aggregate exports last written whole (``set_exports_key``)."""
        try:
            return (self.root / "exports.key").read_text(encoding="utf-8")
        except OSError:
            return None

    def set_exports_key(self, key: Optional[str]) -> None:
        """Record the exports as up to date with ``key`` (None: being rewritten)."""
        if key is None:
            (self.root / "exports.key").unlink(missing_ok=True)
        else:
            write_atomic(self.root / "exports.key", key.encode("utf-8"), self.tmp, self.mode)

    def write(self, name: str, data: bytes) -> None:
        """A file of the output folder itself (never a path outside it)."""
        target = self.out_dir / name
        if target.resolve().parent != self.out_dir.resolve():
            raise ValueError(f"refusing to write outside {self.out_dir}: {name}")
        write_atomic(target, data, self.tmp, self.mode)

    def write_text(self, name: str, text: str) -> None:
        self.write(name, text.encode("utf-8"))


def jsonl(models: list) -> str:
    """One JSON object a line, fields in model order, UTF-8 kept readable."""
    return "".join(json.dumps(m.model_dump(mode="json"), ensure_ascii=False) + "\n" for m in models)
