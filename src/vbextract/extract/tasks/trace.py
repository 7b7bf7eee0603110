"""Provenance of a task: the form or layout that made it, where it read it, and why each
unit was taken as lead or support.  Every task carries its rule id in the JSON (``rule``);
the full trace is collected on request (``extract_tasks(..., traces=...)``) and printed by
``vbextract explain FILE``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Trace:
    rule: str  # a form id (task_forms.yaml), a layout id (task_layouts.yaml) or "task_table"
    where: str  # "paragraph 12", "table 0 row 3"
    why: list[str] = field(default_factory=list)
