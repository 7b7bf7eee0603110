"""Tasks: every obligation the document assigns, from task tables and prose.

Works on the document model only (paragraphs, tables with spans, the outline); it never
knows the file format.  The stages, one module each:

  tables.py      task tables: column roles from header cells, group/continuation/task rows
  paragraphs.py  the body paragraphs with their outline context
  grammar.py     the grammar's data: forms (models/task_forms.yaml), layouts and settings
                 (models/task_layouts.yaml), over the lexicon (models/lexicon.yaml)
  forms.py       the sentence-form engine and the unit-phrase pieces
  layouts.py     the layouts that need code (labelled fields, unit heading, intro + items,
                 sentence), each proposing candidate groups
  resolve.py     one policy choosing among the candidates (priority, coverage, order)
  trace.py       which rule made each task and why (``vbextract explain``)
"""

from __future__ import annotations

from typing import Optional

from ...model import RawDocument
from ...schema import Section, Task
from .grammar import layouts as _layout_data
from .layouts import Context, layout
from .paragraphs import no_task_section, not_a_task, read_paragraphs
from .resolve import Group, choose
from .tables import RULE as TABLE_RULE
from .tables import header_role, table_tasks
from .trace import Trace

__all__ = ["extract_tasks", "header_role", "prose_tasks", "Trace"]


def prose_tasks(
    raw: RawDocument, sections: list[Section], body_start: int, body_end: int, traces: Optional[dict[int, Trace]] = None
) -> list[Task]:
    """The tasks of the prose: every layout proposes, the resolver chooses."""
    first_section = sections[0].source.start if sections else len(raw.text)
    paras = [p for p in read_paragraphs(raw, sections, body_start) if not no_task_section(p) and not not_a_task(p)]
    ctx = Context(body_end=body_end, first_section=first_section, n_sections=len(sections))
    groups: list[Group] = []
    for layout_id in _layout_data().layouts:
        groups += layout(layout_id)(paras, ctx)
    out = []
    for c in choose(groups):
        assert c.task is not None
        if traces is not None and c.trace is not None:
            traces[id(c.task)] = c.trace
        out.append(c.task)
    return out


def extract_tasks(
    raw: RawDocument, sections: list[Section], body_start: int, body_end: int, traces: Optional[dict[str, Trace]] = None
) -> list[Task]:
    """All tasks in document order, ids T1, T2, ...; ``traces`` (if given) gets each task's
    trace by id."""
    by_obj: dict[int, Trace] = {}
    tasks: list[Task] = []
    for b in raw.blocks:
        if b.kind == "table" and not b.borderless:
            for t in table_tasks(b):
                by_obj[id(t)] = Trace(
                    TABLE_RULE,
                    f"table {b.table_index} row {t.source.row}",
                    ["lead: the cells of the lead column(s)", "support: the cells of the support column(s)"],
                )
                tasks.append(t)
    tasks += prose_tasks(raw, sections, body_start, body_end, by_obj)
    tasks.sort(key=lambda t: (t.source.start, t.source.row or 0))
    for k, t in enumerate(tasks, 1):
        t.id = f"T{k}"
        if traces is not None and id(t) in by_obj:
            traces[t.id] = by_obj[id(t)]
    return tasks
