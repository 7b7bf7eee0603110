"""The task grammar's data: sentence forms (models/task_forms.yaml) and layouts with their
settings (models/task_layouts.yaml), validated with pydantic (extra keys forbidden) and
compiled once.  An unknown lexicon block, form or layout id is an error that names it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...data import data_path
from ...lexicon import block, expand, words

_SLOT = re.compile(r"<<(\w+)>>")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Example(_Strict):
    text: str
    lead: list[str]
    support: list[str] = []
    source: str


class Form(_Strict):
    id: str
    note: str
    priority: int
    where: Literal["opening", "inside"]
    anchor: Literal["start", "guard_end", "search"]
    pattern: str
    lead: list[str]
    guard: Optional[str] = None
    window: Optional[int] = None
    scope: str = "text"
    exclude: dict[str, list[str]] = {}
    examples: list[Example] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "Form":
        slots = _SLOT.findall(self.pattern)
        if not slots or len(set(slots)) != len(slots):
            raise ValueError(f"form {self.id}: the pattern needs distinct <<slot>>s")
        if not set(self.lead) <= set(slots):
            raise ValueError(f"form {self.id}: lead {self.lead} names no slot of {slots}")
        if self.anchor == "guard_end" and not self.guard:
            raise ValueError(f"form {self.id}: anchor guard_end needs a guard")
        kind, _, name = self.scope.partition(":")
        if self.scope != "text" and (kind not in ("from", "in") or not name):
            raise ValueError(f"form {self.id}: scope is text, from:<slot> or in:<group>")
        if kind == "from" and name not in slots:
            raise ValueError(f"form {self.id}: scope from:{name} is no slot")
        for names in self.exclude.values():
            for n in names:
                try:
                    block(n)
                except KeyError as e:
                    raise ValueError(f"form {self.id}: {e.args[0]}") from e
        return self


class Layout(_Strict):
    note: str
    priority: int


class TableSettings(_Strict):
    header_rows_max: int = Field(gt=0)


class Settings(_Strict):
    unit_phrase_max_chars: int = Field(gt=0)
    unit_phrase_max_words: int = Field(gt=0)
    label_heading_max_chars: int = Field(gt=0)
    labelled_head_min_chars: int = Field(ge=0)
    labelled_max_content_paras: int = Field(gt=0)
    unit_heading_max_chars: int = Field(gt=0)
    duty_heading_max_words: int = Field(gt=0)
    actor_heading_max_words: int = Field(gt=0)
    unit_known_prefix_min_words: int = Field(gt=0)
    intro_max_chars: int = Field(gt=0)
    no_task_heading_max_chars: int = Field(gt=0)
    table: TableSettings


class Layouts(_Strict):
    layouts: dict[str, Layout]
    settings: Settings


@dataclass(frozen=True)
class CompiledForm:
    """A form ready to run: its regex pieces between the unit slots, compiled."""

    form: Form
    pieces: tuple[re.Pattern[str], ...]  # len(slots) + 1 pieces
    slots: tuple[str, ...]
    guard: Optional[re.Pattern[str]]
    excluded: dict[str, frozenset[str]]


def _yaml(name: str) -> object:
    return yaml.safe_load(data_path(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def layouts() -> Layouts:
    return Layouts.model_validate(_yaml("task_layouts.yaml"))


def settings() -> Settings:
    return layouts().settings


def layout_priority(layout_id: str) -> int:
    ls = layouts().layouts
    if layout_id not in ls:
        raise ValueError(f"unknown layout {layout_id!r}; known: {', '.join(ls)}")
    return ls[layout_id].priority


@lru_cache(maxsize=None)
def forms() -> tuple[Form, ...]:
    raw = _yaml("task_forms.yaml")
    if not isinstance(raw, list):
        raise ValueError("task_forms.yaml: a list of forms")
    out = tuple(Form.model_validate(f) for f in raw)
    ids = [f.id for f in out]
    dup = sorted({i for i in ids if ids.count(i) > 1} | (set(ids) & set(layouts().layouts)))
    if dup:
        raise ValueError(f"task_forms.yaml: ids used twice (or by a layout): {dup}")
    return out


def _words_of(names: list[str]) -> frozenset[str]:
    return frozenset(w for n in names for w in words(n))


@lru_cache(maxsize=None)
def compiled_forms() -> tuple[CompiledForm, ...]:
    """Every form compiled, by priority (highest first), then file order."""
    out = []
    for f in forms():
        parts = _SLOT.split(f.pattern)
        pieces = tuple(re.compile(expand(p)) for p in parts[0::2])
        guard = re.compile(expand(f.guard)) if f.guard else None
        excluded = {g: _words_of(ns) for g, ns in f.exclude.items()}
        out.append(CompiledForm(f, pieces, tuple(parts[1::2]), guard, excluded))
    return tuple(sorted(out, key=lambda c: -c.form.priority))


def form_by_id(form_id: str) -> CompiledForm:
    for c in compiled_forms():
        if c.form.id == form_id:
            return c
    raise ValueError(f"unknown form {form_id!r}; known: {', '.join(f.id for f in forms())}")
