"""Tasks: every obligation the document assigns, from task tables and prose.

Works on the document model only (paragraphs, tables with spans, the
outline); it never knows the file format.

Tables: columns get a role from their header cells (models/task_headers.yaml);
a table with a content column and a lead or deadline column is a task table.
Group rows (Roman/letter numbers, or rows that only carry a heading) give the
``group`` and the start of the ``path``; numbered rows are tasks.  Cells that
span rows (merged, or shared by activity rows) are inherited by every row
they cover.  A row with an own, empty number cell and no own lead continues
the task above.

Prose (models/task_phrases.yaml): labelled fields ("Đơn vị chủ trì: ...")
attach to the content paragraphs before them; a unit heading ("1. Sở Nội
vụ") makes each of its bullets (or following paragraphs) a task of that
unit; "Giao/Đề nghị <unit> ...", "<unit>: ..." and "<unit> chủ trì/có trách
nhiệm ..." paragraphs are tasks of that unit, with "phối hợp với <units>" as
support.  Sections that assign nothing (Mục đích, Yêu cầu, ...) are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import yaml

from ..data import data_path
from ..model import Block, Cell, RawDocument
from ..lexicon import normal_case
from ..normalize import fold
from ..schema import ActorDeadline, Deadline, Section, Source, Task, UnitRef
from ..structure.outline import classify
from .units import head_re, phrases, split_units, unit_ref

# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=None)
def _header_vocab() -> dict[str, list[str]]:
    d = yaml.safe_load(data_path("task_headers.yaml").read_text(encoding="utf-8"))
    return {role: [fold(p).strip() for p in words] for role, words in d.items()}


def header_role(text: str, loose: bool = True) -> Optional[tuple[str, int]]:
    """A header cell -> (role, priority) or None; priority orders content columns."""
    t = fold(re.sub(r"\(\d+\)|[*]", "", text)).strip(" .:")
    t = " ".join(t.split())
    if not t:
        return None
    best: Optional[tuple[str, int, int]] = None
    for role, words in _header_vocab().items():
        for i, w in enumerate(words):
            if t == w or t.startswith(w + " ") or t.startswith(w + "/") or t.startswith(w + ","):
                if best is None or len(w) > best[2]:
                    best = (role, i, len(w))
    if best:
        return best[0], best[1]
    if not loose:
        return None
    # a wording not in the list ("Sở, ngành chủ trì tham mưu"): the key word decides
    for role, key in _HEADER_KEYS:
        if re.search(key, t):
            return role, 99
    return None


# folded key words, in order: "phối hợp" before "chủ trì" would be wrong for
# "Chủ trì, phối hợp"; such cells are rare and the lead wins
_HEADER_KEYS = [
    ("lead", r"chu tri|dau moi"), ("support", r"phoi hop"), ("deadline", r"thoi gian|thoi han|tien do"),
    ("budget", r"kinh phi"), ("outputs", r"ket qua|san pham"), ("content", r"nhiem vu|noi dung|hoat dong"),
]


@dataclass
class _Columns:
    header_rows: int
    roles: dict[str, list[int]]  # role -> grid columns
    content: Optional[int]  # the most specific content column
    context: list[int]  # other content columns (Mục tiêu, Nhiệm vụ)


def table_columns(t: Block, raw: RawDocument) -> Optional[_Columns]:
    """The column roles of a task table, or None when it is not one."""
    for hr in range(min(3, t.n_rows)):
        roles: dict[str, list[tuple[int, int]]] = {}
        for c in range(t.n_cols):
            cell = t.cell_at(hr, c)
            if cell is None or (cell.row < hr and cell.rowspan > 1 and hr > 0 and False):
                continue
            r = header_role(cell.text)
            if r:
                roles.setdefault(r[0], []).append((c, r[1]))
        if "content" in roles and ("lead" in roles or "deadline" in roles or "support" in roles):
            last = hr
            # a second header row (sub-headings under a spanning cell)
            while last + 1 < t.n_rows and _is_header_row(t, last + 1):
                last += 1
            content_cols = sorted(roles["content"], key=lambda x: (x[1], -x[0]))
            main = content_cols[0][0]
            cols = {k: [c for c, _ in v] for k, v in roles.items()}
            return _Columns(last + 1, cols, main, [c for c, _ in content_cols[1:]])
    return None


def _is_header_row(t: Block, r: int) -> bool:
    """A second header row: sub-headings, or the column numbers '(1) (2) (3)'."""
    cells = [c for c in t.cells if c.row == r and c.text.strip()]
    if not cells:
        return False
    if all(header_role(c.text, loose=False) or _COL_NO.fullmatch(c.text.strip()) for c in cells):
        return True
    # column numbers read by OCR: "Œ) | (2) | 4" -- every cell a short token
    # without a word in it, most of them a column number
    texts = [c.text.strip() for c in cells]
    return (len(texts) >= 3 and all(len(x) <= 4 and not re.search(r"[^\W\d_]{2}", x) for x in texts)
            and sum(bool(_COL_NO_LOOSE.fullmatch(x)) for x in texts) * 2 > len(texts))


_COL_NO = re.compile(r"\(\d{1,2}\)")
_COL_NO_LOOSE = re.compile(r"\(?\d{1,2}\)?")


_ROMAN_NUM = re.compile(r"^(?=[IVXLC]+\.?$)[IVXLC]+\.?$|^[A-ZĐ]\.?$")
_ARABIC_NUM = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _own(t: Block, r: int, c: Optional[int]) -> Optional[Cell]:
    """The cell at (r, c) if it starts on row r (not spanned from above)."""
    if c is None:
        return None
    cell = t.cell_at(r, c)
    return cell if cell is not None and cell.row == r else None


def _own_filled(t: Block, r: int, cols: list[int], content_cell: Optional[Cell]) -> bool:
    """A non-empty cell of its own in one of the columns (not the row's wide heading cell)."""
    for c in cols:
        cell = _own(t, r, c)
        if cell is not None and cell.text.strip() and cell is not content_cell and cell.colspan == 1:
            return True
    return False


def _text(t: Block, r: int, cols: list[int], exclude: Optional[Cell] = None) -> str:
    seen, parts = set(), []
    for c in cols:
        cell = t.cell_at(r, c)
        if cell is not None and cell is not exclude and id(cell) not in seen and cell.text.strip():
            seen.add(id(cell))
            parts.append(cell.text.strip())
    return "\n".join(parts)


def _cell_units(t: Block, r: int, cols: list[int], exclude: Optional[Cell] = None) -> list[UnitRef]:
    out: list[UnitRef] = []
    seen = set()
    for c in cols:
        cell = t.cell_at(r, c)
        if cell is None or cell is exclude or id(cell) in seen:
            continue
        seen.add(id(cell))
        for txt, s, e in split_units(cell.text):
            txt, e = _trim_at_verb(txt, s, e)
            src = Source(page=cell.page, start=cell.start + s, end=cell.start + e, table=t.table_index, row=cell.row, col=cell.col)
            out.append(unit_ref(txt, src))
    return out


def _trim_at_verb(txt: str, s: int, e: int) -> tuple[str, int]:
    """'Bộ Công an tiến hành rà soát các văn bản ...' (a lead cell or a label's value written as
    a sentence): the unit ends at its verb.  Only verbs of a sentence: a unit list's own
    clauses ('các đơn vị cung cấp dịch vụ', 'các Bộ quản lý lĩnh vực') stay."""
    vm = _verb_re("sentence_verbs").search(_mask_nouns(txt))
    if vm is not None and len(txt[:vm.start()].split()) >= 2:
        txt = txt[:vm.start()].rstrip(" ,;")
        e = s + len(txt)
    return txt, e


# "- UBND tỉnh: trước ngày 25/12/2024 - Sở, huyện: trước ngày 31/01/2025" (seed 003)
_ACTOR_PART = re.compile(r"(?:^|(?<=\s))-?\s*(?P<actor>[^:\-–;\d][^:;]{1,40}?)\s*:\s*(?P<when>[^:]+?)(?=\s+-\s*[^:\-–;\d][^:;]{1,40}?:|\s*;\s*[^:;]{2,40}:|$)")


def _actors(text: str, src: Optional[Source]) -> list[ActorDeadline]:
    """Per-actor deadlines when one cell gives several 'actor: when' parts."""
    parts = list(_ACTOR_PART.finditer(text))
    if len(parts) < 2:
        return []
    out = []
    for m in parts:
        actor = m.group("actor").strip(" -")
        asrc = None
        if src is not None:
            asrc = Source(page=src.page, start=src.start + m.start("actor"), end=src.start + m.end("actor"),
                          table=src.table, row=src.row, col=src.col)
        dsrc = None if src is None else Source(page=src.page, start=src.start + m.start("when"), end=src.start + m.end("when"),
                                                table=src.table, row=src.row, col=src.col)
        out.append(ActorDeadline(actor=unit_ref(actor, asrc), deadline=Deadline(text=m.group("when").strip(), kind="unknown", source=dsrc)))
    return out


def _deadline(text: str, src: Optional[Source]) -> Optional[Deadline]:
    flat = " ".join(text.split())
    if not flat:
        return None
    actors = _actors(text.replace("\n", " "), src)  # same length: offsets stay valid
    return Deadline(text=flat, kind="unknown", source=src, actors=actors)


def _cell_source(t: Block, cell: Cell) -> Source:
    return Source(page=cell.page, start=cell.start, end=cell.end, table=t.table_index, row=cell.row, col=cell.col)


def table_tasks(t: Block, raw: RawDocument) -> list[Task]:
    cols = table_columns(t, raw)
    if cols is None:
        return []
    num_col = (cols.roles.get("num") or [None])[0]
    role_cols = lambda role: cols.roles.get(role, [])  # noqa: E731
    tasks: list[Task] = []
    groups: list[tuple[int, str, str]] = []  # (level, number, heading)
    last_num = ""
    for r in range(cols.header_rows, t.n_rows):
        if _is_header_row(t, r):
            continue  # the header repeated inside the table
        num_cell = _own(t, r, num_col)
        num = num_cell.text.strip().rstrip(".") if num_cell else ""
        content_cell = t.cell_at(r, cols.content) if cols.content is not None else None
        content = content_cell.text.strip() if content_cell is not None and content_cell.row == r else ""
        own_lead = _own_filled(t, r, role_cols("lead"), content_cell)
        if re.fullmatch(r"[.…\s]*", content) and not own_lead and not num:
            continue  # a row of dots where the source skipped rows
        filled = {id(c) for c in t.cells if c.row == r and c.text.strip()}
        if _is_group_row(num, content, own_lead, len(filled), t, r, cols):
            heading = _text(t, r, [c for c in range(t.n_cols) if c != num_col]).replace("\n", " ")
            level = _group_level(num)
            groups = [g for g in groups if g[0] < level] + [(level, num, heading)]
            last_num = ""
            continue
        if not content and not own_lead:
            # own, empty number and content cells, no lead: the row continues the task above
            if tasks and num_cell is not None and not num:
                _continue_task(tasks[-1], t, r, cols)
            continue
        if not content:
            content = _text(t, r, cols.context)
        context = [] if cols.content is None else [c for c in cols.context if c != cols.content]
        if num:
            last_num = num
        path = _path(groups, last_num)
        src_cell = content_cell if content_cell is not None else t.cell_at(r, 0)
        ctx = _text(t, r, context)
        deadline_cell = t.cell_at(r, role_cols("deadline")[0]) if role_cols("deadline") else None
        task = Task(
            id="",
            path=path or None,
            group=groups[-1][2] if groups else None,
            content=(f"{ctx}\n{content}" if ctx and ctx not in content else content),
            outputs=_text(t, r, role_cols("outputs"), content_cell) or None,
            lead=_cell_units(t, r, role_cols("lead"), content_cell),
            support=_cell_units(t, r, role_cols("support"), content_cell),
            deadline=_deadline(_text(t, r, role_cols("deadline"), content_cell),
                               _cell_source(t, deadline_cell) if deadline_cell and deadline_cell is not content_cell else None),
            budget=_text(t, r, role_cols("budget"), content_cell) or None,
            origin="table",
            source=_cell_source(t, src_cell),
        )
        tasks.append(task)
    return tasks


def _group_level(num: str) -> int:
    """A (letter), I (Roman), a heading-only row, 1 (numbered group with 1.1 rows)."""
    if re.fullmatch(r"[A-HJ-UW-ZĐ]", num or ""):
        return 0
    if re.fullmatch(r"[IVXLC]+(?:\.\d+)*", num or ""):
        return 1 + num.count(".")  # "III", "III.1" (group rows numbered under a Roman part)
    if not num:
        return 2
    return 3 + num.count(".")


def _path(groups: list[tuple[int, str, str]], num: str) -> str:
    parts = [g[1] for g in groups if g[1] and (g[0] < 3 or not num.startswith(g[1] + "."))]
    return ".".join(parts + ([num] if num else []))


def _is_group_row(num: str, content: str, own_lead: bool, n_filled: int, t: Block, r: int, cols: _Columns) -> bool:
    if own_lead:
        return False
    if num and (_ROMAN_NUM.match(num) or re.fullmatch(r"[IVXLC]+\.\d+(?:\.\d+)*", num) and n_filled <= 2):
        return True
    content_cell = t.cell_at(r, cols.content) if cols.content is not None else None
    if _own_filled(t, r, cols.roles.get("deadline", []), content_cell):
        return False
    # a heading-only row: one or two filled cells, and the next row is a numbered task
    return n_filled <= 2 and bool(content or num) and (not num or _next_is_deeper(t, r, cols, num))


def _next_is_deeper(t: Block, r: int, cols: _Columns, num: str) -> bool:
    num_col = (cols.roles.get("num") or [None])[0]
    if r + 1 >= t.n_rows or num_col is None:
        return True
    nxt = _own(t, r + 1, num_col)
    return nxt is not None and nxt.text.strip().rstrip(".").startswith(num + ".")


def _continue_task(task: Task, t: Block, r: int, cols: _Columns) -> None:
    more = _text(t, r, [cols.content] if cols.content is not None else [])
    if more:
        task.content = f"{task.content}\n{more}"
    task.support += _cell_units(t, r, cols.roles.get("support", []))
    dl = _text(t, r, cols.roles.get("deadline", []))
    if dl and task.deadline is not None:
        task.deadline.text = f"{task.deadline.text} {dl}"


# --------------------------------------------------------------------------- prose


@dataclass
class _Para:
    block: Block
    text: str  # the paragraph without its number
    style: Optional[tuple]
    number: Optional[str]
    section: Optional[Section]  # the section this paragraph heads, if it is numbered
    ancestors: list[Section] = field(default_factory=list)
    off: int = 0  # where text starts inside the block (after the number)


@lru_cache(maxsize=None)
def _label_re() -> re.Pattern[str]:
    labels = phrases()["labels"]
    alts = []
    for role, words in labels.items():
        for w in sorted(words, key=len, reverse=True):
            alts.append((role, w))
    pat = "|".join(f"(?P<{role}{i}>{re.escape(w)}(?:\\s+(?:tham mưu\\s+)?thực hiện)?)" for i, (role, w) in enumerate(alts))
    return re.compile(r"(?:^|(?<=[\s;(.]))(?:" + pat + r")\s*:\s*", re.I)


def _labels_in(text: str) -> list[tuple[str, int, int]]:
    """(role, label start, value start) of every 'Label:' in the text."""
    out = []
    for m in _label_re().finditer(text):
        role = re.sub(r"\d+$", "", next(k for k, v in m.groupdict().items() if v))
        out.append((role, m.start(), m.end()))
    return out


def _label_fields(text: str) -> tuple[str, dict[str, tuple[str, int]]]:
    """'X. Đơn vị chủ trì: A; Thời gian: B' -> ('X.', {'lead': ('A', offset), ...})."""
    found = _labels_in(text)
    if not found:
        return text, {}
    fields: dict[str, tuple[str, int]] = {}
    for k, (role, ls, vs) in enumerate(found):
        ve = found[k + 1][1] if k + 1 < len(found) else len(text)
        value = text[vs:ve].strip().rstrip(";.,)").strip()
        if value and role not in fields:
            fields[role] = (value, vs)
    return text[: found[0][1]].strip(" -;(,"), fields


@lru_cache(maxsize=None)
def _verb_re(key: str = "verbs") -> re.Pattern[str]:
    """The verbs of ``models/task_phrases.yaml`` ``key`` as one pattern: "verbs" end a unit
    name in running text; "sentence_verbs" only mark a unit cell written as a sentence."""
    verbs = sorted(phrases()[key], key=len, reverse=True)
    # case-sensitive: in running text verbs are lower case, while "Tổ chức",
    # "Xây dựng" inside a unit name are capitalised ("Phòng Hành chính Tổ chức")
    return re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(re.escape(v) for v in verbs) + r")(?![\wÀ-ỹ])")


@lru_cache(maxsize=None)
def _opener_re() -> re.Pattern[str]:
    ops = sorted(phrases()["openers"], key=len, reverse=True)
    # "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh" (a heading): the colon is the opener's
    return re.compile(r"^(?:" + "|".join(re.escape(o) for o in ops) + r")(?:\s*:)?\s+(?:cho\s+)?")


@lru_cache(maxsize=None)
def _nouns_re() -> re.Pattern[str]:
    words = sorted(phrases().get("unit_nouns", []), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _mask_nouns(text: str) -> str:
    """Hide 'tổ chức chính trị - xã hội', 'có liên quan', 'Ban quản lý' and whatever is in
    parentheses ('Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý ...)': the
    members of a group) from the verb search (same length)."""
    text = re.sub(r"\([^()]*\)", lambda m: "x" * len(m.group(0)), text)
    return _nouns_re().sub(lambda m: "x" * len(m.group(0)), text)


_TITLE = re.compile(r"^(?:[Gg]iám đốc|[Tt]hủ trưởng|[Cc]hủ tịch|[Nn]gười đứng đầu|[Ll]ãnh đạo|Trưởng|Chánh|[Bb]ộ trưởng)\s+(?:các\s+)?")


def _leading_units(text: str) -> Optional[tuple[str, int]]:
    """The unit phrase a sentence starts with, ended by ':' or an assignment verb."""
    if not head_re().match(text) and not _TITLE.match(text):
        return None
    colon = text.find(":")
    vm = _verb_re().search(_mask_nouns(text))
    ends = [e for e in (colon if 0 < colon <= 320 else -1, vm.start() if vm else -1) if e > 0]
    if not ends:
        return None
    end = min(ends)
    phrase = text[:end].rstrip(" ,;")
    if not phrase or len(phrase) > 320 or len(phrase.split()) > 48:
        return None
    return phrase, end


_SUPPORT = re.compile(r"(?i:phối hợp)(?:\s+chặt chẽ)?(?:\s+với)?\s+(?!thực hiện|triển khai)")


def _support_units(text: str, base: int, para: _Para) -> list[UnitRef]:
    """Units after 'phối hợp (với)', up to the next verb or punctuation."""
    m = _SUPPORT.search(text)
    if not m:
        return []
    rest = text[m.end():]
    stops = [x.start() for x in (_verb_re().search(_mask_nouns(rest)), re.search(r"[.;:(]|\s+(?:để|trong|nhằm|theo)\s", rest)) if x]
    phrase = rest[: min(stops)] if stops else rest
    out = []
    for t, s, e in split_units(phrase.rstrip(" ,")):
        if head_re().match(t) or t.lower().startswith(("các", "cơ quan", "đơn vị", "sở", "ban", "ngành", "địa phương")):
            out.append(unit_ref(t, _src(para, base + m.end() + s, base + m.end() + e)))
    return out


def _src(p: _Para, start: int, end: int) -> Source:
    return Source(page=p.block.page, start=p.block.start + start, end=p.block.start + end)


def _units_from(phrase: str, p: _Para, base: int) -> list[UnitRef]:
    out = []
    for t, s, e in split_units(phrase):
        t, e = _trim_at_verb(t, s, e)
        out.append(unit_ref(t, _src(p, base + s, base + e)))
    return out


_DEADLINE_IN_TEXT = re.compile(
    r"(?:vào|ngay trong)\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}|"  # "triển khai ngay ... vào ngày 01/12/2025": the day it happens
    r"(?:(?:hoàn thành|xong|báo cáo[^.;]{0,60}?|gửi[^.;]{0,60}?)\s+)?(?:trước|chậm nhất|trong)\s+(?:ngày\s+\d{1,2}(?:/\d{1,2}(?:/\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)|tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?|quý\s+[IVX\d]+(?:/\d{4}|\s+năm\s+\d{4})?|năm\s+\d{4})(?:\s+h[àằ]ng\s+năm)?",
    re.I,
)


_PROSE_TIMING = [
    re.compile(r"^(?:Thường xuyên|thường xuyên)\b"),  # a bullet opening with "Thường xuyên ..."
    re.compile(r"^(?:[Đđ]ịnh kỳ|[Hh][ằà]ng năm)\b[^,;:]{0,120}?h[ằà]ng (?:năm|quý|tháng)"),  # "Định kỳ vào ngày 15 tháng 5 và ... hàng năm"
    re.compile(r"^[Đđ]ịnh kỳ\b[^,;:]{0,60}?\d{1,2}(?:/\d{1,2}| tháng \d{1,2})"),
    re.compile(r"trong (?:vòng |thời hạn )?\d{1,3} ngày(?: làm việc)?[^.;]{0,80}?kể từ(?: ngày)?[^.;,]{0,60}"),
    _DEADLINE_IN_TEXT,
    # "Hằng năm, ...", "định kỳ hằng quý", "Định kỳ 6 tháng": the task's own rhythm
    re.compile(r"(?:^|(?<=[.;,]\s))(?:[Đđ]ịnh kỳ\s+)?(?:[Hh][ằà]ng|mỗi)\s+(?:năm|quý|tháng|tuần)|[Đđ]ịnh kỳ\s+(?:6 tháng|h[ằà]ng\s+(?:năm|quý|tháng))"),
]


def _prose_deadline(text: str, p: _Para, base: int = 0) -> Optional[Deadline]:
    """The timing a prose task states about itself, as written (parsed later)."""
    for pat in _PROSE_TIMING:
        m = pat.search(text)
        if not m:
            continue
        start, end = m.start(), m.end()
        if pat is _DEADLINE_IN_TEXT and not re.search(r"\d{4}", m.group(0)):
            # a day without a year next to "hằng năm" is a yearly deadline:
            # "trước ngày 15 tháng 12 hằng năm", "(hằng năm, trước ngày 15 tháng 12)"
            tail = re.match(r"[^.;]{0,30}?\s(h[ằà]ng (?:năm|quý|tháng))", text[end:])
            head = list(re.finditer(r"[Hh][ằà]ng (?:năm|quý|tháng)[^.;]{0,60}$", text[max(0, start - 70):start]))
            if tail:
                end += tail.end()
            elif head:
                start = max(0, start - 70) + head[-1].start()
        return Deadline(text=text[start:end], kind="unknown", source=_src(p, base + start, base + end))
    return None


def _no_task_section(p: _Para) -> bool:
    words = [fold(w) for w in phrases()["no_task_sections"]]
    for s in p.ancestors + ([p.section] if p.section else []):
        h = fold(s.heading)
        if s.number in ("-", "+"):
            continue
        if any(h.startswith(w) for w in words) and len(h) < 80:
            return True
    return False


def _paragraphs(raw: RawDocument, sections: list[Section], start: int, end: int) -> list[_Para]:
    flat: list[tuple[Section, list[Section]]] = []

    def walk(ss: list[Section], anc: list[Section]) -> None:
        for s in ss:
            flat.append((s, anc))
            walk(s.children, anc + [s])

    walk(sections, [])
    by_start = {s.source.start: (s, anc) for s, anc in flat}
    out: list[_Para] = []
    for b in raw.blocks:
        if b.kind != "paragraph" or b.start < start or b.style == "stamp":
            continue
        text = raw.text[b.start : b.end]
        if b.start in by_start:
            s, anc = by_start[b.start]
            c = classify(text)
            off = text.find(c[2]) if c else 0
            out.append(_Para(b, text[off:], c[0] if c else None, s.number, s, anc, off))
            continue
        inner = [x for x in flat if x[0].source.start <= b.start < x[0].source.end]
        s, anc = inner[-1] if inner else (None, [])
        out.append(_Para(b, text, None, None, None, (anc + [s]) if s else [], 0))
    return out


def _offset(p: _Para) -> int:
    return p.off


def _is_label_para(p: _Para) -> bool:
    t = re.sub(r"^(?:[-–+•]\s*|[a-zđ]\)\s*)", "", p.text)
    found = _labels_in(t)
    return bool(found) and found[0][1] == 0


def _is_label_intro(p: _Para) -> bool:
    """'a) Nhiệm vụ:' / 'b) Cơ quan thực hiện:' — a label with no value."""
    return p.text.rstrip().endswith(":") and len(p.text) <= 45


def _make_task(content: str, paras: list[_Para], lead: list[UnitRef], support: list[UnitRef],
               deadline: Optional[Deadline], section: Optional[Section], group: Optional[str]) -> Task:
    first, last = paras[0], paras[-1]
    src = Source(page=first.block.page, start=first.block.start + _offset(first), end=last.block.end)
    return Task(
        id="", path=section.id if section else None, group=group, content=content.strip(),
        outputs=None, lead=lead, support=support, deadline=deadline, budget=None, origin="prose", source=src,
    )


def _group_of(p: _Para) -> Optional[str]:
    for s in reversed(p.ancestors):
        if s is not p.section:
            return s.heading
    return None


def prose_tasks(raw: RawDocument, sections: list[Section], body_start: int, body_end: int) -> list[Task]:
    first_section = sections[0].source.start if sections else len(raw.text)
    paras = [p for p in _paragraphs(raw, sections, body_start, len(raw.text)) if not _no_task_section(p)]
    tasks: list[tuple[int, Task]] = []
    used: set[int] = set()
    _labelled(paras, tasks, used)
    _unit_headings(paras, tasks, used, body_end)
    _intro_assignments(paras, tasks, used)
    for i, p in enumerate(paras):
        if i in used or (p.block.start >= body_end and not _in_attachment(p)) or _INTRO.search(p.text):
            continue
        if p.block.start < first_section and p.section is None and len(sections) > 1:
            continue  # the preamble assigns nothing
        t = _sentence_task(p)
        if t:
            tasks.append((i, t))
    tasks.sort(key=lambda x: (x[1].source.start, x[0]))
    return [t for _, t in tasks]


_ASK = re.compile(r"(?:^|[\s,])(?P<verb>yêu cầu|đề nghị|giao|chỉ đạo)\s+(?=\S)")


def _intro_lead(p: _Para) -> Optional[tuple[list[UnitRef], bool]]:
    """Units an introductory line ending in ':' hands the following items to.

    'Thủ tướng Chính phủ yêu cầu Chủ tịch UBND các tỉnh ...:' -> the ones asked;
    'Sở NN&MT chỉ đạo Chi cục ... thực hiện các nội dung sau:' -> both;
    'Giao phòng Quản lý Công nghiệp triển khai ... các công việc liên quan:' -> the one named.
    """
    text = p.text.rstrip()
    if not text.endswith(":") or _is_label_para(p) or len(text) > 600:
        return None
    body = text[:-1]
    m = _opener_re().match(body)
    lu = _leading_units(body[m.end():] if m else body)
    if m and lu:
        return _units_from(lu[0], p, _offset(p) + m.end()), True
    if lu and head_re().match(lu[0]) or (lu and _TITLE.match(lu[0])):
        phrase, end = lu
        lead = _units_from(phrase, p, _offset(p))
        ask = _ASK.match(body[end:])
        if ask:
            after = body[end + ask.end():]
            lu2 = _leading_units(after + " thực hiện")
            if lu2:
                asked = _units_from(lu2[0], p, _offset(p) + end + ask.end())
                lead = lead + asked if ask.group("verb") == "chỉ đạo" else asked
        return lead, True
    for am in _ASK.finditer(body):  # '..., Thủ tướng Chính phủ yêu cầu <units>:'
        after = body[am.end():]
        if am.group("verb") in ("yêu cầu", "đề nghị", "giao") and (head_re().match(after) or _TITLE.match(after)):
            lu2 = _leading_units(after + " thực hiện")
            if lu2:
                return _units_from(lu2[0], p, _offset(p) + am.end()), True
    # 'Để nâng cao hiệu lực ..., các Sở, ngành, UBND cấp xã ... triển khai thực hiện những nội dung sau:'
    mid = _responsible_units(p)
    return (mid, True) if mid else None


def _intro_assignments(paras: list[_Para], tasks: list, used: set[int]) -> None:
    """Items after an introductory line that names who must do them."""
    for i, p in enumerate(paras):
        if i in used:
            continue
        got = _intro_lead(p)
        if not got or not got[0]:
            continue
        lead = got[0]
        items = _items_after(paras, i)
        if not items:
            continue
        used.add(i)
        for j in items:
            q = paras[j]
            if j in used or _sentence_task(q) is not None or _unit_only(q.text):
                continue
            if q.text.rstrip().endswith(":") and q.section is not None and q.section.children:
                used.add(j)
                continue
            tasks.append((j, _make_task(q.text, [q], [u.model_copy() for u in lead], _support_units(q.text, _offset(q), q),
                                        _prose_deadline(q.text, q, _offset(q)), q.section or p.section, _group_of(q))))
            used.add(j)


def _items_after(paras: list[_Para], i: int) -> list[int]:
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
        if q.section.level < level or q.style and q.style[0] in ("roman", "upper_alpha", "part", "chapter", "appendix", "attachment"):
            break
        if q.section.level == level:
            out.append(j)
        elif q.section.level > level and out:
            out.append(j)
    return out


# "... ban hành Kế hoạch như sau:", "... các nhiệm vụ sau:" introduce, they do not assign
_INTRO = re.compile(r"(?:như sau|sau đây|cụ thể như sau|các nội dung sau|nhiệm vụ sau|các việc sau)\s*:\s*$")


def _in_attachment(p: _Para) -> bool:
    return any(s.number and s.id.split(".")[0] in {"KH", "CTr", "ĐA", "QC", "QyĐ", "PA", "HD", "KL"} or s.id.startswith("PL") for s in p.ancestors + ([p.section] if p.section else []))


@lru_cache(maxsize=None)
def _label_words() -> dict[str, str]:
    out = {}
    for role, words in phrases()["labels"].items():
        for w in words:
            out[fold(w)] = role
    return out


def _label_heading(p: _Para) -> Optional[str]:
    """'a) Cơ quan chủ trì' (its value in the bullets below) -> role; 'Cơ quan chủ trì, phối hợp' -> 'intro'."""
    t = fold(p.text).strip().rstrip(":").strip()
    if len(t) > 45:
        return None
    t = re.sub(r"\s+(?:tham muu\s+)?thuc hien$", "", t)
    if t in _label_words():
        return _label_words()[t]
    if re.fullmatch(r"(?:co quan|don vi)\s+(?:chu tri,?\s*(?:va\s+)?phoi hop|thuc hien|chu tri va phoi hop)", t):
        return "intro"
    return None


def _label_group(paras: list[_Para], i: int) -> tuple[list[tuple[_Para, Optional[str]]], int]:
    """The label paragraphs from i on: [(paragraph, role of a label heading or None)], end index."""
    group: list[tuple[_Para, Optional[str]]] = []
    k, active = i, None
    while k < len(paras):
        q = paras[k]
        role = _label_heading(q)
        if _is_label_para(q):
            group.append((q, None))
            active = None
        elif role:
            group.append((q, role))
            active = role if role != "intro" else None
        elif active and q.style and q.style[0] in ("dash", "plus"):
            group.append((q, "value:" + active))
        elif _is_label_intro(q) and k + 1 < len(paras) and (_is_label_para(paras[k + 1]) or _label_heading(paras[k + 1])):
            group.append((q, "intro"))
        else:
            break
        k += 1
    return group, k


def _labelled(paras: list[_Para], tasks: list, used: set[int]) -> None:
    """Content paragraphs followed by 'Đơn vị chủ trì: ...' style fields.

    Fields come inline ('Đơn vị chủ trì: A; Thời gian: B'), one per paragraph,
    or as a label heading whose values are the bullets below it ('a) Cơ quan
    chủ trì' / '- Bộ Quốc phòng.').
    """
    i = 0
    while i < len(paras):
        p = paras[i]
        head_text, fields = _label_fields(p.text)
        inline = bool(fields) and len(head_text) > 15 and not _is_label_para(p)
        heading_role = _label_heading(p)
        if not _is_label_para(p) and not inline and heading_role not in ("lead", "support", "deadline", "intro"):
            i += 1
            continue
        if inline:
            group, k = [(p, None)], i + 1
            content_paras = [p]
        else:
            group, k = _label_group(paras, i)
            if not any(r is None or r.startswith("value:") for _, r in group):
                i += 1
                continue
            content_paras = _content_before(paras, i, used)
        if not content_paras:
            i = max(k, i + 1)
            continue
        merged: dict[str, list[tuple[str, _Para, int]]] = {}
        for g, role in group:
            if role and role.startswith("value:"):
                t = g.text.rstrip(" .;")
                merged.setdefault(role[6:], []).append((t, g, _offset(g)))
                continue
            if role:
                continue
            t = re.sub(r"^(?:[-–+•]\s*|[a-zđ]\)\s*)", "", g.text)
            shift = g.text.find(t) + _offset(g)
            for r2, (value, off) in _label_fields(t)[1].items():
                if r2 not in merged:
                    merged[r2] = [(value, g, shift + off)]
        heading = next((c for c in content_paras if c.section is not None and _unit_only(c.text)), None)
        if heading is not None:
            content_paras = [c for c in content_paras if c is not heading] or content_paras
        lead = [u for v, g, off in merged.get("lead", []) for u in _units_from(v, g, off)]
        if not lead:
            owner = heading or _unit_heading_above(content_paras[0])
            if owner is not None:
                lead = _units_from(_heading_units(owner.text), owner, _offset(owner))
        if not lead:  # "+ Sở Xây dựng: hướng dẫn ..." then "Thời gian thực hiện: ..."
            own = _sentence_task_start(content_paras[0])
            if own is not None:
                lead = own.lead
                merged.setdefault("support", [])
                extra_support = own.support
            else:
                extra_support = []
        else:
            extra_support = []
        support = [u for v, g, off in merged.get("support", []) for u in _units_from(v, g, off)] + extra_support
        if not lead:  # fields without a named unit: nothing is assigned to anyone
            i = max(k, i + 1)
            continue
        dl = None
        if "deadline" in merged:
            v, g, off = merged["deadline"][0]
            dl = _deadline(v, _src(g, off, off + len(v)))
        content = head_text if inline else "\n".join(_clean_intro(c.text) for c in content_paras if not _is_label_intro(c))
        task = _make_task(content, content_paras + ([g for g, _ in group] if not inline else []), lead, support, dl,
                          content_paras[0].section or (content_paras[0].ancestors[-1] if content_paras[0].ancestors else None),
                          _group_of(content_paras[0]))
        if "outputs" in merged:
            task.outputs = merged["outputs"][0][0]
        if "budget" in merged:
            task.budget = merged["budget"][0][0]
        tasks.append((i, task))
        for c in content_paras:
            used.add(paras.index(c))
        for x in range(i, k):
            used.add(x)
        i = max(k, i + 1)


def _unit_heading_above(p: _Para) -> Optional[_Para]:
    """The nearest enclosing section that names a unit ('1.2. Sở Tài chính')."""
    for s in reversed(p.ancestors):
        if s.number not in ("-", "+") and _unit_only(s.text):
            return _Para(p.block, s.text, None, s.number, s, [], 0)
    return None


def _clean_intro(text: str) -> str:
    return re.sub(r"^(?:Nhiệm vụ|Nội dung)\s*:\s*", "", text).strip()


def _content_before(paras: list[_Para], i: int, used: set[int]) -> list[_Para]:
    """The content paragraphs a label group at i belongs to."""
    out: list[_Para] = []
    k = i - 1
    while k >= 0 and len(out) < 8:
        q = paras[k]
        if k in used or _is_label_para(q):
            break
        if q.style and q.style[0] in ("roman", "upper_alpha", "part", "chapter", "appendix", "attachment", "article"):
            break
        if _is_label_intro(q) and not (q.style and q.style[0] in ("arabic", "dotted")):
            k -= 1
            continue
        out.insert(0, q)
        if q.style and q.style[0] in ("arabic", "dotted", "arabic_paren", "lower_alpha", "paren_num"):
            parent = q.ancestors[-1] if q.ancestors else None
            if parent is None or not re.fullmatch(
                r"(?:noi dung|nhiem vu|bien phap|giai phap)(?:\s*(?:,|va)?\s*(?:bien phap|giai phap|cu the|thuc hien|nhiem vu))*",
                fold(parent.heading).strip(" :.")):
                break
            # items under "1. Nội dung, biện pháp": the whole list is the content
            k -= 1
            while k >= 0 and k not in used and parent in paras[k].ancestors:
                out.insert(0, paras[k])
                k -= 1
            break
        k -= 1
    return out


# "Trách nhiệm của X", "NHIỆM VỤ CHỦ YẾU CỦA X", "Đối với X" / "X có trách nhiệm:" name X
_HEADING_PREFIX = re.compile(r"^(?:(?:Trách nhiệm|Nhiệm vụ)(?:\s+[^\s,]+){0,3}?\s+của|Đối với|Về phía)\s+", re.I)
_HEADING_SUFFIX = re.compile(r"\s+(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|(?:tổ chức\s+)?thực hiện (?:các|một số) (?:nhiệm vụ|nội dung|công việc)(?: sau)?)\s*$")


# "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the role after the dash is not a unit
_ROLE_NOTE = re.compile(r"\s+[-–]\s+(?:[Cc]ơ quan|[Đđ]ơn vị)\s+(?:thường trực|đầu mối|chủ trì|tham mưu)\b.*$")


def _heading_units(text: str) -> str:
    """The unit phrase a heading names, or the text unchanged."""
    t = _PAREN_NOTE.sub("", text).strip().rstrip(":.;").strip()
    t = _ROLE_NOTE.sub("", t)
    t = _HEADING_SUFFIX.sub("", _HEADING_PREFIX.sub("", _opener_re().sub("", t)))
    return normal_case(t) if t.isupper() else t


_PAREN_NOTE = re.compile(r"\s*\((?:cơ quan|đơn vị)[^()]{0,30}\)")


def _unit_only(text: str) -> bool:
    t = _heading_units(text)
    if not t or len(t) > 260 or _verb_re().search(_mask_nouns(t)):
        return False
    if not (head_re().match(t) or _TITLE.match(t)):
        return False
    return all(head_re().match(u) or _TITLE.match(u) or u[:1].islower() for u, _, _ in split_units(t))


def _unit_headings(paras: list[_Para], tasks: list, used: set[int], body_end: int) -> None:
    """'1. Sở Nội vụ' followed by bullets or paragraphs: one task per item."""
    for i, p in enumerate(paras):
        if i in used or p.section is None or p.number in ("-", "+") or not _unit_only(p.text):
            continue
        phrase = _heading_units(p.text)
        pos = fold(p.text).find(fold(phrase))  # same length: fold keeps one char per char
        base = _offset(p) + max(pos, 0)
        lead = _units_from(phrase, p, base)
        used.add(i)
        items = [j for j in range(i + 1, len(paras)) if paras[j].block.start < p.section.source.end]
        direct = [j for j in items if paras[j].style is None or paras[j].section in p.section.children
                  or (paras[j].ancestors and paras[j].ancestors[-1] in p.section.children)]
        for j in direct:
            q = paras[j]
            if j in used or _unit_only(q.text):
                continue
            own = _sentence_task_start(q)
            if own is not None and not _DIRECTS.match(q.text):
                continue  # an item naming its own unit ("+ Sở Xây dựng: ...") is its own task
            # "- Chỉ đạo Ban quản lý KKT ... rà soát ..." under "Ủy ban nhân dân các tỉnh": the
            # heading's body directs, the one directed acts: both lead
            extra = [u for u in own.lead if u.name not in {x.name for x in lead}] if own is not None else []
            if q.section is not None and q.section not in p.section.children:
                # a bullet under an item that ends with ':' ("đ) Phối hợp ... chỉ đạo:")
                parent = q.ancestors[-1] if q.ancestors else None
                if not (parent is not None and parent in p.section.children and parent.text.rstrip().endswith(":")
                        and not _unit_only(parent.text)):
                    continue
            elif q.section is not None and q.section.children and q.text.rstrip().endswith(":"):
                used.add(j)
                continue
            if q.section is None and q.ancestors and q.ancestors[-1] is not p.section:
                # a paragraph after a bullet, starting a new sentence: an item whose dash was lost
                bullet = q.ancestors[-1]
                if not (bullet in p.section.children and bullet.number in ("-", "+") and q.text[:1].isupper()):
                    continue
            content = q.text
            support = _support_units(content, _offset(q), q)
            tasks.append((j, _make_task(content, [q], [u.model_copy() for u in lead] + extra, support, _prose_deadline(content, q, _offset(q)),
                                        q.section or p.section, p.section.heading)))
            used.add(j)


_DIRECTS = re.compile(r"^(?:[Cc]hỉ đạo|[Yy]êu cầu)\s")
_INTRO_CLAUSE = re.compile(r"^(?:Căn cứ|Trong|Trên cơ sở|Để|Theo(?! dõi)|Định kỳ|Hằng|Hàng|Sau khi|Khi|Từ|Đến|Ngoài ra|Đồng thời|Trước|Nhằm|Với)\b")


def _responsible_mid(p: _Para) -> Optional[Task]:
    """'Căn cứ ..., Trưởng các phòng, ban ... có trách nhiệm ...': the unit after a comma."""
    lead = _responsible_units(p)
    return _own_task(p, lead, _support_units(p.text, _offset(p), p)) if lead else None


def _responsible_units(p: _Para) -> Optional[list[UnitRef]]:
    """The units after an introductory clause of ``p`` (see ``_responsible_mid``)."""
    if not _INTRO_CLAUSE.match(p.text):
        return None
    starts = list(re.finditer(r"[,;:]\s+", p.text[:400]))
    # "Định kỳ vào ngày 15 tháng 5 ... hàng năm các phòng, ban ... tổng hợp, báo cáo": no comma
    # after the timing; the units start at the first "các"/unit head after it
    timing = re.match(r"^(?:Định kỳ|Hằng năm|Hàng năm|Trước ngày|Chậm nhất)\b[^,;:]*?\s(?=(?:các|Các)\s|(?:Sở|UBND|Ủy ban|Văn phòng)\s)", p.text)
    if timing:
        starts.insert(0, timing)
    for m in starts:
        tail = p.text[m.end():]
        lu = _leading_units(tail)
        if lu is None:
            continue
        phrase, end = lu
        vm = _verb_re().match(tail[end:].lstrip())
        if vm is None or vm.group(0) in _NOT_OBLIGATION:
            continue
        lead = _units_from(phrase, p, _offset(p) + m.end())
        if lead:
            return lead
    return None


def _own_task(p: _Para, lead: list[UnitRef], support: list[UnitRef]) -> Task:
    """The task a paragraph states itself: its text, its own deadline, its section and group;
    the support without the leads."""
    support = [u for u in support if u.name not in {x.name for x in lead}]
    return _make_task(p.text, [p], lead, support, _prose_deadline(p.text, p, _offset(p)),
                      p.section or (p.ancestors[-1] if p.ancestors else None), _group_of(p))


# "Sở X đã ...", "Sở X là ...": a statement, not an assignment
_NOT_OBLIGATION = {"đã", "đang", "là", "có", "được", "không", "cũng"}


def _sentence_task(p: _Para) -> Optional[Task]:
    t = _sentence_task_start(p)
    if t is None:
        t = _responsible_mid(p)
    return t if t is not None else _assigned_in_parens(p)


_PAREN_ASSIGN = re.compile(r"\((?:[Gg]iao|[Đđ]ề nghị)\s+(?P<inner>[^()]{3,300})\)\s*[.;]?\s*$")


def _assigned_in_parens(p: _Para) -> Optional[Task]:
    """'8. Thành lập Đoàn kiểm tra ... (Giao Công an tỉnh tham mưu).': the item's
    unit is named in a closing parenthesis."""
    m = _PAREN_ASSIGN.search(p.text)
    if m is None:
        return None
    inner = m.group("inner")
    lu = _leading_units(inner)
    if lu is None:
        return None
    base = _offset(p) + m.start("inner")
    lead = _units_from(lu[0], p, base)
    if not lead:
        return None
    return _own_task(p, lead, _support_units(inner, base, p))


def _sentence_task_start(p: _Para, opened: bool = False) -> Optional[Task]:
    """'Giao <units> ...', '<units>: ...', '<units> <verb> ...' at the start of a paragraph."""
    text = p.text
    base = _offset(p)
    m = _opener_re().match(text)
    if opened and m is None:
        m = re.match("", text)  # the caller consumed the opener
    body = text[m.end():] if m else text
    shift = m.end() if m else 0
    lu = _leading_units(body)
    if lu is None:
        return None
    phrase, end = lu
    if not m and not head_re().match(phrase) and not _TITLE.match(phrase):
        return None
    rest = body[end:]
    vm = _verb_re().match(_mask_nouns(rest.lstrip()))
    if vm is not None and vm.group(0) in ("yêu cầu", "đề nghị", "giao", "chỉ đạo") and not opened:
        # "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở ...": the one asked is the lead
        after = rest.lstrip()[vm.end():].lstrip()
        pos = len(text) - len(after)
        sub = _Para(p.block, after, p.style, p.number, p.section, p.ancestors, p.off + pos)
        t = _sentence_task_start(sub, opened=True)
        if t is not None:
            t.content = text
            t.source.start = p.block.start + p.off
            if vm.group(0) == "chỉ đạo":  # "Bộ trưởng Bộ Xây dựng chỉ đạo Sở Xây dựng ...": both answer for it
                own = _units_from(phrase, p, base + shift)
                t.lead = own + [u for u in t.lead if u.name not in {x.name for x in own}]
        return t
    if not m and not rest.lstrip().startswith(":") and (vm is None or vm.group(0) in _NOT_OBLIGATION):
        return None
    lead = _units_from(phrase, p, base + shift)
    if not lead:
        return None
    return _own_task(p, lead, _support_units(text, base, p))


# --------------------------------------------------------------------------- stage


def extract_tasks(raw: RawDocument, sections: list[Section], body_start: int, body_end: int) -> list[Task]:
    """All tasks in document order, ids T1, T2, ..."""
    tasks: list[Task] = []
    for b in raw.blocks:
        if b.kind == "table" and not b.borderless:
            tasks += table_tasks(b, raw)
    tasks += prose_tasks(raw, sections, body_start, body_end)
    tasks.sort(key=lambda t: (t.source.start, t.source.row or 0))
    for k, t in enumerate(tasks, 1):
        t.id = f"T{k}"
    return tasks
