"""DOCX reader: body paragraphs and tables, in order, into a ``RawDocument``.

python-docx is used for what it does well and cheaply: opening the package,
following relationships and parsing the XML parts (its parser does not resolve
entities).  Everything else walks the WordprocessingML tree directly, because
python-docx falls short for our needs:

* ``row.cells`` repeats a merged cell at every grid position it covers and
  hides ``gridBefore``, so real row/column spans are lost (peers.md 4.2);
* it does not render Word-generated list numbers ("I.", "1.", "a)"), which
  carry the outline of the document;
* it has no footnote API and ignores runs inside ``w:smartTag``/``w:sdt``.

Text comes only from ``w:t``/``w:tab``/``w:br`` (and a few siblings), never
from raw XML, so DrawingML offsets cannot leak into the output.  Runs set in a
legacy Vietnamese font (".VnTime" = TCVN3, "VNI-Times" = VNI; the run's
``w:rFonts``, else its character style, paragraph style or the document
default) are converted to Unicode with that font's table (``legacy``); other
text goes through the text-level check, for legacy text without font info.  Text boxes
are skipped: none of the corpus documents keeps header or body text in one
(their drawings are the short rules under the header).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Callable, Iterator, Optional, TypeVar, cast, overload

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.package import Package
from lxml import etree

from .. import faults, legacy
from ..errors import W_LEGACY_FONT, CorruptFile, EmptyFile, EncryptedFile, TooLarge, VbeError
from ..model import DocBuilder, RawCell, RawDocument

T = TypeVar("T")  # the value a style getter returns (_Styles.first)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS

# Decompression bounds, checked on the zip directory before anything is inflated.
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_RATIO_MEMBER_SIZE = 50 * 1024 * 1024

_WORD_MAIN_TYPES = {
    CT.WML_DOCUMENT_MAIN,
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)

_NO_BORDER = {"none", "nil"}
_FALSE = {"0", "false", "off", "none"}
# Elements whose subtree never contributes printed body text.
_SKIP = {
    W + "pPr",
    W + "rPr",
    W + "del",
    W + "moveFrom",
    W + "drawing",
    W + "pict",
    W + "object",
    W + "instrText",
    W + "delText",
    W + "delInstrText",
    W + "fldData",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}
# Containers that only wrap block or row/cell content (content controls, custom XML).
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"}
_CHARS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


# --------------------------------------------------------------------------- entry point
def read(data: bytes, name: str) -> RawDocument:
    """Read a .docx file given as bytes; ``name`` is used in error messages.

    Raises ``EmptyFile``, ``EncryptedFile``, ``TooLarge`` or ``CorruptFile``;
    no library exception escapes.
    """
    part, body = _open(data, name)
    try:
        return _Reader(part, body).run()
    except VbeError:
        raise
    except Exception as exc:  # malformed parts deep in the tree
        faults.reraise_unless_input_fault(exc)
        raise CorruptFile(name, f"cannot read docx content ({_reason(exc)})") from exc


def _open(data: bytes, name: str) -> tuple[Part, etree._Element]:
    """Validate the container; return the main document part and its w:body."""
    if not data:
        raise EmptyFile(name, "file is empty")
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFile(name, "password-protected docx (OLE EncryptedPackage)")
        raise CorruptFile(name, "OLE compound file, not a docx (legacy .doc?)")
    _check_zip(data, name)
    try:
        part = Package.open(io.BytesIO(data)).main_document_part
        body = _main_root(part)
    except VbeError:
        raise
    except Exception as exc:
        faults.reraise_unless_input_fault(exc)
        raise CorruptFile(name, f"not a valid docx package ({_reason(exc)})") from exc
    if body is None:
        raise CorruptFile(name, "main document part has no w:body")
    return part, body


def _reason(exc: Exception) -> str:
    """Short, one-line reason for an error message."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return text if len(text) <= 120 else text[:117] + "..."


def _main_root(part: Part) -> Optional[etree._Element]:
    """w:body of the main part.  .docm/.dotx/.dotm main parts are not modelled by
    python-docx (docx.Document() refuses them), so their XML is parsed here."""
    content_type = getattr(part, "content_type", "")
    if content_type not in _WORD_MAIN_TYPES:
        raise ValueError(f"not a Word document ({content_type})")
    root = getattr(part, "element", None)
    if root is None:
        root = etree.fromstring(part.blob, _SAFE_PARSER)
    return _child(root, "body")


def _check_zip(data: bytes, name: str) -> None:
    """Reject non-zips and zip bombs using the sizes in the zip directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFile(name, f"not a zip archive ({exc})") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise TooLarge(name, f"uncompressed size {total >> 20} MB exceeds {MAX_TOTAL_UNCOMPRESSED >> 20} MB")
    for i in infos:
        if i.file_size > MAX_RATIO_MEMBER_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise TooLarge(name, f"member {i.filename} inflates {i.file_size // max(i.compress_size, 1)}x")


def _part_xml(part: Part, reltype: str) -> Optional[etree._Element]:
    """Root element of the part related to ``part`` by ``reltype``, or None."""
    for rel in part.rels.values():
        if rel.reltype != reltype or rel.is_external:
            continue
        target = rel.target_part
        element = getattr(target, "element", None)
        if element is not None:
            return element
        # python-docx loads parts it does not model (footnotes) as raw bytes.
        return etree.fromstring(target.blob, _SAFE_PARSER)
    return None


# --------------------------------------------------------------------------- small XML helpers
def _child(el: etree._Element, tag: str) -> Optional[etree._Element]:
    """First child ``w:<tag>`` (iterchildren is faster than find on oxml trees)."""
    return next(el.iterchildren(W + tag), None)


def _val(el: Optional[etree._Element], tag: str) -> Optional[str]:
    """``w:val`` of child ``tag`` of ``el`` (None when either is missing)."""
    child = None if el is None else _child(el, tag)
    return None if child is None else child.get(W + "val")


@overload
def _int(s: Optional[str], default: int) -> int: ...
@overload
def _int(s: Optional[str], default: None = None) -> Optional[int]: ...
def _int(s: Optional[str], default: Optional[int] = None) -> Optional[int]:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _on(el: Optional[etree._Element]) -> Optional[bool]:
    """Value of an OOXML on/off property element (``<w:b/>``, ``<w:b w:val="0"/>``)."""
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in _FALSE


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through content-control/custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(el: etree._Element) -> Iterator[etree._Element]:
    """``w:p`` and ``w:tbl`` children in order, looking through wrappers."""
    for child in el:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


# --------------------------------------------------------------------------- styles
@dataclass
class _Style:
    kind: str
    name: str
    based_on: Optional[str]
    ppr: Optional[etree._Element]
    rpr: Optional[etree._Element]
    tblpr: Optional[etree._Element]


class _Styles:
    """Style lookups that follow ``w:basedOn`` chains."""

    def __init__(self, root: Optional[etree._Element]) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: dict[str, str] = {}
        self.doc_bold = False
        self.doc_font: Optional[str] = None
        self._memo: dict[tuple[str, Optional[str]], Optional[object]] = {}
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        rpr_default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.doc_bold = bool(_on(None if rpr_default is None else _child(rpr_default, "b")))
        self.doc_font = _rfonts(rpr_default)
        for s in root.iter(W + "style"):
            sid, kind = s.get(W + "styleId", ""), s.get(W + "type", "paragraph")
            self.by_id[sid] = _Style(
                kind,
                (_val(s, "name") or sid).lower(),
                _val(s, "basedOn"),
                _child(s, "pPr"),
                _child(s, "rPr"),
                _child(s, "tblPr"),
            )
            if s.get(W + "default") in ("1", "true", "on"):
                self.default.setdefault(kind, sid)

    def chain(self, sid: Optional[str]) -> Iterator[_Style]:
        """The style and its ancestors (cycle-safe)."""
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            style = self.by_id[sid]
            yield style
            sid = style.based_on

    def first(self, sid: Optional[str], get: Callable[[_Style], Optional[T]]) -> Optional[T]:
        """First non-None ``get(style)`` along the basedOn chain (memoised per getter)."""
        key = (get.__name__, sid)
        if key not in self._memo:
            values = (get(style) for style in self.chain(sid))
            self._memo[key] = next((v for v in values if v is not None), None)
        return cast(Optional[T], self._memo[key])  # the memo is keyed by the getter: its own type

    def para_id(self, ppr: Optional[etree._Element]) -> Optional[str]:
        """Paragraph style id of a ``w:pPr`` (or the default paragraph style)."""
        return _val(ppr, "pStyle") or self.default.get("paragraph")

    def bold(self, sid: Optional[str]) -> Optional[bool]:
        return self.first(sid, _style_bold)

    def outline(self, sid: Optional[str]) -> Optional[int]:
        return self.first(sid, _style_outline)

    def font(self, sid: Optional[str]) -> Optional[str]:
        return self.first(sid, _style_font)

    def numpr(self, sid: Optional[str]) -> tuple[Optional[int], Optional[int]]:
        """(numId, ilvl) a paragraph style attaches to its paragraphs."""
        return self.first(sid, _style_num_id), self.first(sid, _style_ilvl)

    def table_borders(self, sid: Optional[str]) -> dict[str, str]:
        """Border side -> w:val, inherited along the table style chain."""
        out: dict[str, str] = {}
        for style in reversed(list(self.chain(sid or self.default.get("table")))):
            out.update(_border_vals(None if style.tblpr is None else _child(style.tblpr, "tblBorders")))
        return out


def _numpr(ppr: Optional[etree._Element]) -> Optional[etree._Element]:
    return None if ppr is None else _child(ppr, "numPr")


def _style_bold(s: _Style) -> Optional[bool]:
    return _on(None if s.rpr is None else _child(s.rpr, "b"))


def _style_font(s: _Style) -> Optional[str]:
    return _rfonts(s.rpr)


def _rfonts(rpr: Optional[etree._Element]) -> Optional[str]:
    """The font a w:rPr sets for text beyond ASCII (w:hAnsi, else w:ascii):
    the range where the legacy fonts' letters live."""
    fonts = None if rpr is None else _child(rpr, "rFonts")
    if fonts is None:
        return None
    return fonts.get(W + "hAnsi") or fonts.get(W + "ascii")


def _style_outline(s: _Style) -> Optional[int]:
    return _int(_val(s.ppr, "outlineLvl"))


def _style_num_id(s: _Style) -> Optional[int]:
    return _int(_val(_numpr(s.ppr), "numId"))


def _style_ilvl(s: _Style) -> Optional[int]:
    return _int(_val(_numpr(s.ppr), "ilvl"))


def _border_vals(borders: Optional[etree._Element]) -> dict[str, str]:
    if borders is None:
        return {}
    return {etree.QName(side).localname: _border_val(side) for side in borders if isinstance(side.tag, str)}


def _border_val(side: etree._Element) -> str:
    """A border's style, with white borders counted as invisible."""
    val = side.get(W + "val", "none")
    if side.get(W + "color", "").upper() == "FFFFFF":
        return "none"
    return val


# --------------------------------------------------------------------------- numbering
@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = " "
    restart: Optional[int] = None  # w:lvlRestart (1-based level, 0 = never)
    legal: bool = False
    pstyle: Optional[str] = None


@dataclass
class _List:
    key: tuple[str, int]  # counters are shared per abstract list unless overridden
    levels: dict[int, _Level] = field(default_factory=dict)


def _parse_level(lvl: etree._Element) -> _Level:
    suff = _val(lvl, "suff") or "tab"
    return _Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=_int(_val(lvl, "start"), 1) or 0,
        suffix="" if suff == "nothing" else " ",
        restart=_int(_val(lvl, "lvlRestart")),
        legal=bool(_on(_child(lvl, "isLgl"))),
        pstyle=_val(lvl, "pStyle"),
    )


def _abstract_levels(absnum: etree._Element) -> dict[int, _Level]:
    return {_int(lvl.get(W + "ilvl"), 0) or 0: _parse_level(lvl) for lvl in absnum.findall(W + "lvl")}


class _Numbering:
    """Renders Word list numbers ("I.", "1.2.", "a)", "-") in document order."""

    def __init__(self, root: Optional[etree._Element], styles: _Styles) -> None:
        self.styles = styles
        self.abstract: dict[int, etree._Element] = {}
        self.nums: dict[int, etree._Element] = {}
        self.counters: dict[tuple[str, int], list[Optional[int]]] = {}
        self._lists: dict[int, Optional[_List]] = {}
        for a in [] if root is None else root.findall(W + "abstractNum"):
            self.abstract.setdefault(_int(a.get(W + "abstractNumId"), -1), a)
        for n in [] if root is None else root.findall(W + "num"):
            self.nums.setdefault(_int(n.get(W + "numId"), -1), n)

    # -- list definitions
    def _list(self, num_id: int) -> Optional[_List]:
        if num_id not in self._lists:
            self._lists[num_id] = self._build_list(num_id)
        return self._lists[num_id]

    def _build_list(self, num_id: int, depth: int = 0) -> Optional[_List]:
        num = self.nums.get(num_id)
        abs_id = _int(_val(num, "abstractNumId"))
        absnum = self.abstract.get(abs_id) if abs_id is not None else None
        if absnum is None:
            return None
        link = _val(absnum, "numStyleLink")
        if link and depth < 3:  # levels defined by a numbering style's own list
            linked = self.styles.numpr(link)[0]
            if linked is not None and linked != num_id:
                base = self._build_list(linked, depth + 1)
                return self._apply_overrides(num, base, num_id) if base else None
        return self._apply_overrides(num, _List(("abs", abs_id or 0), _abstract_levels(absnum)), num_id)

    def _apply_overrides(self, num: etree._Element, base: _List, num_id: int) -> _List:
        """w:lvlOverride: a new start value (own counters) and/or a replaced level."""
        out = _List(base.key, dict(base.levels))
        for ov in num.findall(W + "lvlOverride"):
            ilvl = _int(ov.get(W + "ilvl"), 0) or 0
            lvl = _child(ov, "lvl")
            if lvl is not None:
                out.levels[ilvl] = _parse_level(lvl)
                out.key = ("num", num_id)
            start = _int(_val(ov, "startOverride"))
            if start is not None:
                out.levels[ilvl] = replace(out.levels.get(ilvl, _Level()), start=start)
                out.key = ("num", num_id)
        return out

    def level_for_style(self, num_id: int, sid: Optional[str]) -> Optional[int]:
        lst = self._list(num_id)
        if lst is None or sid is None:
            return None
        return next((i for i, lvl in lst.levels.items() if lvl.pstyle == sid), None)

    # -- rendering
    def prefix(self, num_id: int, ilvl: int) -> str:
        """Advance the list counters and return the printed number plus suffix."""
        lst = self._list(num_id)
        level = lst.levels.get(ilvl) if lst else None
        if lst is None or level is None:
            return ""
        counts = self.counters.setdefault(lst.key, [None] * 10)
        cur = counts[ilvl]
        counts[ilvl] = level.start if cur is None else cur + 1
        self._reset_deeper(lst, counts, ilvl)
        label = self._label(lst, counts, level)
        return label + level.suffix if label else ""

    @staticmethod
    def _reset_deeper(lst: _List, counts: list[Optional[int]], ilvl: int) -> None:
        for deeper in range(ilvl + 1, len(counts)):
            restart = lst.levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counts[deeper] = None

    @staticmethod
    def _label(lst: _List, counts: list[Optional[int]], level: _Level) -> str:
        if level.fmt == "bullet":
            return _bullet(level.text)

        def sub(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            ref = lst.levels.get(i, _Level())
            cur = counts[i] if 0 <= i < len(counts) else None
            return _format_number(ref.start if cur is None else cur, "decimal" if level.legal else ref.fmt)

        return re.sub(r"%([1-9])", sub, level.text).strip()


def _bullet(glyph: str) -> str:
    """Bullet glyphs (Symbol/Wingdings private-use, •, o, §, –) print as "-"."""
    g = glyph.strip()
    if not g:
        return ""
    return "+" if g == "+" else "-"


_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa..."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    """One counter value in a w:numFmt (unknown formats fall back to decimal)."""
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman") and n > 0:
        s = _roman(n)
        return s.upper() if fmt == "upperRoman" else s
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


# --------------------------------------------------------------------------- reader
@dataclass
class _Para:
    text: str
    style: Optional[str]


class _Reader:
    """Walks one opened document and feeds a DocBuilder in body order."""

    def __init__(self, part: Part, body: etree._Element) -> None:
        self.part = part
        self.body = body
        self.styles = _Styles(_part_xml(self.part, RT.STYLES))
        self.numbering = _Numbering(_part_xml(self.part, RT.NUMBERING), self.styles)
        self.b = DocBuilder("docx")
        self.note_refs: dict[str, list[str]] = {"footnoteReference": [], "endnoteReference": []}
        self.para_font: Optional[str] = None  # font of the paragraph being read (style chain)
        self.legacy_words: Counter[str] = Counter()  # encoding -> words converted

    def run(self) -> RawDocument:
        for el in _blocks(self.body):
            if el.tag == W + "p":
                para = self.paragraph(el)
                self.b.paragraph(para.text, style=para.style)
            else:
                cells = self.table_cells(el)
                self.b.table(cells, borderless=not self.has_borders(el, cells))
        self.notes(RT.FOOTNOTES, "footnote")
        self.notes(RT.ENDNOTES, "endnote")
        for enc, n in self.legacy_words.items():
            self.b.warn(W_LEGACY_FONT, f"legacy {legacy.NAMES[enc]} font text converted to Unicode ({n} words)")
        return self.b.build()

    # -- paragraphs
    def paragraph(self, p: etree._Element) -> _Para:
        """Text of one w:p with its list number, and its style hint."""
        ppr = _child(p, "pPr")
        sid = self.styles.para_id(ppr)
        style_bold = self.styles.bold(sid)
        self.para_font = self.styles.font(sid) or self.styles.doc_font
        runs = list(self.runs(p, self.styles.doc_bold if style_bold is None else style_bold))
        text = self.unicode_text(runs)
        number = self.number(ppr, sid)
        if not text.strip():
            # An auto-numbered empty paragraph still prints its number ("TT" columns).
            label = number.strip()
            return _Para(label if any(ch.isalnum() for ch in label) else "", None)
        bold = all(b for t, b, _ in runs if t.strip())
        return _Para(number + text, self.hint(ppr, sid, bold))

    def number(self, ppr: Optional[etree._Element], sid: Optional[str]) -> str:
        """Printed list number of a paragraph (direct w:numPr, else from its style)."""
        direct = _numpr(ppr)
        num_id = _int(_val(direct, "numId"))
        ilvl = _int(_val(direct, "ilvl"))
        style_num, style_lvl = self.styles.numpr(sid)
        num_id = style_num if num_id is None else num_id
        if not num_id:  # absent, or numId 0 = numbering removed
            return ""
        if ilvl is None:
            ilvl = style_lvl if style_lvl is not None else self.numbering.level_for_style(num_id, sid)
        return self.numbering.prefix(num_id, ilvl or 0)

    def hint(self, ppr: Optional[etree._Element], sid: Optional[str], bold: bool) -> Optional[str]:
        """Style hint: "title", "heading" (style name / outline level), "bold" or None."""
        name = self.styles.by_id[sid].name if sid in self.styles.by_id else ""
        if name == "title":
            return "title"
        outline = _int(_val(ppr, "outlineLvl"))
        outline = self.styles.outline(sid) if outline is None else outline
        if name.startswith("heading") or (outline is not None and 0 <= outline < 9):
            return "heading"
        return "bold" if bold else None

    def unicode_text(self, runs: list[tuple[str, bool, Optional[tuple[str, bool]]]]) -> str:
        """The runs' text, legacy-font runs converted.  Neighbouring runs in
        one legacy font are converted together (a word split by formatting
        stays one word); other text only where it looks legacy."""
        out = []
        for font, group in groupby(runs, key=lambda r: r[2]):
            text = "".join(t for t, _, _ in group)
            if font is None:
                fixed = legacy.repair(text)
                text, enc, n = fixed.text, fixed.encoding, fixed.words
            else:
                enc = font[0]
                text, n = legacy.convert_run(text, enc, capitals=font[1])
            if enc and n:
                self.legacy_words[enc] += n
            out.append(text)
        return "".join(out)

    def runs(self, el: etree._Element, style_bold: bool) -> Iterator[tuple[str, bool, Optional[tuple[str, bool]]]]:
        """(text, bold, legacy font) for each visible run below ``el``, in order;
        the legacy font is ``legacy.font_encoding`` of the run's font."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "r":
                run = self.text_run(child, style_bold)
                if run[0]:
                    yield run
            else:
                yield from self.runs(child, style_bold)

    def text_run(self, r: etree._Element, style_bold: bool) -> tuple[str, bool, Optional[tuple[str, bool]]]:
        """Printed text of one w:r ("" when hidden), whether it is bold, and
        its legacy font (encoding, capitals) if it is set in one."""
        rpr = _child(r, "rPr")
        if rpr is not None and _on(_child(rpr, "vanish")):
            return "", False, None
        out = []
        for child in r:
            if child.tag == W + "t":
                out.append(_t_text(child))
            elif child.tag in _CHARS:
                out.append(_CHARS[child.tag])
            elif child.tag in (W + "footnoteReference", W + "endnoteReference"):
                self.note_refs[etree.QName(child).localname].append(child.get(W + "id", ""))
        return "".join(out), self.run_bold(rpr, style_bold), legacy.font_encoding(self.run_font(rpr))

    def run_font(self, rpr: Optional[etree._Element]) -> Optional[str]:
        """Direct w:rFonts, else the run's character style, else the paragraph's font."""
        if rpr is None:
            return self.para_font
        return _rfonts(rpr) or self.styles.font(_val(rpr, "rStyle")) or self.para_font

    def run_bold(self, rpr: Optional[etree._Element], style_bold: bool) -> bool:
        """Direct w:b, else the run's character style, else the paragraph's."""
        if rpr is None:
            return style_bold
        direct = _on(_child(rpr, "b"))
        if direct is not None:
            return direct
        char_bold = self.styles.bold(_val(rpr, "rStyle"))
        return style_bold if char_bold is None else char_bold

    # -- tables
    def table_cells(self, tbl: etree._Element) -> list[RawCell]:
        """Cells of one w:tbl on its grid, with real row/column spans."""
        cells: list[RawCell] = []
        open_v: dict[int, RawCell] = {}  # grid column -> cell being merged down
        rows = [tr for tr in _children(tbl, W + "tr") if not _row_deleted(tr)]
        for r, tr in enumerate(rows):
            trpr = _child(tr, "trPr")
            col = max(_int(_val(trpr, "gridBefore"), 0) or 0, 0)
            seen: set[int] = set()
            for tc in _children(tr, W + "tc"):
                col = self._place_cell(tc, r, col, cells, open_v, seen)
            for c in [c for c in open_v if c not in seen]:
                del open_v[c]
        return cells

    def _place_cell(
        self, tc: etree._Element, r: int, col: int, cells: list[RawCell], open_v: dict[int, RawCell], seen: set[int]
    ) -> int:
        """Add (or merge) one w:tc at grid column ``col``; return the next column."""
        tcpr = _child(tc, "tcPr")
        span = max(_int(_val(tcpr, "gridSpan"), 1) or 1, 1)
        vmerge = None if tcpr is None else _child(tcpr, "vMerge")
        hmerge = None if tcpr is None else _child(tcpr, "hMerge")
        text = self.cell_text(tc)
        if _continues(hmerge) and cells and cells[-1].row == r:
            _extend(cells[-1], text, colspan=span)
            return col + span
        origin = open_v.get(col) if _continues(vmerge) else None
        if origin is not None and origin.colspan == span:
            origin.rowspan = r - origin.row + 1
            _extend(origin, text)
        else:
            origin = RawCell(r, col, text, colspan=span)
            cells.append(origin)
        if vmerge is not None:
            open_v[col] = origin
            seen.add(col)
        return col + span

    def cell_text(self, tc: etree._Element) -> str:
        """Cell paragraphs joined by newlines; nested tables flattened into lines."""
        lines = []
        for el in _blocks(tc):
            if el.tag == W + "p":
                lines.append(self.paragraph(el).text)
            else:
                lines.extend(self.nested_lines(el))
        return "\n".join(line for line in lines if line.strip())

    def nested_lines(self, tbl: etree._Element) -> list[str]:
        """A nested table as text: one line per row, cells joined by " | "."""
        by_row: dict[int, list[RawCell]] = {}
        for c in self.table_cells(tbl):
            by_row.setdefault(c.row, []).append(c)
        lines = []
        for r in sorted(by_row):
            parts = [" ".join(c.text.split("\n")) for c in sorted(by_row[r], key=lambda c: c.col)]
            line = " | ".join(p for p in parts if p.strip())
            if line:
                lines.append(line)
        return lines

    def has_borders(self, tbl: etree._Element, cells: list[RawCell]) -> bool:
        """True when the table or any of its own cells draws a visible border.

        Inside borders only show when there is something to separate: a
        one-row table with ``insideH`` set still prints no line.
        """
        tblpr = _child(tbl, "tblPr")
        sides = self.styles.table_borders(_val(tblpr, "tblStyle"))
        sides.update(_border_vals(None if tblpr is None else _child(tblpr, "tblBorders")))
        n_cols = max((c.col + c.colspan for c in cells), default=0)
        if max((c.row + c.rowspan for c in cells), default=0) < 2:
            sides.pop("insideH", None)
        if all(c.colspan == n_cols for c in cells):
            sides.pop("insideV", None)
        if any(v not in _NO_BORDER for v in sides.values()):
            return True
        for tr in _children(tbl, W + "tr"):
            for tc in _children(tr, W + "tc"):
                borders = tc.find(f"{W}tcPr/{W}tcBorders")
                if any(v not in _NO_BORDER for v in _border_vals(borders).values()):
                    return True
        return False

    # -- footnotes / endnotes
    def notes(self, reltype: str, kind: str) -> None:
        """Append foot/endnotes (legal citations) as paragraphs styled "footnote"."""
        root = _part_xml(self.part, reltype)
        if root is None:
            return
        # separator / continuationSeparator notes carry a w:type; real notes do not.
        real = [n for n in root.findall(W + kind) if n.get(W + "type", "normal") == "normal"]
        notes = {n.get(W + "id", ""): n for n in real}
        order = list(dict.fromkeys(i for i in self.note_refs[kind + "Reference"] if i in notes))
        order += [i for i in notes if i not in order]
        for note_id in order:
            for el in _blocks(notes[note_id]):
                texts = [self.paragraph(el).text] if el.tag == W + "p" else self.nested_lines(el)
                for text in texts:
                    self.b.paragraph(text, style="footnote")


def _continues(merge: Optional[etree._Element]) -> bool:
    """A w:vMerge/w:hMerge that continues the cell before it (no val = continue)."""
    return merge is not None and merge.get(W + "val", "continue") != "restart"


def _t_text(t: etree._Element) -> str:
    """Text of a w:t.  An unresolved entity reference splits it into text +
    entity node + tail; keep the literal text around it, drop the entity."""
    if len(t) == 0:
        return t.text or ""
    return "".join([t.text or ""] + [node.tail or "" for node in t])


def _row_deleted(tr: etree._Element) -> bool:
    trpr = _child(tr, "trPr")
    return trpr is not None and _child(trpr, "del") is not None


def _extend(cell: RawCell, text: str, colspan: int = 0) -> None:
    """Fold a merged-away cell into its origin (its text is kept, not lost)."""
    cell.colspan += colspan
    if text:
        cell.text = f"{cell.text}\n{text}" if cell.text else text
