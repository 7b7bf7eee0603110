"""The gazetteer of government bodies (models/gazetteer.yaml) and the matcher
that gives a unit mention its canonical entry.

Matching, in order, on the mention's canonical name (abbreviations expanded
and province suffix removed by ``extract.unit_mentions.canonical_name``), with a
head's title ("Giám đốc", "Thủ trưởng", "Chủ tịch") dropped:

1. exact match of the match key (lower case, one tone convention) against
   every name and alias;
2. exact match of the ASCII fold (text typed without diacritics), only when
   it points at one entry;
3. rapidfuzz ``fuzz.ratio`` against all keys (``process.extractOne`` over a
   prepared choice list) with a cut-off chosen on the dev set
   (``FUZZY_CUTOFF``), guarded so near misses never merge: the head word
   (Sở, Bộ, Ban, ...) must be the same, and the distinguishing rest must match
   closely too ("Sở Tư pháp" vs "Sở Tài chính", "Bộ Tài chính" vs "Sở Tài
   chính").

Anything else stays unknown (``unit_id`` null): a wrong canonical unit
misleads an auditor more than a missing one.  Results are cached per text.

underthesea was not used here: its word segmentation splits the abbreviations
and symbols this matcher relies on ("KH&ĐT", "PT-TH"), and unit lists are
split by our own grammar (extract/unit_mentions.py) on the separators Vietnamese
administrative writing uses; fuzzy matching needs no tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, field_validator
from rapidfuzz import fuzz, process

from .data import load_yaml
from .extract.unit_mentions import canonical_name
from .normalize import fold, match_key

FUZZY_CUTOFF = 92.0  # chosen on the dev set mentions (see tests/test_gazetteer.py)
TAIL_CUTOFF = 88.0  # the part after the head word must match at least this well

Type = Literal[
    "legislature",
    "state_president",
    "government",
    "prime_minister",
    "ministry",
    "ministry_level",
    "government_agency",
    "party",
    "party_committee",
    "front",
    "mass_organization",
    "court",
    "procuracy",
    "audit",
    "people_council",
    "people_committee",
    "office",
    "department",
    "inspectorate",
    "police",
    "military",
    "border_guard",
    "management_board",
    "media",
    "service_center",
    "collective",
    "other",
]
Level = Literal["central", "province", "district", "commune", "any"]


class GazEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    type: Type
    level: Level
    code: Optional[str] = None
    aliases: list[str] = []
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    successor: Optional[str] = None
    note: Optional[str] = None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", v):
            raise ValueError(f"id must be a lowercase ASCII slug: {v!r}")
        return v


@dataclass(frozen=True)
class Match:
    unit_id: Optional[str]
    name: str
    score: float
    how: str  # "exact", "fold", "fuzzy", "none"


_TITLE = re.compile(
    r"^(?:giám đốc|phó giám đốc|thủ trưởng|chủ tịch|phó chủ tịch|người đứng đầu|lãnh đạo|trưởng|chánh|bộ trưởng|tổng giám đốc)\s+(?=(?:các\s+)?(?:sở|ban|bộ|ủy ban|văn phòng|cơ quan|đơn vị|trung tâm|công an|thanh tra|phòng|đài|báo|kho bạc|thuế|hội|liên đoàn|mặt trận)\b)"
)


class Gazetteer:
    """All entries, their keys, and the matcher."""

    def __init__(self, entries: list[GazEntry]) -> None:
        self.entries = {e.id: e for e in entries}
        self._exact: dict[str, str] = {}
        self._fold: dict[str, set[str]] = {}
        for e in entries:
            for text in [e.name, *e.aliases]:
                # an alias is keyed as written and as mentions are: abbreviations expanded
                for k in {_key(text), _key(canonical_name(text))}:
                    self._exact.setdefault(k, e.id)
                    self._fold.setdefault(fold(k), set()).add(e.id)
        self._loose: dict[str, set[str]] = {}
        for k, uid in self._exact.items():
            self._loose.setdefault(_loose(k), set()).add(uid)
        self._choices = list(self._exact)
        self._choice_ids = [self._exact[k] for k in self._choices]

    def get(self, unit_id: str) -> GazEntry:
        return self.entries[unit_id]

    def successor_of(self, unit_id: Optional[str]) -> Optional[GazEntry]:
        """The body that took over a dissolved one (following a chain), or None."""
        seen = set()
        e = self.entries.get(unit_id or "")
        while e is not None and e.successor and e.successor not in seen:
            seen.add(e.successor)
            e = self.entries.get(e.successor)
            if e is not None and not e.successor:
                return e
        return None

    def match(self, name: str) -> Match:
        return _match_cached(self, name)

    def known_prefix(self, words: list[str]) -> int:
        """How many of ``words`` form the longest prefix that names a known body exactly
        (as its name or an alias, abbreviations expanded); 0 when none does.  Used to end a
        unit phrase that ran on into its verb ("Văn phòng UBND tỉnh phân loại ...") when no
        listed verb ended it."""
        for n in range(len(words), 1, -1):
            k = _key(" ".join(words[:n]))
            if k in self._exact or (k and len(self._fold.get(fold(k), ())) == 1):
                return n
        return 0

    def _match(self, name: str) -> Match:
        k = _key(name)
        if not k:
            return Match(None, name, 0.0, "none")
        if k in self._exact:
            return self._hit(self._exact[k], 100.0, "exact")
        ids = self._fold.get(fold(k))
        if ids and len(ids) == 1:
            return self._hit(next(iter(ids)), 99.0, "fold")
        lk = _loose(k)
        ids = self._loose.get(lk) if lk != k else None  # only when qualifiers were dropped
        if ids and len(ids) == 1:  # "các sở, ngành có liên quan" = "các sở, ban, ngành"
            return self._hit(next(iter(ids)), 98.0, "loose")
        best = process.extractOne(k, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is not None and _same_head(k, best[0]) and not best[0].startswith(k):  # "ủy ban nhân dân cấp" is cut
            return self._hit(self._exact[best[0]], float(best[1]), "fuzzy")
        return Match(None, name, 0.0, "none")

    def _hit(self, unit_id: str, score: float, how: str) -> Match:
        return Match(unit_id, self.entries[unit_id].name, score, how)


# titles in recipient lines: "Chánh VP, các PVP UBND tỉnh" is the office, "CT, PCT UBND TP" the committee
_VP_TITLES = re.compile(
    r"^(?:(?:các\s+)?(?:chánh văn phòng|chánh vp|chánh|cvp|pcvp|pvp|phó cvp|phó chánh văn phòng|lđvp)\s*(?:,|và)?\s*)+(?=(?:ủy ban|hội đồng)\b)"
)
_HEAD_TITLES = re.compile(r"^(?:(?:các\s+)?(?:phó\s+)?(?:chủ tịch|ct|pct)\.?\s*(?:,|và)?\s*)+(?=(?:ủy ban|hội đồng)\b)")


def _loose(k: str) -> str:
    """A looser key: qualifiers and descriptions dropped ("có liên quan", "khác", "cấp tỉnh")."""
    k = re.sub(r"\s+(?:với|được|theo|thường xuyên|chủ trì|quản lý lĩnh vực|trên địa bàn)\b.*$", "", k)
    k = re.sub(r"^(?:các|những)\s+", "", k)
    prev = None
    while prev != k:
        prev = k
        k = re.sub(r"\s+(?:có liên quan|liên quan|khác|cấp tỉnh)$", "", k)
    return " ".join(k.replace(",", " ").split())


def _key(text: str) -> str:
    k = match_key(text)
    k = re.sub(r"\s*\([^()]*\)", "", k)
    k = re.sub(r"^(\S+\s+\S+[^:]*?)\s*:.*$", r"\1", k)  # "vp ubnd tỉnh: lđvp, các phòng": the body before the list
    k = re.sub(r"^tt\.?\s+(?=(?:hội đồng|hđnd|tỉnh ủy|thành ủy))", "thường trực ", k)
    k = _VP_TITLES.sub("văn phòng ", k)
    k = _HEAD_TITLES.sub("", k)
    k = _TITLE.sub("", k)
    k = re.sub(r"[.;:,]+$", "", k).strip()
    # the level word of a provincial body is folded away on both sides (the data lists names
    # without it), and a centrally governed city's bodies are the provincial ones:
    # "Công an thành phố" = "Công an tỉnh" = "Công an"
    k = re.sub(r"\s+của\s+(?:tỉnh|thành phố|tp\.?)$", "", k)
    return re.sub(r"\s+(?:tỉnh|tinh|thành phố|tp\.?)$", "", k)  # 'tinh': a lost tone mark


def _same_head(a: str, b: str) -> bool:
    """Guard against near misses: same first word, and the rest close enough."""
    wa, wb = a.split(" ", 1), b.split(" ", 1)
    if wa[0] != wb[0]:
        return False
    ta, tb = (wa[1] if len(wa) > 1 else ""), (wb[1] if len(wb) > 1 else "")
    return fuzz.ratio(ta, tb) >= TAIL_CUTOFF


@lru_cache(maxsize=100_000)
def _match_cached(g: Gazetteer, name: str) -> Match:
    return g._match(name)


@lru_cache(maxsize=None)
def gazetteer() -> Gazetteer:
    rows = load_yaml("gazetteer.yaml") or []
    return Gazetteer([GazEntry(**r) for r in rows])


def check(g: Gazetteer) -> list[str]:
    """Integrity problems of the data (empty list when sound)."""
    problems = []
    seen: dict[str, str] = {}
    for e in g.entries.values():
        if e.successor and e.successor not in g.entries:
            problems.append(f"{e.id}: successor {e.successor} is not an entry")
        if e.valid_from and e.valid_to and e.valid_from > e.valid_to:
            problems.append(f"{e.id}: valid_from after valid_to")
        if e.successor and not e.valid_to:
            problems.append(f"{e.id}: has a successor but no valid_to")
        for text in [e.name, *e.aliases]:
            k = _key(text)
            if k in seen and seen[k] != e.id:
                problems.append(f"{text!r} names both {seen[k]} and {e.id}")
            seen[k] = e.id
    return problems
