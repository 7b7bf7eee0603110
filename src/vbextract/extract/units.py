"""Unit mentions: split a cell or phrase into single units and write each
unit's name (abbreviations expanded, province suffix removed).

This is the light layer tasks need; the gazetteer with ids, fuzzy matching
and the 2025 successors belongs to the units stage (a later issue), which
will fill ``unit_id``.  Phrase lists live in models/task_phrases.yaml and
models/unit_abbreviations.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import yaml

from ..data import data_path
from ..lexicon import find_provinces
from ..normalize import unify_tones
from ..schema import Source, UnitRef


@lru_cache(maxsize=None)
def phrases() -> dict:
    return yaml.safe_load(data_path("task_phrases.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _abbrev() -> tuple[tuple[re.Pattern[str], str], ...]:
    d = yaml.safe_load(data_path("unit_abbreviations.yaml").read_text(encoding="utf-8"))
    items = sorted(d.items(), key=lambda kv: len(kv[0]), reverse=True)
    return tuple((re.compile(r"(?<![\w&])" + re.escape(k) + r"(?![\w&])"), v) for k, v in items)


@lru_cache(maxsize=None)
def head_re() -> re.Pattern[str]:
    """A unit head word at a position ("Sở", "UBND", "Các sở", "Công an")."""
    heads = sorted(set(phrases()["unit_heads"]), key=len, reverse=True)
    # short heads that are also ordinary words ("Ban hành", "Hội nghị", "Đoàn kiểm tra")
    # name a body only before a capitalised word ("Ban Quản lý", "Hội Nông dân")
    named = set(phrases().get("heads_before_capital", []))
    alts = [re.escape(h) + (r"(?=\s+(?:[A-ZĐÀ-Ỹ0-9]|và\s))" if h in named else "") for h in heads]
    generic = r"[Cc]ác\s+(?:cơ quan|đơn vị|địa phương|sở|ban|phòng|ngành|bộ|tổ chức chính trị)"
    return re.compile(r"(?:" + generic + r"|(?:[Cc]ác\s+)?(?:" + "|".join(alts) + r"))(?![\wÀ-ỹ])")


# a list "các Sở: Tư pháp, Tài chính" distributes its head over the names
_DISTRIB = re.compile(r"^(?:[Cc]ác\s+)?(Sở|Bộ|Ban|Phòng|Cục|Vụ)\s*:\s*(.+)$")
_NOTE = re.compile(r"\s*\((?:chủ trì|phối hợp|đầu mối|thường trực|cơ quan thường trực|[^()]{0,40}(?:b/c|báo cáo|thực hiện))\)\s*$", re.I)
# "Sở Tư pháp nhiệm vụ trọng tâm liên ngành": what follows the unit is its scope
_SCOPE = re.compile(r"\s+(?=(?:nhiệm vụ|đối với|đổi với|trong lĩnh vực|về lĩnh vực|trong phạm vi|theo phạm vi|theo chức năng|căn cứ chức năng|trong đó|nhất là|đặc biệt là|chú trọng|ưu tiên)\s)")
_TRAIL = re.compile(r"[\s;,.:\-–]+$")
_LEAD = re.compile(r"^[\s\-–+•*;,.:]+")
_KEEP_LEVEL = re.compile(
    r"^(?:Ủy ban nhân dân|Hội đồng nhân dân|Văn phòng|Công an|Bộ Chỉ huy|Thanh tra|Trung tâm|Đài|Báo|Cổng|Ban|Tỉnh|Kho bạc|Thuế|Liên đoàn|Hội|Mặt trận|Ủy ban Mặt trận|Bộ đội)"
)


# after ", " or " và ", "các <noun>" starts another group ("Trung tâm Phục vụ hành chính
# công tỉnh, các ngân hàng"); not "các cấp", "các xã/phường" (a level or the places of the
# body before: "UBND các huyện, các xã"), nor the members of a fixed collective
# ("các sở, ban, ngành" is one group; its comma parts are no "các ...")
_OTHER_GROUP = re.compile(r"các\s+(?!cấp\b|xã\b|phường\b|thị trấn\b|huyện\b|quận\b|tỉnh\b|thành phố\b|thị xã\b|đặc khu\b)[^\W\d_]")


# the classes of central bodies are separate units: "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
_GOV_CLASS = re.compile(r"(?:[Tt]hủ trưởng\s+)?cơ quan\s+(?:ngang bộ|thuộc Chính phủ)\b")


def _paren_depth(text: str) -> list[int]:
    out, d = [], 0
    for ch in text:
        d += ch == "("
        out.append(d)
        d -= ch == ")" and d > 0
    return out


def _split_points(text: str) -> list[tuple[int, int]]:
    """(start, end) pieces of a unit list: ';', newlines, ',' or ' và ' before a head."""
    heads = head_re()
    cuts = [0]
    depth = _paren_depth(text)
    for m in re.finditer(r"[;\n]|,\s*(?=\S)|\s+(?:và|cùng)\s+(?=\S)|\s+-\s+(?=\S)", text):
        if depth[m.start()]:
            continue  # "(..., ...)" is a note inside one unit
        nxt = text[m.end():]
        if "\n" in m.group(0) and nxt[:1].islower() and not re.match(r"các\s", nxt):
            continue  # a name wrapped inside the cell: "UBND cấp" / "huyện"
        if m.group(0).strip() in (";", "") or "\n" in m.group(0):
            cuts.append(m.start())
            cuts.append(m.end())
            continue
        hm = heads.match(nxt)
        if hm and m.group(0).startswith(",") and nxt[:1].isupper() and re.match(r"\s+và\s+[A-ZĐÀ-Ỹ]", nxt[hm.end():]):
            continue  # "Phòng Đầu tư, Doanh nghiệp và Lao động": a field list inside one name, not a unit after the comma
        generic = re.match(r"các\s+[A-ZĐÀ-Ỹ]|(?:các\s+)?(?:cơ quan|đơn vị|địa phương|sở|ban|phòng|ngành)\b", nxt)
        if ((m.group(0).strip() in ("và", ",") and (_OTHER_GROUP.match(nxt) or _GOV_CLASS.match(nxt)))
                or re.match(r",\s*(?:các\s+)?tổ chức chính trị", m.group(0) + nxt)):
            # "UBMTTQ thành phố và các tổ chức chính trị - xã hội": 'và các' starts another group
            cuts.append(m.start())
            cuts.append(m.end())
            continue
        if (hm or (generic and m.group(0).strip() == "và")) and (nxt[:1].isupper() or generic):
            cuts.append(m.start())
            cuts.append(m.end())
    # a missing separator: "...công tỉnh Trung tâm Điều hành ..."
    for m in re.finditer(r"(?<=[a-zà-ỹđ])\s+(?=(?:Trung tâm|Sở|Phòng|Ban|Văn phòng|UBND|Công an|Ủy ban|Bộ Chỉ huy|Đài|Báo|Cổng|Thanh tra)\s+[A-ZĐÀ-Ỹ])", text):
        left = text[cuts[-1] if cuts[-1] <= m.start() else 0 : m.start()]
        prev_cut = max(c for c in cuts if c <= m.start())
        before = text[prev_cut : m.start()].split()
        # "... trực thuộc Ban Quản lý ...", "... của Sở ...": the unit after is part of the name
        if len(before) >= 3 and before[-1].lower() not in ("thuộc", "của", "cho", "với", "tại", "và", "trong"):
            cuts.append(m.start())
            cuts.append(m.end())
        del left
    cuts.append(len(text))
    cuts = sorted(set(cuts))
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        if seg.strip(" ;,\n") and not re.fullmatch(r"\s*(?:và|cùng|-)\s*", seg):
            pieces.append((a, b))
    return pieces


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
        m = _DISTRIB.match(t)
        if m:
            head = m.group(1)
            pos = 0
            for part in re.split(r",|\s+và\s+", m.group(2)):
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
        head = None
        lm = re.match(r"^(.+?)\s+(cấp\s+\S+)((?:\s*(?:,|và)\s*cấp\s+\S+)+)$", t)
        if lm:  # "Ban Chỉ huy ... cấp tỉnh, cấp xã", "UBND cấp huyện và cấp xã": one body per level
            for lv in [lm.group(2)] + re.findall(r"cấp\s+\S+", lm.group(3)):
                merged.append((f"{lm.group(1)} {lv}", s, e))
            continue
        merged.append((t, s, e))
    return merged


_GROUP_OF = re.compile(r"^(?:[Cc]ác|[Nn]hững)\s[^()]*?\s*\(([^()]+)\)$")


def _members(text: str) -> list[tuple[str, int, int]]:
    """The bodies a group names in parentheses, when it names two or more and
    each is a body ("Sở ...", "Ban quản lý ..."); else []."""
    m = _GROUP_OF.match(text)
    if not m:
        return []
    inner = split_units(m.group(1))
    if len(inner) < 2 or not all(head_re().match(t) and not t.lower().startswith(("các ", "những ")) for t, _, _ in inner):
        return []
    return [(t, m.start(1) + a, m.start(1) + b) for t, a, b in inner]


def is_collective(name: str) -> bool:
    low = name.lower()
    return bool(re.match(r"^(các|những|toàn thể)\s", low)) or "sở, ban, ngành" in low or "sở, ngành" in low


@lru_cache(maxsize=100_000)
def canonical_name(text: str) -> str:
    """Abbreviations expanded, province suffix removed, one tone convention."""
    t = re.sub(r"\s*\([^()]*\)", "", unify_tones(text)).strip()  # notes: "(chủ trì)", "(đầu mối chung)", "(cũ)"
    for pat, rep in _abbrev():
        t = pat.sub(rep, t)
    t = " ".join(t.split())
    # "Sở Tài chính tỉnh Đắk Lắk" -> "Sở Tài chính"; "UBND tỉnh Đắk Lắk" -> "Ủy ban nhân dân tỉnh"
    m = re.search(r"\s+(tỉnh|thành phố|Thành phố|TP\.?)\s+([A-ZĐÀ-Ỹ][^\s,;]*(?:\s+[A-ZĐÀ-Ỹ][^\s,;]*){0,3})\s*$", t)
    if m and find_provinces(f"tỉnh {m.group(2)}"):
        level = m.group(1)
        t = t[: m.start()] + ((" " + level.replace("TP.", "thành phố").replace("TP", "thành phố")) if _KEEP_LEVEL.match(t) else "")
    if re.match(r"^Sở\s", t):
        t = re.sub(r"\s+(tỉnh|thành phố)$", "", t)
    words = t.split()
    for n in (3, 2, 1):  # "Ban Xúc tiến ... Du lịch Quảng Ninh": a bare province name at the end
        if (len(words) - n >= 3 and words[-n - 1] not in ("đến", "từ", "và", "tại")  # "từ Hà Tĩnh đến Lâm Đồng": a place, not a suffix
                and find_provinces("tỉnh " + " ".join(words[-n:])) == [" ".join(words[-n:])]):
            t = " ".join(words[:-n])
            break
    t = t[:1].upper() + t[1:]
    return unify_tones(t)


def unit_ref(text: str, source: Optional[Source] = None) -> UnitRef:
    name = canonical_name(text)
    return UnitRef(text=text, unit_id=None, name=name, collective=is_collective(name), source=source)
