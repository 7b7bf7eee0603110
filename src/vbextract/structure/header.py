"""Header and signature block (Nghị định 30/2020/NĐ-CP, Điều 8 and 13) -> Meta.

Works on the line view of the document model (``RawDocument.lines()``), so a
header laid out as a borderless two-column table (DOCX, Markdown crawls,
PDF), as layout text, or as plain paragraphs (seeds) is read the same way:
each line is classified (motto, number, place-date, type name, V/v, rule,
issuer...) and the fields are taken from the classified lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from typing import Optional

from ..errors import W_STAMP
from ..lexicon import (
    Lex,
    alt,
    doc_type_by_code,
    doc_type_by_name,
    find_provinces,
    lex_re,
    normal_case,
    province_name,
    words,
)
from ..model import DocWarning, Line, RawDocument
from ..normalize import fold, unify_tones
from ..schema import Meta, Recipient, Signer, Source, UnitRef


def _spaced(name: str) -> str:
    """A word block whose words may be printed with any run of spaces ("Kính  gửi")."""
    return alt(name).replace("\\ ", r"\s+")


# the wording is in models/lexicon.yaml; these patterns only frame it
_MOTTO = lex_re(r"$MOTTO_MARK", re.I)
_MOTTO_START = lex_re(r"$MOTTO_START")
_RULE = re.compile(r"^[\s\-–—_=*.·…]+$")
_NUMBER = lex_re(r"^\s*$NUMBER_LABEL\s*[:.]?\s*(?P<rest>.*)$")
_SYMBOL = re.compile(
    r"^(?P<num>\d+[a-zA-Z]?)?\s*(?P<sep>[/-])\s*(?P<code>[0-9A-Za-zĐđƯưÀ-ỹ&.\-/ ]*?[0-9A-Za-zĐđ])\s*[.;,]?\s*$"
)
# day and month may be left blank (filled by hand) or come out of OCR as 1-3 stray characters ("ngày0} thángh")
_BLANK_OR_NUM = r"\d\s?\d|\d|[.…\s]*?|[^\s\d]{1,3}|\d[^\s\d]{1,2}"
_DATE = lex_re(
    rf"(?P<dt>$DAY_WORD\s*(?P<d>{_BLANK_OR_NUM})\s*$MONTH_WORD\s*(?P<m>{_BLANK_OR_NUM})\s*$YEAR_WORD\s*(?P<y>\d{{4}}))"
    r"|(?P<dt2>$DAY_WORD\s+(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))",
    re.I,
)
_PLACE_DATE = lex_re(r"^\s*(?P<place>[^,\d]{2,40}?)\s*,\s*(?=$DAY_WORD)", re.I)
# the number line may go on with the place and date: "2820/QĐ-UBND   Thành phố Hồ Chí Minh, ngày 19"
_SYMBOL_END = lex_re(r"\s{2,}|\t|(?<=\S)\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]+,\s*$DAY_WORD)")
_DATE_LINE = lex_re(r"^\s*$DAY_WORD\b", re.I)
_VV = lex_re(r"^\s*$SUBJECT_LABEL\s*[:.]?\s*(?P<t>.*)$")
_URGENCY = lex_re(r"^\s*($URGENCY)\s*$", re.I)
_KINH_GUI = re.compile(r"^\s*" + _spaced("ADDRESSEE_LABEL") + r"\s*:?\s*(?P<rest>.*)$", re.I)
_NOI_NHAN = re.compile(r"^\s*" + _spaced("RECIPIENTS_LABEL") + r"\s*:?\s*(?P<rest>.*)$", re.I)
_BODY_START = lex_re(
    r"^\s*(?:$BODY_OPENER|$BODY_OPENER_WORD\s|Ngày \d|$ADDRESSEE_LABEL|Phần\s+[IVX\d]|Điều\s+\d"
    r"|[IVX]+\s*[.)]\s|\d+\s*[.)]\s|[a-zđ]\)\s)",
    re.I,
)
_AUTH = lex_re(r"^\s*(?P<a>$SIGN_AUTHORITY)\s*[.:]\s*(?P<rest>\S.*)$")
_POSITION_WORDS = lex_re(r"$SIGNER_POSITION_WORD")
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){1,5}$")
_SIGN_NOISE = lex_re(r"$SIGNATURE_NOISE", re.I)
_CONT = lex_re(r"^$ISSUER_CONTINUATION\b")
_CENTRAL = lex_re(r"^$CENTRAL_ISSUER")
_RECIPIENT_NOTE = lex_re(
    r"\s*\((?:để\s+)?(?:$RECIPIENT_PURPOSE|qua [^)]*|[^)]{0,30}(?:b/c|báo cáo|thực hiện))[^)]*\)\s*",
    re.I,
)
_LIST_END = lex_re(r"^(?:$FILE_COPY_LABEL|Nơi)")
_FILE_COPY = lex_re(r"^$FILE_COPY_LABEL\b", re.I)
_SAME_AS_ABOVE = lex_re(r"^$SAME_AS_ABOVE")
_PROVINCE_IN_NAME = lex_re(r"$PROVINCE_LEVEL\s+(.+)$", re.I)


@lru_cache(maxsize=1)
def _type_names() -> re.Pattern[str]:
    """The type names in capitals ("KẾ HOẠCH"), longest first."""
    names = sorted((n.upper() for n in words("DOC_TYPE_NAME")), key=len, reverse=True)
    return re.compile(r"^\s*(" + "|".join(re.escape(n) for n in names) + r")(?=\s|$|:)(.*)$")


def type_line(text: str) -> Optional[tuple[str, str]]:
    """('KẾ HOẠCH', rest) when a line starts with a document type name in capitals."""
    m = _type_names().match(text.replace("HOÀ", "HÒA"))
    if not m:
        return None
    rest = m.group(2).strip(" :")
    if rest and (rest.split()[0].islower() or rest[:1].isdigit() or "/" in rest.split()[0]):
        return None  # "Kế hoạch số ..." in a sentence, not the type line
    return m.group(1), rest


def _src(line: Line, a: int = 0, b: Optional[int] = None) -> Source:
    start = line.start + a
    end = line.start + (b if b is not None else len(line.text))
    cell = line.cell
    return Source(
        page=line.page,
        start=start,
        end=end,
        table=line.block.table_index if cell else None,
        row=cell.row if cell else None,
        col=cell.col if cell else None,
    )


def _span_src(first: Line, last: Line) -> Source:
    src = _src(first)
    src.end = max(src.end, last.end)
    return src


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _strip_md(s: str) -> str:
    return s.replace("**", "").replace("__", "").strip().strip("*_").strip()


@dataclass
class _Header:
    lines: list[Line]
    type_idx: Optional[int] = None
    body_idx: int = 0
    title_lines: list[Line] = field(default_factory=list)


def _header_zone(lines: list[Line]) -> _Header:
    """Find the type-name line and the first body line."""
    h = _Header(lines)
    limit = min(len(lines), 80)
    for i in range(limit):
        t = _strip_md(lines[i].text)
        if lines[i].cell is not None and lines[i].block.n_rows > 3 and not lines[i].block.borderless:
            continue
        if type_line(t):
            h.type_idx = i
            break
    start = (h.type_idx + 1) if h.type_idx is not None else 0
    h.body_idx = start
    if h.type_idx is None:
        # no type line (công văn): the body starts after the header lines and
        # the "Kính gửi:" list
        last, in_kg = -1, False
        for i in range(limit):
            ln, t = lines[i], _strip_md(lines[i].text)
            headerish = (
                (ln.cell is not None and ln.block.borderless)
                or _NUMBER.match(t)
                or _VV.match(t)
                or _MOTTO.search(t)
                or _RULE.match(t)
                or (i < 12 and _is_caps(t) and len(t) < 80)
                or (_DATE.search(t) and _PLACE_DATE.match(t))
            )
            if _KINH_GUI.match(t):
                in_kg, headerish = True, True
            elif in_kg and re.match(r"^[-–+•]\s", t):
                headerish = True
            else:
                in_kg = False
            if headerish:
                last = i
            elif last >= 0 or i > 15:
                break
        h.body_idx = last + 1
    return h


def _title(h: _Header, issuer_keys: set[str]) -> None:
    if h.type_idx is None:
        return
    lines = h.lines
    t0 = type_line(_strip_md(lines[h.type_idx].text))
    out: list[Line] = []
    if t0 and t0[1]:
        out.append(lines[h.type_idx])
    i = h.type_idx + 1
    while i < len(lines) and len(out) < 4:
        ln = lines[i]
        t = _strip_md(ln.text)
        if not t or _RULE.match(t):
            i += 1
            if out:
                break
            continue
        cites = re.match(r"^\s*Thực hiện", t, re.I) and re.search(r"\d+\s*/\s*[A-ZĐ]", t[:90])
        first_ok = not out and len(t) < 400 and not re.match(r"^\s*Căn cứ", t) and (_is_caps(t) or not cites)
        if (_BODY_START.match(t) and not first_ok) or _MOTTO.search(t) or t.startswith("(") and out:
            break
        if out and (_is_caps(t) != _is_caps(_strip_md(out[-1].text)) or fold(t) in issuer_keys):
            break
        if out and _AUTH.match(t):
            break
        if out and len(t) > 300:
            break
        out.append(ln)
        i += 1
        if t.endswith((".", ";")) or len(t) > 200:
            break
    h.title_lines = out
    h.body_idx = max(h.body_idx, i)


def _split_bodies(lines: list[str]) -> list[str]:
    """Issuer-cell lines -> body names: 'UBND TỈNH LÀO CAI' / 'SỞ CÔNG THƯƠNG'."""
    return [" ".join(lines[a : b + 1]) for a, b in _body_spans(lines)]


def _body_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of each body in the issuer lines."""
    spans: list[list[int]] = []
    for i, t in enumerate(lines):
        prev = " ".join(lines[spans[-1][0] : i]) if spans else ""
        if spans and (_CONT.match(t) or prev.endswith((",", "-", "VÀ")) or t[:1].islower()):
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return [(a, b) for a, b in spans]


def _unit(text: str, src: Optional[Source] = None) -> UnitRef:
    name = unify_tones(normal_case(text))  # canonical: one tone convention ("Ủy", not "Uỷ")
    return UnitRef(text=text, unit_id=None, name=name, collective=False, source=src)


def _issuer_lines(lines: list[Line], end: int) -> list[Line]:
    """Capitalised lines of the issuer block before the type line / body."""
    out: list[Line] = []
    motto_cells = {id(ln.cell) for ln in lines[:end] if ln.cell is not None and _MOTTO.search(ln.text)}
    for ln in lines[:end]:
        t = _strip_md(ln.text).lstrip("# ").strip()
        if ln.cell is not None and id(ln.cell) in motto_cells:
            if not _MOTTO.search(t):
                continue
        m = _MOTTO_START.search(t)
        if m and m.start() > 0:
            t = t[: m.start()].strip()  # "CHÍNH PHỦ CỘNG HÒA XÃ HỘI ..." on one line
        elif _MOTTO.search(t):
            continue
        if not t or _RULE.match(t) or _NUMBER.match(t) or _DATE.search(t) or _VV.match(t) or _URGENCY.match(t):
            continue
        if _KINH_GUI.match(t) or type_line(t):
            break
        if not _is_caps(t) or len(t) > 120:
            if out:
                break
            continue
        out.append(Line(t, ln.start, ln.start + len(t), ln.page, ln.block, ln.cell))
    return out


def _parse_symbol(rest: str) -> tuple[Optional[str], Optional[str]]:
    """'179/KH-UBND' -> ('179', '179/KH-UBND'); ' /KH-UBND' -> (None, '/KH-UBND')."""
    rest = _strip_md(rest).strip()
    rest = _SYMBOL_END.split(rest)[0]
    rest = re.sub(r"[–—]", "-", rest)
    m = _SYMBOL.match(rest)
    if not m:
        return None, None
    num = m.group("num")
    code = re.sub(r"\s+", "", m.group("code"))
    symbol = f"{num or ''}{m.group('sep')}{code}"
    return num, symbol


def _bare_date_line(text: str, span: tuple[int, int]) -> bool:
    """A line that is only a date ("ngày 02 tháng 4 năm 2026", the date at
    ``span``): a date line of the header.  "Ngày 25 tháng 3 năm 2026, Bộ ...
    ban hành ..." opens the body (seen when OCR could not read the header's own
    date) and dates nothing."""
    return len(text[span[1] :].strip(" .,;*_)")) <= 3


def _place(lines: list[Line], i: int, pm: Optional[re.Match]) -> Optional[str]:
    """The place of the date line ``lines[i]`` ("Lào Cai, ngày ..."), also when
    the line breaks inside it ("Thành phố Hồ" / "Chí Minh, ngày ...")."""
    prev = _strip_md(lines[i - 1].text) if i > 0 else ""
    if pm:
        place = pm.group("place").strip(" *_")
        ln = lines[i]
        if (
            prev
            and ln.cell is not None
            and lines[i - 1].cell is ln.cell
            and re.fullmatch(r"[^\d,:]{2,30}", prev)
            and not _is_caps(prev)
            and not _MOTTO.search(prev)
        ):
            place = f"{prev} {place}"
        return place
    if i > 0 and re.match(r"^[^\d,]{2,30},?$", prev) and not _is_caps(lines[i - 1].text):
        return prev.rstrip(",")
    return None


def _parse_date(text: str) -> tuple[Optional[str], Optional[str], Optional[tuple[int, int]]]:
    """A 'ngày .. tháng .. năm ..' phrase -> (iso or None, date_text, span)."""
    m = _DATE.search(text)
    if not m:
        return None, None, None
    if m.group("dt"):
        d, mo, y, dt = m.group("d"), m.group("m"), m.group("y"), m.group("dt")
        span = m.span("dt")
    else:
        d, mo, y, dt = m.group("d2"), m.group("m2"), m.group("y2"), m.group("dt2")
        span = m.span("dt2")
    dt = " ".join(dt.split())
    try:
        iso = _date(int(y), int(mo.replace(" ", "")), int(d.replace(" ", ""))).isoformat()
    except (TypeError, ValueError):
        iso = None
    return iso, dt, span


def _signer(lines: list[Line], start: int) -> Optional[Signer]:
    """The signature block: authority line, position line(s), then the name."""
    for i in range(start, len(lines)):
        t = _strip_md(lines[i].text)
        if not (
            _AUTH.match(t)
            or (_is_caps(t) and len(t) < 60 and _POSITION_WORDS.search(t) and not t.endswith((":", ";", ".")))
        ):
            continue
        if lines[i].cell is not None and not lines[i].block.borderless and lines[i].block.n_rows > 3:
            continue
        block: list[str] = []
        first = lines[i]
        for j in range(i, min(i + 9, len(lines))):
            tj = _SIGN_NOISE.sub("", _strip_md(lines[j].text)).strip()
            if not tj:
                continue
            if _NAME.match(tj) and not _is_caps(tj) and block:
                return _make_signer(block, tj, first, lines[j])
            if not _is_caps(tj) or len(tj) > 80:
                break
            if block and _CONT.match(tj) and _AUTH.match(block[-1]):
                block[-1] += " " + tj
            else:
                block.append(tj)
        # a block without a printed name (unsigned copy)
        if block and (_AUTH.match(block[0]) or len(block) >= 1) and i > len(lines) * 0.3:
            return _make_signer(block, None, first, first)
    return None


def _make_signer(block: list[str], name: Optional[str], first: Line, last: Line) -> Signer:
    auth = next((b for b in block if _AUTH.match(b)), None)
    positions = [b for b in block if not _AUTH.match(b)]
    position = positions[-1] if positions else None
    auth_n = None
    m = _AUTH.match(auth) if auth else None
    if m is not None:
        auth_n = f"{m.group('a').replace('/', '')}. {m.group('rest').strip()}"
    src = Source(
        page=first.page,
        start=first.start,
        end=last.end,
        table=first.block.table_index if first.cell else None,
        row=first.cell.row if first.cell else None,
        col=first.cell.col if first.cell else None,
    )
    return Signer(name=name, position=position, authority=auth_n, source=src)


def _list_after(lines: list[Line], idx: int, first_rest: str) -> list[tuple[str, Line]]:
    """'- X;' items after a 'Nơi nhận:' / 'Kính gửi:' line (same cell or following lines)."""
    out: list[tuple[str, Line]] = []
    head = lines[idx]
    if first_rest:
        # "Kính gửi: Giám đốc Sở Lao động - Thương binh và Xã hội" is one addressee;
        # "Kính gửi: - A; - B." are two (items end with ';')
        parts = (
            re.split(r"[;,]\s*[-–]\s+", first_rest.lstrip("-– "))
            if first_rest.lstrip().startswith(("-", "–"))
            else [first_rest]
        )
        out += [(p, head) for p in parts if p.strip()]
    for ln in lines[idx + 1 : idx + 60]:
        t = _strip_md(ln.text)
        if head.cell is not None and ln.cell is not head.cell and out:
            break
        m = re.match(r"^[-–+•]\s*(.*)$", t)
        if m:
            out.append((m.group(1), ln))
        elif (
            out
            and t
            and not _is_caps(t)
            and not _LIST_END.match(t)
            and len(t) < 80
            and ln.cell is head.cell
            and ln.cell is not None
        ):
            out[-1] = (out[-1][0] + " " + t, out[-1][1])
        else:
            break
    return out


def _recipients(items: list[tuple[str, Line]]) -> list[Recipient]:
    out = []
    for text, ln in items:
        t = text.strip().rstrip(";.,").strip()
        if not t or _FILE_COPY.match(t):
            continue
        name = _RECIPIENT_NOTE.sub(" ", t).strip().rstrip(";.,").strip()
        unit = None
        if name and not _SAME_AS_ABOVE.match(name):
            unit = UnitRef(text=t, unit_id=None, name=name, collective=bool(re.match(r"^(Các|các)\s", name)))
        pos = ln.text.find(text.strip()[:20])
        src = _src(ln, max(pos, 0), max(pos, 0) + len(text.strip())) if pos >= 0 else _src(ln)
        out.append(Recipient(text=t, unit=unit, source=src))
    return out


def extract_meta(raw: RawDocument) -> tuple[Meta, int, int]:
    """-> (meta, body_start offset, body_end offset); the fields in the order they
    appear on the page."""
    lines = list(raw.lines())
    meta = Meta()
    if not lines:
        return meta, 0, 0
    h = _header_zone(lines)
    head_end = h.type_idx if h.type_idx is not None else h.body_idx
    sources: dict[str, Source] = {}
    vv_lines = _head_fields(lines, head_end, meta, sources)
    _fill_from_stamps(raw, meta, sources)
    issuer_keys = _issuers(lines, head_end, meta)
    _title(h, issuer_keys)
    _doc_type(lines, h, meta, sources)
    _title_text(lines, h, vv_lines, meta, sources)
    _type_fallback(meta, bool(vv_lines))
    nn_idx = _distribution(lines, h.body_idx, meta)
    _signature(lines, h.body_idx, nn_idx, meta)
    meta.province = _province(meta, raw.text)
    meta.sources = sources
    return (meta, *_body_bounds(raw, lines, h.body_idx, nn_idx, meta))


def _head_fields(lines: list[Line], head_end: int, meta: Meta, sources: dict[str, Source]) -> list[Line]:
    """Number and symbol, place and date, urgency from the lines above the type
    line; returns the lines of the "V/v" subject (empty when there is none)."""
    vv_lines: list[Line] = []
    for i, ln in enumerate(lines[: max(head_end + 1, 1) + 3]):
        t = _strip_md(ln.text)
        _number_and_symbol(lines, i, t, meta, sources)
        if meta.date_text is None and i <= head_end + 1:
            _date_and_place(lines, i, t, meta, sources)
        if not vv_lines:
            vv_lines = _subject_lines(lines, i, t)
        um = _URGENCY.match(t)
        if um and meta.urgency is None:
            meta.urgency = normal_case(um.group(1))
    return vv_lines


def _number_and_symbol(lines: list[Line], i: int, t: str, meta: Meta, sources: dict[str, Source]) -> None:
    """ "Số: 179/KH-UBND" (the number may be on the next line: "Số:" / "2820/QĐ-UBND")."""
    m = _NUMBER.match(t)
    if not m or meta.symbol is not None:
        return
    rest = m.group("rest")
    if not rest.strip() and i + 1 < len(lines):
        rest = _strip_md(lines[i + 1].text)
    num, sym = _parse_symbol(rest)
    if sym:
        meta.number, meta.symbol = num, sym
        sources["symbol"] = _src(lines[i])


def _date_and_place(lines: list[Line], i: int, t: str, meta: Meta, sources: dict[str, Source]) -> None:
    """ "Lào Cai, ngày 06 tháng 4 năm 2026", or a line that is only the date."""
    pm = _PLACE_DATE.match(t)
    if not (pm or _DATE_LINE.match(t)):
        return
    iso, dt, span = _parse_date(t)
    if span is None or not (pm or _bare_date_line(t, span)):
        return
    meta.date, meta.date_text = iso, dt
    place = _place(lines, i, pm)
    if place is not None:
        meta.place = place
    sources["date"] = _src(lines[i])


def _subject_lines(lines: list[Line], i: int, t: str) -> list[Line]:
    """The "V/v ..." subject of a công văn starting at ``lines[i]``, with its
    continuation lines in the same cell; [] when the line starts none."""
    ln = lines[i]
    under_number = (
        ln.cell is not None
        and i > 0
        and lines[i - 1].cell is ln.cell
        and _NUMBER.match(_strip_md(lines[i - 1].text))
        and re.match(r"^Về\s", t)
    )  # "Số: 5155/SGDĐT-..." / "Về hướng dẫn ..." (trích yếu without "V/v")
    if not (_VV.match(t) or under_number):
        return []
    out = [ln]
    for ln2 in lines[i + 1 : i + 5]:
        t2 = _strip_md(ln2.text)
        if ln2.cell is None or ln2.cell is not ln.cell or _KINH_GUI.match(t2) or _DATE.search(t2):
            break
        out.append(ln2)
    return out


def _issuers(lines: list[Line], head_end: int, meta: Meta) -> set[str]:
    """Issuer and parent issuer (the last two bodies of the issuer block); returns
    their folded names, which end the title."""
    iss = _issuer_lines(lines, max(head_end, 1))
    spans = _body_spans([ln.text for ln in iss])
    bodies = [" ".join(ln.text for ln in iss[a : b + 1]) for a, b in spans]
    if bodies:
        a, b = spans[-1]
        meta.issuer = _unit(bodies[-1], _span_src(iss[a], iss[b]))
        if len(bodies) > 1:
            a, b = spans[-2]
            meta.parent_issuer = _unit(bodies[-2], _span_src(iss[a], iss[b]))
    return {fold(b) for b in bodies}


def _doc_type(lines: list[Line], h: _Header, meta: Meta, sources: dict[str, Source]) -> None:
    """The type named by the type line ("KẾ HOẠCH")."""
    if h.type_idx is None:
        return
    tl = type_line(_strip_md(lines[h.type_idx].text))
    dt = doc_type_by_name(tl[0]) if tl else None
    if dt:
        meta.doc_type, meta.doc_type_name = dt.code, dt.name
        sources["doc_type"] = _src(lines[h.type_idx])


def _title_text(lines: list[Line], h: _Header, vv_lines: list[Line], meta: Meta, sources: dict[str, Source]) -> None:
    """The title lines under the type line (or the rest of the type line), else the "V/v" subject."""
    if h.title_lines:
        parts = []
        for k, ln in enumerate(h.title_lines):
            t = _strip_md(ln.text)
            if k == 0 and h.type_idx is not None and ln is lines[h.type_idx]:
                tl = type_line(t)
                t = tl[1] if tl else t
            parts.append(t)
        meta.title = " ".join(" ".join(parts).split())
        sources["title"] = Source(page=h.title_lines[0].page, start=h.title_lines[0].start, end=h.title_lines[-1].end)
    elif vv_lines:
        t = " ".join(_strip_md(ln.text) for ln in vv_lines)
        vm = _VV.match(t)
        meta.title = " ".join((vm.group("t") if vm else t).split()) or None
        sources["title"] = Source(page=vv_lines[0].page, start=vv_lines[0].start, end=vv_lines[-1].end)


def _type_fallback(meta: Meta, has_vv: bool) -> None:
    """No type line: the type from the symbol's code, or a công văn."""
    if meta.doc_type is None and meta.symbol:
        meta.doc_type, meta.doc_type_name = _type_from_symbol(meta.symbol, has_vv)
    elif meta.doc_type is None and has_vv:
        meta.doc_type, meta.doc_type_name = "CV", "Công văn"  # only a công văn has "V/v" under the number (NĐ 30/2020)


def _distribution(lines: list[Line], body_idx: int, meta: Meta) -> Optional[int]:
    """Recipients ("Nơi nhận:") and addressees ("Kính gửi:"); returns the
    index of the "Nơi nhận" line, or None."""
    nn_idx = next((i for i in range(body_idx, len(lines)) if _NOI_NHAN.match(_strip_md(lines[i].text))), None)
    if nn_idx is not None:
        meta.recipients = _recipients(_list_after(lines, nn_idx, _rest(_NOI_NHAN, lines[nn_idx])))
    kg_idx = next(
        (i for i in range(0, min(len(lines), body_idx + 30)) if _KINH_GUI.match(_strip_md(lines[i].text))), None
    )
    if kg_idx is not None:
        meta.addressees = _recipients(_list_after(lines, kg_idx, _rest(_KINH_GUI, lines[kg_idx])))
    return nn_idx


def _rest(label: re.Pattern[str], ln: Line) -> str:
    m = label.match(_strip_md(ln.text))
    return m.group("rest") if m else ""


def _signature(lines: list[Line], body_idx: int, nn_idx: Optional[int], meta: Meta) -> None:
    """The signer: looked for up to 25 lines above "Nơi nhận", then from the body start."""
    sig_from = max(body_idx, (nn_idx - 25) if nn_idx is not None else body_idx)
    meta.signer = _signer(lines, sig_from) or (_signer(lines, body_idx) if sig_from > body_idx else None)


def _body_bounds(
    raw: RawDocument, lines: list[Line], body_idx: int, nn_idx: Optional[int], meta: Meta
) -> tuple[int, int]:
    """The body runs from the first body line to the signature (or "Nơi nhận")."""
    body_start = lines[body_idx].start if body_idx < len(lines) else len(raw.text)
    end_idx = nn_idx
    sig = meta.signer.source if meta.signer else None
    if sig and (end_idx is None or sig.start < lines[end_idx].start):
        end_idx = next(i for i, ln in enumerate(lines) if ln.start >= sig.start)
    body_end = lines[end_idx].start if end_idx is not None else len(raw.text)
    return body_start, body_end


_STAMPED_DATE = lex_re(r"$DAY_WORD\s*(\d{1,2})?\s*$MONTH_WORD\s*(\d{1,2})?\s*$YEAR_WORD\s*(\d{4})")


def _fill_from_stamps(raw: RawDocument, meta: Meta, sources: dict[str, Source]) -> None:
    """E-signed PDFs print number, day and month in signature stamps, in that order.

    The header then reads "Số: /UBND-XD" and "ngày tháng 7 năm 2026"; fill the
    blanks from the page-1 stamp texts that are bare numbers.
    """
    if meta.date is None:
        _date_from_signing_time(raw, meta, sources)
    stamps = [b for b in raw.blocks if b.kind == "paragraph" and b.style == "stamp" and b.page == 1]
    nums = [(raw.text[b.start : b.end].strip(), b) for b in stamps]
    nums = [(t, b) for t, b in nums if re.fullmatch(r"\d{1,5}", t)]
    if not nums:
        return
    filled = []
    if meta.symbol and meta.symbol.startswith(("/", "-")) and meta.number is None:
        t, b = nums.pop(0)
        meta.number, meta.symbol = t, t + meta.symbol
        sources["symbol"] = Source(page=b.page, start=b.start, end=b.end)
        filled.append("number")
    m = _STAMPED_DATE.match(meta.date_text or "")
    if m and (m.group(1) is None or m.group(2) is None):
        day, month = m.group(1), m.group(2)
        if day is None and nums:
            day = nums.pop(0)[0]
        if month is None and nums:
            month = nums.pop(0)[0]
        if day and month:
            try:
                meta.date = _date(int(m.group(3)), int(month), int(day)).isoformat()
                filled.append("date")
            except ValueError:
                pass
    if filled:
        raw.warnings.append(DocWarning(W_STAMP, f"{' and '.join(filled)} read from the e-signature stamp", page=1))


_SIGNED_AT = lex_re(r"$SIGNING_TIME_LABEL\s*:\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def _date_from_signing_time(raw: RawDocument, meta: Meta, sources: dict[str, Source]) -> None:
    """No readable date in the header (a scan with a handwritten day): the
    issuing body's e-signature "Thời gian ký: 02.04.2026 14:24:26" is put on
    the day the document is issued.  The date is taken with W202; date_text
    stays empty, since no date was printed in the header."""
    for b in raw.blocks:
        if b.kind != "paragraph" or b.style != "stamp":
            continue
        m = _SIGNED_AT.search(raw.text, b.start, b.end)
        if not m:
            continue
        try:
            meta.date = _date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            continue
        sources["date"] = Source(page=b.page, start=m.start(), end=m.end())
        raw.warnings.append(DocWarning(W_STAMP, "date read from the e-signature signing time", page=b.page))
        return


def _type_from_symbol(symbol: str, has_vv: bool) -> tuple[Optional[str], Optional[str]]:
    if has_vv:
        # no type line and a "V/v" subject: a công văn (NĐ 30/2020), whatever the code says
        # ("5467/CT-CS": CT is Cục Thuế there, not Chỉ thị)
        return "CV", "Công văn"
    m = re.search(r"/(?:\d{4}/)?([A-Za-zĐđ]+)-", symbol) or re.search(r"-([A-Za-zĐđ]+)/", symbol)
    if m:
        dt = doc_type_by_code(m.group(1))
        if dt:
            return dt.code, dt.name
    if has_vv or re.match(r"^\d*/[A-ZĐ]", symbol):
        return "CV", "Công văn"
    return None, None


def _province(meta: Meta, text: str) -> Optional[str]:
    for u in (meta.issuer, meta.parent_issuer):
        if u is None:
            continue
        m = _PROVINCE_IN_NAME.search(u.text)
        if m:
            p = province_name(m.group(1))
            if p:
                return p
    central = any(u is not None and _CENTRAL.match(u.text.upper()) for u in (meta.issuer, meta.parent_issuer))
    if central:
        return None
    if meta.place:
        p = province_name(meta.place)
        if p:
            return p
    found = find_provinces(text[:20000])
    if found:
        return max(set(found), key=lambda p: (found.count(p), -found.index(p)))
    return None


_NUMBER_LINE = Lex(r"(?m)^[\W_]*(?:$NUMBER_LABEL)\s*:?\s*\d*\s*/[\w./-]*[A-ZĐ]")
_RECIPIENTS_LINE = Lex(r"(?:$RECIPIENTS_LABEL)\s*:", re.I)


def looks_administrative(meta: Meta, text: str) -> bool:
    """An administrative document has a type, a number line ("Số: 12/KH-UBND", "Số: /CT-UBND") or
    a distribution list ("Nơi nhận:"); a page with none of them (an encyclopedia page, a Q&A
    article quoting laws) assigns nothing."""
    return bool(meta.doc_type or meta.symbol or _NUMBER_LINE.search(text) or _RECIPIENTS_LINE.search(text))
