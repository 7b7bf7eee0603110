"""The task grammar: every form reads its own examples; the rows of tests/cases/task_forms.yaml
give their rules and units; the resolver's policy decides, and swapping two layouts'
priorities changes what it decides; the grammar's data is checked when it loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vbextract.extract.tasks import extract_tasks, grammar
from vbextract.extract.tasks.forms import best_form, run_form
from vbextract.extract.tasks.paragraphs import Para
from vbextract.extract.tasks.resolve import Claim, Group, choose
from vbextract.ingest import txt
from vbextract.model import DocBuilder
from vbextract.schema import Source, Task
from vbextract.structure.header import extract_meta
from vbextract.structure.outline import extract_sections

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "task_forms.yaml").read_text(encoding="utf-8"))


def tasks_of(paras: list[str]):
    raw = txt.read(("KẾ HOẠCH\nThực hiện nhiệm vụ năm 2025\n" + "\n".join(paras)).encode("utf-8"), "t.txt")
    _, start, end = extract_meta(raw)
    return extract_tasks(raw, extract_sections(raw, start, end), start, end)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['expect'][0]['rule'] if c['expect'] else 'none'}-{i}" for i, c in enumerate(CASES)]
)
def test_task_form_rows(case):
    got = [
        {
            "rule": t.rule,
            "lead": [u.name for u in t.lead],
            **({"support": [u.name for u in t.support]} if t.support else {}),
        }
        for t in tasks_of(case["paras"])
    ]
    want = [
        {"rule": e["rule"], "lead": e["lead"], **({"support": e["support"]} if e.get("support") else {})}
        for e in case["expect"]
    ]
    assert got == want


def test_every_form_and_layout_has_a_row():
    rules = {e["rule"] for c in CASES for e in c["expect"]}
    assert {f.id for f in grammar.forms()} | set(grammar.layouts().layouts) - {"sentence"} <= rules


def _para(text: str) -> Para:
    b = DocBuilder("txt")
    b.paragraph(text)
    raw = b.build()
    return Para(raw.blocks[0], raw.text[raw.blocks[0].start : raw.blocks[0].end], None, None, None, [], 0)


@pytest.mark.parametrize("cf", grammar.compiled_forms(), ids=lambda c: c.form.id)
def test_each_form_reads_its_examples_and_wins(cf):
    for ex in cf.form.examples:
        p = _para(ex.text)
        m = run_form(cf, p)
        assert m is not None, f"{cf.form.id} does not read its example {ex.text!r}"
        assert [u.name for u in m.lead] == ex.lead
        best = best_form(p)
        assert best is not None and best.id == cf.form.id, f"{ex.text!r} is read by {best and best.id} first"


# "1. Sở Tài chính" with an item that an intro line above also hands out: the unit heading
# (priority 300) takes the item before the intro line (200) can (C:33 and C:38 have this shape)
COMPETING = [
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Ủy ban nhân dân tỉnh yêu cầu các sở, ngành thực hiện các nội dung sau:",
    "a) Sở Tài chính",
    "- Bố trí kinh phí thực hiện.",
    "b) Rà soát các văn bản liên quan.",
]


def test_resolver_policy_decides_between_layouts():
    assert [(t.rule, [u.name for u in t.lead]) for t in tasks_of(COMPETING)] == [
        ("unit_heading", ["Sở Tài chính"]),
        ("intro_items", ["Các sở, ngành"]),
    ]


def test_swapping_two_layouts_priorities_changes_the_result(monkeypatch):
    before = [(t.rule, [u.name for u in t.lead]) for t in tasks_of(COMPETING)]
    ls = grammar.layouts().model_copy(deep=True)
    ls.layouts["unit_heading"].priority, ls.layouts["intro_items"].priority = (
        ls.layouts["intro_items"].priority,
        ls.layouts["unit_heading"].priority,
    )
    monkeypatch.setattr(grammar, "layouts", lambda: ls)
    after = [(t.rule, [u.name for u in t.lead]) for t in tasks_of(COMPETING)]
    assert after != before
    assert all(rule == "intro_items" for rule, _ in after)


def test_choose_priority_then_coverage_then_order():
    def g(name: str, prio: int, anchors: set[int], items: list[int], first: int) -> Group:
        claims = [
            Claim(frozenset({i}), Task(id="", content=name, origin="prose", source=Source(start=i, end=i + 1)), None, i)
            for i in items
        ]
        return Group(name, prio, frozenset(anchors), claims, first)

    groups = [
        g("late-small", 1, {9}, [10], 9),
        g("early-big", 1, {1}, [2, 3, 10], 1),
        g("high", 5, {3}, [], 3),
        g("same-as-early", 1, {20}, [2], 0),
    ]
    kept = choose(groups)
    # "high" takes 3 first; "early-big" (more paragraphs) comes before the earlier but smaller
    # "same-as-early" and takes 2 and 10; "late-small" then loses 10, "same-as-early" loses 2
    assert [(c.task.content, sorted(c.paras)) for c in kept if c.task] == [("early-big", [2]), ("early-big", [10])]


def test_unknown_ids_are_errors_naming_the_known_ones():
    with pytest.raises(ValueError, match="known: .*units_verb"):
        grammar.form_by_id("nope")
    with pytest.raises(ValueError, match="known: .*unit_heading"):
        grammar.layout_priority("nope")
    with pytest.raises(ValueError, match="exclude|block|NOPE"):
        grammar.Form.model_validate(
            {
                "id": "x",
                "note": "n",
                "priority": 1,
                "where": "inside",
                "anchor": "start",
                "pattern": "<<lead>>",
                "lead": ["lead"],
                "exclude": {"verb": ["NOPE"]},
                "examples": [{"text": "t", "lead": [], "source": "s"}],
            }
        )


def test_a_form_needs_a_slot_and_an_example():
    base = {"id": "x", "note": "n", "priority": 1, "where": "inside", "anchor": "start", "lead": ["lead"]}
    with pytest.raises(ValueError):
        grammar.Form.model_validate(
            {**base, "pattern": "no slot", "examples": [{"text": "t", "lead": [], "source": "s"}]}
        )
    with pytest.raises(ValueError):
        grammar.Form.model_validate({**base, "pattern": "<<lead>>", "examples": []})
