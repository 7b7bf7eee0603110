"""The timing a prose task states about itself, as written: found by deadlines.find, the
same grammar that parses it (so what is found always parses to a kind)."""

from __future__ import annotations

from typing import Optional

from ...schema import Deadline
from ..deadlines import find
from .paragraphs import Para


def prose_deadline(text: str, p: Para, base: int = 0) -> Optional[Deadline]:
    """The deadline in ``text`` (which starts at ``base`` in the paragraph's block), or None."""
    f = find(text)
    if f is None:
        return None
    return Deadline(text=f.text, kind="unknown", source=p.src(base + f.start, base + f.end))
