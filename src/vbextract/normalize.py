"""Text normalisation: the one place where characters are changed.

Two views of the text are kept (see docs/architecture.md):

* ``clean(s)`` gives the *display* text that goes into the output ``text`` and
  that all offsets point into.  It is NFC, maps look-alike characters to the
  real Vietnamese ones and removes invisible characters, but it keeps the
  tone-mark placement that was printed ("hoà" stays "hoà"): an auditor compares
  our text with the paper.
* ``match_key(s)`` / ``fold(s)`` are for matching only: one tone-mark
  convention (the old one, "hòa/thủy/ủy", which is 20x more frequent in the
  corpus), lower case, and for ``fold`` no diacritics at all with đ -> d.

Hard-wrapped lines are joined by ``unwrap_lines``; every reader whose format
wraps lines (Markdown crawls, text extracted from PDF) calls it.

Why not underthesea.text_normalize: it rewrites tone placement *in the text*
(we must keep what was printed) and ships its rules as a binary blob; the
steps below are the same ideas as plain, reviewable tables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Look-alike and invisible characters, applied after NFC.
_CHAR_MAP = {
    "\u00d0": "Đ",  # Ð LATIN CAPITAL LETTER ETH (converters, OCR)
    "\u0189": "Đ",  # Ɖ LATIN CAPITAL LETTER AFRICAN D
    "\u00f0": "đ",  # ð LATIN SMALL LETTER ETH
    "\u00a0": " ",  # NBSP (docx)
    "\u202f": " ",  # narrow NBSP
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u3000": " ",  # ideographic space
    "\u2002": " ",
    "\u2003": " ",
    "\u000b": "\n",  # vertical tab (Word line break in some exports)
    "\u2028": "\n",
    "\u2029": "\n",
    "\u2044": "/",  # ⁄ FRACTION SLASH: a symbol's slash in PDFs and OCR ("215⁄QĐ-TTg")
    "\u2215": "/",  # ∕ DIVISION SLASH
    "\uff0f": "/",  # ／ FULLWIDTH SOLIDUS
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero-width space
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",  # BOM / ZWNBSP
    "\r": "",
}
_TRANS = str.maketrans(_CHAR_MAP)
_SPECIAL = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")
_CTRL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")


def clean(s: str) -> str:
    """Display normalisation of one block of text (keeps newlines and tabs)."""
    if not s:
        return ""
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if _SPECIAL.search(s):  # translate() is per character: only when needed
        s = s.translate(_TRANS)
    return _CTRL.sub(" ", s) if _CTRL.search(s) else s


def clean_line(s: str) -> str:
    """clean() plus whitespace collapsed to single spaces, stripped."""
    return _SPACES.sub(" ", clean(s).replace("\n", " ")).strip()


# --- tone-mark convention for matching -------------------------------------
# New style puts the tone on the second vowel of open oa/oe/uy syllables
# (hoà, khoẻ, thuỷ); old style on the first (hòa, khỏe, thủy).  Fold to old.
_TONES = {  # toned vowel -> (base vowel, combining tone mark)
}
for _base in "aeyAEY":
    for _mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323"):
        _TONES[unicodedata.normalize("NFC", _base + _mark)] = (_base, _mark)

_NEW_TONE = re.compile(r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![a-zA-Zà-ỹÀ-Ỹđ])")
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _old_tone(m: re.Match[str]) -> str:
    first, toned = m.group(1), m.group(2)
    base, mark = _TONES[toned]
    if (first.lower(), base.lower()) not in _PAIRS:
        return m.group(0)
    return unicodedata.normalize("NFC", first + mark) + base


def unify_tones(s: str) -> str:
    """'hoà' -> 'hòa', 'uỷ' -> 'ủy', 'thuỷ' -> 'thủy'; 'quý', 'hoàng' untouched."""
    return _NEW_TONE.sub(_old_tone, s)


@lru_cache(maxsize=65536)
def match_key(s: str) -> str:
    """Lower case, one tone convention, Đ look-alikes fixed, spaces collapsed."""
    return _SPACES.sub(" ", unify_tones(clean(s)).lower().replace("\n", " ")).strip()


@lru_cache(maxsize=65536)
def fold_char(c: str) -> str:
    """One character without its diacritics, lower case ("Ộ" -> "o", "Đ" -> "d"):
    one character in, one out, so a folded string's offsets are the text's (OCR
    phrase matching relies on it; ``fold`` below may change the length)."""
    if c in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", c)[0].lower()


def fold(s: str) -> str:
    """ASCII folding for loose matching: no diacritics, đ -> d, lower case."""
    s = match_key(s).replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


# --- hard-wrapped lines ------------------------------------------------------
_LIST_START = re.compile(
    r"^\s*(?:[-–—+•*●▪]\s|"  # dash bullets
    r"(?:[IVXLC]+|[A-ZĐ]|\d+(?:\.\d+)*)[.)]\s|"  # I.  A.  1.  1.2.  1)
    r"[a-zđ]\)\s|"  # a)
    r"\(\d+\)\s|"  # (1)
    r"(?:Điều|Chương|Mục|Phần|PHẦN|CHƯƠNG|MỤC)\s+[0-9IVXLC]+|"
    r"Căn cứ\s|Thực hiện\s|Kính gửi|Nơi nhận|Số:|V/v\s)"
)
_TERMINAL = re.compile(r"[.;:!?]['\"”’)*_]*$|\./\.\S*$")


def starts_item(line: str) -> bool:
    return bool(_LIST_START.match(line))


def unwrap_lines(lines: list[str], wrap_width: int | None = None) -> list[str]:
    """Join lines that a renderer wrapped in mid-sentence.

    A line is joined to the previous one when the previous one does not end a
    sentence or clause, the new line does not start a list item or heading,
    and (if ``wrap_width`` is given) the previous line was long enough to have
    been wrapped.  Blank lines always separate paragraphs.
    """
    out: list[str] = []
    prev_open = False
    prev_len = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            prev_open = False
            continue
        joinable = (
            prev_open
            and out
            and not starts_item(line)
            and (wrap_width is None or prev_len >= 0.6 * wrap_width or line[:1].islower())
        )
        if joinable:
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
        prev_open = not _TERMINAL.search(line)
        prev_len = len(line)
    return out
