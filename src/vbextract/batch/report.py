"""What a batch tells the person running it, on stderr: a progress bar with rate
and ETA (rich; only on a terminal unless asked), one line per failed document,
and a summary at the end."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .rows import DocRecord


@dataclass
class Totals:
    """The numbers of one run, for the summary."""

    documents: int = 0
    converted: int = 0  # extracted in this run
    skipped: int = 0  # unchanged since a previous run: taken from the state
    failed: int = 0
    pages: int = 0
    ocr_pages: int = 0
    tasks: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    peak_rss_kb: dict[int, int] = field(default_factory=dict)  # worker pid -> peak RSS

    def add(self, rec: DocRecord) -> None:
        self.documents += 1
        if rec.error is not None:
            self.failed += 1
            self.errors[rec.error.code] += 1
            return
        self.pages += rec.pages or 0
        self.ocr_pages += rec.ocr_pages
        self.tasks += rec.counts.tasks
        self.warnings.update(rec.warnings)


class _Rate(ProgressColumn):
    """Documents per second (rich's speed columns count bytes)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} docs/s" if task.speed else "", style="progress.data.speed")


class Reporter:
    """The progress bar (when shown) and the one-line messages printed through it."""

    def __init__(self, total: int, show: Optional[bool]) -> None:
        self.console = Console(stderr=True, soft_wrap=True, highlight=False)
        self.show = sys.stderr.isatty() if show is None else show
        self.progress: Optional[Progress] = None
        if self.show and total:
            self.progress = Progress(
                TextColumn("extracting"),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=False,
            )
            self.task = self.progress.add_task("extracting", total=total)

    def __enter__(self) -> Reporter:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def advance(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def line(self, text: str) -> None:
        """One plain line on stderr (above the bar, which stays)."""
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def summary(t: Totals, out_dir: str) -> Table:
    rate = t.converted / t.wall if t.wall > 0 else 0.0
    table = Table(title=f"vbextract batch -> {out_dir}", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row(
        "documents", f"{t.documents}: {t.converted} converted, {t.skipped} unchanged (skipped), {t.failed} failed"
    )
    table.add_row("pages", f"{t.pages} ({t.ocr_pages} read by OCR)")
    table.add_row("tasks", str(t.tasks))
    table.add_row("warnings", ", ".join(f"{c} {n}" for c, n in sorted(t.warnings.items())) or "none")
    table.add_row("errors", ", ".join(f"{c} {n}" for c, n in sorted(t.errors.items())) or "none")
    table.add_row("wall time", f"{t.wall:.1f} s, {rate:.2f} docs/s")
    peaks = sorted(t.peak_rss_kb.values(), reverse=True)
    if peaks:
        table.add_row("peak RSS per worker", ", ".join(_mb(k) for k in peaks[:8]) + (" ..." if len(peaks) > 8 else ""))
    return table
