"""The output contract (shared/docs/output-contract.md) as pydantic v2 models.

These models are the single source of truth: ``vbextract schema`` prints
``Document.model_json_schema()``.  Renaming or dropping a field is a breaking
change and bumps ``SCHEMA_VERSION``; adding one is not.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_M):
    """Where a fact was read: character offsets into ``text`` (end exclusive),
    1-based page (null for formats without pages), table/row/col (0-based) for
    facts read from a table cell."""

    page: Optional[int] = None
    start: int
    end: int
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None


class UnitRef(_M):
    text: str = Field(description="as written")
    unit_id: Optional[str] = Field(None, description="gazetteer id, null when unknown")
    name: str = Field(description="canonical name, abbreviations expanded, no province suffix")
    collective: bool = False
    person: bool = Field(False, description='a person or a role, not a body ("Ông Nguyễn Văn A - Trưởng đoàn: ...")')
    source: Optional[Source] = None


class Signer(_M):
    name: Optional[str] = None
    position: Optional[str] = None
    authority: Optional[str] = Field(None, description='"TM. ...", "KT. ...", "TL. ...", "TUQ. ...", "Q. ..."')
    source: Optional[Source] = None


class Recipient(_M):
    text: str
    unit: Optional[UnitRef] = None
    source: Optional[Source] = None


class Meta(_M):
    doc_type: Optional[str] = Field(None, description="KH, QĐ, CT, CV, TB, NQ, CĐ, ...")
    doc_type_name: Optional[str] = Field(None, description='"Kế hoạch"')
    number: Optional[str] = Field(None, description="null when blank (drafts)")
    symbol: Optional[str] = Field(None, description='"1407/KH-UBND", "/KH-UBND" when the number is blank')
    issuer: Optional[UnitRef] = None
    parent_issuer: Optional[UnitRef] = None
    province: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = Field(None, description="ISO date, null when the day is blank")
    date_text: Optional[str] = None
    title: Optional[str] = Field(None, description="trích yếu, one line")
    signer: Optional[Signer] = None
    recipients: list[Recipient] = Field(default_factory=list)
    addressees: list[Recipient] = Field(default_factory=list, description='"Kính gửi:" (công văn)')
    urgency: Optional[str] = Field(None, description='"Hỏa tốc", "Thượng khẩn", "Khẩn" when printed')
    sources: dict[str, Source] = Field(default_factory=dict, description="where each header field was read")


class Section(_M):
    id: str = Field(description='dotted path from the root, e.g. "III.1.2"')
    number: str = Field(description='as printed: "III", "1", "1.2.3", "a", "-"')
    heading: str
    level: int = Field(description="1 = top level")
    text: str = Field(description="the numbered paragraph itself, without its number")
    children: list["Section"] = Field(default_factory=list)
    source: Source = Field(description="the whole section: from its number to the end of its last block")


class ActorDeadline(_M):
    actor: UnitRef
    deadline: "Deadline"


class Deadline(_M):
    text: str
    kind: Literal[
        "date",
        "before",
        "month",
        "quarter",
        "half_year",
        "year",
        "range",
        "recurring",
        "ongoing",
        "relative",
        "conditional",
        "unknown",
    ] = "unknown"
    start: Optional[str] = None
    end: Optional[str] = None
    recurrence: Optional[str] = None
    actors: list[ActorDeadline] = Field(default_factory=list)
    source: Optional[Source] = None


class Task(_M):
    id: str
    path: Optional[str] = None
    group: Optional[str] = None
    content: str
    outputs: Optional[str] = None
    lead: list[UnitRef] = Field(default_factory=list)
    support: list[UnitRef] = Field(default_factory=list)
    deadline: Optional[Deadline] = None
    budget: Optional[str] = None
    origin: Literal["table", "prose"]
    transferred_from: Optional[UnitRef] = Field(
        None,
        description='a power handed over (decentralisation decrees): its former holder, "Nhiệm vụ, quyền hạn '
        'của A về ... do B thực hiện" -> A (B leads)',
    )
    basis: Optional[str] = Field(
        None, description='the provision the transferred power is defined in ("Điều 5 Luật Giá"), as printed'
    )
    rule: str = Field(
        "",
        description='the form or layout that made it: "task_table", "unit_heading", '
        '"units_verb", ... (models/task_forms.yaml, models/task_layouts.yaml)',
    )
    source: Source


class Relation(_M):
    kind: Literal["implements", "amends", "replaces", "cites"]
    target: Optional[str] = None


class LegalRef(_M):
    id: str
    doc_type: Optional[str] = None
    doc_type_name: Optional[str] = None
    number: Optional[str] = None
    year: Optional[int] = None
    symbol: Optional[str] = None
    issuer_code: Optional[str] = None
    issuer: Optional[UnitRef] = None
    date: Optional[str] = None
    date_text: Optional[str] = None
    title: Optional[str] = None
    text: Optional[str] = None
    mentions: list[Source] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Baseline(_M):
    value: Optional[float] = None
    year: Optional[int] = None


class Target(_M):
    text: str
    subject: Optional[str] = None
    comparator: Optional[Literal[">=", "<=", "=", ">", "<", "reduce_by", "increase_by"]] = None
    value: Optional[float] = None
    value_max: Optional[float] = None
    unit: Optional[str] = None
    year: Optional[int] = None
    baseline: Optional[Baseline] = None
    owner: Optional[UnitRef] = None
    source: Source


class Roles(_M):
    lead: int = 0
    support: int = 0
    recipient: int = 0


class Unit(_M):
    unit_id: Optional[str] = None
    name: str
    aliases: list[str] = Field(default_factory=list)
    roles: Roles = Field(default_factory=Roles)
    successor: Optional[str] = None


class Warning(_M):
    code: str = Field(description="W1xx reader, W2xx structure (see errors.py)")
    message: str
    page: Optional[int] = Field(None, description="page the warning is about, when the format has pages")
    source: Optional[Source] = Field(None, description="where in text, when the warning is about a span of it")


class SourceFile(_M):
    name: str
    sha256: str
    format: Literal["txt", "md", "docx", "doc", "rtf", "pdf", "image"]
    pages: Optional[int] = None
    ocr: bool = False
    size: int = 0


class TableCell(_M):
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str
    source: Source


class BlockOut(_M):
    """One block of the format-neutral document model (paragraph or table)."""

    kind: Literal["paragraph", "table"]
    source: Source
    page_end: Optional[int] = None
    style: Optional[str] = None
    role: Optional[str] = Field(None, description='tables: "header", "signature" or null (content)')
    n_rows: Optional[int] = None
    n_cols: Optional[int] = None
    cells: Optional[list[TableCell]] = None


class Document(_M):
    schema_version: str = SCHEMA_VERSION
    source_file: SourceFile
    text: str
    meta: Meta
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    legal_refs: list[LegalRef] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
    blocks: list[BlockOut] = Field(default_factory=list, description="the document model: paragraphs and tables")


Section.model_rebuild()
ActorDeadline.model_rebuild()
Deadline.model_rebuild()
