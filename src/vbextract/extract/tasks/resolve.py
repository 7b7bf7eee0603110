"""The resolver: one explicit policy for paragraphs that several layouts or forms claim.

Each layout proposes groups (a heading or intro line and its items, a label group and its
content, one paragraph read by a sentence form).  ``choose`` takes the groups by priority
(models/task_layouts.yaml; a sentence group's is the sentence layout's plus its form's),
then by coverage (more paragraphs first), then by document order.  A group whose anchor
paragraphs are already taken is dropped; an item whose paragraphs are taken is dropped;
what is kept takes its paragraphs.  Tasks come out in document order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...schema import Task
from .trace import Trace


@dataclass
class Claim:
    """One item of a group: the paragraphs it takes and the task it makes (None: the
    paragraphs are taken without a task, e.g. an item that only introduces sub-items)."""

    paras: frozenset[int]
    task: Optional[Task]
    trace: Optional[Trace]
    order: int  # the paragraph index it was found at (ties in document order)


@dataclass
class Group:
    layout: str
    priority: int
    anchors: frozenset[int]  # the paragraphs the group stands on
    items: list[Claim]
    first: int  # document order: the paragraph index where it starts

    @property
    def coverage(self) -> int:
        return len(self.anchors.union(*(c.paras for c in self.items)))


def policy_key(g: Group) -> tuple[int, int, int]:
    """Priority, then coverage, then document order."""
    return (-g.priority, -g.coverage, g.first)


def choose(groups: list[Group]) -> list[Claim]:
    """The items that win, in document order (by source, then paragraph, then policy order)."""
    taken: set[int] = set()
    kept: list[tuple[int, Claim]] = []
    for g in sorted(groups, key=policy_key):
        if g.anchors & taken:
            continue
        mine: set[int] = set()
        for c in g.items:
            if c.paras & taken or c.paras & mine:
                continue
            mine |= c.paras
            if c.task is not None:
                kept.append((c.task.source.start, c))
        taken |= g.anchors | mine
    kept.sort(key=lambda sc: (sc[0], sc[1].order))
    return [c for _, c in kept]
