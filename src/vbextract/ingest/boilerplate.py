"""Website boilerplate patterns (``models/boilerplate.yaml``) and where they cut.

The patterns are data, not code: the YAML file says, entry by entry, which line
marks the start of the document proper (``doc_start``), which lines are page
chrome above it (``head``) and which line starts the chrome below it
(``tail``).  This module loads and validates the file and finds the cut
points in a list of lines; ``ingest.md`` decides what the lines are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from pydantic import BaseModel, ConfigDict, field_validator

from ..data import load_yaml


class Pattern(BaseModel):
    """One entry of boilerplate.yaml."""

    model_config = ConfigDict(extra="forbid")
    pattern: str
    why: str
    within: int = 0  # head: only within the first N non-blank lines (0 = anywhere)
    skip: int = 0  # head: also drop the next N non-blank, non-"|" lines
    after_chrome: bool = False  # head: counts only below another head line
    before: int = 0  # tail: also drop N non-blank lines above the match...
    before_if: Optional[str] = None  # ...when each of them matches this

    @field_validator("pattern", "before_if")
    @classmethod
    def _compiles(cls, v: Optional[str]) -> Optional[str]:
        if v is not None:
            re.compile(v)
        return v

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


class Boilerplate(BaseModel):
    """The three lists of boilerplate.yaml."""

    model_config = ConfigDict(extra="forbid")
    doc_start: list[Pattern]
    head: list[Pattern]
    tail: list[Pattern]


@lru_cache(maxsize=None)
def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p)


@lru_cache(maxsize=None)
def load_boilerplate(name: str = "boilerplate.yaml") -> Boilerplate:
    """Load and validate ``models/<name>`` (cached)."""
    data = load_yaml(name)
    return Boilerplate(**data)


@dataclass
class Cut:
    """Where the document proper lies in a list of lines: ``lines[start:end]``."""

    start: int
    end: int
    removed_before: int  # non-blank lines removed above the document
    removed_after: int  # non-blank lines removed below it


def _first(patterns: list[Pattern], keys: list[str], lo: int, hi: int) -> Optional[tuple[int, Pattern]]:
    for i in range(lo, hi):
        for p in patterns:
            if keys[i] and p.regex.search(keys[i]):
                return i, p
    return None


def find_doc_start(keys: list[str], bp: Boilerplate) -> Optional[int]:
    """Index of the first line matching a ``doc_start`` pattern, or None."""
    hit = _first(bp.doc_start, keys, 0, len(keys))
    return hit[0] if hit else None


def head_end(keys: list[str], bp: Boilerplate, is_bar: Callable[[str], bool]) -> int:
    """Fallback start when no header is found: the line after the known chrome."""
    start = 0
    seen = 0
    for i, k in enumerate(keys):
        if not k or is_bar(k):
            continue
        seen += 1
        for p in bp.head:
            if p.after_chrome and start == 0:
                continue
            if (p.within == 0 or seen <= p.within) and p.regex.search(k):
                start = _skip_values(keys, i + 1, p.skip, is_bar)
                break
    return start


def _skip_values(keys: list[str], i: int, n: int, is_bar: Callable[[str], bool]) -> int:
    while n > 0 and i < len(keys):
        if keys[i] and not is_bar(keys[i]):
            n -= 1
        i += 1
    return i


def tail_start(keys: list[str], bp: Boilerplate, lo: int) -> int:
    """Index where the trailing chrome starts (``len(keys)`` when there is none)."""
    hit = _first(bp.tail, keys, lo, len(keys))
    if hit is None:
        return len(keys)
    i, p = hit
    n = p.before
    j = i
    while n > 0 and j > lo:
        j -= 1
        if not keys[j]:
            continue
        if p.before_if and not _compile(p.before_if).search(keys[j]):
            break
        n -= 1
        i = j
    return i


def count_nonblank(keys: list[str]) -> int:
    return sum(1 for k in keys if k)
