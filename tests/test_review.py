"""The review page (vbextract review): every task anchored, every fact marked on its own
words, the same page from a document and from its JSON output, one-line errors."""

from __future__ import annotations

import re

from click.testing import CliRunner

from conftest import GOLDEN, SAMPLES
from vbextract.cli import main
from vbextract.index.load import read_document
from vbextract.review import highlight, render, spans

NAME = "38_CV_5973-UBND-KT_Lao-Cai_2026.txt"


def test_every_task_has_an_anchor_and_a_row():
    doc = read_document(GOLDEN / f"{NAME}.json")[1]
    page = render(doc)
    for t in doc.tasks:
        assert f'<a class="anchor" id="{t.id}"></a>' in page and f'id="row-{t.id}"' in page
    assert page.count('href="#T') == len(doc.tasks)


def test_pieces_carry_the_facts_covering_them():
    doc = read_document(GOLDEN / f"{NAME}.json")[1]
    marks = spans(doc)
    html = str(highlight(doc.text, marks))
    lead = next(u for t in doc.tasks for u in t.lead if u.source)
    piece = re.search(r'<span class="f ([^"]*)" data-tasks="([^"]*)"[^>]*>' + re.escape(lead.text) + "</span>", html)
    assert piece and "lead" in piece.group(1).split()
    # the text survives: the page without its tags is the document's text (escaped)
    assert (
        re.sub(r"<[^>]+>", "", html)
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        == doc.text
    )
    kinds = {m.kind for m in marks}
    assert {"task", "lead", "support", "deadline", "legal"} <= kinds


def test_the_same_page_from_the_document_and_from_its_json():
    a = CliRunner().invoke(main, ["review", str(SAMPLES / NAME)])
    b = CliRunner().invoke(main, ["review", str(GOLDEN / f"{NAME}.json")])
    assert a.exit_code == b.exit_code == 0 and a.stdout == b.stdout


def test_errors_are_one_line(tmp_path):
    missing = CliRunner().invoke(main, ["review", str(tmp_path / "nope.docx")])
    assert missing.exit_code == 3 and len(missing.stderr.splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    r = CliRunner().invoke(main, ["review", str(bad)])
    assert r.exit_code == 6 and "not a vbextract JSON output" in r.stderr
    r = CliRunner().invoke(main, ["index", str(GOLDEN / f"{NAME}.json"), "--db", str(tmp_path / "no" / "x.sqlite")])
    assert r.exit_code == 1 and "cannot open" in r.stderr and len(r.stderr.splitlines()) == 1
