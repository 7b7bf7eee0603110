"""Targets: the numeric goals a plan sets, in prose, bullets and table cells.

A target is a percentage ("đạt 80%", "tối thiểu 50%", "trên 80%", "giảm 50%
thời gian"), a count with a goal word ("ít nhất 02 hội nghị", "240 mẫu/năm")
or a ranking ("≤ 25"), with its comparator, value, unit, year and subject (the
words before the number in its clause).  Statistics of the past ("năm 2024
đạt 75%"), and numbers in sections that report results, are not targets.
"""

from __future__ import annotations

import re
from functools import lru_cache
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
_PCT = re.compile(
    r"(?P<pre>(?:[^\s%]+\s+){0,4})(?P<v>\d{1,3}(?:[.,]\d{1,2})?)\s*%?"
    r"(?:\s*(?:-|–|đến|tới)\s*(?P<v2>\d{1,3}(?:[.,]\d{1,2})?)(?=\s*%))?\s*%(?P<post>\s*trở lên)?"
)
# a number in Vietnamese writing: "1.200", "2.500,5", "35", "0,5"
_NUM = r"(?P<v>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
# an open-class goal: a goal word, then a number and what it counts, whatever that is
# ("phấn đấu 2.500,5 MW", "nâng tổng số lên 35 KCN", "lắp đặt mới 1.200 trạm sạc", "50 μg/m3")
_OPEN = lex_re(
    r"(?P<pre>(?<![\w])$GOAL_LEAD\s+(?:[^\s\d.;:]+\s+){0,3}?)(?:khoảng\s+)?"
    + _NUM
    + r"(?:\s*(?:-|–|đến)\s*(?P<v2>\d[\d.,]*))?"
    r"(?![\w/])\s+(?P<unit>[^\W\d_][\w³²/.-]*)",
    re.I,
)
# a sentence that sets a goal ("phấn đấu", "mục tiêu", "đến năm 2030", "đạt"), as opposed to a
# norm or a rule that caps a quantity ("tối đa 5.000.000 đồng/chương trình", "không quá 02 người")
_GOAL_CLAUSE = lex_re(r"$GOAL_CLAUSE", re.I)
# "- Điện mặt trời: 2.500 MW" under "Mục tiêu" / "Chỉ tiêu": a labelled quantity
_LABELLED = re.compile(
    r"^[\s\-+•*]*(?P<pre>[^:\n\d]{2,80}):\s*(?:khoảng\s+)?" + _NUM + r"\s*(?P<unit>[^\W\d_][\w³²/.-]*)"
)
# "một trong ba tỉnh dẫn đầu", "nằm trong nhóm 5 địa phương dẫn đầu": a ranking goal in words
_WORD_RANK = lex_re(
    r"(?:một trong|trong nhóm|thuộc nhóm|trong top|top)\s+(?P<v>\d{1,2}|$WORD_NUMBER)\s+(?:\S+\s+){0,4}?dẫn đầu",
    re.I,
)
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


def _in_section(starts: list[tuple[int, int, str]], pos: int, block: str) -> bool:
    """Is pos inside a section whose heading (folded) starts with a word of a folded lexicon
    block (NO_TARGET_SECTION: results reported; GOAL_SECTION: goals set)?"""
    return any(s <= pos < e and heading.startswith(words(block)) for s, e, heading in starts)


def _section_ranges(sections: list[Section]) -> list[tuple[int, int, str]]:
    out = []

    def walk(ss: list[Section]) -> None:
        for s in ss:
            out.append((s.source.start, s.source.end, fold(s.heading)))  # folded once, matched often
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
    if not _DIGIT.search(span):  # most paragraphs and cells: no number, no target
        if "dẫn đầu" in span:  # "một trong ba tỉnh dẫn đầu": a rank in words
            for m in _WORD_RANK.finditer(span):
                _add(found, text, a, m, "rank", "<=", page, cell, doc_year, ranges)
        return found
    for m in _PCT.finditer(span):
        _add(found, text, a, m, "%", _comparator(m.group("pre"), m.group("post") or ""), page, cell, doc_year, ranges)
    for m in _COUNT.finditer(span) if _COUNT_UNIT_HINT.search(span) else ():
        _add(found, text, a, m, m.group("unit"), _comparator(m.group("pre"), ""), page, cell, doc_year, ranges)
    for m in _LEVEL.finditer(span):
        _add(found, text, a, m, m.group("unit"), _comparator(m.group("pre"), ""), page, cell, doc_year, ranges)
    for m in _GROUP_RANK.finditer(span):
        _add(found, text, a, m, "rank", "<=", page, cell, doc_year, ranges)
    for m in _WORD_RANK.finditer(span):
        _add(found, text, a, m, "rank", "<=", page, cell, doc_year, ranges)
    _open_targets(found, text, a, span, page, cell, doc_year, ranges)
    cm = re.fullmatch(r"\s*(?P<cmp>≤|<=|≥|>=)\s*(?P<v>\d{1,3})\s*", span)
    if cm and cell is not None:  # a ranking cell of a target table: "≤ 25"
        _add(found, text, a, cm, "rank", "<=" if cm.group("cmp") in ("≤", "<=") else ">=", page, cell, doc_year, ranges)
    return found


@lru_cache(maxsize=None)
def _word_numbers() -> dict[str, int]:
    """'một' -> 1 ... 'mười' -> 10: WORD_NUMBER lists them in order."""
    return {w: i for i, w in enumerate(words("WORD_NUMBER"), 1)}


@lru_cache(maxsize=None)
def _not_units() -> frozenset[str]:
    return frozenset(fold(w) for w in words("NOT_A_TARGET_UNIT"))


def _value(v: str) -> Optional[float]:
    """'1.200' -> 1200, '2.500,5' -> 2500.5, '2,1' -> 2.1, 'ba' -> 3; None if not a number."""
    if v.lower() in _word_numbers():
        return float(_word_numbers()[v.lower()])
    try:
        return float(v.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _unit(u: str) -> Optional[str]:
    """What a number counts, or None when the words after it make it no quantity (a date, a
    reference, a part of the text)."""
    u = u.strip(" .,;:-")
    if not u or fold(u).split()[0] in _not_units():
        return None
    return u


def _open_targets(found, text, a, span, page, cell, doc_year, ranges) -> None:
    """Open-class quantities: a goal word, a number and whatever it counts (in a sentence that
    sets a goal or under a goal heading), and "label: N unit" lines under a goal heading."""
    taken = {t.value for t in found}
    for m in _OPEN.finditer(span):
        unit = _unit(m.group("unit"))
        if re.fullmatch(r"(?:19|20)\d\d", m.group("v")):
            continue  # "giai đoạn 2026 - 2028": years, not a quantity
        if unit and unit in words("MAGNITUDE_WORD"):  # "10 triệu USD": the magnitude and what it counts
            nxt = re.match(r"\s+([^\W\d_][\w/]*)", span[m.end("unit") :])
            unit = f"{unit} {nxt.group(1)}" if nxt else unit
        before = fold(span[max(0, m.start("v") - 30) : m.start("v")]).split()[-1:]  # "đến năm 2030", "Điều 5"
        if before and before[0] in _not_units():
            continue
        cs, ce = _clause(text, a + m.start("v"), a + m.end("v"))
        if not (_GOAL_CLAUSE.search(text[cs:ce]) or _in_section(ranges, a, "GOAL_SECTION")):
            continue
        if unit and _value(m.group("v")) not in taken:
            _add(found, text, a, m, unit, _comparator(m.group("pre"), ""), page, cell, doc_year, ranges)
    lm = _LABELLED.match(span)
    if (
        lm
        and _in_section(ranges, a, "GOAL_SECTION")
        and (unit := _unit(lm.group("unit")))
        and _value(lm.group("v")) not in taken
    ):
        _add(found, text, a, lm, unit, "=", page, cell, doc_year, ranges)


def _add(found, text, base, m, unit, cmp, page, cell, doc_year, ranges) -> None:
    vs, ve = base + m.start("v"), base + m.end("v")
    if _in_section(ranges, vs, "NO_TARGET_SECTION"):
        return
    # "1.200" thousands, "2,1" and "2.500,5" decimal commas, "ba"; a percentage's point is decimal ("99.5%")
    value = _value(m.group("v").replace(".", ",") if unit == "%" else m.group("v"))
    if value is None:
        return
    v2 = m.groupdict().get("v2")
    value_max = _value(v2.rstrip(".,").replace(".", ",") if unit == "%" else v2.rstrip(".,")) if v2 else None
    if value_max is not None and value_max <= value:
        value_max = None
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
            value_max=value_max,
            unit="count" if unit in ("lượt",) else unit,
            year=int(ym.group(1)) if ym else doc_year,
            source=src,
        )
    )
