"""vbextract batch: bad files recorded and the batch going on, timeouts and crashed
workers, resuming after a kill, determinism across worker counts, and every export
read back with the library that reads it (csv, openpyxl, icalendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from vbextract.batch.exports import dated
from vbextract.batch.inputs import expand, output_names
from vbextract.batch.rows import TaskRow
from vbextract.batch.work import TEST_HOOK
from vbextract.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PDF_DATA = Path(__file__).resolve().parent / "data" / "pdf"
# small, quick documents with tasks, deadlines, legal references and targets
TXT = ["000_b6dc9c9248918c92.txt", "001_32de8ed23e57a435.txt", "52_CV_9387-UBND-KT_Lao-Cai_2026.txt"]
DOCX = "44_CV_sotrong-SCT-CN_Lao-Cai_2026.docx"
PDF = "46_CV_7432-UBND-XD_Lao-Cai_2026.pdf"
EXPORTS = ["documents.jsonl", "errors.jsonl", "tasks.csv", "legal_refs.csv", "targets.csv", "units.csv"]
EXPORTS += ["vbextract.xlsx", "deadlines.ics"]


def run(*args: object, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def outputs(out: Path) -> dict[str, bytes]:
    """Every file the batch wrote into the output folder (not its state), by name."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def jsonl(p: Path) -> list[dict]:
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]


def copy(names: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes((SAMPLES / n).read_bytes())
    return folder


def _zip_bomb(p: Path) -> None:
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (60 * 2**20))


def _data_limit() -> int:
    """This process's data segment plus 1.5 GB: the workers forked from it start below it."""
    status = Path("/proc/self/status").read_text()
    vm_data_kb = int(re.search(r"VmData:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return vm_data_kb * 1024 + 3 * 2**29


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder of good documents and every kind of bad one."""
    d = copy([TXT[0], DOCX], tmp_path_factory.mktemp("mixed"))
    (d / "Kế hoạch số 12 năm 2026.txt").write_bytes((SAMPLES / TXT[2]).read_bytes())  # Vietnamese name, spaces
    (d / "công văn.pdf").write_bytes((SAMPLES / DOCX).read_bytes())  # a DOCX under a misleading extension
    (d / "empty.txt").write_bytes(b"")
    (d / "truncated.pdf").write_bytes((SAMPLES / PDF).read_bytes()[:3000])
    (d / "encrypted.pdf").write_bytes((PDF_DATA / "encrypted.pdf").read_bytes())
    _zip_bomb(d / "bomb.docx")
    for name in ("slow.txt", "crash.txt", "hog.txt"):  # good content; the test hook makes them misbehave
        (d / name).write_bytes((SAMPLES / TXT[1]).read_bytes())
    return d


# the bad files of `mixed`: (file name, stage, code, words of the reason)
BAD = [
    ("empty.txt", "ingest", "E002", "empty"),
    ("truncated.pdf", "ingest", "E004", ""),
    ("encrypted.pdf", "ingest", "E005", "password"),
    ("bomb.docx", "ingest", "E006", "zip"),
    ("slow.txt", "worker", "E008", "timed out after 3 s"),
    ("crash.txt", "worker", "E009", "worker died"),
    ("hog.txt", "worker", "E010", "out of memory"),
]
GOOD = [TXT[0], DOCX, "Kế hoạch số 12 năm 2026.txt", "công văn.pdf"]


@pytest.fixture(scope="module")
def mixed_run(mixed, tmp_path_factory):
    out = tmp_path_factory.mktemp("mixed-out")
    hook = "hang:slow.txt,crash:crash.txt,oom:hog.txt"
    args = ["batch", mixed, "-o", out, "-j", "2", "--timeout", "3", "--max-memory", str(_data_limit())]
    mp = pytest.MonkeyPatch()
    mp.setenv(TEST_HOOK, hook)
    try:
        r = run(*args)
    finally:
        mp.undo()
    return r, out


def test_bad_files_are_recorded_with_stage_and_reason_and_the_batch_goes_on(mixed_run):
    r, out = mixed_run
    assert r.exit_code == 9, r.output
    docs = {Path(d["file"]).name: d for d in jsonl(out / "documents.jsonl")}
    assert len(docs) == len(GOOD) + len(BAD)
    for name in GOOD:
        assert docs[name]["status"] == "ok" and (out / f"{name}.json").is_file(), name
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["source_file"]["name"] == name
    assert "W100" in docs["công văn.pdf"]["warnings"]  # read by content, the extension notwithstanding
    errs = {Path(e["file"]).name: e for e in jsonl(out / "errors.jsonl")}
    assert set(errs) == {b[0] for b in BAD}
    for name, stage, code, words in BAD:
        e = errs[name]
        assert (e["stage"], e["code"]) == (stage, code) and words in e["reason"], e
        assert docs[name]["error"] == e and not (out / f"{name}.json").exists()
        (line,) = [x for x in r.stderr.splitlines() if x.startswith("vbextract: error:") and name in x]
        assert e["reason"] in line
    assert "Traceback" not in r.output


def test_summary_counts_documents_tasks_warnings_and_errors(mixed_run):
    r, out = mixed_run
    tasks = sum(d["counts"]["tasks"] for d in jsonl(out / "documents.jsonl"))
    assert f"{len(GOOD) + len(BAD)}: {len(GOOD)} converted, 0 unchanged (skipped), {len(BAD)} failed" in r.stderr
    assert re.search(rf"tasks\s+│\s+{tasks}\s", r.stderr) and "W100 " in r.stderr
    assert "E008 1" in r.stderr and "E009 1" in r.stderr and "docs/s" in r.stderr and "peak RSS" in r.stderr


def test_a_rerun_retries_only_the_worker_failures(mixed, mixed_run, tmp_path):
    """Timeouts and crashes may not happen again: they are retried; the others are not."""
    _, first = mixed_run
    out = tmp_path / "out"
    out.mkdir()
    for p in first.iterdir():
        if p.is_file():
            (out / p.name).write_bytes(p.read_bytes())
    shutil.copytree(first / ".vbextract", out / ".vbextract")
    r = run("batch", mixed, "-o", out, "-j", "2")
    assert r.exit_code == 9
    assert f"{len(GOOD) + len(BAD)}: 3 converted, {len(GOOD) + len(BAD) - 3} unchanged (skipped), 4 failed" in r.stderr
    assert {Path(e["file"]).name for e in jsonl(out / "errors.jsonl")} == {b[0] for b in BAD[:4]}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return copy(TXT + [DOCX, PDF], tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def reference(small, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    r = run("batch", small, "-o", out, "-j", "1")
    assert r.exit_code == 0, r.output
    return outputs(out)


def test_one_and_two_workers_write_byte_identical_files(small, reference, tmp_path):
    assert run("batch", small, "-o", tmp_path, "-j", "2").exit_code == 0
    two = outputs(tmp_path)
    assert sorted(two) == sorted(reference) and set(EXPORTS) <= set(two)
    assert [n for n in reference if two[n] != reference[n]] == []


def test_csv_has_a_bom_and_reads_back(small, reference):
    for name in ("tasks", "legal_refs", "targets", "units"):
        data = reference[f"{name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows and {Path(r["file"]).name for r in rows} <= set(TXT + [DOCX, PDF])
    tasks = list(csv.DictReader(io.StringIO(reference["tasks.csv"].decode("utf-8-sig"))))
    n_tasks = sum(len(json.loads(reference[f"{n}.json"])["tasks"]) for n in TXT + [DOCX, PDF])
    assert len(tasks) == n_tasks
    dated_rows = [t for t in tasks if t["deadline_end"]]
    assert dated_rows and all(dt.date.fromisoformat(t["deadline_end"]) for t in dated_rows)
    assert any("Sở" in t["lead"] for t in tasks)  # Vietnamese read back as written


def test_xlsx_reads_back_with_openpyxl(reference):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(reference["vbextract.xlsx"]))
    assert wb.sheetnames == ["tasks", "legal_refs", "targets", "units"]
    tasks = list(csv.reader(io.StringIO(reference["tasks.csv"].decode("utf-8-sig"))))
    ws = wb["tasks"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:W{len(tasks)}"
    header = [c.value for c in ws[1]]
    assert header == tasks[0] and ws.max_row == len(tasks)
    end = header.index("deadline_end") + 1
    days = [row[end - 1].value for row in ws.iter_rows(min_row=2) if row[end - 1].value is not None]
    assert days and all(isinstance(d, dt.datetime) for d in days)  # Excel dates, not text
    assert ws.column_dimensions["A"].width > 8


def _expected_events(reference: dict[str, bytes]) -> int:
    """Dated task deadlines, counted from the documents' own JSON."""
    n = 0
    for name in TXT + [DOCX, PDF]:
        d = json.loads(reference[f"{name}.json"])
        for t in d["tasks"]:
            dl = t["deadline"] or {}
            if dl.get("recurrence"):
                n += bool(dl.get("start") or d["meta"]["date"])
            else:
                n += bool(dl.get("end"))
    return n


def test_ics_parses_back_with_one_event_per_dated_deadline(reference):
    from icalendar import Calendar

    cal = Calendar.from_ical(reference["deadlines.ics"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == _expected_events(reference) > 0
    assert len({str(e["UID"]) for e in events}) == len(events)
    recurring = [e for e in events if "RRULE" in e]
    assert recurring and all(isinstance(e.decoded("DTSTART"), dt.date) for e in events)
    assert all("Văn bản:" in str(e["DESCRIPTION"]) for e in events)


def test_dated_matches_the_ics_rule():
    base = dict(file="f", task_id="T1", content="x", origin="prose")
    assert not dated(TaskRow(**base))
    assert dated(TaskRow(**base, deadline_end=dt.date(2026, 5, 1)))
    assert not dated(TaskRow(**base, deadline_recurrence="FREQ=YEARLY"))
    assert dated(TaskRow(**base, deadline_recurrence="FREQ=YEARLY", doc_date=dt.date(2026, 1, 2)))


def test_rerun_skips_unchanged_redoes_changed_and_force_redoes_all(small, tmp_path):
    src = copy(TXT, tmp_path / "in")
    out = tmp_path / "out"
    assert run("batch", src, "-o", out, "-j", "2").exit_code == 0
    before = outputs(out)
    stamp = {n: (out / n).stat().st_mtime_ns for n in before}
    r = run("batch", src, "-o", out, "-j", "2")
    assert "3: 0 converted, 3 unchanged (skipped), 0 failed" in r.stderr
    assert {n: (out / n).stat().st_mtime_ns for n in before} == stamp  # nothing rewritten
    (src / TXT[2]).write_bytes((SAMPLES / TXT[1]).read_bytes())  # a file's content changes
    r = run("batch", src, "-o", out, "-j", "2")
    assert "3: 1 converted, 2 unchanged (skipped), 0 failed" in r.stderr
    after = outputs(out)
    assert after[f"{TXT[0]}.json"] == before[f"{TXT[0]}.json"] and after[f"{TXT[2]}.json"] != before[f"{TXT[2]}.json"]
    assert run("batch", src, "-o", out, "--force").stderr.count("3 converted") == 1
    assert run("batch", src, "-o", out, "--ocr", "never").stderr.count("3 converted") == 1  # another option


def test_formats_switch_exports_off(small, tmp_path):
    r = run("batch", small / TXT[0], "-o", tmp_path, "--formats", "csv")
    assert r.exit_code == 0
    assert sorted(outputs(tmp_path)) == ["documents.jsonl", "errors.jsonl"] + sorted(
        f"{t}.csv" for t in ("tasks", "legal_refs", "targets", "units")
    )
    assert run("batch", small, "-o", tmp_path, "--formats", "json,pdf").exit_code == 2
    assert run("batch", small, "-o", tmp_path, "--scheduler", "tcp://127.0.0.1:8786").exit_code == 2
    assert run("batch", "-o", tmp_path).exit_code == 2  # no input


def test_an_output_that_is_a_file_or_cannot_be_written_is_one_line(small, tmp_path):
    (tmp_path / "taken").write_text("x")
    r = run("batch", small / TXT[0], "-o", tmp_path / "taken")
    assert r.exit_code == 2 and "is a file" in r.stderr
    r = run("batch", small / TXT[0], "-o", tmp_path / "taken" / "out")  # cannot be made, even by root
    assert r.exit_code == 1 and "Traceback" not in r.output
    (line,) = r.stderr.splitlines()
    assert line.startswith("vbextract: error:") and "taken" in line and "cannot write" in line


def test_progress_bar_only_when_asked_or_on_a_terminal(small, tmp_path):
    quiet = run("batch", small / TXT[0], "-o", tmp_path / "a")
    shown = run("batch", small / TXT[0], "-o", tmp_path / "b", "--progress")
    assert "ETA" not in quiet.stderr and "extracting" not in quiet.stderr
    assert "extracting" in shown.stderr and "1/1" in shown.stderr and "ETA" in shown.stderr


# (--max-memory text, bytes or None for a usage error)
SIZES = [("512M", 512 * 2**20), ("2G", 2 * 2**30), ("1.5GB", int(1.5 * 2**30)), ("1000", 1000), ("lots", None)]


@pytest.mark.parametrize("text,size", SIZES, ids=[s[0] for s in SIZES])
def test_max_memory_sizes(text, size):
    from click import BadParameter

    from vbextract.batch.command import parse_size

    if size is None:
        with pytest.raises(BadParameter):
            parse_size(text)
    else:
        assert parse_size(text) == size


def test_inputs_from_globs_list_files_and_stdin(small, tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text(f"# a comment\n{small / TXT[1]}\n\n{small / TXT[0]}\n", encoding="utf-8")
    files = expand([str(small / "*.docx"), str(small / TXT[0])], [str(listed)])
    assert [p.name for p in files] == [DOCX, TXT[0], TXT[1]]  # in order given, each once
    r = run("batch", "-", "-o", tmp_path / "out", "--formats", "json", input=f"{small / TXT[2]}\n")
    assert r.exit_code == 0 and sorted(p.name for p in (tmp_path / "out").glob("*.json")) == [f"{TXT[2]}.json"]


def test_output_names_are_stable_and_stay_in_the_folder(tmp_path):
    a, b = tmp_path / "a" / "kh.txt", tmp_path / "b" / "kh.txt"
    names = output_names([a, b, Path("../../..evil.txt"), Path("x/" + "ư" * 200 + ".md")])
    assert names[0] == "kh.txt.json" and re.fullmatch(r"kh\.txt~[0-9a-f]{8}\.json", names[1])
    assert names[1] == output_names([a, b])[1] and names[2] == "evil.txt.json"
    assert all("/" not in n and len(n.encode()) <= 210 for n in names)


# --------------------------------------------------------------------------- killed runs
def _spawn(src: Path, out: Path, hook: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **{TEST_HOOK: hook})
    cmd = [sys.executable, "-m", "vbextract", "batch", str(src), "-o", str(out), "-j", "2", "--no-progress"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(out: Path, n: int, proc: subprocess.Popen[bytes], limit: float = 60) -> None:
    """Until n documents are done (their state written) or the process ends."""
    end = time.monotonic() + limit
    states = out / ".vbextract" / "state"
    while time.monotonic() < end and proc.poll() is None:
        if states.is_dir() and len(list(states.iterdir())) >= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"{n} documents not done: {proc.poll()}")


# (signal, documents done before the kill): the last input hangs, so the kill lands mid-batch
KILLS = [(signal.SIGKILL, 0), (signal.SIGKILL, 3), (signal.SIGTERM, 2), (signal.SIGINT, 4)]


@pytest.mark.parametrize("sig,after", KILLS, ids=[f"{s.name}-after-{n}" for s, n in KILLS])
def test_a_killed_run_resumes_to_identical_outputs(small, reference, tmp_path, sig, after):
    out = tmp_path / "out"
    proc = _spawn(small, out, f"hang:{TXT[2]}")  # the folder sorted: it is the last input
    if after:
        _wait_for(out, after, proc)
    else:
        time.sleep(0.3)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    for p in out.glob("*.json"):  # whatever was written is whole
        assert p.read_bytes() == reference[p.name], p.name
    if sig != signal.SIGKILL:
        assert proc.returncode == 130 and b"run the same command again" in proc.stderr.read()  # type: ignore[union-attr]
    r = run("batch", small, "-o", out, "-j", "2")
    assert r.exit_code == 0, r.output
    assert outputs(out) == reference
    assert not list((out / ".vbextract" / "tmp").iterdir())


# --------------------------------------------------------------------------- Dask
def test_dask_local_cluster_writes_the_same_outputs(small, reference, tmp_path):
    r = run("batch", small, "-o", tmp_path, "--engine", "dask", "-j", "2")
    assert r.exit_code == 0, r.output
    assert outputs(tmp_path) == reference
    assert len(re.search(r"peak RSS per worker\s+│\s+([^│]+)│", r.stderr).group(1).split(",")) == 2  # type: ignore[union-attr]


def test_dask_records_documents_that_hang_or_kill_their_worker(small, reference, tmp_path, monkeypatch):
    monkeypatch.setenv(TEST_HOOK, f"crash:{TXT[1]},hang:{TXT[2]}")
    docs = [small / TXT[0], small / TXT[1], small / TXT[2], small / DOCX]
    r = run("batch", *docs, "-o", tmp_path, "--engine", "dask", "-j", "2", "--timeout", "2")
    assert r.exit_code == 9, r.output
    errs = {Path(e["file"]).name: (e["stage"], e["code"]) for e in jsonl(tmp_path / "errors.jsonl")}
    assert errs == {TXT[1]: ("worker", "E009"), TXT[2]: ("worker", "E008")}
    for name in (TXT[0], DOCX):  # the others converted, as without the engine
        assert (tmp_path / f"{name}.json").read_bytes() == reference[f"{name}.json"]
    assert "WARNING" not in r.stderr


def test_a_changed_data_file_changes_every_key(monkeypatch, tmp_path):
    """An upgrade or an edit of vbextract's code or data redoes the documents of a re-run."""
    from vbextract import data
    from vbextract.batch.store import code_fingerprint, doc_key

    def use(folder: Path) -> None:
        monkeypatch.setattr(data, "_models_dir", lambda: folder)
        code_fingerprint.cache_clear()

    before = doc_key("0" * 64, "auto", "a.txt")
    folder = Path(shutil.copytree(ROOT / "models", tmp_path / "models"))
    try:
        use(folder)
        assert doc_key("0" * 64, "auto", "a.txt") == before  # the same files: the same key
        with open(folder / "provinces.yaml", "a", encoding="utf-8") as f:
            f.write("\n# edited\n")
        use(folder)
        assert doc_key("0" * 64, "auto", "a.txt") != before and len(code_fingerprint()) == 16
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()


def test_batch_index_indexes_what_it_converted(tmp_path):
    """`batch --index DB`: the outputs are indexed into a real SQLite file as they would be by `index`."""
    import sqlite3

    from click.testing import CliRunner

    from vbextract.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "kh.txt").write_text(
        "KẾ HOẠCH\nSố: 12/KH-UBND\nThực hiện\nI. NHIỆM VỤ\n1. Sở Nội vụ chủ trì tổng hợp kết quả.\n", encoding="utf-8"
    )
    db = tmp_path / "plans.sqlite"
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(tmp_path / "out"), "-j", "1", "--index", str(db)])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        assert c.execute("SELECT count(*) FROM tasks").fetchone() == (1,)
