"""Sentence forms: the engine that runs the forms of models/task_forms.yaml on one
paragraph, and the unit-phrase pieces every layout shares (the unit phrase a text starts
with, supporting units after "phối hợp với", a unit list cut at its verb).

A form's pattern is regex pieces between unit slots (grammar.CompiledForm).  The engine
matches the pieces one after the other (the first on the paragraph text, the ones after
a slot with the unit nouns hidden); a slot is the unit phrase that starts there
(``leading_units``).  Nothing backtracks into a slot, as a reader does
not re-read a name once it has ended.  Regular expressions alone cannot do the slot: its
end is found with the unit nouns hidden ("Ban quản lý" holds the verb "quản lý"), while
its start is checked on the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, Optional

from ...gazetteer import gazetteer
from ...lexicon import Lex, alt, words
from ...schema import UnitRef
from ..unit_mentions import head_re, is_collective, split_units, unit_ref
from .grammar import CompiledForm, compiled_forms, settings
from .paragraphs import Para

_PARENS = re.compile(r"\([^()]*\)")
_TITLE = Lex(r"^$TITLE_START")
_SUPPORT = Lex(r"$SUPPORT_MARK")
_SUPPORT_STOP = Lex(r"[.;:(]|\s+$SUPPORT_STOP\s")
_OPENER = Lex(r"^$OPENER_START")


@lru_cache(maxsize=None)
def verb_re(name: str = "UNIT_END_VERB") -> re.Pattern[str]:
    """The verbs of a lexicon block as one case-sensitive pattern: in running text verbs are
    lower case, while "Tổ chức", "Xây dựng" inside a unit name are capitalised."""
    return re.compile(r"(?<![\wÀ-ỹ])" + alt(name) + r"(?![\wÀ-ỹ])")


@lru_cache(maxsize=None)
def _nouns_re() -> re.Pattern[str]:
    return re.compile(alt("UNIT_NOUN"))


def mask_nouns(text: str) -> str:
    """Hide the unit nouns ('tổ chức chính trị - xã hội', 'có liên quan', 'Ban quản lý') and
    whatever is in parentheses (the members of a group) from the verb search; same length."""
    text = _PARENS.sub(lambda m: "x" * len(m.group(0)), text)
    return _nouns_re().sub(lambda m: "x" * len(m.group(0)), text)


def starts_with_unit(text: str) -> bool:
    """The text starts with a unit head or a title ("Phó Thủ tướng": a deputy's title too), or
    with a body the gazetteer knows ("Đài truyền hình Việt Nam", written in lower case)."""
    t = _DEPUTY.sub("", text)
    ws = t.split()[:8]
    # a line in capitals ("THỦ TƯỚNG CHÍNH PHỦ điện:") is a header's, not an actor's
    known = bool(ws) and not (len(ws[0]) > 1 and ws[0].isupper()) and _known_start(" ".join(ws))
    return bool(head_re().match(t) or _TITLE.match(t) or known or _BARE_RELATIVE.match(t))


_DEPUTY = Lex(r"^$DEPUTY\s+")
_BARE = Lex(r"(?:$BARE_HEAD)", re.I)  # singular: "Các cơ quan" is an actor on its own
# "Cơ quan quản lý công chức ...", "Đơn vị sử dụng công chức ...": a bare head and its relative clause
_BARE_RELATIVE = Lex(r"^(?:(?:Các|Những)\s+)?(?:Cơ quan|Đơn vị|Doanh nghiệp|Cơ sở)\s+(?=(?:$UNIT_END_VERB|có)\s)")


@lru_cache(maxsize=4096)
def _known_start(words8: str) -> bool:
    return gazetteer().known_prefix(words8.split()) > 0


_PLACE_LEVEL = Lex(r"\s(?:$PLACE_LEVEL_NOUN)\b")
_LIST_SPLIT = re.compile(r",|\s+và\s+")


def _places_list(before: str, after: str) -> bool:
    """'... các tỉnh, thành phố trực thuộc Trung ương' then ': Hà Tĩnh, Quảng Trị, Huế' up to the
    verb: a list of the places the body exists in (split_units distributes it), not a colon
    that ends the unit phrase."""
    names = [x.strip() for x in _LIST_SPLIT.split(after.strip(" ,;"))]
    return (
        bool(_PLACE_LEVEL.search(before))
        and len(names) >= 2
        and all(n and len(n.split()) <= 4 and all(w[:1].isupper() for w in n.split()) for n in names)
    )


def opener(text: str) -> Optional[re.Match[str]]:
    """'Giao ', 'Đề nghị: ', 'Giao cho ' at the start of the text."""
    return _OPENER.match(text)


def leading_units(text: str, loose: bool = False) -> Optional[tuple[str, int]]:
    """The unit phrase a text starts with, ended by ':' or a verb that ends a unit name:
    (phrase, where it ended); None when the text does not start with a unit.  ``loose``
    (after an opener or an ask, which already say a unit follows): its head may be written
    in lower case ("Giao phòng Quản lý Công nghiệp triển khai ...")."""
    if not starts_with_unit(text) and not (loose and starts_with_unit(text[:1].upper() + text[1:])):
        return None
    limit = settings().unit_phrase_max_chars
    colon = text.find(":")
    vm = verb_re().search(mask_nouns(text))
    if vm is not None and 0 < colon < vm.start() and _places_list(text[:colon], text[colon + 1 : vm.start()]):
        colon = -1  # "UBND các tỉnh, thành phố: Hà Tĩnh, Huế chủ động ...": the colon lists the places
    ends = [e for e in (colon if 0 < colon <= limit else -1, vm.start() if vm else -1) if e > 0]
    if not ends:
        return None
    end = min(ends)
    if (
        vm is not None
        and end == vm.start()
        and _BARE.fullmatch(text[:end].strip(" ,;"))
        and vm.group(0) not in words("NOT_OBLIGATION")  # "cơ quan đã sửa đổi": a statement
    ):
        # "Cơ quan quản lý công chức xây dựng ...": the first verb says which bodies
        nxt = verb_re().search(mask_nouns(text), vm.end() + 1)
        if nxt is None or nxt.start() > limit or 0 < colon < nxt.start():
            return None  # "Cơ quan thực hiện thủ tục hành chính": a name, not a sentence
        end = nxt.start()
    phrase = text[:end].rstrip(" ,;")
    if not phrase or len(phrase) > limit or len(phrase.split()) > settings().unit_phrase_max_words:
        return None
    return phrase, end


def trim_at_verb(txt: str, s: int, e: int) -> tuple[str, int]:
    """'Bộ Công an tiến hành rà soát các văn bản ...' (a lead cell or a label's value written as
    a sentence): the unit ends at its verb.  Only verbs of a sentence (SENTENCE_VERB): a unit
    list's own clauses ('các đơn vị cung cấp dịch vụ', 'các Bộ quản lý lĩnh vực') stay."""
    vm = verb_re("SENTENCE_VERB").search(mask_nouns(txt))
    if vm is not None and len(txt[: vm.start()].split()) >= 2:
        txt = txt[: vm.start()].rstrip(" ,;")
        e = s + len(txt)
    return txt, e


def trim_to_known(txt: str, s: int, e: int) -> tuple[str, int]:
    """A long unit phrase whose start names a known body and then goes on in lower case
    ("Văn phòng UBND tỉnh phân loại, làm rõ nội dung"): the known body.  The verb list
    cannot hold every verb; the gazetteer settles what it knows."""
    ws = txt.split()
    if len(ws) <= settings().unit_known_prefix_min_words or is_collective(txt):
        return txt, e  # "Các sở, ban, ngành, đoàn thể tỉnh": a group's list goes on in lower case
    n = gazetteer().known_prefix(ws[: settings().unit_phrase_max_words])
    if (
        n
        and n < len(ws)
        and ws[n][:1].islower()
        and not ws[n - 1].endswith((",", ";"))
        and ws[n] not in words("UNIT_NAME_CONTINUES")
        and ws[n] not in words("PLACE_PREPOSITION")  # "... các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng"
    ):
        cut = len(" ".join(ws[:n]))
        return txt[:cut], s + cut
    return txt, e


def units_from(phrase: str, p: Para, base: int) -> list[UnitRef]:
    """The units a phrase names; ``base``: where the phrase starts in the paragraph's block."""
    out = []
    for t, s, e in split_units(phrase):
        t, e = trim_at_verb(t, s, e)
        t, e = trim_to_known(t, s, e)
        out.append(unit_ref(t, p.src(base + s, base + e)))
    return out


def support_units(text: str, base: int, p: Para) -> list[UnitRef]:
    """Units after 'phối hợp (với)' (SUPPORT_MARK), up to the next verb or punctuation."""
    m = _SUPPORT.search(text)
    if not m:
        return []
    rest = text[m.end() :]
    stops = [x.start() for x in (verb_re().search(mask_nouns(rest)), _SUPPORT_STOP.search(rest)) if x]
    phrase = rest[: min(stops)] if stops else rest
    out = []
    for t, s, e in split_units(phrase.rstrip(" ,")):
        # after "phối hợp với" a capitalised phrase is a body whatever its head ("Thường trực Ủy ban MTTQ")
        if head_re().match(t) or t.lower().startswith(words("SUPPORT_START")) or t[:1].isupper():
            t, e = trim_to_known(t, s, e)
            out.append(unit_ref(t, p.src(base + m.end() + s, base + m.end() + e)))
    return out


# --------------------------------------------------------------------------- the engine


@dataclass
class FormMatch:
    """What one form read in one paragraph."""

    form: CompiledForm
    groups: dict[str, tuple[int, int]]  # named regex groups: (start, end) in the paragraph text
    slots: dict[str, tuple[str, int]]  # slot -> (unit phrase, start in the paragraph text)
    lead: list[UnitRef] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.form.form.id

    @property
    def priority(self) -> int:
        return self.form.form.priority


def _run(
    cf: CompiledForm, text: str, pos: int
) -> Optional[tuple[dict[str, tuple[int, int]], dict[str, tuple[str, int]]]]:
    """The pieces and slots of a form from ``pos``, one after the other; None if one fails."""
    opening = pos if cf.form.anchor == "start" else 0  # where the paragraph's own words start
    groups: dict[str, tuple[int, int]] = {}
    slots: dict[str, tuple[str, int]] = {}
    for k, piece in enumerate(cf.pieces):
        # after a slot, the words are read with the unit nouns hidden ("là cơ quan quản lý":
        # the verb is "là", since "cơ quan quản lý" is a noun)
        m = piece.match(text[pos:] if k == 0 else mask_nouns(text[pos:]))
        if m is None:
            return None
        for name, value in m.groupdict().items():
            if value is not None:
                groups[name] = (pos + m.start(name), pos + m.end(name))
        for name, excluded in cf.excluded.items():
            if name in groups and text[groups[name][0] : groups[name][1]] in excluded:
                return None
        pos += m.end()
        if k < len(cf.slots):
            lu = leading_units(text[pos:], loose=pos != opening)
            if lu is None or (pos == opening and not starts_with_unit(lu[0])):
                # a phrase that opens the paragraph must itself be a unit ("Các tổ chức ..." cut
                # at "tổ chức" leaves "Các"); after an opener, an ask or a clause the words
                # before it already say that units follow
                return None
            slots[cf.slots[k]] = (lu[0], pos)
            pos += lu[1]
    return groups, slots


_TOPIC = Lex(r"$TOPIC_LABEL")


def _starts(cf: CompiledForm, text: str) -> list[int]:
    """Where a form is tried: the start, the guard's end, or each place its first piece matches."""
    f = cf.form
    if cf.guard is not None:
        g = cf.guard.match(text)
        if g is None:
            return []
        if f.anchor == "guard_end":
            return [g.end()]
    if f.anchor != "search":
        # "Về hỗ trợ kinh phí ...: Giao Bộ Tài chính chủ trì ...": after a topic label the
        # item opens again
        topic = _TOPIC.match(text) if f.anchor == "start" and cf.guard is None else None
        return [0, topic.end()] if topic else [0]
    window = f.window if f.window is not None else len(text)
    return [m.start() for m in cf.pieces[0].finditer(text) if m.start() < window]


def _lead(cf: CompiledForm, slots: dict[str, tuple[str, int]], p: Para) -> list[UnitRef]:
    lead: list[UnitRef] = []
    for name in cf.form.lead:
        phrase, start = slots[name]
        lead += [
            u
            for u in units_from(phrase, p, p.off + start)
            if u.name not in {x.name for x in lead} and not _BARE.fullmatch(u.text.strip())  # "đơn vị": nobody
        ]
    return lead


def run_form(cf: CompiledForm, p: Para) -> Optional[FormMatch]:
    """The form on paragraph ``p``: the first place where it reads a non-empty lead."""
    for start in _starts(cf, p.text):
        got = _run(cf, p.text, start)
        if got is None:
            continue
        lead = _lead(cf, got[1], p)
        if lead:
            return FormMatch(cf, got[0], got[1], lead)
    return None


def _forms_reading(p: Para, where: Optional[str], ids: Optional[tuple[str, ...]]) -> Iterator[FormMatch]:
    """The forms (of one kind, or with one of ``ids``) that read ``p``, highest priority first
    (forms are compiled in priority order); lazily, so the first costs one pass."""
    for cf in compiled_forms():
        if (where is not None and cf.form.where != where) or (ids is not None and cf.form.id not in ids):
            continue
        m = run_form(cf, p)
        if m is not None:
            yield m


def match_forms(p: Para, where: Optional[str] = None, ids: Optional[tuple[str, ...]] = None) -> list[FormMatch]:
    """Every form that reads ``p`` (of one kind, or with one of ``ids``), highest priority first."""
    return list(_forms_reading(p, where, ids))


def best_form(p: Para, where: Optional[str] = None, ids: Optional[tuple[str, ...]] = None) -> Optional[FormMatch]:
    """The form the resolver's policy picks for one paragraph: the highest priority that
    reads it; None when no form does."""
    return next(_forms_reading(p, where, ids), None)


def scope_of(m: FormMatch, text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a form's task looks for its support and its deadline: ((s, e), (s, e))."""
    kind, _, name = m.form.form.scope.partition(":")
    whole = (0, len(text))
    if kind == "from":
        start = m.slots[name][1]
        return (start, len(text)), (start, len(text))
    if kind == "in":
        return m.groups[name], whole
    return whole, whole


def support_for(m: FormMatch, p: Para) -> list[UnitRef]:
    (s, e), _ = scope_of(m, p.text)
    lead_names = {x.name for x in m.lead}
    return [u for u in support_units(p.text[s:e], p.off + s, p) if u.name not in lead_names]


def deadline_scope(m: FormMatch, p: Para) -> tuple[int, int]:
    return scope_of(m, p.text)[1]
