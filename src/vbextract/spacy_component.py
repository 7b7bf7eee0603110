"""vbextract as a spaCy pipeline component, for users who already run spaCy::

    import spacy
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vbextract")
    doc = nlp(text)
    doc.spans["vbextract_units"]      # lead and support units (label LEAD/SUPPORT, kb_id the gazetteer id)
    doc.spans["vbextract_deadlines"]  # label DEADLINE, kb_id "<kind>:<end>"
    doc.spans["vbextract_legal_refs"] # label LEGAL_REF, kb_id the normalised symbol
    doc.spans["vbextract_targets"]    # label TARGET, kb_id "<comparator><value><unit>"
    doc.spans["vbextract_tasks"]      # label TASK, kb_id the task id (T5)
    doc._.vbextract                   # the whole extracted Document (pydantic)

The text is read as a plain-text document by the same pipeline as ``vbextract extract``.
Its offsets point into vbextract's normalised text (NFC, joined lines); they are carried
back to the spaCy text through the alignment of the two strings (rapidfuzz's Indel
opcodes), and each span is widened to whole tokens.  The factory is registered when this
module is imported and through the ``spacy_factories`` entry point, so an installed
vbextract needs no import.  Without pyvi, spaCy's Vietnamese tokenizer splits on spaces.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Optional

from rapidfuzz.distance import Indel
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import ingest
from .pipeline import extract_raw
from .schema import Document, Source

SPAN_KEYS = ("vbextract_units", "vbextract_deadlines", "vbextract_legal_refs", "vbextract_targets", "vbextract_tasks")


def extract_text(text: str) -> Document:
    """A text as a plain-text document (no OCR)."""
    data = text.encode("utf-8")
    name = "document.txt"
    return extract_raw(ingest.read(Path(name), data, "never"), name, data)


class OffsetMap:
    """Positions in vbextract's text -> positions in the original text, from the blocks of
    their alignment: inside an equal block a position moves with it, inside a changed block
    it maps to where the block starts in the original."""

    def __init__(self, ours: str, theirs: str) -> None:
        self.identity = ours == theirs
        ops = [] if self.identity else list(Indel.opcodes(ours, theirs))
        self.starts = [op.src_start for op in ops]
        self.blocks = [(op.src_start, op.dest_start, op.tag == "equal") for op in ops]

    def __call__(self, pos: int) -> int:
        if self.identity or not self.blocks:
            return pos
        src, dest, equal = self.blocks[max(0, bisect_right(self.starts, pos) - 1)]
        return dest + (pos - src) if equal else dest


class VbextractComponent:
    """Sets ``doc.spans`` from vbextract's facts and ``doc._.vbextract`` to the Document."""

    def __call__(self, doc: Doc) -> Doc:
        result = extract_text(doc.text)
        doc._.vbextract = result
        where = OffsetMap(result.text, doc.text)

        def span(src: Optional[Source], label: str, kb_id: Optional[str] = None) -> Optional[Span]:
            if src is None:
                return None
            start, end = where(src.start), where(src.end)
            s = doc.char_span(start, end, label=label, kb_id=kb_id or "", alignment_mode="expand")
            return s if s is not None and len(s) else None

        groups: dict[str, list[Optional[Span]]] = {k: [] for k in SPAN_KEYS}
        for t in result.tasks:
            groups["vbextract_tasks"].append(span(t.source, "TASK", t.id))
            for role, refs in (("LEAD", t.lead), ("SUPPORT", t.support)):
                groups["vbextract_units"] += [span(u.source, role, u.unit_id) for u in refs]
            if t.deadline is not None:
                d = t.deadline
                groups["vbextract_deadlines"].append(span(d.source, "DEADLINE", f"{d.kind}:{d.end or ''}"))
        for r in result.legal_refs:
            groups["vbextract_legal_refs"] += [span(m, "LEGAL_REF", r.symbol or r.text) for m in r.mentions]
        for g in result.targets:
            value = "" if g.value is None else f"{g.value:g}"
            groups["vbextract_targets"].append(span(g.source, "TARGET", f"{g.comparator or ''}{value}{g.unit or ''}"))
        for key, spans in groups.items():
            doc.spans[key] = [s for s in spans if s is not None]
        return doc


@Language.factory("vbextract")
def make_component(nlp: Language, name: str) -> VbextractComponent:
    if not Doc.has_extension("vbextract"):
        Doc.set_extension("vbextract", default=None)
    return VbextractComponent()
