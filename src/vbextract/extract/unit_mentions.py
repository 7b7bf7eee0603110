"""Unit mentions: split a cell or phrase that names units into single units, and write
each unit's name (abbreviations expanded, province suffix removed).

The words this reads (unit heads, titles, scope, level and link words) are blocks of
models/lexicon.yaml; abbreviations are models/unit_abbreviations.yaml.  Matching a name
against the gazetteer (ids, successors) is the units stage (extract/unitlist.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import yaml

from ..data import data_path
from ..lexicon import Lex, alt, find_provinces, province_name, provinces, words
from ..normalize import unify_tones
from ..schema import Source, UnitRef


@lru_cache(maxsize=None)
def _abbrev() -> tuple[tuple[re.Pattern[str], str], ...]:
    d = yaml.safe_load(data_path("unit_abbreviations.yaml").read_text(encoding="utf-8"))
    items = sorted(d.items(), key=lambda kv: len(kv[0]), reverse=True)
    return tuple((re.compile(r"(?<![\w&])" + re.escape(k) + r"(?![\w&])"), v) for k, v in items)


@lru_cache(maxsize=None)
def head_re() -> re.Pattern[str]:
    """A unit head word at a position ("Sở", "UBND", "Các sở", "Công an")."""
    named = set(words("HEAD_BEFORE_CAPITAL"))
    heads = sorted(set(words("UNIT_HEAD")), key=len, reverse=True)
    # short heads that are also ordinary words ("Ban hành", "Hội nghị", "Đoàn kiểm tra")
    # name a body only before a capitalised word ("Ban Quản lý", "Hội Nông dân")
    alts = [re.escape(h) + (r"(?=\s+(?:[A-ZĐÀ-Ỹ0-9]|và\s))" if h in named else "") for h in heads]
    generic = r"[Cc]ác\s+" + alt("GROUP_NOUN")
    return re.compile(r"(?:" + generic + r"|(?:[Cc]ác\s+)?(?:" + "|".join(alts) + r"))(?![\wÀ-ỹ])")


# a list "các Sở: Tư pháp, Tài chính" distributes its head over the names
_DISTRIB = Lex(r"^(?:[Cc]ác\s+)?($DISTRIBUTIVE_HEAD)\s*:\s*(.+)$")
# "UBND các xã: A, B, C": the body of each place named -> UBND xã A, UBND xã B, UBND xã C
_DISTRIB_LEVEL = Lex(r"^(.+?\s(?:$PLACE_LEVEL_NOUN))\s*:\s*(.+)$")
# "Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Huế": each province's own,
# with its own level word (tỉnh Hà Tĩnh, thành phố Huế)
_DISTRIB_PROVINCES = Lex(r"^(.+?)\s+các\s+tỉnh(?:,\s*|\s+và\s+)thành phố(?:\s+trực thuộc\s+[Tt]rung ương)?\s*:\s*(.+)$")
# "Sở Tư pháp nhiệm vụ trọng tâm liên ngành": what follows the unit is its scope
_SCOPE = Lex(r"\s+(?=$SCOPE\s)")
_TRAIL = re.compile(r"[\s;,.:\-–]+$")
_LEAD = re.compile(r"^[\s\-–+•*;,.:]+")
_KEEP_LEVEL = Lex(r"^$KEEP_LEVEL_HEAD")


# after ", " or " và ", "các <noun>" starts another group ("Trung tâm Phục vụ hành chính
# công tỉnh, các ngân hàng"); not "các cấp", "các xã/phường" (a level or the places of the
# body before: "UBND các huyện, các xã"), nor the members of a fixed collective
# ("các sở, ban, ngành" is one group; its comma parts are no "các ...")
_OTHER_GROUP = Lex(r"các\s+(?!$LEVEL_OR_PLACE\b)[^\W\d_]")


# the classes of central bodies are separate units: "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
_GOV_CLASS = Lex(r"$GOV_CLASS")
_SEPARATOR = Lex(r"[;\n]|,\s*(?=\S)|\s+$CONJUNCTION\s+(?=\S)|\s+-\s+(?=\S)")
_GENERIC = Lex(r"các\s+[A-ZĐÀ-Ỹ]|(?:các\s+)?$GENERIC_GROUP\b")
_POLITICAL = Lex(r",\s*(?:các\s+)?$POLITICAL_ORGS")
_NO_SEPARATOR = Lex(r"(?<=[a-zà-ỹđ])\s+(?=$SEPARATOR_HEAD\s+[A-ZĐÀ-Ỹ])")
_BARE_CONJ = Lex(r"\s*(?:$CONJUNCTION|-)\s*")
_LEVELS = Lex(r"^(.+?)\s+($LEVEL\s+\S+)((?:\s*(?:,|và)\s*$LEVEL\s+\S+)+)$")
_LEVEL_WORD = Lex(r"$LEVEL\s+\S+")


def _paren_depth(text: str) -> list[int]:
    out, d = [], 0
    for ch in text:
        d += ch == "("
        out.append(d)
        d -= ch == ")" and d > 0
    return out


def _group_boundary(sep: str, nxt: str, prev: str, generic: bool) -> Optional[bool]:
    """Rules about groups at a separator: True (a new unit starts), False (the same unit goes
    on), None (no rule here: the head rules decide)."""
    s = sep.strip()
    body = prev.strip(" ,;")
    if generic and sep.startswith(",") and _NAMED_BODY.match(body) and not _HAS_SEPARATOR.search(body):
        return True  # "Sở Y tế, địa phương": a group after a named body is another unit
    if s == "-" and _JOINT_OFFICE.match(prev.lstrip(" ,;")):
        return False  # "Văn phòng HĐND - UBND cấp xã": one office serving two bodies
    if s in (",", "và") and _PLACE_AT.match(nxt) and _HEAD_AT_PLACE.match(prev):
        return True  # "UBND thành phố Hà Nội, Thành phố Hồ Chí Minh": a second place under the same head
    if sep.startswith(",") and _CAC.match(nxt):
        return True  # "Các quân khu, các tỉnh": 'các' after a comma starts another group
    if (s in ("và", ",") and (_OTHER_GROUP.match(nxt) or _GOV_CLASS.match(nxt))) or _POLITICAL.match(sep + nxt):
        return True  # "UBMTTQ thành phố và các tổ chức chính trị - xã hội": 'và các' starts another group
    return None


def _split_points(text: str) -> list[tuple[int, int]]:
    """(start, end) pieces of a unit list: ';', newlines, ',' or ' và ' before a head."""
    heads = head_re()
    cuts = [0]
    depth = _paren_depth(text)
    for m in _SEPARATOR.finditer(text):
        if depth[m.start()]:
            continue  # "(..., ...)" is a note inside one unit
        nxt = text[m.end() :]
        if "\n" in m.group(0) and nxt[:1].islower() and not _CAC.match(nxt):
            continue  # a name wrapped inside the cell: "UBND cấp" / "huyện"
        if m.group(0).strip() in (";", "") or "\n" in m.group(0):
            cuts.append(m.start())
            cuts.append(m.end())
            continue
        hm = heads.match(nxt)
        head_end = hm.end() if hm else (_known_body(nxt) if m.group(0).strip() in (",", "và") else 0)
        if head_end and m.group(0).startswith(",") and nxt[:1].isupper() and _AND_NAME.match(nxt[head_end:]):
            continue  # "Phòng Đầu tư, Doanh nghiệp và Lao động": a field list inside one name, not a unit after the comma
        generic = _GENERIC.match(nxt)
        prev = text[max(c for c in cuts if c <= m.start()) : m.start()]
        group = _group_boundary(m.group(0), nxt, prev, bool(generic))
        if group is not None:
            if group:
                cuts.append(m.start())
                cuts.append(m.end())
            continue
        if (head_end or (generic and m.group(0).strip() == "và")) and (nxt[:1].isupper() or generic):
            cuts.append(m.start())
            cuts.append(m.end())
    # a missing separator: "...công tỉnh Trung tâm Điều hành ..."
    for m in _NO_SEPARATOR.finditer(text):
        prev_cut = max(c for c in cuts if c <= m.start())
        before = text[prev_cut : m.start()].split()
        # "... trực thuộc Ban Quản lý ...", "... của Sở ...": the unit after is part of the name;
        # "Ủy viên thường trực Ban Chỉ đạo": a title's body is part of it too
        titled = _TITLE_AT.match(text[prev_cut : m.end()].lstrip(" ,;"))
        if len(before) >= 3 and before[-1].lower() not in words("LINK_WORD") and not titled:
            cuts.append(m.start())
            cuts.append(m.end())
    cuts.append(len(text))
    cuts = sorted(set(cuts))
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        if seg.strip(" ;,\n") and not _BARE_CONJ.fullmatch(seg):
            pieces.append((a, b))
    return pieces


def _each_province(t: str, s: int) -> list[tuple[str, int, int]]:
    """'Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Huế' -> the body of each
    province, with the province's own level word; [] when the names are not all provinces."""
    pv = _DISTRIB_PROVINCES.match(t)
    if not pv or not all(province_name(x.strip()) for x in _LIST_SEP.split(pv.group(2)) if x.strip()):
        return []
    out, pos = [], 0
    for part in _LIST_SEP.split(pv.group(2)):
        name = part.strip()
        if not name:
            continue
        pos = pv.group(2).find(name, pos)
        off = s + pv.start(2) + pos
        pos += len(name)
        prov = next(x for x in provinces() if x.name == province_name(name))
        level = "thành phố" if prov.type == "thanh_pho" else "tỉnh"
        out.append((f"{pv.group(1)} {level} {name}", off, off + len(name)))
    return out


def split_units(text: str) -> list[tuple[str, int, int]]:
    """A cell or phrase naming units -> [(unit text, start, end)] in order."""
    out: list[tuple[str, int, int]] = []
    for a, b in _split_points(text):
        seg = text[a:b]
        lead = len(seg) - len(_LEAD.sub("", seg))
        seg2 = _TRAIL.sub("", _SCOPE.split(seg[lead:], maxsplit=1)[0])
        s, e = a + lead, a + lead + len(seg2)
        if not seg2:
            continue
        out.append((seg2, s, e))
    # distribute "các Sở: Tư pháp, Tài chính" (the split cut it at the commas)
    merged: list[tuple[str, int, int]] = []
    head: Optional[str] = None
    for t, s, e in out:
        members = _members(t)
        if members:  # "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế ...)": the bodies named
            merged.extend((mt, s + ms, s + me) for mt, ms, me in members)
            head = None
            continue
        each = _each_province(t, s)
        if each:
            merged.extend(each)
            head = None
            continue
        m = _DISTRIB.match(t) or _DISTRIB_LEVEL.match(t)
        if m:
            head = re.sub(r"\s[Cc]ác\s", " ", m.group(1))
            pos = 0
            for part in _LIST_SEP.split(m.group(2)):
                name = part.strip()
                pos = m.group(2).find(name, pos) if name else pos
                if name:
                    off = s + m.start(2) + pos
                    merged.append((name if head_re().match(name) else f"{head} {name}", off, off + len(name)))
                    pos += len(name)
            continue
        if head and not head_re().match(t) and t[:1].isupper() and len(t.split()) <= 5:
            merged.append((f"{head} {t}", s, e))
            continue
        cm = _PLACE_GROUP.match(t)
        if cm and merged and (hm := _HEAD_BEFORE_CAC.match(merged[-1][0])):
            merged.append((f"{hm.group(1)} {t}", s, e))  # "UBND các huyện, các xã": UBND of each
            continue
        pm = _PLACE_AT.match(t)
        if pm and merged and (hm := _HEAD_AT_PLACE.match(merged[-1][0])):
            merged.append((f"{hm.group(1)} {t}", s, e))  # the shared head: "UBND" + "Thành phố Hồ Chí Minh"
            continue
        head = None
        lm = _LEVELS.match(t)
        if lm:  # "Ban Chỉ huy ... cấp tỉnh, cấp xã", "UBND cấp huyện và cấp xã": one body per level
            for lv in [lm.group(2)] + _LEVEL_WORD.findall(lm.group(3)):
                merged.append((f"{lm.group(1)} {lv}", s, e))
            continue
        merged.append((t, s, e))
    return merged


_CAC = Lex(r"các\s")
# a named body: a head and a capitalised name ("Sở Y tế", "Bộ Xây dựng"), not a group ("Các sở")
_HAS_SEPARATOR = re.compile(r"[,;]|\s(?:Các|các)\s")
_NAMED_BODY = Lex(r"^(?!(?:$COLLECTIVE_START)\s)(?:$UNIT_HEAD)\s+[A-ZĐÀ-Ỹ]")


def _known_body(text: str) -> int:
    """'Đài truyền hình Việt Nam, ...': where a body the gazetteer knows ends at the start of the
    text, whatever its case (the head list wants 'Đài' before a capital); 0 when none does."""
    from ..gazetteer import gazetteer  # the gazetteer canonicalises names with this module

    ws = text.split()[:8]
    if not ws or not ws[0][:1].isupper() or ws[0].endswith((",", ";")):
        return 0
    n = gazetteer().known_prefix(ws)
    return len(" ".join(ws[:n])) if n else 0


_JOINT_OFFICE = Lex(r"^$JOINT_OFFICE_HEAD\s")
_TITLE_AT = Lex(r"(?:[Cc]ác\s+)?$TITLE_START")
_HEAD_BEFORE_CAC = Lex(r"^(\S.*?)\s+$PLACE_LEVEL_NOUN\b")
_PLACE_GROUP = Lex(r"^$PLACE_LEVEL_NOUN\b")
_PLACE_AT = Lex(r"^(?:$PROVINCE_LEVEL|Tỉnh)\s+[A-ZĐÀ-Ỹ]")
_HEAD_AT_PLACE = Lex(r"^(.+?)\s+(?:$PROVINCE_LEVEL)\s+[A-ZĐÀ-Ỹ]")
_AND_NAME = Lex(r"\s+và\s+[A-ZĐÀ-Ỹ]")
_LIST_SEP = Lex(r",|\s+và\s+")
_COLLECTIVE = Lex(r"^$COLLECTIVE_START\s")
_PROVINCE_SUFFIX = Lex(r"\s+($PROVINCE_LEVEL)\s+([A-ZĐÀ-Ỹ][^\s,;]*(?:\s+[A-ZĐÀ-Ỹ][^\s,;]*){0,3})\s*$")
_DEPARTMENT = Lex(r"^Sở\s")
_DEPARTMENT_LEVEL = Lex(r"\s+(tỉnh|thành phố)$")
_DISTRIB_GROUP = Lex(r"^[Cc]ác\s+(?:$DISTRIBUTIVE_HEAD)\b", re.I)
_NOT_A_NAME = re.compile(r"[;…]|\.\.")
_GROUP_OF = Lex(r"^$COLLECTIVE_START\s[^()]*?\s*\(([^()]+)\)$")


def _members(text: str) -> list[tuple[str, int, int]]:
    """The bodies a group names in parentheses, when it names two or more and
    each is a body ("Sở ...", "Ban quản lý ..."); else []."""
    m = _GROUP_OF.match(text)
    if not m:
        return []
    inner = split_units(m.group(1))
    if len(inner) >= 2 and all(
        head_re().match(t) and not t.lower().startswith(("các ", "những ")) for t, _, _ in inner
    ):
        return [(t, m.start(1) + a, m.start(1) + b) for t, a, b in inner]
    # "các nhà mạng (Viettel, VNPT, MobiFone)": proper names, each a member, whatever its words
    names, pos = [], 0
    for part in _LIST_SEP.split(m.group(1)):
        name = part.strip()
        pos = m.group(1).find(name, pos)
        names.append((name, m.start(1) + pos, m.start(1) + pos + len(name)))
        pos += len(name)
    if (
        len(names) >= 2
        and not _DISTRIB_GROUP.match(text)  # "Các sở, ban, ngành (Y tế, Giáo dục...)": fields, not members
        and all(n[:1].isupper() and len(n.split()) <= 5 and not _NOT_A_NAME.search(n) for n, _, _ in names)
    ):
        return names
    return []


def is_collective(name: str) -> bool:
    low = name.lower()
    return bool(_COLLECTIVE.match(low)) or any(p in low for p in words("COLLECTIVE_PHRASE"))


@lru_cache(maxsize=100_000)
def canonical_name(text: str) -> str:
    """Abbreviations expanded, province suffix removed, one tone convention."""
    t = re.sub(r"\s*\([^()]*\)", "", unify_tones(text)).strip()  # notes: "(chủ trì)", "(đầu mối chung)", "(cũ)"
    for pat, rep in _abbrev():
        t = pat.sub(rep, t)
    t = " ".join(t.split())
    # "Sở Tài chính tỉnh Đắk Lắk" -> "Sở Tài chính"; "UBND tỉnh Đắk Lắk" -> "Ủy ban nhân dân tỉnh"
    m = _PROVINCE_SUFFIX.search(t)
    if m and find_provinces(f"tỉnh {m.group(2)}"):
        level = m.group(1)
        t = t[: m.start()] + (
            (" " + level.replace("TP.", "thành phố").replace("TP", "thành phố")) if _KEEP_LEVEL.match(t) else ""
        )
    if _DEPARTMENT.match(t):
        t = _DEPARTMENT_LEVEL.sub("", t)
    ws = t.split()
    for n in (3, 2, 1):  # "Ban Xúc tiến ... Du lịch Quảng Ninh": a bare province name at the end
        if (
            len(ws) - n >= 3
            and ws[-n - 1] not in words("PLACE_PREPOSITION")  # "từ Hà Tĩnh đến Lâm Đồng": a place, not a suffix
            and " ".join(ws[-n:]) not in words("PERSON_NAME_NOT_PLACE")
            and find_provinces("tỉnh " + " ".join(ws[-n:])) == [" ".join(ws[-n:])]
        ):
            t = " ".join(ws[:-n])
            break
    t = t[:1].upper() + t[1:]
    return unify_tones(t)


def unit_ref(text: str, source: Optional[Source] = None) -> UnitRef:
    name = canonical_name(text)
    return UnitRef(text=text, unit_id=None, name=name, collective=is_collective(name), source=source)
