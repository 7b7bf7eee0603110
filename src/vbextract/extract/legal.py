"""Legal references: every document the text cites, normalised and merged.

Finds symbols in the whole text (paragraphs, table cells, footnotes):
administrative "179/KH-UBND", normative "59/2012/NĐ-CP", laws and National
Assembly resolutions "72/2025/QH15", Party "57-NQ/TW", công văn
"5973/UBND-KT"; robust to spaces around "/" and "-", a missing dash
("27/CTTg"), lower case, leading zeros and a symbol broken across a line.
The type word before a symbol ("Nghị định số", "Kế hoạch", "Văn bản số")
gives doc_type, else the code in the symbol does (domain.md 2); the date
after it ("ngày 02/7/2021", "ngày 02 tháng 7 năm 2021"), the issuer ("của
Bộ Chính trị") and the "về ..." title are read when present.  Laws cited by
name ("Luật Đất đai", "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6
năm 2025") and named programmes ("Đề án 06") are kept with number null.
Mentions of one document are merged (by symbol, D/Đ and case folded), each
mention keeps its source; the document's own symbol is never listed.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from typing import Optional

from ..lexicon import doc_type_by_code, doc_type_by_name, lex_re
from ..model import RawDocument
from ..normalize import fold
from ..schema import LegalRef, Relation, Source
from .unit_mentions import unit_ref

# number, optional year, code groups; spaces tolerated around separators
_SYMBOL = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,5}(?:\.\d{1,2})?[a-z]?) ?(?P<sep>/|-) ?(?:(?P<year>(?:19|20)\d{2}) ?/ ?)?"
    r"(?P<code>[A-ZĐ][A-Za-zĐđƯư0-9&.]*(?: ?[-/] ?[A-ZĐ0-9][A-Za-zĐđƯư0-9&.]*|(?<=&) [A-ZĐ][A-ZĐƯ0-9]+){0,3})"
)
# the wording ($NAME) is in models/lexicon.yaml
_TYPE_BEFORE = lex_re(r"(?P<type>$CITED_TYPE)(?:\s+(?:số|của|liên tịch))?\s*(?:số)?\s*$", re.I)
_DATE_AFTER = lex_re(
    r"^\s*,?\s*(?:ban hành\s+)?$DAY_WORD\s+(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+$MONTH_WORD\s+(?P<m2>\d{1,2})\s+$YEAR_WORD\s+(?P<y2>\d{4}))"
)
_ISSUER_AFTER = lex_re(r"^\s*(?:của|do)\s+(?P<u>[^,;:()]{3,90}?)(?=\s+$CITED_ISSUER_END\b|[,;:.(]|$)")
_ISSUER_HEAD = lex_re(r"$CITED_ISSUER_HEAD")
_TITLE_AFTER = lex_re(
    r"^\s*,?\s*$CITED_TITLE_LABEL\s+(?P<t>[^;]{5,250}?)"
    r"(?=;|\.\s|\.$|\)|$|,\s*$CITED_TITLE_END_HEAD\b|\s+(?:và|,)\s+$CITED_TYPE\b)"
)
# law names hold commas and "và" ("Luật Phòng, chống ma túy", "Luật Địa chất và khoáng sản")
_LAW_NAME = lex_re(
    r"(?<![\w])(?P<name>(?:Bộ\s+)?Luật\s+(?!$LAW_NAME_NOT_FIRST\b)[^;.()\n\t:]{3,250}?)"
    r"(?=(?<!một)\s+số\b|\s+(?:$LAW_NAME_END|năm \d{4})\b|\s+và\s+Luật\b|,\s+(?!$LAW_NAME_AFTER_COMMA\b)[^\s]*"
    r"|\s+và\s+(?:Nghị|Quyết|Thông|các)\b|[;.()\n\t]|$)"
)
_NAMED = re.compile(
    r"(?<![\w])(?P<name>Đề án(?:\s+số)?\s+\d{1,4}|Chương trình tổng thể[^,;.()\n]{0,80}|Hiến pháp(?: năm \d{4})?)"
)


def _clean_symbol(num: str, sep: str, year: Optional[str], code: str) -> str:
    code = re.sub(r"\s+", "", code).replace("–", "-").rstrip(".-/")
    # the Prime Minister's codes misprinted without their dash, or with "Tg": "CTTg", "QĐTTg" -> "CT-TTg"
    code = re.sub(r"^(CT|QĐ|QD|CĐ|NQ|TB)(?:TTg|Tg|TTG)$", r"\1-TTg", code)
    return f"{num}{sep}{year + '/' if year else ''}{code}"


def _is_citation(code: str, year: Optional[str], sep: str) -> bool:
    """A code that looks like a document symbol, not 'Covid-19' or a unit of measure."""
    if sep == "-":
        return "/" in code  # Party: "57-NQ/TW"
    if year:
        return True
    if re.fullmatch(r"(?:UBTV)?QH\d{1,2}|CTTg|NĐCP|NDCP|TTg", code, re.I):
        return True
    return "-" in code and len(code) >= 4


def _doc_type(code: str, sep: str, type_word: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    if type_word:
        w = " ".join(type_word.split())
        dt = doc_type_by_name(w)
        if dt is None and re.match(r"(?i)văn bản|công văn", w):
            dt = doc_type_by_code("CV")
        if dt is None and re.match(r"(?i)luật", w):
            dt = doc_type_by_code("L")
        if dt is not None:
            return dt.code, dt.name
    parts = re.split(r"[-/]", code)
    if sep == "-":  # "57-NQ/TW": type first
        dt = doc_type_by_code(parts[0])
    elif re.fullmatch(r"(?:UBTV)?QH\d+", parts[0], re.I):
        return ("NQ", "Nghị quyết") if type_word and "quyết" in type_word.lower() else ("L", "Luật")
    else:
        dt = doc_type_by_code(parts[0])
        if dt is None and len(parts) >= 2:
            dt = doc_type_by_code("CV")  # "5973/UBND-KT": a công văn has no type code
    return (dt.code, dt.name) if dt else (None, None)


def _date_after(text: str, pos: int) -> tuple[Optional[str], Optional[str], int]:
    m = _DATE_AFTER.match(text[pos : pos + 40])
    if not m:
        return None, None, pos
    d, mo, y = (
        (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("m2"), m.group("y2"))
    )
    try:
        iso = date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        iso = None
    return iso, " ".join(m.group(0).strip(" ,").split()), pos + m.end()


def _page_of(raw: RawDocument, pos: int) -> Optional[int]:
    for b in raw.blocks:
        if b.start <= pos <= b.end:
            if b.kind == "table":
                for c in b.cells:
                    if c.start <= pos <= c.end:
                        return c.page
            return b.page
    return None


def _key(symbol: str) -> str:
    """Mentions of one document share a key: case, D/Đ, spaces and dashes folded
    ("27/CT-TTg" in the text, "27/CTTg" in a footnote)."""
    return re.sub(r"[\s\-–]", "", fold(symbol).upper())


class _Refs:
    def __init__(self) -> None:
        self.by_key: dict[str, LegalRef] = {}
        self.order: list[str] = []

    def add(self, key: str, make) -> LegalRef:
        if key not in self.by_key:
            self.by_key[key] = make()
            self.order.append(key)
        return self.by_key[key]


def extract_legal_refs(raw: RawDocument, own_symbol: Optional[str]) -> list[LegalRef]:
    """Every distinct document cited, in order of first mention."""
    text = raw.text
    refs = _Refs()
    own = _key(own_symbol) if own_symbol and re.match(r"\d", own_symbol) else None
    covered: list[tuple[int, int]] = []
    for m in _SYMBOL.finditer(text):
        code = m.group("code")
        if not _is_citation(re.sub(r"\s+", "", code), m.group("year"), m.group("sep")):
            # "Văn bản số 305/QLTC ngày 20/4/2026": a bare code still cites when "số" and a date frame it
            framed = re.search(r"\bsố\s*$", text[max(0, m.start() - 8) : m.start()]) and _DATE_AFTER.match(
                text[m.end() : m.end() + 40]
            )
            if not framed or m.group("sep") != "/":
                continue
        symbol = _clean_symbol(m.group("num"), m.group("sep"), m.group("year"), code)
        key = _key(symbol)
        if own and key == own:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        tm = _TYPE_BEFORE.search(before)
        type_word = tm.group("type") if tm else None
        iso, dtext, pos = _date_after(text, m.end())
        ref = refs.add(key, partial(_new_ref, symbol, m, type_word))
        if symbol.count("-") > (ref.symbol or "").count("-"):  # the full form, once seen, names the document
            better = _new_ref(symbol, m, type_word)
            ref.symbol, ref.doc_type, ref.doc_type_name, ref.issuer_code = (
                better.symbol,
                better.doc_type,
                better.doc_type_name,
                better.issuer_code,
            )
        if iso and not ref.date:
            ref.date, ref.date_text = iso, dtext
        elif iso and ref.date and iso != ref.date and f"another date: {iso}" not in ref.warnings:
            ref.warnings.append(f"another date: {iso}")
        _issuer_and_title(ref, text, pos)
        start = m.start() - (len(before) - tm.start() if tm else 0)
        ref.mentions.append(Source(page=_page_of(raw, m.start()), start=start, end=pos))
        covered.append((start, pos))
        _relations(ref, text, start)
    _named(raw, refs, covered)
    _short_forms(raw, refs, covered)
    out = [refs.by_key[k] for k in refs.order]
    for i, r in enumerate(out, 1):
        r.id = f"R{i}"
    _amendments(text, out)
    return out


_AMENDS = lex_re(r"$AMENDS")
_REPLACES = lex_re(r"$REPLACES")


def _amendments(text: str, refs: list[LegalRef]) -> None:
    """'Nghị định 123/2024/NĐ-CP sửa đổi, bổ sung ... Nghị định 59/2012/NĐ-CP': amends / replaces."""
    mentions = sorted((m.start, m.end, r) for r in refs for m in r.mentions)
    for (_s1, e1, r1), (s2, _e2, r2) in zip(mentions, mentions[1:]):
        between = text[e1:s2]
        if r1 is r2 or len(between) > 120 or re.search(r"[;\n]|\.\s", between):
            continue
        kind = "amends" if _AMENDS.search(between) else "replaces" if _REPLACES.search(between) else None
        if kind and not any(x.kind == kind and x.target == r2.id for x in r1.relations):
            r1.relations.append(Relation(kind=kind, target=r2.id))


def _new_ref(symbol: str, m: re.Match, type_word: Optional[str]) -> LegalRef:
    code = re.sub(r"\s+", "", m.group("code"))
    dtc, dtn = _doc_type(code, m.group("sep"), type_word)
    parts = re.split(r"[-/]", code)
    issuer_code = parts[-1] if m.group("sep") == "-" else (parts[1] if len(parts) > 1 and dtc != "CV" else parts[0])
    year = int(m.group("year")) if m.group("year") else None
    return LegalRef(
        id="",
        doc_type=dtc,
        doc_type_name=dtn,
        number=m.group("num"),
        year=year,
        symbol=symbol,
        issuer_code=issuer_code or None,
    )


def _issuer_and_title(ref: LegalRef, text: str, pos: int) -> None:
    im = _ISSUER_AFTER.match(text[pos : pos + 120])
    if im and ref.issuer is None:
        name = im.group("u").strip()
        if _ISSUER_HEAD.match(name):
            ref.issuer = unit_ref(name)
        pos += im.end()
    tm = _TITLE_AFTER.match(text[pos : pos + 300])
    if tm and ref.title is None:
        ref.title = " ".join(tm.group("t").split())


_IMPLEMENTS = lex_re(r"\s*(?:[-*+]\s*)?$IMPLEMENTS_OPENER\b")


def _relations(ref: LegalRef, text: str, start: int) -> None:
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    if _IMPLEMENTS.match(lead) and not any(r.kind == "implements" for r in ref.relations):
        ref.relations.append(Relation(kind="implements"))


_SHORT = lex_re(r"(?P<type>$CITED_SHORT_TYPE)\s+(?:số\s+)?(?P<num>\d{1,5})(?![\d/.,-]|\s*(?:/|-|năm|tháng|ngày))")


def _short_forms(raw: RawDocument, refs: _Refs, covered: list[tuple[int, int]]) -> None:
    """'Nghị định 59', 'Chỉ thị 11': a repeat of a cited document with that type and number."""
    for m in _SHORT.finditer(raw.text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        dt = doc_type_by_name(m.group("type"))
        code = dt.code if dt else None
        same = [
            r
            for r in refs.by_key.values()
            if r.number
            and r.number.lstrip("0") == m.group("num").lstrip("0")
            and (r.doc_type == code or (code == "CV" and r.doc_type == "CV"))
        ]
        if len(same) == 1:  # only when it names one document unambiguously
            same[0].mentions.append(Source(page=_page_of(raw, m.start()), start=m.start(), end=m.end()))


def _named(raw: RawDocument, refs: _Refs, covered: list[tuple[int, int]]) -> None:
    """Laws and programmes cited by name, without a number."""
    text = raw.text
    for pat in (_LAW_NAME, _NAMED):
        for m in pat.finditer(text):
            if any(a <= m.start() < b for a, b in covered):
                continue
            name = " ".join(m.group("name").split()).rstrip(" ,")
            after = text[m.end() : m.end() + 30]
            if re.match(r"\s*số\s+\d", after):
                continue  # "Luật ... số 72/2025/QH15": the symbol carries it
            key = "NAME:" + fold(re.sub(r"\s+(?:năm|ngày)\s.*$", "", name))
            iso, dtext, pos = _date_after(text, m.end())
            dt = "L" if re.match(r"(?i)(?:bộ\s+)?luật", name) else ("ĐA" if name.startswith("Đề án") else None)
            known = doc_type_by_code(dt) if dt else None
            ref = refs.add(
                key,
                partial(
                    LegalRef, id="", doc_type=dt, doc_type_name=known.name if known else None, text=name, title=name
                ),
            )
            if iso and not ref.date:
                ref.date, ref.date_text = iso, dtext
            ref.mentions.append(Source(page=_page_of(raw, m.start()), start=m.start(), end=pos))
            _relations(ref, text, m.start())
