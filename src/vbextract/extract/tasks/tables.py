"""Task tables: columns get a role from their header cells (models/task_headers.yaml); a
table with a content column and a lead, support or deadline column is a task table.

Rows go through named steps: the header rows (``table_columns``), then each row is a
repeated header, a row of dots, a group row (Roman/letter numbers, or a row that only
carries a heading: gives ``group`` and the start of ``path``), a continuation row (own,
empty number and content cells: joined to the task above) or a task row.  Cells that span
rows (merged, or shared by activity rows) are inherited by every row they cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict

from ...data import data_path
from ...lexicon import Lex
from ...model import Block, Cell
from ...normalize import fold
from ...schema import ActorDeadline, Deadline, Source, Task, UnitRef
from .. import deadlines
from ..unit_mentions import split_units, unit_ref
from .forms import starts_with_unit, trim_at_verb
from .grammar import settings

RULE = "task_table"


class HeaderVocab(BaseModel):
    """models/task_headers.yaml: header wordings by column role, and key words for the rest."""

    model_config = ConfigDict(extra="forbid")
    roles: dict[str, list[str]]
    key_words: dict[str, list[str]]


@lru_cache(maxsize=None)
def header_vocab() -> HeaderVocab:
    d = yaml.safe_load(data_path("task_headers.yaml").read_text(encoding="utf-8"))
    return HeaderVocab(**d)


@lru_cache(maxsize=None)
def _header_vocab() -> dict[str, list[str]]:
    return {role: [fold(p).strip() for p in ws] for role, ws in header_vocab().roles.items()}


@lru_cache(maxsize=None)
def _header_keys() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (role, re.compile("|".join(re.escape(fold(w)) for w in ws))) for role, ws in header_vocab().key_words.items()
    )


def header_role(text: str, loose: bool = True) -> Optional[tuple[str, int]]:
    """A header cell -> (role, priority) or None; priority orders content columns."""
    t = fold(re.sub(r"\(\d+\)|\[\d+\]|[*¹²³⁰-⁹]", "", text)).strip(" .:")  # footnote marks: "Cơ quan chủ trì[1]"
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
    for role, key in _header_keys():
        if key.search(t):
            return role, 99
    return None


@dataclass
class _Columns:
    header_rows: int
    roles: dict[str, list[int]]  # role -> grid columns
    content: Optional[int]  # the most specific content column
    context: list[int]  # other content columns (Mục tiêu, Nhiệm vụ)


def table_columns(t: Block) -> Optional[_Columns]:
    """The column roles of a task table, or None when it is not one."""
    for hr in range(min(settings().table.header_rows_max, t.n_rows)):
        roles: dict[str, list[tuple[int, int]]] = {}
        for c in range(t.n_cols):
            cell = t.cell_at(hr, c)
            if cell is None:
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
    return (
        len(texts) >= 3
        and all(len(x) <= 4 and not re.search(r"[^\W\d_]{2}", x) for x in texts)
        and sum(bool(_COL_NO_LOOSE.fullmatch(x)) for x in texts) * 2 > len(texts)
    )


_COL_NO = re.compile(r"\(\d{1,2}\)")
_COL_NO_LOOSE = re.compile(r"\(?\d{1,2}\)?")


_ROMAN_NUM = Lex(r"^(?=$ROMAN_NUMERAL\.?$)$ROMAN_NUMERAL\.?$|^[A-ZĐ]\.?$")
_ROMAN_SUB = Lex(r"$ROMAN_NUMERAL\.\d+(?:\.\d+)*")
_ROMAN_GROUP = Lex(r"$ROMAN_NUMERAL(?:\.\d+)*")
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
            txt, e = trim_at_verb(txt, s, e)
            src = Source(
                page=cell.page,
                start=cell.start + s,
                end=cell.start + e,
                table=t.table_index,
                row=cell.row,
                col=cell.col,
            )
            out.append(unit_ref(txt, src))
    return out


# "- UBND tỉnh: trước ngày 25/12/2024 - Sở, huyện: trước ngày 31/01/2025" (seed 003)
_ACTOR_PART = re.compile(
    r"(?:^|(?<=\s))-?\s*(?P<actor>[^:\-–;\d][^:;]{1,40}?)\s*:\s*(?P<when>[^:]+?)(?=\s+-\s*[^:\-–;\d][^:;]{1,40}?:|\s*;\s*[^:;]{2,40}:|$)"
)


def _inner(src: Optional[Source], start: int, end: int) -> Optional[Source]:
    """The source of text[start:end] of a cell whose source is ``src``."""
    if src is None:
        return None
    return Source(
        page=src.page, start=src.start + start, end=src.start + end, table=src.table, row=src.row, col=src.col
    )


def _actors(text: str, src: Optional[Source]) -> list[ActorDeadline]:
    """Per-actor deadlines when one cell gives several 'actor: when' parts."""
    parts = list(_ACTOR_PART.finditer(text))
    if len(parts) < 2:
        return []
    out = []
    for m in parts:
        actor = m.group("actor").strip(" -")
        out.append(
            ActorDeadline(
                actor=unit_ref(actor, _inner(src, m.start("actor"), m.end("actor"))),
                deadline=Deadline(
                    text=m.group("when").strip(), kind="unknown", source=_inner(src, m.start("when"), m.end("when"))
                ),
            )
        )
    return out


def deadline_of(text: str, src: Optional[Source]) -> Optional[Deadline]:
    """A deadline as written (with per-actor parts); deadlines.py parses it later."""
    flat = " ".join(text.split())
    if not flat:
        return None
    actors = _actors(text.replace("\n", " "), src)  # same length: offsets stay valid
    return Deadline(text=flat, kind="unknown", source=src, actors=actors)


def _cell_source(t: Block, cell: Cell) -> Source:
    return Source(page=cell.page, start=cell.start, end=cell.end, table=t.table_index, row=cell.row, col=cell.col)


# --- short rows: a crawl that dropped the cells of a rowspan ---------------------------------
#
# An HTML table flattened to Markdown loses its merged cells: a row under a cell that spans
# rows just has fewer cells, and the reader puts them left to right, the last one spanning to
# the end (right for a group row "I | Nhiệm vụ trọng tâm", wrong here: the deadline lands in the
# support column, the lead in the content column).  Knowing the columns' roles, the cells are
# matched to the columns in order by what they hold (a row number, a unit, a date or period,
# text), and a column the row skips is covered by the cell above it, as the rowspan was.

_CELL_ROW_ID = re.compile(r"^(?:(?:\d{1,3}|[IVXLC]{1,6})(?:\.\d{1,3})*\.?|[a-zđ][.)])$")
_REALIGN_MARGIN = 2.0  # how much better than the reader's placement the roles must fit


def _cell_kind(text: str) -> str:
    t = " ".join(text.split())
    if not t:
        return "empty"
    if _CELL_ROW_ID.match(t):
        return "num"
    if len(t) <= 60 and deadlines.parse(t, year=2000).kind != "unknown":
        return "time"
    if starts_with_unit(t):
        return "unit"
    return "text"


# fit of a cell kind to a column role: a row is realigned only when its reader's placement
# has a clear conflict (a fit of -2 or less: a date in the lead column, a unit in the deadline
# column) that another placement resolves; an empty cell fits anywhere
_FIT: dict[str, dict[str, float]] = {
    "num": {"num": 3, "time": -3, "unit": -3, "text": -1},
    "content": {"num": -3, "time": -2, "unit": -0.5, "text": 1},
    "lead": {"num": -3, "time": -2, "unit": 2, "text": -1},
    "support": {"num": -3, "time": -2, "unit": 2, "text": -1},
    "deadline": {"num": -3, "time": 2, "unit": -2, "text": -1},
    "": {"num": -1, "time": -0.5, "unit": -0.5, "text": -0.5},
}
_CONFLICT = -2.0


def _fit(kind: str, role: str) -> float:
    return _FIT.get(role, _FIT[""]).get(kind, 0.0)


def _placement(kinds: list[str], roles: list[str]) -> tuple[float, list[int]]:
    """The order-preserving placement of the cells in the columns with the best fit."""
    k, n = len(kinds), len(roles)
    fit = lambda i, j: _fit(kinds[i], roles[j])  # noqa: E731
    neg = float("-inf")
    best = [[neg] * (n + 1) for _ in range(k + 1)]
    for j in range(n + 1):
        best[k][j] = 0.0
    for i in range(k - 1, -1, -1):
        for j in range(n - k + i, -1, -1):
            best[i][j] = max(fit(i, j) + best[i + 1][j + 1], best[i][j + 1])
    cols, i, j = [], 0, 0
    while i < k:
        if fit(i, j) + best[i + 1][j + 1] >= best[i][j + 1]:
            cols.append(j)
            i += 1
        j += 1
    return best[0][0], cols


def realign_short_rows(t: Block, cols: _Columns) -> Block:
    """The table with its short rows' cells under the columns their contents belong to."""
    role_of = {c: role for role, cs in cols.roles.items() for c in cs}
    if cols.content is not None:
        role_of[cols.content] = "content"
    roles = [role_of.get(c, "") for c in range(t.n_cols)]
    moves: dict[int, list[int]] = {}
    for r in range(cols.header_rows + 1, t.n_rows):
        own = sorted((c for c in t.cells if c.row == r), key=lambda c: c.col)
        while own and not own[-1].text.strip():
            own.pop()
        if not 3 <= len(own) < t.n_cols or [c.col for c in own] != list(range(len(own))):
            continue
        kinds = [_cell_kind(c.text) for c in own]
        fits = [_fit(k, roles[j]) for j, k in enumerate(kinds)]
        if min(fits) > _CONFLICT:
            continue
        score, to = _placement(kinds, roles)
        if to != list(range(len(own))) and score - sum(fits) >= _REALIGN_MARGIN:
            moves[r] = to
    if not moves:
        return t
    cells = [replace(c) for c in t.cells]
    for r, to in sorted(moves.items()):
        own = sorted((c for c in cells if c.row == r), key=lambda c: c.col)
        for c in own[len(to) :]:
            cells.remove(c)  # the empty cells after the last one
        placed = set(to)
        for c, j in zip(own, to):
            c.col, c.colspan = j, 1
        for j in range(t.n_cols):
            if j in placed:
                continue
            above = next((a for a in cells if a.col <= j < a.col + a.colspan and a.row + a.rowspan == r), None)
            if above is not None and above.row >= cols.header_rows:
                above.rowspan += 1
    return replace(t, cells=sorted(cells, key=lambda c: (c.row, c.col)))


def table_tasks(t: Block) -> list[Task]:
    """The tasks of one table (none when it is not a task table)."""
    cols = table_columns(t)
    if cols is None:
        return []
    t = realign_short_rows(t, cols)
    nums = cols.roles.get("num")
    num_col = nums[0] if nums else None
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
            deadline=deadline_of(
                _text(t, r, role_cols("deadline"), content_cell),
                _cell_source(t, deadline_cell) if deadline_cell and deadline_cell is not content_cell else None,
            ),
            budget=_text(t, r, role_cols("budget"), content_cell) or None,
            origin="table",
            rule=RULE,
            source=_cell_source(t, src_cell)
            if src_cell is not None
            else Source(page=t.page, start=t.start, end=t.end, table=t.table_index, row=r),
        )
        tasks.append(task)
    return tasks


def _group_level(num: str) -> int:
    """A (letter), I (Roman), a heading-only row, 1 (numbered group with 1.1 rows)."""
    if re.fullmatch(r"[A-HJ-UW-ZĐ]", num or ""):
        return 0
    if _ROMAN_GROUP.fullmatch(num or ""):
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
    if num and (_ROMAN_NUM.match(num) or _ROMAN_SUB.fullmatch(num) and n_filled <= 2):
        return True
    content_cell = t.cell_at(r, cols.content) if cols.content is not None else None
    if _own_filled(t, r, cols.roles.get("deadline", []), content_cell):
        return False
    # a heading-only row: one or two filled cells, and the next row is a numbered task
    return n_filled <= 2 and bool(content or num) and (not num or _next_is_deeper(t, r, cols, num))


def _next_is_deeper(t: Block, r: int, cols: _Columns, num: str) -> bool:
    nums = cols.roles.get("num")
    num_col = nums[0] if nums else None
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
