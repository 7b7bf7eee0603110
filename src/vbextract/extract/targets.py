"""Targets: the numeric goals a plan sets, in prose, bullets and table cells.

A target is a percentage ("đạt 80%", "tối thiểu 50%", "trên 80%", "giảm 50%
thời gian"), a count with a goal word ("ít nhất 02 hội nghị", "240 mẫu/năm")
or a ranking ("≤ 25"), with its comparator, value, unit, year and subject (the
words before the number in its clause).  Statistics of the past ("năm 2024
đạt 75%"), and numbers in sections that report results, are not targets.
"""

from __future__ import annotations

import re
from typing import Optional

from ..lexicon import expand, lex_re, words
from ..model import RawDocument
from ..normalize import fold
from ..schema import Section, Source, Target

# the wording ($NAME) is in models/lexicon.yaml
_CMP = [  # first match wins: "tăng trên 3%" is an increase
    ("$TARGET_REDUCE", "reduce_by"),
    ("$TARGET_INCREASE", "increase_by"),
    ("$TARGET_AT_LEAST", ">="),
    ("$TARGET_AT_MOST", "<="),
    ("$TARGET_ABOVE", ">"),
    ("$TARGET_BELOW", "<"),
]
_PCT = re.compile(r"(?P<pre>(?:[^\s%]+\s+){0,4})(?P<v>\d{1,3}(?:[.,]\d{1,2})?)\s*%(?P<post>\s*trở lên)?")
_COUNT = lex_re(
    r"(?P<pre>$COUNT_LEAD\s+(?:[^\s\d]+\s+){0,3}?)"
    r"(?P<v>\d{1,3}(?:\.\d{3})+|\d+)\s+(?P<unit>$COUNT_UNIT)\b"
)
_COUNT_UNIT_HINT = lex_re(r"\d\s+$COUNT_UNIT\b")
# an indicator's level: "tổng tỷ suất sinh đạt 2,1 con/phụ nữ", "dưới 109 bé trai/100 bé gái",
# "tuổi thọ trung bình đạt 75 tuổi", "thu nhập bình quân đạt 120 triệu đồng/người/năm"
_LEVEL = lex_re(
    r"(?P<pre>$LEVEL_LEAD\s+)"
    r"(?P<v>\d{1,4}(?:,\d{1,2})?)\s+(?P<unit>$LEVEL_UNIT(?:/(?:\d+\s+)?[^\W\d][\w]*(?:\s+(?:trai|gái|nữ|dân|người))?)*)(?![\w])"
)
# "thuộc nhóm 4 nước dẫn đầu", "nhóm 10 tỉnh dẫn đầu cả nước": a ranking goal
_GROUP_RANK = re.compile(r"nhóm\s+(?P<v>\d{1,3})\s+(?:tỉnh|nước|địa phương|quốc gia)[^.;\n]{0,40}?dẫn đầu")
_RANK = re.compile(r"(?P<cmp>≤|<=|≥|>=|không quá|trong nhóm|top)\s*(?P<v>\d{1,2})\b")
_PAST = re.compile(r"(?:năm|đến hết năm|tính đến năm|cuối năm)\s+(?P<y>20\d{2})")
_DIGIT = re.compile(r"\d")


def _comparator(pre: str, post: str) -> str:
    if post:
        return ">="
    tail = fold(pre)[-40:]
    for pat, cmp in _CMP:
        if re.search(r"(?:^|\s)" + fold(expand(pat)) + r"\s*(?:\S+\s*){0,2}$", tail):
            return cmp
    return "="


def _clause(text: str, a: int, b: int) -> tuple[int, int]:
    """The sentence around a number (cut at 250 characters before and 200 after)."""
    s = max(text.rfind(". ", 0, a), text.rfind("\n", 0, a), text.rfind("\t", 0, a)) + 1
    ends = [i for i in (text.find(". ", b), text.find("\n", b), text.find("\t", b)) if i != -1]
    e = min(ends) if ends else len(text)
    if e - b > 200:
        e = b + 200
    if a - s > 250:
        s = a - 250
    return s, e


def _past_statistic(clause: str, doc_year: Optional[int]) -> bool:
    if not doc_year:
        return False
    low = clause.lower()
    years = [int(m.group("y")) for m in _PAST.finditer(low)]
    future = re.search(r"(?:đến|phấn đấu|mục tiêu|trong) năm\s+20\d{2}|giai đoạn", low)
    return bool(years) and max(years) < doc_year and not future and bool(re.search(r"\bđạt\b|\bđã\b|\bđược\b", low))


def _skip_section(starts: list[tuple[int, int, str]], pos: int) -> bool:
    for s, e, heading in starts:
        if s <= pos < e and fold(heading).startswith(words("NO_TARGET_SECTION")):
            return True
    return False


def _section_ranges(sections: list[Section]) -> list[tuple[int, int, str]]:
    out = []

    def walk(ss: list[Section]) -> None:
        for s in ss:
            out.append((s.source.start, s.source.end, s.heading))
            walk(s.children)

    walk(sections)
    return out


def extract_targets(
    raw: RawDocument, sections: list[Section], body_start: int, body_end: int, doc_year: Optional[int]
) -> list[Target]:
    """Targets in document order (body and appendices, not the header)."""
    text = raw.text
    ranges = _section_ranges(sections)
    out: list[Target] = []
    seen: set[tuple[int, float]] = set()
    for b in raw.blocks:
        if b.end <= body_start or (b.kind == "table" and b.borderless):
            continue
        pieces = (
            [(b.start, b.end, b.page, None)]
            if b.kind == "paragraph"
            else [(c.start, c.end, c.page, (b.table_index, c.row, c.col)) for c in b.cells]
        )
        for a, e, page, cell in pieces:
            for t in _in_span(text, a, e, page, cell, doc_year, ranges):
                key = (t.source.start, t.value or 0.0)
                if key not in seen:
                    seen.add(key)
                    out.append(t)
    out.sort(key=lambda t: t.source.start)
    return out


def _in_span(text: str, a: int, e: int, page, cell, doc_year, ranges) -> list[Target]:
    span = text[a:e]
    found: list[Target] = []
    if not _DIGIT.search(span):
        return found  # most paragraphs and cells: no number, no target
    for m in _PCT.finditer(span):
        _add(found, text, a, m, "%", _comparator(m.group("pre"), m.group("post") or ""), page, cell, doc_year, ranges)
    for m in _COUNT.finditer(span) if _COUNT_UNIT_HINT.search(span) else ():
        _add(found, text, a, m, m.group("unit"), _comparator(m.group("pre"), ""), page, cell, doc_year, ranges)
    for m in _LEVEL.finditer(span):
        _add(found, text, a, m, m.group("unit"), _comparator(m.group("pre"), ""), page, cell, doc_year, ranges)
    for m in _GROUP_RANK.finditer(span):
        _add(found, text, a, m, "rank", "<=", page, cell, doc_year, ranges)
    cm = re.fullmatch(r"\s*(?P<cmp>≤|<=|≥|>=)\s*(?P<v>\d{1,3})\s*", span)
    if cm and cell is not None:  # a ranking cell of a target table: "≤ 25"
        _add(found, text, a, cm, "rank", "<=" if cm.group("cmp") in ("≤", "<=") else ">=", page, cell, doc_year, ranges)
    return found


def _add(found, text, base, m, unit, cmp, page, cell, doc_year, ranges) -> None:
    vs, ve = base + m.start("v"), base + m.end("v")
    if _skip_section(ranges, vs):
        return
    decimal_comma = unit == "%" or re.fullmatch(r"\d{1,4},\d{1,2}", m.group("v"))  # "2,1 con/phụ nữ"
    raw_v = m.group("v").replace(",", ".") if decimal_comma else m.group("v").replace(".", "")
    try:
        value = float(raw_v)
    except ValueError:
        return
    if unit == "%" and value > 100:
        return
    s, e = _clause(text, vs, ve)
    clause = text[s:e].strip()
    if _past_statistic(clause, doc_year):
        return
    ym = re.search(r"(?:đến năm|năm|đến hết năm)\s+(20\d{2})", clause)
    subject = " ".join(text[s : base + m.start()].split()).strip(" ,-+:") or None
    src = Source(
        page=page,
        start=s,
        end=e,
        table=cell[0] if cell else None,
        row=cell[1] if cell else None,
        col=cell[2] if cell else None,
    )
    found.append(
        Target(
            text=" ".join(clause.split()),
            subject=subject[:200] if subject else None,
            comparator=cmp,
            value=value,
            unit="count" if unit in ("lượt",) else unit,
            year=int(ym.group(1)) if ym else doc_year,
            source=src,
        )
    )
