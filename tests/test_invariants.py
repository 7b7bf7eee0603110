"""Invariants on every sample and on arbitrary text (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import sample_files
from vbextract import VbeError, errors, extract, faults, to_json
from vbextract.ingest import txt
from vbextract.schema import Document


def sources(obj):
    """Every {start, end, ...} source object anywhere in the output."""
    if isinstance(obj, dict):
        if "start" in obj and "end" in obj and isinstance(obj.get("start"), int):
            yield obj
        for v in obj.values():
            yield from sources(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from sources(v)


def check_offsets(doc: Document) -> None:
    d = json.loads(doc.model_dump_json())
    n = len(d["text"])
    for s in sources({k: v for k, v in d.items() if k != "text"}):
        assert 0 <= s["start"] <= s["end"] <= n, s


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_offsets_inside_text(path, extracted):
    check_offsets(extracted(path))


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_output_is_byte_identical_across_runs(path, extracted):
    assert to_json(extracted(path)) == to_json(extract(path))


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_output_is_schema_valid(path, extracted):
    Document.model_validate_json(to_json(extracted(path)))


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_cells_and_paragraphs_point_at_their_text(path, extracted):
    doc = extracted(path)
    for b in doc.blocks:
        for c in b.cells or []:
            assert doc.text[c.source.start : c.source.end] == c.text


def chain(e: BaseException):
    """``e`` and the exceptions it was raised from or during."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def check_coded_error(e: VbeError, name: str) -> None:
    """A coded error about the input file: a reason naming it, and no bug of
    ours (``faults.BUG_TYPES`` raised in vbextract's code) hidden behind it by a
    reader's catch-all; a data-file problem is never reported against the file."""
    assert e.reason and name in str(e)
    assert not isinstance(e, errors.InstallationError), e
    hidden = [x for x in chain(e) if faults.is_internal_bug(x)]
    assert not hidden, f"a bug of ours reported as {type(e).__name__}: {hidden[0]!r}"


_viet = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạềếểễệọộờớởỡợủụừứửữựỳýỷỹỵ ĐÀÁ\t\n|-*#./:;0123456789IVX()")
    ),
    max_size=400,
)
_lines = st.lists(
    st.sampled_from(
        [
            "KẾ HOẠCH",
            "Số: 12/KH-UBND",
            "Hà Nội, ngày 5 tháng 3 năm 2025",
            "I. MỤC TIÊU",
            "1. Nội dung",
            "a) Sở Tài chính",
            "- Nhiệm vụ",
            "TT\tNội dung\tChủ trì",
            "1\tViệc\tSở Y tế",
            "\tTiếp\t",
            "Nơi nhận:",
            "- Như trên;",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Văn A",
            "|",
            "**đậm**",
            "",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ]
    ),
    max_size=40,
).map("\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_viet, _lines), ext=st.sampled_from([".txt", ".md"]))
def test_arbitrary_text_never_crashes_and_offsets_hold(tmp_path_factory, text, ext):
    p: Path = tmp_path_factory.mktemp("h") / f"doc{ext}"
    p.write_text(text, encoding="utf-8")
    try:
        doc = extract(p)
    except VbeError as e:
        check_coded_error(e, p.name)
        return  # a clear, coded error (e.g. empty) is an allowed outcome
    check_offsets(doc)
    assert to_json(doc) == to_json(extract(p))


_BINARY_SAMPLES = [p for p in sample_files() if p.suffix in (".pdf", ".docx")][:4]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), ext=st.sampled_from([".pdf", ".docx", ".txt", ".md", ".doc", ""]))
def test_arbitrary_bytes_give_a_document_or_a_coded_error(tmp_path_factory, data, ext):
    """Any other exception (a TypeError of ours, say) fails the test, and so
    does one hidden behind a coded error."""
    p: Path = tmp_path_factory.mktemp("b") / f"in{ext}"
    p.write_bytes(data)
    try:
        check_offsets(extract(p))
    except VbeError as e:
        check_coded_error(e, p.name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, max(len(_BINARY_SAMPLES) - 1, 0)), frac=st.floats(0.0, 0.999))
def test_truncated_real_files_give_a_document_or_a_coded_error(tmp_path_factory, which, frac):
    src = _BINARY_SAMPLES[which]
    data = src.read_bytes()
    p: Path = tmp_path_factory.mktemp("t") / src.name
    p.write_bytes(data[: int(len(data) * frac)])
    try:
        check_offsets(extract(p))
    except VbeError as e:
        check_coded_error(e, p.name)


# --------------------------------------------------------------------------- the catch-all itself
def test_a_bug_in_a_reader_is_not_reported_as_a_corrupt_file(tmp_path, monkeypatch):
    monkeypatch.setattr(txt, "decode", lambda data: None)  # txt.read then unpacks None: a TypeError in our code
    p = tmp_path / "a.txt"
    p.write_text("KẾ HOẠCH", encoding="utf-8")
    with pytest.raises(TypeError) as info:
        extract(p)
    assert faults.is_internal_bug(info.value)


def test_a_library_error_is_a_corrupt_file_with_its_cause(tmp_path, monkeypatch):
    from dateutil import parser

    monkeypatch.setattr(
        txt, "decode", lambda data: parser.parse(len(data))
    )  # an int: dateutil raises TypeError in its own code
    p = tmp_path / "a.txt"
    p.write_text("KẾ HOẠCH", encoding="utf-8")
    with pytest.raises(errors.CorruptFile) as info:
        extract(p)
    assert isinstance(info.value.__cause__, TypeError) and not faults.is_internal_bug(info.value.__cause__)
    assert "unreadable .txt (TypeError" in info.value.reason


def test_too_large_file_is_refused(tmp_path, monkeypatch):
    from vbextract import errors, ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_text("KẾ HOẠCH " * 50, encoding="utf-8")
    with pytest.raises(errors.TooLarge):
        extract(p)
