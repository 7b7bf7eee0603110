"""Loaders for the small word lists under models/: document types, provinces,
fixed capitalisation.  Each loader validates its file (pydantic, extra keys
forbidden) and is cached; tests/test_lexicon.py checks the files."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Iterator, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from .data import data_path
from .normalize import fold, match_key


class DocType(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str


class Province(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    aliases: list[str] = []
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    merged_into: Optional[str] = None


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    rows = yaml.safe_load(data_path("doc_types.yaml").read_text(encoding="utf-8"))
    return tuple(DocType(**r) for r in rows)


def doc_type_by_code(code: str) -> Optional[DocType]:
    key = fold(code)
    return next((t for t in doc_types() if fold(t.code) == key), None)


def doc_type_by_name(name: str) -> Optional[DocType]:
    key = match_key(name)
    return next((t for t in doc_types() if match_key(t.name) == key), None)


@lru_cache(maxsize=None)
def provinces() -> tuple[Province, ...]:
    """All 63 + 34 units: old ones with valid_to/merged_into, new ones with valid_from."""
    d = yaml.safe_load(data_path("provinces.yaml").read_text(encoding="utf-8"))
    out: list[Province] = [Province(**p) for p in d["kept"]]
    for new, spec in d["merged"].items():
        out.append(Province(name=new, type=spec["type"], valid_from="2025-07-01"))
        for old in spec["from"]:
            out.append(Province(name=old, type="tinh", valid_to="2025-06-30", merged_into=new))
    return tuple(out)


@lru_cache(maxsize=None)
def _province_index() -> dict[str, str]:
    d = yaml.safe_load(data_path("provinces.yaml").read_text(encoding="utf-8"))
    idx: dict[str, str] = {}
    for p in provinces():
        idx[fold(p.name)] = p.name
        for a in p.aliases:
            idx[fold(a)] = p.name
    for alias, name in (d.get("aliases") or {}).items():
        idx[fold(alias)] = name
    return idx


_PROV_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?|t\.p\.?)\s+", re.I)


def province_name(text: str) -> Optional[str]:
    """'TỈNH ĐỒNG NAI', 'Thành phố Hồ Chí Minh', 'TP. HCM' -> canonical name, else None."""
    t = text.strip(" ,.*")
    key = fold(t)
    idx = _province_index()
    if key in idx:
        return idx[key]
    t2 = _PROV_PREFIX.sub("", t)
    return idx.get(fold(t2))


def find_provinces(text: str) -> list[str]:
    """Province names mentioned after 'tỉnh'/'thành phố' in running text, in order."""
    out = []
    for m in re.finditer(
        r"\b(?:tỉnh|Tỉnh|TỈNH|thành phố|Thành phố|THÀNH PHỐ)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹđ]*\s?){1,4})", text
    ):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            p = province_name(" ".join(words[:n]))
            if p:
                out.append(p)
                break
    return out


@lru_cache(maxsize=None)
def _proper_phrases() -> tuple[str, ...]:
    lines = data_path("proper_names.txt").read_text(encoding="utf-8").splitlines()
    phrases = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    phrases += [p.name for p in provinces()]
    return tuple(sorted(set(phrases), key=len, reverse=True))


def normal_case(caps: str) -> str:
    """Write an ALL-CAPS name in normal case: 'SỞ TÀI CHÍNH' -> 'Sở Tài chính'.

    Lines already in mixed case are returned unchanged.
    """
    s = " ".join(caps.split())
    letters = [c for c in s if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return s
    keep = set(words("KEEP_CAPS"))  # the wording ($NAME) is in models/lexicon.yaml
    s = " ".join(w if w.strip(",.;:()") in keep else w.lower() for w in s.split(" "))
    s = s[:1].upper() + s[1:]
    for phrase in _proper_phrases():
        s = re.sub(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", phrase, s, flags=re.I)
    # 'Sở Giáo dục và Đào tạo', 'Bộ Văn hóa, Thể thao và Du lịch': each conjunct capitalised
    if lex_re(r"^$CONJUNCT_CAPITAL_HEAD\s").match(s):
        s = lex_re(r"^($CONJUNCT_CAPITAL_HEAD) (\w)").sub(lambda m: f"{m.group(1)} {m.group(2).upper()}", s)
        s = re.sub(r"(\bvà |, | - )(\w)", lambda m: m.group(1) + m.group(2).upper(), s)
    s = lex_re(r"^($PEOPLES_BODY) (Tỉnh|Thành phố)\b").sub(lambda m: f"{m.group(1)} {m.group(2).lower()}", s)
    return s


# --- Vietnamese plausibility -------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """The syllable list shipped in models/vi_syllables.txt ("#" lines are comments)."""
    text = data_path("vi_syllables.txt").read_text(encoding="utf-8")
    return frozenset(x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#"))


def vietnamese_share(text: str, min_words: int = 30) -> Optional[float]:
    """Share of the words (letters only, at most 7) that are listed Vietnamese
    syllables, or None below ``min_words`` words.  Real pages of the corpus
    score 0.83-0.98; TCVN3/VNI mojibake ("Céng hoµ") about 0.15 and text that
    lost its diacritics about 0.35, so 0.5 separates them with room."""
    words = [w.lower() for w in _WORD.findall(text) if len(w) <= 7]
    if len(words) < min_words:
        return None
    vocab = syllables()
    return sum(w in vocab for w in words) / len(words)


# --- The lexicon: named building blocks (models/lexicon.yaml) ------------------
# reporters-db keeps its regex pieces as named, commented data and refers to them as
# $name; we do the same so a wording lives in one place and every stage reads it.

_REF = re.compile(r"\$([A-Z][A-Z0-9_]*)")


class LexBlock(BaseModel):
    """One named block: literal ``words`` (matched longest first) or a regex ``pattern``
    that may refer to other blocks as ``$NAME``."""

    model_config = ConfigDict(extra="forbid")
    note: str
    words: list[str] = []
    pattern: Optional[str] = None
    # the words are another file's list, filled in when loaded (one copy of the list)
    words_from: Optional[Literal["doc_types.name"]] = None
    case: Literal["as_written", "first_either"] = "as_written"
    folded: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "LexBlock":
        if bool(self.words) + bool(self.pattern) + bool(self.words_from) != 1:
            raise ValueError("a block has either words, a pattern or words_from")
        if self.pattern and self.case != "as_written":
            raise ValueError("case applies to words only")
        return self


@lru_cache(maxsize=None)
def lexicon() -> dict[str, LexBlock]:
    """All blocks of models/lexicon.yaml, validated; every $NAME must name a block."""
    raw = yaml.safe_load(data_path("lexicon.yaml").read_text(encoding="utf-8"))
    blocks = {name: LexBlock(**spec) for name, spec in raw.items()}
    for name, b in blocks.items():
        if b.words_from == "doc_types.name":
            blocks[name] = b.model_copy(update={"words": [t.name for t in doc_types()]})
    bad = [n for n in blocks if not re.fullmatch(r"[A-Z][A-Z0-9_]*", n)]
    unknown = sorted({r for b in blocks.values() if b.pattern for r in _REF.findall(b.pattern)} - set(blocks))
    if bad or unknown:
        raise ValueError(f"lexicon.yaml: bad block names {bad}, unknown references {unknown}")
    return blocks


def block(name: str) -> LexBlock:
    """The block ``name``; an unknown name is an error that lists the known ones."""
    blocks = lexicon()
    if name not in blocks:
        raise KeyError(f"no lexicon block {name!r}; known: {', '.join(sorted(blocks))}")
    return blocks[name]


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The words of a block as written (folded for a ``folded`` block), file order."""
    b = block(name)
    if not b.words:
        raise ValueError(f"lexicon block {name} is a pattern, not a word list")
    return tuple(fold(w) for w in b.words) if b.folded else tuple(b.words)


def _either(w: str) -> str:
    head = w[:1]
    if head.lower() == head.upper():
        return re.escape(w)
    return f"[{head.upper()}{head.lower()}]" + re.escape(w[1:])


@lru_cache(maxsize=None)
def alt(name: str) -> str:
    """The block as a regex source in a non-capturing group: words escaped, longest first."""
    b = block(name)
    if b.pattern:
        return "(?:" + expand(b.pattern) + ")"
    ws = sorted(words(name), key=len, reverse=True)
    esc = [_either(w) if b.case == "first_either" else re.escape(w) for w in ws]
    return "(?:" + "|".join(esc) + ")"


def expand(template: str) -> str:
    """A regex template with $NAME references -> regex source."""
    return _REF.sub(lambda m: alt(m.group(1)), template)


@lru_cache(maxsize=None)
def lex_re(template: str, flags: int = 0) -> re.Pattern[str]:
    """A compiled regex template; ``lex_re("$OPENER_START")``; cached."""
    return re.compile(expand(template), flags)


class Lex:
    """A regex template over the lexicon, compiled on first use: modules declare their
    patterns at the top (``_OPENER = Lex("$OPENER_START")``) while the data files still load
    lazily, not at import time.  Pattern methods are delegated to the compiled regex."""

    __slots__ = ("template", "flags")

    def __init__(self, template: str, flags: int = 0) -> None:
        self.template = template
        self.flags = flags

    @property
    def compiled(self) -> re.Pattern[str]:
        return lex_re(self.template, self.flags)

    def match(self, s: str, pos: int = 0) -> Optional[re.Match[str]]:
        return self.compiled.match(s, pos)

    def fullmatch(self, s: str) -> Optional[re.Match[str]]:
        return self.compiled.fullmatch(s)

    def search(self, s: str, pos: int = 0) -> Optional[re.Match[str]]:
        return self.compiled.search(s, pos)

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(s)

    def findall(self, s: str) -> list[Any]:
        return self.compiled.findall(s)

    def sub(self, repl: Union[str, Callable[[re.Match[str]], str]], s: str, count: int = 0) -> str:
        return self.compiled.sub(repl, s, count=count)

    def split(self, s: str, maxsplit: int = 0) -> list[str]:
        return self.compiled.split(s, maxsplit=maxsplit)
