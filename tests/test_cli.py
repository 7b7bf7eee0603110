"""The command line: output, schema, exit codes and one-line errors on bad input."""

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from vbextract.cli import main

SEED = Path(__file__).resolve().parents[1] / "samples" / "000_b6dc9c9248918c92.txt"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_extract_prints_json():
    r = run("extract", SEED)
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["schema_version"] == "1" and d["meta"]["doc_type"] == "KH"
    assert len(d["tasks"]) > 5 and d["legal_refs"][0]["symbol"] == "1407/KH-UBND" and len(d["units"]) > 3


def test_extract_to_file(tmp_path):
    out = tmp_path / "x.json"
    assert run("extract", SEED, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["source_file"]["name"] == SEED.name


def test_schema_is_json_schema():
    r = run("schema")
    s = json.loads(r.stdout)
    assert r.exit_code == 0 and {"schema_version", "meta", "tasks", "warnings"} <= set(s["properties"])


def _zip_without_document(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "x")


# (file name, content builder, exit code, words the one-line message must contain)
BAD = [
    ("empty.txt", lambda p: p.write_bytes(b""), 4, "empty"),
    ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n garbage"), 6, "broken.pdf"),
    ("text.pdf", lambda p: p.write_text("KẾ HOẠCH", encoding="utf-8"), 6, "not a valid PDF"),
    ("notword.docx", _zip_without_document, 5, "zip archive"),
    ("binary.txt", lambda p: p.write_bytes(bytes(range(256)) * 20), 5, "binary"),
    ("old.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), 5, "not a Word document"),
    (
        "locked.docx",
        lambda p: p.write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600
        ),
        7,
        "password",
    ),
]


@pytest.mark.parametrize("name,make,code,words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_one_line_and_exit_code(tmp_path, name, make, code, words):
    p = tmp_path / name
    make(p)
    r = run("extract", p)
    assert r.exit_code == code, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and words in lines[0], r.stderr
    assert "Traceback" not in r.output


def test_missing_file(tmp_path):
    r = run("extract", tmp_path / "nope.txt")
    assert r.exit_code == 3 and "no such file" in r.stderr


def test_batch_goes_on_after_a_bad_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "b.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = run("extract", src, "-o", out)
    assert r.exit_code == 9
    assert (out / "a.txt.json").exists() and not (out / "b.txt.json").exists()
    records = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["file"].split("/")[-1], x["status"]) for x in records] == [("a.txt", "ok"), ("b.txt", "error")]
    (err,) = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert err["file"].endswith("b.txt") and err["code"] == "E002" and err["stage"] == "ingest"


def test_batch_never_writes_outside_the_output_folder(tmp_path):
    weird = tmp_path / "..evil.txt"
    weird.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert run("extract", weird, SEED, "-o", out).exit_code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        ".vbextract",
        "000_b6dc9c9248918c92.txt.json",
        "documents.jsonl",
        "errors.jsonl",
        "evil.txt.json",
    ]


# --------------------------------------------------------------------------- OCR option
from vbextract.ingest import ocr  # noqa: E402

HEADER_PNG = Path(__file__).resolve().parent / "data" / "ocr" / "header.png"
SCAN48 = SEED.parent / "48_CV_2265-BCT-ATMT_Trung-uong_2026.pdf"
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract with the vie model is not installed (.ci/run installs it)"
)


@pytest.fixture(autouse=False)
def restore_ocr_mode():
    old = ocr.OCR_MODE
    yield
    ocr.OCR_MODE = old


@needs_tesseract
def test_image_input_is_read_by_ocr(restore_ocr_mode, tmp_path):
    r = run("extract", HEADER_PNG, "-o", tmp_path / "h.json")
    assert r.exit_code == 0, r.output
    d = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert d["source_file"]["format"] == "image" and d["source_file"]["ocr"] is True
    assert d["meta"]["symbol"] == "3036/SCT-CN" and d["meta"]["date"] == "2026-05-28"


def test_image_with_ocr_off_is_a_one_line_error(restore_ocr_mode):
    r = run("extract", "--ocr", "never", HEADER_PNG)
    assert r.exit_code != 0
    (line,) = r.stderr.strip().splitlines()
    assert "header.png" in line and "--ocr never" in line and "Traceback" not in r.output


def test_ocr_never_leaves_scanned_pages_marked(restore_ocr_mode, tmp_path):
    r = run("extract", "--ocr", "never", SCAN48, "-o", tmp_path / "s.json")
    assert r.exit_code == 0
    d = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert d["source_file"]["ocr"] is False
    assert [w["code"] for w in d["warnings"]][:3] == ["W101"] * 3
    assert all("needs OCR" in w["message"] for w in d["warnings"] if w["code"] == "W101")


def test_ocr_option_rejects_unknown_mode():
    assert run("extract", "--ocr", "sometimes", SEED).exit_code == 2


def test_explain_names_the_rule_the_source_and_the_reasons():
    from click.testing import CliRunner

    from vbextract.cli import main

    sample = Path(__file__).resolve().parents[1] / "samples" / "001_32de8ed23e57a435.txt"
    res = CliRunner().invoke(main, ["explain", str(sample)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "001_32de8ed23e57a435.txt: 8 tasks"
    t4 = lines.index(next(line for line in lines if line.startswith("T4 ")))
    assert lines[t4].startswith("T4  rule: units_colon")
    assert "Phòng Nội chính và Trung tâm Phục vụ hành chính công tỉnh: Chủ động" in lines[t4 + 1]
    assert (
        "why lead: the unit phrase <<lead>> 'Phòng Nội chính và Trung tâm Phục vụ hành chính công tỉnh'"
        in lines[t4 + 2]
    )
    assert lines[t4 + 3].startswith("    lead    Phòng Nội chính [chars ")


def test_explain_of_a_missing_file_is_one_line_and_its_exit_code():
    from click.testing import CliRunner

    from vbextract.cli import main

    res = CliRunner().invoke(main, ["explain", "no/such/file.docx"])
    assert res.exit_code == 3 and res.output.strip().startswith("vbextract: error: file.docx")


# --------------------------------------------------------------------------- installation errors
MODELS = Path(__file__).resolve().parents[1] / "models"


def _clear_data_caches() -> None:
    """Every cached loader (and what was built from the data) forgets its result."""
    import sys

    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith("vbextract"):
            for obj in list(vars(mod).values()):
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


@pytest.fixture
def models_in(monkeypatch):
    """Point vbextract at another models folder (data._models_dir) for one test."""
    from vbextract import data

    def use(folder: Path) -> Path:
        monkeypatch.setattr(data, "_models_dir", lambda: folder)
        _clear_data_caches()
        return folder

    yield use
    monkeypatch.undo()
    _clear_data_caches()


def _copy_models(dst: Path, skip: str = "") -> Path:
    dst.mkdir()
    for f in MODELS.iterdir():
        if f.is_file() and f.name != skip:
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


def _installation_line(r, folder: Path) -> str:
    assert r.exit_code == 10, r.output
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith(f"vbextract: error: {folder}") and "installation error" in line, line
    assert SEED.name not in line and "CorruptFile" not in line and "Traceback" not in r.output
    return line


def test_missing_models_folder_is_an_installation_error(tmp_path, models_in):
    folder = models_in(tmp_path / "no-models")
    line = _installation_line(run("extract", SEED), folder)
    assert "data file missing" in line


def test_missing_data_file_read_by_a_later_stage_is_named(tmp_path, models_in):
    folder = models_in(_copy_models(tmp_path / "models", skip="task_headers.yaml"))
    line = _installation_line(run("extract", SEED), folder)
    assert f"{folder / 'task_headers.yaml'}: installation error: vbextract data file missing" in line


def test_broken_yaml_data_file_is_named(tmp_path, models_in):
    folder = models_in(_copy_models(tmp_path / "models"))
    (folder / "legacy_encodings.yaml").write_text("tcvn3: [unclosed\n", encoding="utf-8")
    line = _installation_line(run("extract", SEED), folder)
    assert f"{folder / 'legacy_encodings.yaml'}: installation error: vbextract data file not valid" in line


def test_installation_error_stops_a_batch(tmp_path, models_in):
    folder = models_in(tmp_path / "no-models")
    out = tmp_path / "out"
    r = run("extract", SEED, SEED.parent / "01_KH_179-KH-UBND_Dong-Nai_2025.md", "-o", out)
    _installation_line(r, folder)
    assert not list(out.glob("*.json")) and not (out / "documents.jsonl").exists()
