"""The paragraphs the prose layouts read: each body paragraph with its outline style, its
number, the section it heads and the sections around it; and the small questions every
layout asks of one (is it in a section that assigns nothing, in an attached document, a
label line, ...).  Works on the document model only, never on a file format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...lexicon import Lex, words
from ...model import Block, RawDocument
from ...normalize import fold
from ...schema import Deadline, Section, Source, Task, UnitRef
from ...structure.outline import classify
from .grammar import settings

# outline styles (structure/outline.py) by what they mean to the layouts
PARTS = frozenset({"roman", "upper_alpha", "part", "chapter", "appendix", "attachment"})
PARTS_AND_ARTICLES = PARTS | {"article"}
NUMBERED = frozenset({"arabic", "dotted"})
ITEMS = frozenset({"arabic", "dotted", "arabic_paren", "lower_alpha", "paren_num"})
BULLETS = frozenset({"dash", "plus"})
BULLET_NUMBERS = ("-", "+")

_ITEM_MARK = re.compile(r"^(?:[-–+•]\s*|[a-zđ]\)\s*)")


@dataclass
class Para:
    block: Block
    text: str  # the paragraph without its number
    style: Optional[tuple]
    number: Optional[str]
    section: Optional[Section]  # the section this paragraph heads, if it is numbered
    ancestors: list[Section] = field(default_factory=list)
    off: int = 0  # where text starts inside the block (after the number)

    @property
    def kind(self) -> Optional[str]:
        """The outline style's name ("roman", "dash", ...), None for a plain paragraph."""
        return self.style[0] if self.style else None

    def src(self, start: int, end: int) -> Source:
        """A source for text[start:end] of this paragraph's block (offsets from the block start)."""
        return Source(page=self.block.page, start=self.block.start + start, end=self.block.start + end)


def read_paragraphs(raw: RawDocument, sections: list[Section], start: int) -> list[Para]:
    """The body paragraphs from ``start`` on, each with its section context."""
    flat: list[tuple[Section, list[Section]]] = []

    def walk(ss: list[Section], anc: list[Section]) -> None:
        for s in ss:
            flat.append((s, anc))
            walk(s.children, anc + [s])

    walk(sections, [])
    by_start = {s.source.start: (s, anc) for s, anc in flat}
    out: list[Para] = []
    for b in raw.blocks:
        if b.kind != "paragraph" or b.start < start or b.style == "stamp":
            continue
        text = raw.text[b.start : b.end]
        if b.start in by_start:
            s, anc = by_start[b.start]
            c = classify(text)
            off = text.find(c[2]) if c else 0
            out.append(Para(b, text[off:], c[0] if c else None, s.number, s, anc, off))
            continue
        inner = [x for x in flat if x[0].source.start <= b.start < x[0].source.end]
        s2, anc2 = inner[-1] if inner else (None, [])
        out.append(Para(b, text, None, None, None, (anc2 + [s2]) if s2 else [], 0))
    return out


def no_task_section(p: Para) -> bool:
    """In a section that assigns nothing (Mục đích, Yêu cầu, ...: NO_TASK_SECTION)."""
    heads = words("NO_TASK_SECTION")
    for s in p.ancestors + ([p.section] if p.section else []):
        if s.number in BULLET_NUMBERS:
            continue
        h = fold(s.heading)
        if any(h.startswith(w) for w in heads) and len(h) < settings().no_task_heading_max_chars:
            return True
    return False


_NOT_A_TASK = Lex(r"$NOT_A_TASK", re.I)


def not_a_task(p: Para) -> bool:
    """A paragraph that assigns nothing whatever it names (NOT_A_TASK: the closing formulas,
    the execution article, a funding statement with no owner)."""
    return bool(_NOT_A_TASK.search(p.text))


def in_attachment(p: Para) -> bool:
    """Inside a document the text attaches (a plan a QĐ issues, an appendix)."""
    codes = set(words("ATTACHED_DOC_CODE"))
    return any(
        s.number and s.id.split(".")[0] in codes or s.id.startswith("PL")
        for s in p.ancestors + ([p.section] if p.section else [])
    )


def strip_item_mark(text: str) -> str:
    """'- X', 'a) X' -> 'X'."""
    return _ITEM_MARK.sub("", text)


def group_of(p: Para) -> Optional[str]:
    """The heading of the nearest enclosing section other than the paragraph's own."""
    for s in reversed(p.ancestors):
        if s is not p.section:
            return s.heading
    return None


def make_task(
    content: str,
    paras: list[Para],
    lead: list[UnitRef],
    support: list[UnitRef],
    deadline: Optional[Deadline],
    section: Optional[Section],
    group: Optional[str],
    rule: str,
) -> Task:
    """A prose task spanning ``paras`` (source from the first paragraph's text to the last's end)."""
    first, last = paras[0], paras[-1]
    src = Source(page=first.block.page, start=first.block.start + first.off, end=last.block.end)
    return Task(
        id="",
        path=section.id if section else None,
        group=group,
        content=content.strip(),
        outputs=None,
        lead=lead,
        support=support,
        deadline=deadline,
        budget=None,
        origin="prose",
        rule=rule,
        source=src,
    )


INTRO_END = Lex(r"$INTRO_END")
