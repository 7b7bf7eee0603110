"""``vbextract explain FILE``: per task, the rule (form or layout) that made it, the paragraph
or table row it came from, and why each unit was taken as lead or support -- the answer to
an auditor's "why is this an obligation of X"."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from .extract.tasks import Trace, grammar
from .pipeline import extract
from .schema import Task, UnitRef


def _note(rule: str) -> str:
    for f in grammar.forms():
        if f.id == rule:
            return f.note
    layouts = grammar.layouts().layouts
    if rule in layouts:
        return layouts[rule].note
    return "a row of a task table (column roles from its header cells, models/task_headers.yaml)"


def _unit(u: UnitRef, text: str) -> str:
    where = f" [chars {u.source.start}-{u.source.end}]" if u.source else ""
    said = f" (written '{u.text}')" if u.text != u.name else ""
    return f"{u.name}{said}{where}"


def explain_task(t: Task, trace: Optional[Trace], text: str) -> list[str]:
    """The lines that explain one task."""
    src = t.source
    at = f"table {src.table} row {src.row}" if src.table is not None else f"chars {src.start}-{src.end}"
    lines = [
        f"{t.id}  rule: {t.rule}  ({_note(t.rule)})",
        f"    from {trace.where if trace else at}, {at}{f', page {src.page}' if src.page else ''}: "
        f'"{" ".join(text[src.start : src.end].split())[:160]}"',
    ]
    why = list(trace.why) if trace else []
    if t.support and not any(w.startswith("support:") for w in why):
        why.append("support: the units after 'phối hợp (với)' in the task's text (lexicon SUPPORT_MARK)")
    lines += [f"    why {w}" for w in why]
    lines += [f"    lead    {_unit(u, text)}" for u in t.lead]
    lines += [f"    support {_unit(u, text)}" for u in t.support]
    if t.deadline is not None:
        lines.append(f"    deadline '{t.deadline.text}'")
    return lines


def explain(path: Union[str, Path], ocr_mode: Optional[str] = None) -> str:
    """The explanation of every task of one document (the whole pipeline runs, so reading
    errors are the same coded errors as ``extract``'s)."""
    traces: dict[str, Trace] = {}
    doc = extract(path, ocr_mode, traces)
    out = [f"{doc.source_file.name}: {len(doc.tasks)} tasks"]
    for t in doc.tasks:
        out += explain_task(t, traces.get(t.id), doc.text)
    return "\n".join(out) + "\n"
