"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) -> Unicode.

Before Unicode, Vietnamese documents were typed in 8-bit fonts: the ABC fonts
of TCVN 5712:1993 "VN3" (``.VnTime``, ``.VnArial``; one byte per letter) and
VNI-Windows (``VNI-Times``; a base letter followed by a mark character).  A
reader sees the Latin-1/cp1252 reading of those bytes: "Céng hoµ x· héi"
(TCVN3), "Coäng hoøa xaõ hoäi" (VNI).  The tables are data
(``models/legacy_encodings.yaml``); this module decides *where* to apply them.

Why our own table and no library: the tables are ~70 + ~60 entries, fixed
since the 1990s; Python's codecs have neither encoding (glibc iconv has
TCVN5712-1, which we used to check the TCVN3 table, but it is not reachable
from Python without a subprocess).  On PyPI the only candidate found is
``viparse`` (2026), a whole document loader for RAG with its own readers; its
tables agree with ours, but it would bring a second document model for 130
table rows.  What a library would not do for us is the hard part anyway:
deciding, word by word, which text is legacy in a document that mixes
Unicode and legacy runs, and keeping a glyph's box when VNI merges two.

How mixed text is decided (``repair``, ``convert_mixed``): the text is cut
into words (letters plus the table's characters).  Each word is converted and
both forms are scored: 2 = a listed syllable (``lexicon.syllables``, with
either tone convention), 1 = the shape of a syllable, 0 = neither.

* a word holding a letter beyond U+00FF (ộ, đ, ư) is Unicode: never touched;
* "L" (legacy): the converted form is a listed syllable and the original is
  not ("héi" -> "hội"); "strong" when the original also holds a character that
  Unicode Vietnamese never uses ("nh©n", "hoøa");
* "U" (Unicode): the original is a listed syllable and the converted form is
  not ("công" would become VNI "cơng");
* anything else is ambiguous.

Strong words are always converted; the other words of a line follow the
line's majority (L against U), and a tie follows the caller's prior (the
document's majority, or "legacy" when a font name says so).  So a ".VnTime"
word like "mét" (= một, also a real word) converts inside a TCVN3 line and
stays inside a Unicode one.

TCVN3 capitals: VN3 has only seven capitals (Ă Â Ê Ô Ơ Ư Đ).  Toned capitals
were printed with the ".Vn...H" fonts (``.VnTimeH``), which draw the
lower-case codes as capitals, so "CéNG HOµ" (typed with caps lock) or even
"céng hoµ" prints "CỘNG HOÀ".  Handled: (1) with a font name (DOCX runs,
``font_encoding``) the whole run is upper-cased; (2) from text alone, a
converted word with no lower-case ASCII letter and at least two capitals
("CéNG", "§éC") is written in capitals, and a word with one capital ("X·",
"Uû") only when the nearest converted word on each side of it on the line is
such a capital word ("HOµ X· HéI" -> "XÃ"; "Uû ban" stays "Uỷ"; acronyms
like "UBND" are passed over, so "Sè: 12/KH-UBND" is "Số").  All-lower-case text typed for an H font
("céng hoµ") cannot be told apart from normal text and comes out lower-case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Optional, Sequence

from pydantic import BaseModel, ConfigDict

from . import errors
from .data import load_yaml
from .lexicon import syllables, vietnamese_share
from .model import DocBuilder
from .normalize import unify_tones

ENCODINGS = ("tcvn3", "vni")
NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}

# detect(): the converted text must read as Vietnamese and clearly better than before
DETECT_SHARE = 0.6
DETECT_MARGIN = 0.2
DETECT_MIN_WORDS = 3

# Latin-1 letters that Unicode Vietnamese uses: a table key outside this set
# ("µ", "©", "ø", "ñ") is evidence of legacy text.
_VI_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_LETTER = re.compile(r"[^\W\d_]")  # a letter, as the word pattern of a table has it
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SHAPE = re.compile(  # onset? + vowel group + coda?, tone marks removed
    r"^(?:ngh|ng|gh|gi|kh|ch|nh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


# --- the tables ----------------------------------------------------------------
class _Fonts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prefixes: list[str]
    capital_suffix: Optional[str] = None


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fonts: _Fonts
    chars: dict[str, str]
    sequences: dict[str, str] = {}


@dataclass(frozen=True)
class Table:
    """One encoding, ready to apply.  ``mapping`` keys are legacy characters or
    (VNI) base-plus-mark sequences; ``pattern`` matches the longest key first."""

    name: str
    mapping: dict[str, str]
    pattern: re.Pattern[str]
    token: re.Pattern[str]
    suspect_char: re.Pattern[str]
    keys: frozenset[str]
    suspect: frozenset[str]
    capitals: frozenset[str]
    fonts: _Fonts


def _vni_capitals(seqs: dict[str, str]) -> dict[str, str]:
    """VNI capitals are the upper-case Latin-1 forms of the lower-case
    sequences ("AÙ" -> "Á"); a capital base may also carry a lower-case mark
    ("Aù"), as typed at the start of a word."""
    out: dict[str, str] = {}
    for k, v in seqs.items():
        out[k.upper()] = v.upper()
        if len(k) == 2:
            out[k[0].upper() + k[1]] = v.upper()
    return out


def _build(name: str, spec: _Spec) -> Table:
    mapping = {**spec.chars, **spec.sequences}
    if name == "vni":
        mapping.update(_vni_capitals(dict(mapping)))
    keys = frozenset(c for k in mapping for c in k if not c.isascii())
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    extra = "".join(re.escape(c) for c in sorted(keys))
    capitals = frozenset(k for k, v in spec.chars.items() if len(k) == 1 and v.isupper() and not k.isalpha())
    suspect = keys - _VI_LATIN1
    word = rf"(?:[^\W\d_]|[{extra}])"
    return Table(
        name=name,
        mapping=mapping,
        pattern=re.compile(alternatives),
        token=re.compile(rf"{word}+"),
        suspect_char=re.compile(f"[{''.join(re.escape(c) for c in sorted(suspect))}]"),
        keys=keys,
        suspect=suspect,
        capitals=capitals,
        fonts=spec.fonts,
    )


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """The tables of ``models/legacy_encodings.yaml``, by encoding name."""
    raw = load_yaml("legacy_encodings.yaml")
    return {name: _build(name, _Spec(**raw[name])) for name in ENCODINGS}


@lru_cache(maxsize=256)
def font_encoding(font: Optional[str]) -> Optional[tuple[str, bool]]:
    """Font name -> (encoding, prints capitals) for a legacy font, else None.

    ".VnTime" -> ("tcvn3", False), ".VnTimeH" -> ("tcvn3", True),
    "VNI-Times" -> ("vni", False).  A PDF subset tag ("ABCDEF+") is ignored."""
    if not font:
        return None
    name = font.split("+", 1)[-1].strip()
    low = name.lower()
    for enc, t in tables().items():
        if any(low.startswith(p) for p in t.fonts.prefixes):
            base = re.split(r"[,-](?:bold|italic|bolditalic)$", name, flags=re.I)[0]
            suffix = t.fonts.capital_suffix
            return enc, bool(suffix and base.endswith(suffix))
    return None


# --- words ---------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _score(word: str) -> int:
    """2 = a listed syllable (either tone convention), 1 = shaped like one, 0 = neither."""
    w = word.lower()
    vocab = syllables()
    if w in vocab or unify_tones(w) in vocab:
        return 2
    nfd = unicodedata.normalize("NFD", w)
    if sum(c in _TONE_MARKS for c in nfd) > 1:
        return 0
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
    return 1 if _SHAPE.match(base) else 0


@dataclass
class _Tok:
    start: int
    end: int
    line: int
    orig: str
    conv: str
    kind: str  # "L" legacy, "U" Unicode, "A" ambiguous, "N" unchanged by the table
    strong: bool = False


def _classify(orig: str, conv: str, t: Table) -> tuple[str, bool]:
    if any(ord(c) > 0xFF for c in orig):
        return "U", False  # Unicode evidence for the line even when the table leaves it alone
    if conv == orig:
        return "N", False
    so, sc = _score(orig), _score(conv)
    if sc == 2 and so < 2:
        return "L", not t.suspect.isdisjoint(orig)
    if so == 2 and sc < 2:
        return "U", False
    return "A", False


def _tokens(s: str, t: Table) -> list[_Tok]:
    """Every word of ``s`` with its conversion and class; lines are "\\n"-separated."""
    out: list[_Tok] = []
    line, pos = 0, 0
    sub = t.mapping.__getitem__
    for m in t.token.finditer(s):
        line += s.count("\n", pos, m.start())
        pos = m.start()
        orig = m.group()
        conv = orig if t.keys.isdisjoint(orig) else t.pattern.sub(lambda x: sub(x.group()), orig)
        kind, strong = _classify(orig, conv, t)
        out.append(_Tok(m.start(), m.end(), line, orig, conv, kind, strong))
    return out


def _choose(toks: list[_Tok], prior: Optional[bool]) -> list[bool]:
    """Which words to convert: strong ones always, the rest by their line's
    majority, a tie by ``prior`` (None: the majority of the whole text)."""
    per_line: dict[int, list[int]] = {}
    for tok in toks:
        counts = per_line.setdefault(tok.line, [0, 0])
        counts[0] += tok.kind == "L"
        counts[1] += tok.kind == "U"
    if prior is None:
        prior = sum(c[0] for c in per_line.values()) > sum(c[1] for c in per_line.values())
    out = []
    for tok in toks:
        if tok.kind in ("N", "U"):
            out.append(False)
            continue
        n_l, n_u = per_line[tok.line]
        out.append(tok.strong or n_l > n_u or (n_l == n_u and prior))
    return out


def _all(toks: list[_Tok]) -> list[bool]:
    """Convert every word the table changes, except words with letters beyond U+00FF."""
    return [tok.kind != "N" and not any(ord(c) > 0xFF for c in tok.orig) for tok in toks]


# --- TCVN3 capitals --------------------------------------------------------------
def _caps_counts(word: str, t: Table) -> tuple[int, bool]:
    """(capitals, has a real lower-case letter); TCVN3's lower-case codes
    ("Ö" = ệ) are neither."""
    upper = sum(1 for c in word if c.isupper() and (c not in t.keys or c in t.capitals))
    lower = any(c.islower() and c not in t.keys for c in word)
    return upper, lower


def _caps(toks: list[_Tok], chosen: list[bool], t: Table) -> list[bool]:
    """Which converted TCVN3 words were typed for a capital (.VnTimeH) font:
    two capitals and no lower-case letter ("CéNG"); one capital ("X·",
    "Uû") when the nearest deciding word on each side of the line is such a
    word.  A word in lower case decides against; words in capitals that the
    table leaves alone ("UBND", "NAM") are passed over, as acronyms stand in
    mixed-case lines too ("Sè: 12/KH-UBND" is "Số")."""
    out = [False] * len(toks)
    if not t.capitals:
        return out
    for i, tok in enumerate(toks):
        if not chosen[i]:
            continue
        upper, lower = _caps_counts(tok.orig, t)
        if lower:
            continue
        if upper >= 2:
            out[i] = True
            continue
        near = [w for w in (_deciding(toks, chosen, i, -1, t), _deciding(toks, chosen, i, 1, t)) if w is not None]
        out[i] = bool(near) and all(near)
    return out


def _deciding(toks: list[_Tok], chosen: list[bool], i: int, step: int, t: Table) -> Optional[bool]:
    """From word ``i`` towards ``step``: True/False for the first word on the
    line that is converted or has a lower-case letter (is it in capitals?),
    None when there is none."""
    j = i + step
    while 0 <= j < len(toks) and toks[j].line == toks[i].line:
        upper, lower = _caps_counts(toks[j].orig, t)
        if lower:
            return False
        if chosen[j]:
            return upper >= 2
        j += step
    return None


# --- output --------------------------------------------------------------------
def _up(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def _pieces(word: str, t: Table, caps: bool) -> list[tuple[str, int]]:
    """(output character, input characters consumed) for one converted word."""
    out: list[tuple[str, int]] = []
    i = 0
    for m in t.pattern.finditer(word):
        out.extend((c, 1) for c in word[i : m.start()])
        out.append((t.mapping[m.group()], m.end() - m.start()))
        i = m.end()
    out.extend((c, 1) for c in word[i:])
    return [(_up(c), n) for c, n in out] if caps else out


def _splice(s: str, toks: list[_Tok], chosen: list[bool], caps: list[bool]) -> str:
    parts: list[str] = []
    pos = 0
    for tok, conv, up in zip(toks, chosen, caps):
        if conv:
            parts.append(s[pos : tok.start])
            parts.append("".join(_up(c) for c in tok.conv) if up else tok.conv)
            pos = tok.end
    parts.append(s[pos:])
    return "".join(parts)


def _char_pieces(s: str, toks: list[_Tok], chosen: list[bool], caps: list[bool], t: Table) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    pos = 0
    for tok, conv, up in zip(toks, chosen, caps):
        if conv:
            out.extend((c, 1) for c in s[pos : tok.start])
            out.extend(_pieces(tok.orig, t, up))
            pos = tok.end
    out.extend((c, 1) for c in s[pos:])
    return out


def _table(encoding: str) -> Table:
    try:
        return tables()[encoding]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r} (known: {', '.join(ENCODINGS)})") from None


# --- public API ----------------------------------------------------------------
def convert(text: str, encoding: str) -> str:
    """The whole text read in ``encoding`` ("tcvn3" or "vni"), NFC.  Words
    holding letters beyond U+00FF (already Unicode) are left alone."""
    t = _table(encoding)
    toks = _tokens(text, t)
    chosen = _all(toks)
    return unicodedata.normalize("NFC", _splice(text, toks, chosen, _caps(toks, chosen, t)))


def convert_chars(chars: Sequence[str], encoding: str) -> list[tuple[str, int]]:
    """Like ``convert`` for a glyph sequence (one character each; "\\n" ends a
    line): for each output character, how many input characters it took.
    TCVN3 is one to one; VNI merges a base letter and its mark into one."""
    t = _table(encoding)
    s = "".join(chars)
    if len(s) != len(chars):
        raise ValueError("convert_chars needs one character per item")
    toks = _tokens(s, t)
    chosen = _all(toks)
    return _char_pieces(s, toks, chosen, _caps(toks, chosen, t), t)


def convert_mixed(text: str, encoding: str, assume_legacy: bool = False) -> tuple[str, int]:
    """Convert only the words that look legacy (see the module docstring);
    ``assume_legacy`` (a font name says so) settles the undecided lines.
    Returns (text, number of words converted)."""
    t = _table(encoding)
    toks = _tokens(text, t)
    chosen = _choose(toks, True if assume_legacy else None)
    out = _splice(text, toks, chosen, _caps(toks, chosen, t))
    return unicodedata.normalize("NFC", out), sum(chosen)


def detect(text: str) -> Optional[str]:
    """ "tcvn3", "vni" or None for a text that is (almost) all in one encoding.

    The converted text must be Vietnamese (``lexicon.vietnamese_share`` >=
    ``DETECT_SHARE``) and read clearly better than the original (by
    ``DETECT_MARGIN``); Unicode Vietnamese gets worse when "converted"."""
    candidates = [enc for enc, t in tables().items() if not t.suspect.isdisjoint(text)]
    if not candidates:
        return None
    before = vietnamese_share(text, DETECT_MIN_WORDS)
    best: tuple[float, Optional[str]] = (0.0, None)
    for enc in candidates:
        after = vietnamese_share(convert(text, enc), DETECT_MIN_WORDS)
        if after is not None and after > best[0]:
            best = (after, enc)
    share, found = best
    if found is None or share < DETECT_SHARE or (before is not None and share - before < DETECT_MARGIN):
        return None
    return found


class Repair(NamedTuple):
    text: str
    encoding: Optional[str]  # None: nothing converted
    words: int


def _has_strong(s: str, t: Table) -> bool:
    """Whether some word with a legacy-only character converts to a listed
    syllable: the cheap test that lets Unicode text (the usual case, maybe
    with a stray "§" or "¹") through without classifying every word."""
    if t.suspect.isdisjoint(s):
        return False
    sub = t.mapping.__getitem__
    end = 0
    for m in t.suspect_char.finditer(s):
        if m.start() < end:
            continue  # same word as the last one
        start, end = m.start(), m.end()
        while start > 0 and _in_word(s[start - 1], t):
            start -= 1
        while end < len(s) and _in_word(s[end], t):
            end += 1
        orig = s[start:end]
        if _classify(orig, t.pattern.sub(lambda x: sub(x.group()), orig), t) == ("L", True):
            return True
    return False


def _in_word(c: str, t: Table) -> bool:
    return c in t.keys or _LETTER.match(c) is not None


def _best_plan(s: str) -> Optional[tuple[Table, list[_Tok], list[bool]]]:
    """The encoding whose conversion has the most legacy evidence in ``s``;
    there must be at least one strong word (see ``_has_strong``)."""
    best: Optional[tuple[Table, list[_Tok], list[bool]]] = None
    best_l = 0
    for t in tables().values():
        if not _has_strong(s, t):
            continue
        toks = _tokens(s, t)
        n_l = sum(tok.kind == "L" for tok in toks)
        if n_l > best_l:
            chosen = _choose(toks, None)
            if any(chosen):
                best, best_l = (t, toks, chosen), n_l
    return best


def repair(text: str) -> Repair:
    """Find and convert the legacy words of a text that may mix Unicode and
    one legacy encoding; ``Repair(text, None, 0)`` when there are none."""
    plan = _best_plan(text)
    if plan is None:
        return Repair(text, None, 0)
    t, toks, chosen = plan
    out = _splice(text, toks, chosen, _caps(toks, chosen, t))
    return Repair(unicodedata.normalize("NFC", out), t.name, sum(chosen))


def convert_legacy(text: str, b: DocBuilder) -> str:
    """A reader's whole text: legacy TCVN3/VNI font words -> Unicode (``repair``),
    with W104 in ``b`` saying how many (the text and Markdown readers, antiword's output)."""
    fixed = repair(text)
    if fixed.encoding is None:
        return text
    b.warn(errors.W_LEGACY_FONT, f"legacy {NAMES[fixed.encoding]} font text converted to Unicode ({fixed.words} words)")
    return fixed.text


def repair_chars(chars: Sequence[str]) -> Optional[tuple[str, list[tuple[str, int]], int]]:
    """``repair`` for a glyph sequence (one character each, "\\n" between
    lines): (encoding, (output character, input characters consumed) pairs,
    words converted), or None when nothing looks legacy."""
    s = "".join(chars)
    if len(s) != len(chars):
        raise ValueError("repair_chars needs one character per item")
    plan = _best_plan(s)
    if plan is None:
        return None
    t, toks, chosen = plan
    return t.name, _char_pieces(s, toks, chosen, _caps(toks, chosen, t), t), sum(chosen)


def convert_run(text: str, encoding: str, capitals: bool = False) -> tuple[str, int]:
    """A run whose font is a legacy font (DOCX): its legacy words converted,
    Unicode words left alone; a capital font (.VnTimeH) prints everything
    in capitals.  Returns (text, words converted)."""
    out, n = convert_mixed(text, encoding, assume_legacy=True)
    if capitals and n:
        out = "".join(_up(c) for c in out)
    return out, n


def encode(text: str, encoding: str) -> str:
    """Unicode -> the legacy characters of ``encoding`` (the inverse table);
    letters the encoding cannot write (TCVN3's toned capitals) are written
    with their lower-case code, as a .VnTimeH user would type them.  For
    tests and fixtures."""
    t = _table(encoding)
    inverse: dict[str, str] = {}
    for k, v in sorted(t.mapping.items(), key=lambda kv: (len(kv[0]), kv[0] != kv[0].lower())):
        inverse.setdefault(v, k)  # VNI: the upper-case mark for a capital ("AÙ", not "Aù")
    if encoding == "vni":
        for k, v in t.mapping.items():
            if v.isupper() and k == k.upper():
                inverse[v] = k
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c in inverse:
            out.append(inverse[c])
        elif c.lower() in inverse and c not in inverse:
            out.append(inverse[c.lower()])
        else:
            out.append(c)
    return "".join(out)
