"""vbextract as a spaCy component on a blank Vietnamese pipeline that does not need pyvi:
doc.spans for units, deadlines, legal references, targets and tasks, each on the words
the golden file names, although the text spaCy holds is not vbextract's normalised one."""

from __future__ import annotations

import json
import re

import pytest
import spacy

import vbextract.spacy_component  # noqa: F401  (registers the factory)
from conftest import GOLDEN, SAMPLES


def words(s: str) -> str:
    """The words only: spaCy's text keeps what vbextract's normalised text drops (**, line breaks)."""
    return " ".join(re.findall(r"\w+", s))


CASES = ["38_CV_5973-UBND-KT_Lao-Cai_2026.txt", "004_1fcfd154bb69bc0f.txt"]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vbextract")
    return nlp


@pytest.mark.parametrize("name", CASES)
def test_spans_sit_on_the_facts(nlp, name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    gold = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    doc = nlp(text)
    assert doc.text == text and doc._.vbextract.tasks  # the text is spaCy's own; the Document rides along

    units = list(doc.spans["vbextract_units"])
    expected_units = [
        (u["text"], role.upper(), u["unit_id"] or "")
        for t in gold["tasks"]
        for role in ("lead", "support")
        for u in t[role]
        if u["source"]
    ]
    assert [(s.label_, s.kb_id_) for s in units] == [(r, k) for _, r, k in expected_units]
    assert all(words(written) in words(s.text) for s, (written, _, _) in zip(units, expected_units))

    deadlines = list(doc.spans["vbextract_deadlines"])
    expected_deadlines = [t["deadline"] for t in gold["tasks"] if t["deadline"] and t["deadline"]["source"]]
    assert len(deadlines) == len(expected_deadlines)
    for s, d in zip(deadlines, expected_deadlines):
        assert s.label_ == "DEADLINE" and s.kb_id_ == f"{d['kind']}:{d['end'] or ''}"
        assert words(d["text"]) in words(s.text)

    refs = list(doc.spans["vbextract_legal_refs"])
    assert len(refs) == sum(len(r["mentions"]) for r in gold["legal_refs"])
    numbered = [s for s in refs if s.kb_id_ and "/" in s.kb_id_]
    assert numbered and all(s.kb_id_.split("/")[0].split("-")[0] in s.text for s in numbered)

    assert len(doc.spans["vbextract_targets"]) == len(gold["targets"])
    tasks = list(doc.spans["vbextract_tasks"])
    assert [s.kb_id_ for s in tasks] == [t["id"] for t in gold["tasks"]]
    assert all(words(t["content"]).split()[:3] == words(s.text).split()[:3] for s, t in zip(tasks, gold["tasks"]))


def test_no_pyvi_needed():
    import importlib.util

    assert importlib.util.find_spec("pyvi") is None  # the blank pipeline above ran without it
