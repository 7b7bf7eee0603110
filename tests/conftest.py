from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "golden"
UPDATE_GOLDEN = os.environ.get("VBEXTRACT_UPDATE_GOLDEN") == "1"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.fixture(scope="session")
def extracted():
    """Every sample extracted once per test session: name -> Document."""
    from vbextract import extract

    cache: dict[str, object] = {}

    def get(path: Path):
        if path.name not in cache:
            cache[path.name] = extract(path)
        return cache[path.name]

    return get
