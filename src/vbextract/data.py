"""Where the data files of ``models/`` are found, installed or in the source tree."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=None)
def _models_dir() -> Path:
    try:
        p = Path(str(resources.files("vbextract") / "models"))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):  # pragma: no cover
        pass
    return Path(__file__).resolve().parents[2] / "models"


def data_path(name: str) -> Path:
    """Path of a data file shipped under models/ (e.g. "boilerplate.yaml")."""
    return _models_dir() / name
