"""The index across documents (vbextract/index): a real SQLite database of the samples'
golden JSON, queried by unit, role, deadline, cited document, province, issuer, type and
free text.  Expected answers are read from the golden files by a plain Python walk over
the JSON (``_oracle``), next to a few facts written out by hand from reading them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GOLDEN
from vbextract.cli import main
from vbextract.index import Query, connect, index_paths, search
from vbextract.index.db import SCHEMA_VERSION
from vbextract.normalize import fold

GOLDEN_JSON = sorted(GOLDEN.glob("*.json"))
SUCCESSOR = {"so-ke-hoach-va-dau-tu": "so-tai-chinh"}  # from models/gazetteer.yaml


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("index") / "plans.sqlite"
    report = index_paths(path, [GOLDEN])
    assert len(report.added) == len(GOLDEN_JSON) and not report.failed
    return path


@pytest.fixture()
def conn(db):
    c = connect(db, create=False)
    yield c
    c.close()


def _docs() -> dict[str, dict]:
    return {p.name[: -len(".json")]: json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN_JSON}


def _oracle(pred) -> set[tuple[str, str]]:
    """(document key, task id) of every golden task for which pred(doc, task) holds."""
    return {(k, t["id"]) for k, d in _docs().items() for t in d["tasks"] if pred(d, t)}


def _found(conn, **q) -> set[tuple[str, str]]:
    return {(h.document, h.task_id) for h in search(conn, Query(**q)).hits}


def _ends(t: dict) -> list[str]:
    d = t["deadline"]
    if not d:
        return []
    return [x["end"] for x in [d, *(a["deadline"] for a in d["actors"])] if x["end"]]


def _unit_ids(t: dict, role: str | None = None) -> set[str]:
    roles = [role] if role else ["lead", "support"]
    return {u["unit_id"] for r in roles for u in t[r] if u["unit_id"]}


# --- the database itself ------------------------------------------------------


def test_every_table_is_filled_and_consistent(conn):
    n = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "tasks", "task_units")}
    docs = _docs()
    assert n["documents"] == len(docs)
    assert n["tasks"] == sum(len(d["tasks"]) for d in docs.values())
    assert n["task_units"] == sum(len(t["lead"]) + len(t["support"]) for d in docs.values() for t in d["tasks"])
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM tasks_fts").fetchone()[0] == n["tasks"]


def test_a_dissolved_body_keeps_its_name_and_gets_its_successor(conn):
    row = conn.execute(
        "SELECT tu.name, tu.successor FROM task_units tu JOIN tasks t ON t.id = tu.task_id"
        " JOIN documents d ON d.id = t.document_id WHERE d.key = '003_f68acab46df6a711.txt' AND t.task_id = 'T22'"
        " AND tu.role = 'lead'"
    ).fetchone()
    assert row == ("Sở Kế hoạch và Đầu tư", "Sở Tài chính")


# --- search: known answers ------------------------------------------------------


def test_unit_by_abbreviation_finds_its_tasks_and_says_who_succeeded_it(conn):
    r = search(conn, Query(unit="Sở KH&ĐT"))
    assert r.unit is not None and r.unit.name == "Sở Kế hoạch và Đầu tư" and r.unit.successor == "Sở Tài chính"
    expected = _oracle(lambda d, t: "so-ke-hoach-va-dau-tu" in _unit_ids(t))
    assert {(h.document, h.task_id) for h in r.hits} == expected and len(expected) == 8
    # read off golden/003_...summary.txt: T22 (IV.7) is led by Sở Kế hoạch và Đầu tư
    t22 = next(h for h in r.hits if h.task_id == "T22" and h.document == "003_f68acab46df6a711.txt")
    assert [(u.name, u.successor, u.matched) for u in t22.units] == [("Sở Kế hoạch và Đầu tư", "Sở Tài chính", True)]


def test_the_same_unit_written_in_full_without_diacritics(conn):
    assert _found(conn, unit="so ke hoach va dau tu") == _found(conn, unit="Sở Kế hoạch và Đầu tư")


def test_successor_finds_the_obligations_of_the_bodies_it_took_over(conn):
    r = search(conn, Query(unit="Sở Tài chính"))
    assert "Sở Kế hoạch và Đầu tư" in r.unit.succeeds
    expected = _oracle(lambda d, t: {"so-tai-chinh", "so-ke-hoach-va-dau-tu"} & _unit_ids(t))
    assert {(h.document, h.task_id) for h in r.hits} == expected
    inherited = [h for h in r.hits if not any(u.matched and u.unit_id == "so-tai-chinh" for u in h.units)]
    assert inherited and all(any(u.successor == "Sở Tài chính" and u.matched for u in h.units) for h in inherited)


def test_unit_and_role(conn):
    expected = _oracle(
        lambda d, t: "so-noi-vu" in _unit_ids(t, "lead") or "so-lao-dong-thuong-binh-va-xa-hoi" in _unit_ids(t, "lead")
    )
    assert _found(conn, unit="Sở Nội vụ", role="lead") == expected and expected
    support = _found(conn, unit="Sở Nội vụ", role="support")
    assert support and support != expected


def test_unit_unknown_to_the_gazetteer_is_matched_by_its_folded_name(conn):
    # golden/42: the trainers are persons, not bodies; "Vũ Việt Linh" leads tasks
    expected = _oracle(lambda d, t: any(fold(u["name"]) == "vu viet linh" for u in t["lead"] + t["support"]))
    assert _found(conn, unit="vu viet linh") == expected and expected


def test_due_before_and_after_and_both(conn):
    before = _oracle(lambda d, t: any(e <= "2025-12-31" for e in _ends(t)))
    assert _found(conn, due_before=date(2025, 12, 31)) == before and before
    within = _oracle(lambda d, t: any("2025-07-01" <= e <= "2025-12-31" for e in _ends(t)))
    assert _found(conn, due_after=date(2025, 7, 1), due_before=date(2025, 12, 31)) == within
    assert within and within < before


def test_unit_due_before(conn):
    expected = _oracle(
        lambda d, t: (
            {"so-tai-chinh", "so-ke-hoach-va-dau-tu"} & _unit_ids(t) and any(e <= "2025-12-31" for e in _ends(t))
        )
    )
    assert _found(conn, unit="Sở Tài chính", due_before=date(2025, 12, 31)) == expected and expected


def test_overdue_as_of_a_day(conn):
    dated = {"date", "before", "month", "quarter", "half_year", "year", "range", "relative"}

    def overdue(d, t):
        dl = t["deadline"]
        return bool(dl and dl["end"] and dl["end"] < "2026-01-01" and dl["kind"] in dated)

    expected = _oracle(overdue)
    assert _found(conn, overdue=True, as_of=date(2026, 1, 1)) == expected and expected
    assert _found(conn, overdue=True, as_of=date(2000, 1, 1)) == set()


def test_cites_a_document_the_plan_implements(conn):
    # golden/42 implements Nghị định 181/2024/NĐ-CP: every one of its tasks carries it out
    expected = {
        ("42_KH_2242-KH-SCT_Lao-Cai_2026.docx", t["id"])
        for t in _docs()["42_KH_2242-KH-SCT_Lao-Cai_2026.docx"]["tasks"]
    }
    assert _found(conn, cites="181/2024/NĐ-CP") == expected
    assert _found(conn, cites="181/2024/nd-cp") == expected  # typed without diacritics, lower case


def test_cites_a_document_named_in_the_task(conn):
    def inside(m, s):  # in the task's text, or in another cell of its table row
        same_row = s["table"] is not None and (m["table"], m["row"]) == (s["table"], s["row"])
        return same_row or s["start"] <= m["start"] and m["end"] <= s["end"]

    def cites(d, t):
        refs = [r for r in d["legal_refs"] if r["symbol"] == "06/2022/NĐ-CP"]
        return any(inside(m, t["source"]) for r in refs for m in r["mentions"])

    expected = _oracle(cites)
    hits = search(conn, Query(cites="06/2022/NĐ-CP")).hits
    assert {(h.document, h.task_id) for h in hits} == expected and len(expected) == 5  # golden/50, 5 tasks
    assert all(any(x.symbol == "06/2022/NĐ-CP" and x.how == "cites" for x in h.refs) for h in hits)


def test_province_type_issuer(conn):
    lao_cai_plans = _oracle(lambda d, t: d["meta"]["province"] == "Lào Cai" and d["meta"]["doc_type"] == "KH")
    assert _found(conn, province="lao cai", doc_type="KH") == lao_cai_plans and lao_cai_plans
    assert _found(conn, province="Lào Cai", doc_type="Kế hoạch") == lao_cai_plans
    decisions = _oracle(lambda d, t: d["meta"]["doc_type"] == "QĐ")
    assert _found(conn, doc_type="qd") == decisions and decisions
    ttg = _oracle(lambda d, t: (d["meta"]["issuer"] or {}).get("name") == "Thủ tướng Chính phủ")
    assert _found(conn, issuer="Thủ tướng Chính phủ") == ttg and ttg


# --- free text: with or without diacritics, đ/Đ, exact hits first ------------------


def test_text_without_diacritics_finds_the_same_as_with(conn):
    assert _found(conn, text="so noi vu") == _found(conn, text="Sở Nội vụ") != set()


def _words(d: dict, t: dict) -> set[str]:
    """The folded words of what the full-text index holds for a task."""
    texts = [t["content"], t["outputs"] or "", t["group"] or "", d["meta"]["title"] or ""]
    texts += [u["name"] + " " + u["text"] for u in t["lead"] + t["support"]]
    return set(re.findall(r"\w+", fold(" ".join(texts))))


def test_d_with_stroke_is_folded(conn):
    hits = search(conn, Query(text="dong nai")).hits
    expected = _oracle(lambda d, t: {"dong", "nai"} <= _words(d, t))  # every word, anywhere
    assert {(h.document, h.task_id) for h in hits} == expected and expected
    assert any("Đồng Nai" in h.content for h in hits)


def test_exact_hits_rank_first(conn):
    hits = search(conn, Query(text="sở")).hits
    flags = [h.exact for h in hits]
    assert True in flags and False in flags  # "sở" as typed; "số", "sổ", "so" only folded
    assert flags == sorted(flags, reverse=True)


def test_filters_combine(conn):
    both = _found(conn, unit="Sở Tài chính", text="dau tu")
    assert both and both == _found(conn, unit="Sở Tài chính") & _found(conn, text="dau tu")


# --- incremental re-indexing -------------------------------------------------------


def _dump(path: Path) -> list[str]:
    c = sqlite3.connect(path)
    try:
        return list(c.iterdump())
    finally:
        c.close()


def test_reindexing_a_changed_document_replaces_its_rows(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("42_KH_2242-KH-SCT_Lao-Cai_2026.docx.json", "47_CV_sotrong-UBND-KT_Lao-Cai_2026.pdf.json"):
        shutil.copy(GOLDEN / name, out / name)
    db = tmp_path / "plans.sqlite"
    assert len(index_paths(db, [out]).added) == 2
    before = _dump(db)
    again = index_paths(db, [out])
    assert again.unchanged and not again.added and not again.replaced
    assert _dump(db) == before  # the same output twice changes nothing

    changed = out / "42_KH_2242-KH-SCT_Lao-Cai_2026.docx.json"
    d = json.loads(changed.read_text(encoding="utf-8"))
    d["tasks"] = d["tasks"][:2]
    old_first = " ".join(d["tasks"][0]["content"].split()[:8]).strip(" ,.;:")
    d["tasks"][0]["content"] = "Kiểm định thiết bị nâng hạ tại Đắk Lắk"
    changed.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    report = index_paths(db, [out])
    assert report.replaced == [changed.name] and report.unchanged == ["47_CV_sotrong-UBND-KT_Lao-Cai_2026.pdf.json"]
    c = connect(db, create=False)
    key = "42_KH_2242-KH-SCT_Lao-Cai_2026.docx"
    assert c.execute(
        "SELECT count(*) FROM tasks t JOIN documents d ON d.id = t.document_id WHERE d.key = ?", (key,)
    ).fetchone() == (2,)
    assert c.execute("SELECT count(*) FROM documents").fetchone() == (2,)
    assert {h.task_id for h in search(c, Query(text="dak lak")).hits} == {"T1"}
    assert search(c, Query(text=old_first)).hits == []  # the old T1
    assert c.execute("SELECT count(*) FROM tasks_fts").fetchone() == c.execute("SELECT count(*) FROM tasks").fetchone()
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_bad_file_is_reported_and_the_others_indexed(tmp_path):
    (tmp_path / "a.json").write_text('{"not": "vbextract"}', encoding="utf-8")
    (tmp_path / "b.json").write_text("{broken", encoding="utf-8")
    shutil.copy(GOLDEN / "47_CV_sotrong-UBND-KT_Lao-Cai_2026.pdf.json", tmp_path)
    r = CliRunner().invoke(main, ["index", str(tmp_path), "--db", str(tmp_path / "x.sqlite")])
    assert r.exit_code == 9
    lines = [x for x in r.stderr.splitlines() if x.startswith("vbextract: error:")]
    assert len(lines) == 2 and "a.json: not a vbextract JSON output" in lines[0] and "b.json" in lines[1]
    assert "1 added" in r.stderr


def test_schema_version_newer_or_foreign_database_refused(tmp_path):
    newer = tmp_path / "newer.sqlite"
    c = sqlite3.connect(newer)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    c.close()
    other = tmp_path / "other.sqlite"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t (x)")
    c.close()
    for path, why in ((newer, "newer than this vbextract"), (other, "not a vbextract index")):
        r = CliRunner().invoke(main, ["search", "--db", str(path), "--unit", "Sở Nội vụ"])
        assert r.exit_code == 1 and why in r.stderr and len(r.stderr.splitlines()) == 1


def test_migration_from_an_empty_database(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()  # version 0, no tables: migrated to the current schema
    c = connect(path)
    assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"documents", "tasks", "task_units", "deadlines", "legal_refs", "task_legal_refs", "targets"} <= {
        r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


# --- the command line ---------------------------------------------------------------


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_search_table_json_csv(db):
    table = _cli("search", "--db", str(db), "--unit", "Sở KH&ĐT")
    assert table.exit_code == 0
    assert "succeeded by Sở Tài chính" in table.stdout and "8 tasks" in table.stdout
    js = json.loads(_cli("search", "--db", str(db), "--unit", "Sở KH&ĐT", "--json").stdout)
    assert js["total"] == 8 and js["unit"]["successor"] == "Sở Tài chính" and len(js["hits"]) == 8
    rows = list(csv.DictReader(io.StringIO(_cli("search", "--db", str(db), "--unit", "Sở KH&ĐT", "--csv").stdout)))
    assert len(rows) == 8 and all("Sở Kế hoạch và Đầu tư → Sở Tài chính" in r["lead"] + r["support"] for r in rows)
    assert rows[0]["review"].startswith("/-/review/")


def test_cli_search_usage_errors(db):
    assert _cli("search", "--db", str(db), "--json", "--csv").exit_code == 2
    assert _cli("search", "--db", str(db), "--due-before", "31-31-2025").exit_code == 2
    assert _cli("search", "--db", str(db), "--text", "!!!").exit_code == 2
    missing = _cli("search", "--db", "/nonexistent/plans.sqlite", "--unit", "x")
    assert missing.exit_code == 3 and "no such index" in missing.stderr


def test_cli_table_shows_a_page_and_the_total(db, conn):
    total = search(conn, Query(text="sở")).total
    assert total > 100
    r = _cli("search", "--db", str(db), "--text", "sở")
    assert r.exit_code == 0 and f"showing 100 of {total} tasks" in r.stdout
    assert len(json.loads(_cli("search", "--db", str(db), "--text", "sở", "--json").stdout)["hits"]) == total


def test_a_batch_output_folder_is_indexed_without_its_state(tmp_path):
    """`make run`: batch then index over the same folder; the batch's `.vbextract/` state is not output."""
    from vbextract.index.load import expand

    (tmp_path / ".vbextract" / "state").mkdir(parents=True)
    (tmp_path / ".vbextract" / "state" / "a.md.json").write_text("{}", encoding="utf-8")
    shutil.copy(GOLDEN / "42_KH_2242-KH-SCT_Lao-Cai_2026.docx.json", tmp_path / "42.docx.json")
    assert [p.name for p in expand([tmp_path])] == ["42.docx.json"]
