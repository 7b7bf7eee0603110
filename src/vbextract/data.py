"""Where the data files of ``models/`` are found, installed or in the source tree,
and how they are read: a missing or broken one is an ``errors.InstallationError``
naming it, never an error about the user's document."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import errors


@lru_cache(maxsize=None)
def _models_dir() -> Path:
    try:
        p = Path(str(resources.files("vbextract") / "models"))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):  # pragma: no cover
        pass
    return Path(__file__).resolve().parents[2] / "models"


def models_dir() -> Path:
    """The folder of the data files."""
    return _models_dir()


def data_path(name: str) -> Path:
    """Path of a data file shipped under models/ (e.g. "boilerplate.yaml")."""
    return _models_dir() / name


def read_text(name: str) -> str:
    """The text of a data file (UTF-8)."""
    p = data_path(name)
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise broken(p, e) from e


def load_yaml(name: str) -> Any:
    """A YAML data file, parsed."""
    text = read_text(name)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise broken(data_path(name), e) from e


def is_data_file(path: object) -> bool:
    """Is ``path`` (a str or Path, e.g. an OSError's ``filename``) inside the models folder?"""
    if not isinstance(path, (str, Path)):
        return False
    try:
        return Path(path).resolve().is_relative_to(_models_dir().resolve())
    except (OSError, ValueError):
        return False


def broken(path: Path, e: BaseException) -> errors.InstallationError:
    """The installation error for data file ``path`` that could not be read or parsed (``e``)."""
    if isinstance(e, FileNotFoundError):
        what = "missing"
    elif isinstance(e, OSError):
        what = f"unreadable ({e.strerror or type(e).__name__})"
    elif isinstance(e, UnicodeDecodeError):
        what = "not UTF-8"
    else:
        first = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
        what = f"not valid ({type(e).__name__}: {first})"
    return errors.InstallationError(str(path), f"installation error: vbextract data file {what}; reinstall vbextract")
