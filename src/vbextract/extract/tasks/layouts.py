"""Layouts: the ways paragraphs relate that need code, registered by id (LAYOUTS; their
priorities and limits are models/task_layouts.yaml).  Each layout reads the paragraph list
and proposes candidate groups (resolve.Group): the paragraphs a group stands on (a heading,
an intro line, label lines) and the tasks it would make, each with the paragraphs it takes.
Layouts never look at each other's results: resolve.choose decides who gets a paragraph.

  labelled_fields  content paragraphs, then "Đơn vị chủ trì: ...", "Thời gian: ..." fields
  unit_heading     "1. Sở Nội vụ" followed by items: one task per item
  intro_items      "... yêu cầu Chủ tịch UBND các tỉnh:" followed by items
  sentence         one paragraph that states its own actor (the forms of task_forms.yaml)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from ...lexicon import Lex, normal_case, words
from ...normalize import fold
from ...schema import Section, Task, UnitRef
from ..unit_mentions import split_units
from .forms import (
    FormMatch,
    best_form,
    deadline_scope,
    leading_units,
    mask_nouns,
    match_forms,
    opener,
    starts_with_unit,
    support_for,
    support_units,
    units_from,
    verb_re,
)
from .grammar import layout_priority, settings
from .paragraphs import (
    BULLET_NUMBERS,
    BULLETS,
    INTRO_END,
    ITEMS,
    NUMBERED,
    PARTS,
    PARTS_AND_ARTICLES,
    Para,
    group_of,
    in_attachment,
    make_task,
    strip_item_mark,
)
from .resolve import Claim, Group
from .tables import deadline_of
from .timing import prose_deadline
from .trace import Trace

_ASK = Lex(r"(?:^|[\s,])(?P<verb>$ASK)\s+(?=\S)")
_DIRECTS = Lex(r"^$DIRECTS_ITEM\s")
_HEADING_PREFIX = Lex(r"$HEADING_PREFIX", re.I)
_HEADING_SUFFIX = Lex(r"$HEADING_SUFFIX")
_ROLE_NOTE = Lex(r"$ROLE_AFTER_DASH")
_PAREN_NOTE = Lex(r"$BODY_NOTE_IN_PARENS")
_OPENER_AT_START = Lex(r"^$OPENER_START")
_CONTENT_LABEL = Lex(r"$CONTENT_LABEL")
_CONTENT_LIST = Lex(r"$CONTENT_LIST_HEADING")
_LABEL_TAIL_FOLDED = Lex(r"$LABEL_TAIL_FOLDED")
_LABEL_INTRO = Lex(r"$LABEL_INTRO")
_INTRO_SCOPE_END = Lex(r"$INTRO_SCOPE_END")
_COUNT_ITEM = re.compile(r"\d{1,3}\s+[^\W\d]")  # an item opening with a count: a composition entry
_CAPS_LINE = re.compile(r"[^a-zà-ỹđ]+")  # a line in capitals: a title
_COLLECTIVE_LINE = Lex(r"^$PLACE_LEVEL_NOUN\b(?:[\s,]+\S+){0,8}$", re.I)  # "Các tỉnh, thành phố"

Layout = Callable[[list[Para], "Context"], list[Group]]


@dataclass
class Context:
    body_end: int  # where the signature starts: later paragraphs assign only in attachments
    first_section: int  # before it, the preamble assigns nothing
    n_sections: int


# --------------------------------------------------------------------------- shared


def _own_task(p: Para, m: FormMatch) -> Task:
    """The task a paragraph states itself: its text, its own deadline, its section and group;
    and, for a power handed over, its former holder and basis."""
    ds, de = deadline_scope(m, p)
    task = make_task(
        p.text,
        [p],
        m.lead,
        support_for(m, p),
        prose_deadline(p.text[ds:de], p, p.off + ds),
        p.section or (p.ancestors[-1] if p.ancestors else None),
        group_of(p),
        m.id,
    )
    _power_transfer(task, p)
    return task


_POWER_TRANSFER = Lex(r"$POWER_TRANSFER", re.I)


def _power_transfer(task: Task, p: Para) -> None:
    """'Nhiệm vụ, quyền hạn của A về P quy định tại X do B thực hiện': the former holder A and the
    basis X (additive fields; B, the lead, was read by the form)."""
    m = _POWER_TRANSFER.search(p.text)
    if m is None:
        return
    holders = units_from(m.group("holder"), p, p.off + m.start("holder"))
    task.transferred_from = holders[0] if holders else None
    task.basis = m.group("basis").strip()


def _form_trace(p: Para, i: int, m: FormMatch) -> Trace:
    why = [f"lead: the unit phrase <<{slot}>> '{m.slots[slot][0]}' read by form {m.id}" for slot in m.form.form.lead]
    return Trace(m.id, f"paragraph {i}", why)


def heading_units(text: str) -> str:
    """The unit phrase a heading names, or the text unchanged."""
    t = _PAREN_NOTE.sub("", text).strip().rstrip(":.;").strip()
    t = _ROLE_NOTE.sub("", t)
    t = _HEADING_SUFFIX.sub("", _HEADING_PREFIX.sub("", _OPENER_AT_START.sub("", t)))
    return normal_case(t) if t.isupper() else t


def unit_only(text: str) -> bool:
    """A heading that only names units ("1. Sở Nội vụ", "Trách nhiệm của UBND cấp xã:").

    Structure before words: a heading that says whose duties follow ("Trách nhiệm của X",
    "Nhiệm vụ của X") names an actor whatever X's words ("Chi nhánh Văn phòng đăng ký đất
    đai", "Cơ quan có chức năng quản lý đất đai cấp xã"); without such a prefix, X must
    start with a unit head."""
    t = heading_units(text)
    if not t or len(t) > settings().unit_heading_max_chars or verb_re().search(mask_nouns(t)):
        return False
    duty = bool(_HEADING_PREFIX.search(_OPENER_AT_START.sub("", text.strip()))) and not text.strip().startswith(
        ("Đối với", "Về phía")
    )
    if duty and len(t.split()) <= settings().duty_heading_max_words:
        return True
    if not starts_with_unit(t):
        return False
    return all(starts_with_unit(u) or u[:1].islower() for u, _, _ in split_units(t))


# --------------------------------------------------------------------------- labelled fields


# the lexicon block of each labelled field's role, in the order labels are tried
LABEL_BLOCKS = {
    "lead": "LABEL_LEAD",
    "support": "LABEL_SUPPORT",
    "deadline": "LABEL_DEADLINE",
    "outputs": "LABEL_OUTPUTS",
    "budget": "LABEL_BUDGET",
}


@lru_cache(maxsize=None)
def _label_re() -> "Lex":
    alts = [(role, w) for role, name in LABEL_BLOCKS.items() for w in sorted(words(name), key=len, reverse=True)]

    pat = "|".join(f"(?P<{role}{i}>{re.escape(w)}$LABEL_TAIL)" for i, (role, w) in enumerate(alts))
    return Lex(r"(?:^|(?<=[\s;(.]))(?:" + pat + r")\s*:\s*", re.I)


def labels_in(text: str) -> list[tuple[str, int, int]]:
    """(role, label start, value start) of every 'Label:' in the text."""
    out = []
    for m in _label_re().finditer(text):
        role = next(k for k, v in m.groupdict().items() if v).rstrip("0123456789")
        out.append((role, m.start(), m.end()))
    return out


def label_fields(text: str) -> tuple[str, dict[str, tuple[str, int]]]:
    """'X. Đơn vị chủ trì: A; Thời gian: B' -> ('X.', {'lead': ('A', offset), ...})."""
    found = labels_in(text)
    if not found:
        return text, {}
    fields: dict[str, tuple[str, int]] = {}
    for k, (role, _, vs) in enumerate(found):
        ve = found[k + 1][1] if k + 1 < len(found) else len(text)
        value = text[vs:ve].strip().rstrip(";.,)").strip()
        if value and role not in fields:
            fields[role] = (value, vs)
    return text[: found[0][1]].strip(" -;(,"), fields


def is_label_para(p: Para) -> bool:
    found = labels_in(strip_item_mark(p.text))
    return bool(found) and found[0][1] == 0


def _is_label_intro(p: Para) -> bool:
    """'a) Nhiệm vụ:' / 'b) Cơ quan thực hiện:' — a label with no value."""
    return p.text.rstrip().endswith(":") and len(p.text) <= settings().label_heading_max_chars


@lru_cache(maxsize=None)
def _label_words() -> dict[str, str]:
    out = {}
    for role, name in LABEL_BLOCKS.items():
        for w in words(name):
            out[fold(w)] = role
    return out


def _label_heading(p: Para) -> Optional[str]:
    """'a) Cơ quan chủ trì' (its value in the bullets below) -> role; 'Cơ quan chủ trì, phối hợp' -> 'intro'."""
    t = fold(p.text).strip().rstrip(":").strip()
    if len(t) > settings().label_heading_max_chars:
        return None
    t = _LABEL_TAIL_FOLDED.sub("", t)
    if t in _label_words():
        return _label_words()[t]
    if _LABEL_INTRO.fullmatch(t):
        return "intro"
    return None


def _label_group(paras: list[Para], i: int) -> tuple[list[tuple[Para, Optional[str]]], int]:
    """The label paragraphs from i on: [(paragraph, role of a label heading or None)], end index."""
    group: list[tuple[Para, Optional[str]]] = []
    k, active = i, None
    while k < len(paras):
        q = paras[k]
        role = _label_heading(q)
        if is_label_para(q):
            group.append((q, None))
            active = None
        elif role:
            group.append((q, role))
            active = role if role != "intro" else None
        elif active and q.kind in BULLETS:
            group.append((q, "value:" + active))
        elif group and q.kind is None and q.text.strip().startswith("(") and q.text.strip().rstrip(".;").endswith(")"):
            pass  # "(Văn phòng Ban Chỉ đạo ... là cơ quan ...)": a note between the labels, not the end of them
        elif (
            _is_label_intro(q) and k + 1 < len(paras) and (is_label_para(paras[k + 1]) or _label_heading(paras[k + 1]))
        ):
            group.append((q, "intro"))
        else:
            break
        k += 1
    return group, k


def _content_before(paras: list[Para], i: int, taken: set[int]) -> list[Para]:
    """The content paragraphs a label group at i belongs to."""
    out: list[Para] = []
    k = i - 1
    while k >= 0 and len(out) < settings().labelled_max_content_paras:
        q = paras[k]
        if k in taken or is_label_para(q) or q.kind in PARTS_AND_ARTICLES:
            break
        if _is_label_intro(q) and q.kind not in NUMBERED:
            k -= 1
            continue
        out.insert(0, q)
        if q.kind in ITEMS:
            parent = q.ancestors[-1] if q.ancestors else None
            if parent is None or not _CONTENT_LIST.fullmatch(fold(parent.heading).strip(" :.")):
                break
            # items under "1. Nội dung, biện pháp": the whole list is the content
            k -= 1
            while k >= 0 and k not in taken and parent in paras[k].ancestors:
                out.insert(0, paras[k])
                k -= 1
            break
        k -= 1
    return out


def _field_values(group: list[tuple[Para, Optional[str]]]) -> dict[str, list[tuple[str, Para, int]]]:
    """role -> [(value, paragraph, offset in its block)] of a label group (first value per role
    from inline labels; every bullet under a label heading)."""
    merged: dict[str, list[tuple[str, Para, int]]] = {}
    for g, role in group:
        if role and role.startswith("value:"):
            merged.setdefault(role[6:], []).append((g.text.rstrip(" .;"), g, g.off))
            continue
        if role:
            continue
        t = strip_item_mark(g.text)
        shift = g.text.find(t) + g.off
        for r2, (value, off) in label_fields(t)[1].items():
            if r2 not in merged:
                merged[r2] = [(value, g, shift + off)]
    return merged


def unit_heading_above(p: Para) -> Optional[Para]:
    """The nearest enclosing section that names a unit ('1.2. Sở Tài chính')."""
    for s in reversed(p.ancestors):
        if s.number not in BULLET_NUMBERS and unit_only(s.text):
            return Para(p.block, s.text, None, s.number, s, [], 0)
    return None


def _labelled_lead(
    merged: dict[str, list[tuple[str, Para, int]]], content: list[Para], heading: Optional[Para]
) -> tuple[list[UnitRef], list[UnitRef], str]:
    """The lead (the label's value, else the unit heading above, else the unit the first
    content paragraph opens with), extra support, and where the lead came from."""
    lead = [u for v, g, off in merged.get("lead", []) for u in units_from(v, g, off)]
    if lead:
        return lead, [], "the lead label's value"
    owner = heading or unit_heading_above(content[0])
    if owner is not None:
        lead = units_from(heading_units(owner.text), owner, owner.off)
        if lead:
            return lead, [], f"the unit heading '{owner.text[:60]}'"
    m = best_form(content[0], where="opening")  # "+ Sở Xây dựng: hướng dẫn ..." then "Thời gian thực hiện: ..."
    if m is not None:
        return m.lead, support_for(m, content[0]), f"the unit the content opens with (form {m.id})"
    return [], [], ""


def _bullet_items(content: list[Para]) -> list[Para]:
    """The bullets of a labelled group, one task each (ANNOTATION.md's settled case): the
    content paragraphs that head nothing else in the group, when there are two or more and
    every one is an item or a bullet.  [] when the group is one piece of prose."""
    heads = {id(s) for c in content for s in c.ancestors}
    leaves = [c for c in content if c.section is None or id(c.section) not in heads]
    if len(leaves) < 2 or any(c.kind not in ITEMS | BULLETS for c in leaves):
        return []
    return leaves


def _labelled_task(paras: list[Para], i: int, taken: set[int]) -> tuple[list[Claim], int, set[int]]:
    """The labelled tasks whose label lines start at i: (claims, next index, label paragraphs).
    A group of bullets gives one task per bullet, each with the group's units and deadline."""
    p = paras[i]
    head_text, fields = label_fields(p.text)
    inline = bool(fields) and len(head_text) > settings().labelled_head_min_chars and not is_label_para(p)
    if not is_label_para(p) and not inline and _label_heading(p) not in ("lead", "support", "deadline", "intro"):
        return [], i + 1, set()
    group: list[tuple[Para, Optional[str]]]
    if inline:
        group, k, content = [(p, None)], i + 1, [p]
    else:
        group, k = _label_group(paras, i)
        if not any(r is None or r.startswith("value:") for _, r in group):
            return [], i + 1, set()
        content = _content_before(paras, i, taken)
    if not content:
        return [], max(k, i + 1), set()
    merged = _field_values(group)
    heading = next((c for c in content if c.section is not None and unit_only(c.text)), None)
    if heading is not None:
        content = [c for c in content if c is not heading] or content
    lead, extra_support, lead_why = _labelled_lead(merged, content, heading)
    if not lead:  # fields without a named unit: nothing is assigned to anyone
        return [], max(k, i + 1), set()
    support = [u for v, g, off in merged.get("support", []) for u in units_from(v, g, off)] + extra_support
    dl = None
    if "deadline" in merged:
        v, g, off = merged["deadline"][0]
        dl = deadline_of(v, g.src(off, off + len(v)))
    idx = {id(c): n for n, c in enumerate(paras)}
    labels = set(range(i, k))
    label_paras = [g for g, _ in group] if not inline else []
    why = [
        f"lead: {lead_why}",
        "support: the support label's value" if merged.get("support") else "support: none labelled",
    ]

    def claim(text: str, parts: list[Para], extra: list[UnitRef], took: set[int], note: list[str]) -> Claim:
        first = parts[0]
        task = make_task(
            text,
            parts + label_paras,
            lead,
            support + extra,
            dl,
            first.section or (first.ancestors[-1] if first.ancestors else None),
            group_of(first),
            "labelled_fields",
        )
        if "outputs" in merged:
            task.outputs = merged["outputs"][0][0]
        if "budget" in merged:
            task.budget = merged["budget"][0][0]
        where = f"paragraphs {min(took | labels)}-{max(took | labels)}"
        return Claim(frozenset(took), task, Trace("labelled_fields", where, why + note), idx[id(first)])

    bullets = _bullet_items(content) if not inline else []
    if bullets:
        claims = []
        for b in bullets:
            t = strip_item_mark(b.text)
            own = support_units(t, b.text.find(t), b)  # "- Phối hợp với Bộ Công an ...": its own partner
            claims.append(claim(t.strip(), [b], own, {idx[id(b)]}, ["one task per bullet of the group"]))
        # the heading the bullets hang under is taken with the group, without a task of its own
        rest = frozenset(idx[id(c)] for c in content if all(c is not b for b in bullets))
        if rest:
            claims.append(Claim(rest, None, None, i))
        return claims, max(k, i + 1), labels
    text = (
        head_text
        if inline
        else "\n".join(_CONTENT_LABEL.sub("", c.text).strip() for c in content if not _is_label_intro(c))
    )
    return [claim(text, content, [], {idx[id(c)] for c in content}, [])], max(k, i + 1), labels


def labelled_fields(paras: list[Para], ctx: Context) -> list[Group]:
    """Content paragraphs followed by 'Đơn vị chủ trì: ...' style fields (inline, one per
    paragraph, or a label heading whose values are the bullets below it)."""
    groups: list[Group] = []
    taken: set[int] = set()
    i = 0
    while i < len(paras):
        claims, nxt, labels = _labelled_task(paras, i, taken)
        if claims:
            taken |= labels.union(*(c.paras for c in claims))
            groups.append(Group("labelled_fields", layout_priority("labelled_fields"), frozenset(labels), claims, i))
        i = nxt
    return groups


# --------------------------------------------------------------------------- unit heading


def _direct_items(paras: list[Para], i: int) -> list[int]:
    p = paras[i]
    assert p.section is not None
    items = [j for j in range(i + 1, len(paras)) if paras[j].block.start < p.section.source.end]
    return [
        j
        for j in items
        if paras[j].style is None
        or paras[j].section in p.section.children
        or (paras[j].ancestors and paras[j].ancestors[-1] in p.section.children)
    ]


def _item_belongs(q: Para, heading: Section) -> Optional[bool]:
    """Is q an item of the heading's list: True, False, or None (taken without a task: an
    item that ends with ':' and has sub-items)."""
    if q.section is not None and q.section not in heading.children:
        # a point under an item that introduces points ("đ) Phối hợp ... chỉ đạo:", "1. Chỉ đạo
        # viên chức ... thực hiện" then a), b), c)): the lowest level is the task (ANNOTATION.md)
        parent = q.ancestors[-1] if q.ancestors else None
        if parent is None or parent not in heading.children or unit_only(parent.text):
            return False
        return parent.number not in BULLET_NUMBERS or parent.text.rstrip().endswith(":")
    if (
        q.section is not None
        and q.section.children
        and (q.text.rstrip().endswith(":") or any(c.number not in BULLET_NUMBERS for c in q.section.children))
    ):
        return None
    if q.section is None and q.ancestors and q.ancestors[-1] is not heading:
        # a paragraph after a bullet, starting a new sentence: an item whose dash was lost
        bullet = q.ancestors[-1]
        return bool(bullet in heading.children and bullet.number in BULLET_NUMBERS and q.text[:1].isupper())
    return True


def _unit_heading_group(paras: list[Para], i: int) -> Group:
    p = paras[i]
    assert p.section is not None
    phrase = heading_units(p.text)
    pos = fold(p.text).find(fold(phrase))  # fold keeps one char per char (normalize.fold_char)
    lead = units_from(phrase, p, p.off + max(pos, 0))
    claims: list[Claim] = []
    for j in _direct_items(paras, i):
        q = paras[j]
        if unit_only(q.text) or q.kind in PARTS_AND_ARTICLES or (q.section is None and _CAPS_LINE.fullmatch(q.text)):
            continue  # "Chương IV" / "TỔ CHỨC THỰC HIỆN" after an article: the next part, not an item
        if _COUNT_ITEM.match(strip_item_mark(q.text)):
            continue  # "01 đại diện lãnh đạo Vụ Tổ chức cán bộ;": a member of a body's composition, no action
        own = best_form(q, where="opening")
        if own is not None and not _DIRECTS.match(q.text):
            continue  # an item naming its own unit ("+ Sở Xây dựng: ...") is its own task
        # "- Chỉ đạo Ban quản lý KKT ... rà soát ..." under "Ủy ban nhân dân các tỉnh": the
        # heading's body directs, the one directed acts: both lead
        extra = [u for u in own.lead if u.name not in {x.name for x in lead}] if own is not None else []
        belongs = _item_belongs(q, p.section)
        if belongs is None:
            claims.append(Claim(frozenset({j}), None, None, j))
            continue
        if not belongs:
            continue
        task = make_task(
            q.text,
            [q],
            [u.model_copy() for u in lead] + extra,
            support_units(q.text, q.off, q),
            prose_deadline(q.text, q, q.off),
            q.section or p.section,
            p.section.heading,
            "unit_heading",
        )
        why = [f"lead: named by the unit heading {p.section.id} '{p.text[:60]}' above the item"]
        if extra:
            why.append(f"lead: the unit the item directs (form {own.id if own else ''})")
        claims.append(Claim(frozenset({j}), task, Trace("unit_heading", f"paragraph {j} under paragraph {i}", why), j))
    return Group("unit_heading", layout_priority("unit_heading"), frozenset({i}), claims, i)


def unit_heading(paras: list[Para], ctx: Context) -> list[Group]:
    """'1. Sở Nội vụ' followed by bullets or paragraphs: one task per item."""
    return [
        _unit_heading_group(paras, i)
        for i, p in enumerate(paras)
        if p.section is not None and p.number not in BULLET_NUMBERS and (unit_only(p.text) or _actor_by_place(p))
    ]


_IMPLEMENTATION = Lex(r"^(?:$IMPLEMENTATION_SECTION)", re.I)
_GROUP_START = Lex(r"^(?:$COLLECTIVE_START)\s")


def _actor_by_place(p: Para) -> bool:
    """Structure before words: in an implementation or responsibilities section, a short numbered
    heading that heads a list of items and is no action itself names an actor, whatever its words
    ("5. Các tổ chức cung cấp dịch vụ chi trả" then "- Tích cực tham gia ...")."""
    assert p.section is not None
    t = p.text.strip().rstrip(":").strip()
    if (
        not p.section.children
        or not t[:1].isupper()
        or len(t.split()) > settings().actor_heading_max_words
        or re.search(r"[.;,:\d]", t)
        or _opens_with_verb(t)
        or _CAPS_LINE.fullmatch(t)
        # who, not what: a group ("Các tổ chức ...") or someone asked ("Đề nghị ..."), not a topic ("Kinh phí")
        or not (_OPENER_AT_START.match(t) or _GROUP_START.match(t))
    ):
        return False
    return any(_IMPLEMENTATION.match(fold(a.heading)) for a in p.ancestors)


# --------------------------------------------------------------------------- intro line + items


def _intro_lead(p: Para) -> Optional[tuple[list[UnitRef], str]]:
    """Units an introductory line ending in ':' hands the following items to, and why.

    'Thủ tướng Chính phủ yêu cầu Chủ tịch UBND các tỉnh ...:' -> the ones asked;
    'Sở NN&MT chỉ đạo Chi cục ... thực hiện các nội dung sau:' -> both;
    'Giao phòng Quản lý Công nghiệp triển khai ... các công việc liên quan:' -> the one named.
    """
    text = p.text.rstrip()
    if not text.endswith(":") or is_label_para(p) or len(text) > settings().intro_max_chars:
        return None
    body = text[:-1]
    if unit_only(body) or (_COLLECTIVE_LINE.match(body) and not verb_re().search(mask_nouns(body))):
        # "Ủy ban nhân dân các tỉnh, thành phố:", "Các tỉnh, thành phố:" then items: the line only names units
        phrase = heading_units(body)
        pos = fold(body).find(fold(phrase))
        return units_from(phrase, p, p.off + max(pos, 0)), "the intro line names only units"
    m = opener(body)
    lu = leading_units(body[m.end() :] if m else body)
    if m and lu:
        return units_from(lu[0], p, p.off + m.end()), "the units after the opener of the intro line"
    if lu and starts_with_unit(lu[0]):
        phrase, end = lu
        lead = units_from(phrase, p, p.off)
        why = "the units the intro line opens with"
        ask = _ASK.match(body[end:])
        if ask:
            after = body[end + ask.end() :]
            lu2 = leading_units(after + " thực hiện")
            if not after.strip():
                return None  # "Thủ tướng Chính phủ yêu cầu:": the ones asked are named in the items
            if lu2:
                asked = units_from(lu2[0], p, p.off + end + ask.end())
                both = ask.group("verb") in words("DIRECT")
                lead = lead + asked if both else asked
                why = f"the units the intro line {'directs (both lead)' if both else 'asks'} ('{ask.group('verb')}')"
        return lead, why
    for am in _ASK.finditer(body):  # '..., Thủ tướng Chính phủ yêu cầu <units>:'
        after = body[am.end() :]
        if am.group("verb") not in words("DIRECT") and starts_with_unit(after):
            lu2 = leading_units(after + " thực hiện")
            if lu2:
                return units_from(
                    lu2[0], p, p.off + am.end()
                ), f"the units asked ('{am.group('verb')}') in the intro line"
    # 'Để nâng cao hiệu lực ..., các Sở, ngành, UBND cấp xã ... triển khai thực hiện những nội dung sau:'
    mids = match_forms(p, ids=("timing_clause_units", "intro_clause_units"))
    return (mids[0].lead, f"the units after the intro clause (form {mids[0].id})") if mids else None


def _items_after(paras: list[Para], i: int) -> list[int]:
    """The numbered or bulleted items an intro at i introduces."""
    p = paras[i]
    if p.section is not None and p.section.children:
        inside = [j for j in range(i + 1, len(paras)) if paras[j].block.start < p.section.source.end]
        return [j for j in inside if paras[j].section is not None]
    out: list[int] = []
    level = None
    for j in range(i + 1, len(paras)):
        q = paras[j]
        if q.section is None:
            continue  # a paragraph continuing an item
        if level is None:
            level = q.section.level
        if q.section.level < level or q.kind in PARTS:
            break
        if q.section.level == level or (q.section.level > level and out):
            out.append(j)
    return out


def _opens_with_verb(text: str) -> bool:
    t = strip_item_mark(text).lstrip()
    return bool(verb_re().match(t[:1].lower() + t[1:]))


def _any_opens_with_verb(paras: list[Para], items: list[int]) -> bool:
    """Does some item open with an action ("Xây dựng ...", "Phối hợp ...")?  When none does and
    the intro line states its own action ("Học viện ... tổ chức bồi dưỡng các chương trình
    sau:"), the items are what that action applies to."""
    return any(_opens_with_verb(paras[j].text) or best_form(paras[j], where="opening") for j in items)


def _scope_items(paras: list[Para], i: int, items: list[int], lead: list[UnitRef], why: str) -> Group:
    """'X quyết định phê duyệt ... đối với:' + items: the intro states the action and the items
    what it applies to; one task, the intro's, spanning its items."""
    p = paras[i]
    parts = [p] + [paras[j] for j in items]
    task = make_task(
        "\n".join(q.text for q in parts),
        parts,
        lead,
        support_units(p.text, p.off, p),
        prose_deadline(p.text, p, p.off),
        p.section or (p.ancestors[-1] if p.ancestors else None),
        group_of(p),
        "intro_items",
    )
    note = [f"lead: {why}", "the items say what the intro's action applies to (INTRO_SCOPE_END): one task"]
    claim = Claim(frozenset([i, *items]), task, Trace("intro_items", f"paragraphs {i}-{items[-1]}", note), i)
    return Group("intro_items", layout_priority("intro_items"), frozenset({i}), [claim], i)


def intro_items(paras: list[Para], ctx: Context) -> list[Group]:
    """Items after an introductory line that names who must do them."""
    groups = []
    for i, p in enumerate(paras):
        got = _intro_lead(p)
        if not got or not got[0]:
            continue
        lead, why = got
        items = _items_after(paras, i)
        if not items:
            continue
        if best_form(p) is not None and (_INTRO_SCOPE_END.search(p.text) or not _any_opens_with_verb(paras, items)):
            groups.append(_scope_items(paras, i, items, lead, why))
            continue
        claims: list[Claim] = []
        # an item that is itself an intro ("- UBND Hà Nội và UBND TP HCM cần ... như sau:") hands its
        # own points over: the narrower intro overrides this one for them
        narrower = {id(paras[k].section) for k in items if paras[k].section is not None and _intro_lead(paras[k])}
        for j in items:
            q = paras[j]
            own = best_form(q)
            if (own is not None and not _DIRECTS.match(strip_item_mark(q.text))) or unit_only(q.text):
                continue  # an item that names its own unit is its own task
            # "b) Chỉ đạo Bảo hiểm xã hội Việt Nam chi trả ..." after "1. Bộ Tài chính chủ trì ...:":
            # the intro's units direct, the one directed acts: both lead (as under a unit heading)
            extra = [u for u in own.lead if u.name not in {x.name for x in lead}] if own is not None else []
            if any(id(a) in narrower for a in q.ancestors):
                continue
            if q.text.rstrip().endswith(":") and q.section is not None and q.section.children:
                claims.append(Claim(frozenset({j}), None, None, j))
                continue
            task = make_task(
                q.text,
                [q],
                [u.model_copy() for u in lead] + extra,
                support_units(q.text, q.off, q),
                prose_deadline(q.text, q, q.off),
                q.section or p.section,
                group_of(q),
                "intro_items",
            )
            note = [f"lead: {why}: '{p.text[:80]}'"]
            if extra:
                note.append(f"lead: the unit the item directs (form {own.id if own else ''})")
            claims.append(
                Claim(frozenset({j}), task, Trace("intro_items", f"paragraph {j} after paragraph {i}", note), j)
            )
        groups.append(Group("intro_items", layout_priority("intro_items"), frozenset({i}), claims, i))
    return groups


# --------------------------------------------------------------------------- sentence


def sentence(paras: list[Para], ctx: Context) -> list[Group]:
    """One paragraph that states its own actor: the best form that reads it."""
    groups = []
    for i, p in enumerate(paras):
        if (p.block.start >= ctx.body_end and not in_attachment(p)) or INTRO_END.search(p.text):
            continue
        if p.block.start < ctx.first_section and p.section is None and ctx.n_sections > 1:
            continue  # the preamble assigns nothing
        m = best_form(p)
        if m is None:
            continue
        task = _own_task(p, m)
        claims = [Claim(frozenset({i}), task, _form_trace(p, i, m), i)]
        claims += _second_subjects(p, i, task)
        groups.append(Group("sentence", layout_priority("sentence") + m.priority, frozenset(), claims, i))
    return groups


_PERSON = Lex(
    r"^(?:$PERSON_TITLE)\s+(?P<name>[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})"
    r"\s*(?:[-–,(]\s*(?P<role>[^:()]{2,80}?)\)?)?\s*:\s*(?=\S)"
)


def person_colon(paras: list[Para], ctx: Context) -> list[Group]:
    """'Ông Nguyễn Văn A - Trưởng đoàn: ...': a person's own line of duties."""
    groups = []
    for i, p in enumerate(paras):
        claim = _person_task(p, i)
        if claim is not None:
            groups.append(Group("person_colon", layout_priority("person_colon"), frozenset(), [claim], i))
    return groups


def _person_task(p: Para, i: int) -> Optional[Claim]:
    """'Ông Nguyễn Văn A - Trưởng đoàn: chỉ đạo chung ...': a person owns it (ANNOTATION.md), the
    name as printed without the title and the role, flagged as a person."""
    m = _PERSON.match(p.text)
    if m is None:
        return None
    lead = UnitRef(
        text=m.group("name"),
        name=m.group("name"),
        person=True,
        source=p.src(p.off + m.start("name"), p.off + m.end("name")),
    )
    rest = p.text[m.end() :]
    task = make_task(
        rest,
        [p],
        [lead],
        support_units(rest, p.off + m.end(), p),
        prose_deadline(rest, p, p.off + m.end()),
        p.section or (p.ancestors[-1] if p.ancestors else None),
        group_of(p),
        "person_colon",
    )
    why = [f"lead: the person named before the colon ('{m.group(0).strip()[:60]}'), a person, not a body"]
    return Claim(frozenset({i}), task, Trace("person_colon", f"paragraph {i}", why), i)


_NEXT_SUBJECT = re.compile(r";\s+(?=[A-ZĐÀ-Ỹ])")


def _second_subjects(p: Para, i: int, first: Task) -> list[Claim]:
    """'Sở Nội vụ chủ trì tổng hợp; Sở Tài chính bố trí kinh phí.': each clause after a ';' that
    opens with its own actor is a task of its own; each task's content ends where the next
    subject starts."""
    found: list[tuple[int, int, Task, Trace]] = []  # (cut, start) in p.text, task, trace
    for m in _NEXT_SUBJECT.finditer(p.text):
        sub = Para(p.block, p.text[m.end() :], None, None, None, p.ancestors, p.off + m.end())
        fm = best_form(sub, where="opening", ids=("units_verb", "units_colon"))
        if fm is None or any(u.name in {x.name for x in first.lead} for u in fm.lead):
            continue
        found.append((m.start(), m.end(), _own_task(sub, fm), _form_trace(sub, i, fm)))
    ends = [cut for cut, _, _, _ in found] + [len(p.text)]
    if found:
        _cut_task(first, p, 0, ends[0])
    out = []
    for (_, start, task, trace), end in zip(found, ends[1:]):
        _cut_task(task, p, start, end)
        out.append(Claim(frozenset(), task, trace, i))
    return out


def _cut_task(task: Task, p: Para, start: int, end: int) -> None:
    """The task's content and source: p.text[start:end]."""
    task.content = p.text[start:end].strip(" ;")
    task.source = task.source.model_copy(
        update={"start": p.block.start + p.off + start, "end": p.block.start + p.off + end}
    )


LAYOUTS: dict[str, Layout] = {
    "labelled_fields": labelled_fields,
    "unit_heading": unit_heading,
    "intro_items": intro_items,
    "sentence": sentence,
    "person_colon": person_colon,
}


def layout(layout_id: str) -> Layout:
    if layout_id not in LAYOUTS:
        raise ValueError(f"unknown layout {layout_id!r}; known: {', '.join(LAYOUTS)}")
    return LAYOUTS[layout_id]
