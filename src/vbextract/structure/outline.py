"""Outline: numbered paragraphs -> a tree of Sections.

Plans number their parts with several styles (PHẦN I, Chương I, Điều 1, I.,
A., 1., 1.1., 1.2.3., a), (1), dash and plus bullets).  Levels are not fixed
per style: a style met for the first time nests under the current one, and a
style already open closes everything below it (the rule a reader applies).
Only paragraphs are outlined; table rows belong to tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..lexicon import doc_type_by_name, lex_re
from ..model import Block, RawDocument
from ..schema import Section, Source
from .header import type_line  # the header stage owns type-name recognition

# the heading words and the Roman numeral letters ($NAME) are in models/lexicon.yaml;
# _ROMAN then checks that the letters make a well-formed numeral
_ROMAN = lex_re(r"^(?=$ROMAN_NUMERAL$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("appendix", lex_re(r"^($APPENDIX_WORD)(?:\s+(?:số\s+)?((?:$ROMAN_NUMERAL|\d)+[a-z]?))?\b[.:]?\s*(.*)$")),
    ("part", lex_re(r"^$PART_WORD\s+(thứ\s+\S+|$ROMAN_NUMERAL|\d+)\s*[.:\-–]?\s*(.*)$")),
    ("chapter", lex_re(r"^$CHAPTER_WORD\s+($ROMAN_NUMERAL|\d+)\s*[.:\-–]?\s*(.*)$")),
    ("muc", lex_re(r"^$MUC_WORD\s+(\d+|$ROMAN_NUMERAL)\s*[.:\-–]\s*(.*)$")),
    ("article", lex_re(r"^$ARTICLE_WORD\s+(\d+[a-z]?)\s*[.:]\s*(.*)$")),
    ("roman", lex_re(r"^($ROMAN_NUMERAL)\s*[.)/]\s+(.*)$")),
    ("upper_alpha", re.compile(r"^([A-ZĐ])\s*[.)]\s+(.*)$")),
    ("dotted", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?\s+(.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*\.\s+(.*)$")),
    ("arabic_paren", re.compile(r"^(\d{1,2})\s*\)\s+(.*)$")),
    ("paren_num", re.compile(r"^\((\d{1,2})\)\s+(.*)$")),
    ("lower_alpha", re.compile(r"^([a-zđ])\s*\)\s+(.*)$")),
    ("lower_alpha_dot", re.compile(r"^([a-zđ])\s*\.\s+(.*)$")),
    ("dash", re.compile(r"^[-–—•●▪]\s*(.+)$")),
    ("plus", re.compile(r"^\+\s*(.+)$")),
]
# Which style may hold which: a style never nests under one of equal or lower
# rank (PHẦN > Chương > Mục > Điều > A. > I. > 1. > 1.1. > 1) > a) > (1) > - > +).
_RANK = {
    "attachment": -1,
    "appendix": 0,
    "part": 1,
    "chapter": 2,
    "muc": 3,
    "article": 4,
    "upper_alpha": 5,
    "roman": 6,
    "arabic": 7,
    "dotted": 8,
    "arabic_paren": 9,
    "lower_alpha": 10,
    "lower_alpha_dot": 10,
    "paren_num": 11,
    "dash": 12,
    "plus": 13,
}
_ALPHA_NEXT = {chr(c): chr(c + 1) for c in range(ord("A"), ord("Z"))}


@dataclass
class _Node:
    style: tuple
    number: str
    local: str
    text: str
    block: Block
    level: int = 0
    id: str = ""
    end: int = 0
    children: list["_Node"] = field(default_factory=list)


def classify(text: str, prev_alpha: Optional[str] = None) -> Optional[tuple[tuple, str, str]]:
    """A paragraph -> (style, number as printed, text after the number), or None."""
    for style, pat in _PATTERNS:
        m = pat.match(text)
        if not m:
            continue
        if style == "appendix":
            return (style,), (m.group(2) or ""), m.group(3)
        if style in ("dash", "plus"):
            return (style,), "-" if style == "dash" else "+", m.group(1)
        num, rest = m.group(1), m.group(2)
        if style == "roman":
            if not _ROMAN.match(num):
                continue
            if len(num) == 1 and prev_alpha and _ALPHA_NEXT.get(prev_alpha) == num:
                return ("upper_alpha",), num, rest  # "I." after "H."
            if num in ("C", "L", "D", "M"):
                return ("upper_alpha",), num, rest
        if style == "upper_alpha" and not rest[:1].isupper() and not rest[:1].isdigit():
            continue
        if style == "dotted":
            return ("dotted", num.count(".") + 1), num, rest
        if not rest.strip():
            continue
        return (style,), num, rest
    return None


def _rank(style: tuple) -> float:
    return _RANK[style[0]] + (style[1] / 10 if style[0] == "dotted" else 0)


def _heading(text: str) -> str:
    t = text.strip()
    if len(t) <= 160:
        return t.rstrip(":").strip()
    m = re.search(r"[:.;]", t[:160])
    return (t[: m.start()] if m else t[:160]).strip()


def _local(node: _Node, parent: Optional[_Node], siblings: int) -> str:
    style = node.style[0]
    if style in ("dash", "plus"):
        return f"{node.number}{siblings + 1}"
    if style == "dotted":
        parts = node.number.split(".")
        if parent is not None and parent.number.split(".") == parts[:-1]:
            return parts[-1]
        return node.number
    if style == "article":
        return f"Điều {node.number}"
    if style == "appendix":
        return f"PL{node.number}" if node.number else "PL"
    if style == "attachment":
        return node.number or "ATT"
    if style in ("part", "chapter", "muc"):
        return {"part": "Phần ", "chapter": "Chương ", "muc": "Mục "}[style] + node.number
    return node.number


def extract_sections(raw: RawDocument, body_start: int, body_end: int) -> list[Section]:
    """The outline tree of the body (and of appendices after the signature)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    prev_alpha: Optional[str] = None
    in_appendix = False
    last_end = body_start
    blocks = raw.blocks
    for k, b in enumerate(blocks):
        if b.start < body_start:
            continue
        text = raw.text[b.start : b.end]
        if b.kind == "table":
            if stack:
                last_end = b.end
            continue
        c = classify(text, prev_alpha)
        if b.start >= body_end:
            attached = _attached(text, blocks[k + 1 : k + 2], raw)
            if attached:
                c = attached
            if not in_appendix and not (c and c[0][0] in ("appendix", "attachment")):
                continue
            in_appendix = True
        if c is None:
            if stack:
                last_end = b.end
            continue
        style, number, rest = c
        if style[0] == "upper_alpha":
            prev_alpha = number
        node = _Node(style, number, "", rest, b, end=b.end)
        for n in stack:
            n.end = max(n.end, last_end)
        depth = next((i for i, n in enumerate(stack) if n.style == style), None)
        if depth is None:
            depth = len(stack)
            while depth > 0 and _rank(stack[depth - 1].style) >= _rank(style):
                depth -= 1
        del stack[depth:]
        parent = stack[-1] if stack else None
        siblings = [x for x in (parent.children if parent else roots) if x.style == style]
        node.local = _local(node, parent, len(siblings))
        node.level = len(stack) + 1
        (parent.children if parent else roots).append(node)
        stack.append(node)
        last_end = b.end
    for n in stack:
        n.end = max(n.end, last_end)
    return [_to_section(n, None, set()) for n in roots]


def _attached(text: str, following: list[Block], raw: RawDocument) -> Optional[tuple[tuple, str, str]]:
    """A document attached after the signature: its type line ("KẾ HOẠCH") and title."""
    t = type_line(text.strip())
    if not t or text.strip() != text.strip().upper():
        return None
    dt = doc_type_by_name(t[0])
    title = t[1]
    if not title and following and following[0].kind == "paragraph":
        title = raw.text[following[0].start : following[0].end]
    return ("attachment",), dt.code if dt else "", title or t[0]


def _to_section(n: _Node, parent_id: Optional[str], used: set[str]) -> Section:
    sid = f"{parent_id}.{n.local}" if parent_id else n.local
    base, k = sid, 2
    while sid in used:
        sid = f"{base}~{k}"
        k += 1
    used.add(sid)
    children = [_to_section(c, sid, used) for c in n.children]
    end = max([n.end] + [c.source.end for c in children])
    return Section(
        id=sid,
        number=n.number if n.style[0] not in ("article",) else n.number,
        heading=_heading(n.text),
        level=n.level,
        text=n.text.strip(),
        children=children,
        source=Source(page=n.block.page, start=n.block.start, end=end),
    )
