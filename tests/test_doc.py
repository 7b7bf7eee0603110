"""Legacy .doc: LibreOffice conversion (or antiword) into the same model."""

import shutil
from pathlib import Path

import pytest

from vbextract import extract
from vbextract.ingest.doc import antiword_text_to_raw

DOC = Path(__file__).parent / "data" / "doc" / "42_KH_2242-KH-SCT_Lao-Cai_2026.doc"  # corpus 42 saved as .doc

ANTIWORD = """|UBND TỈNH LÀO CAI      |   |  CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM |
|SỞ CÔNG THƯƠNG         |   |  Độc lập - Tự do - Hạnh phúc        |

KẾ HOẠCH
Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn

|TT  |Nhiệm vụ thực hiện                     |Người thực hiện  |Ghi chú |
|    |Rà soát việc đáp ứng các điều kiện     |Đỗ Mạnh Cường    |        |
|    |                                       |Vũ Việt Linh     |        |
|    |Xây dựng bài kiểm tra, đáp án          |Đỗ Mạnh Cường    |        |
"""


def test_antiword_rows_are_rebuilt():
    raw = antiword_text_to_raw(ANTIWORD, "t.doc")
    header, tasks = raw.tables
    assert header.borderless and header.cell_at(0, 2).text.startswith("CỘNG HOÀ")
    assert (tasks.n_rows, tasks.n_cols) == (3, 4)
    assert tasks.cell_at(1, 2).text == "Đỗ Mạnh Cường\nVũ Việt Linh"


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("antiword")),
    reason="neither LibreOffice nor antiword is installed (.ci/run installs them)",
)
def test_doc_file_reads_like_the_docx():
    d = extract(DOC)
    assert d.source_file.format == "doc"
    assert (d.meta.doc_type, d.meta.symbol, d.meta.signer.name) == ("KH", "/KH-SCT", "Hoàng Văn Thuân")
    assert [(b.n_rows, b.n_cols) for b in d.blocks if b.kind == "table"][-1] == (10, 4)
    assert len(d.tasks) >= 9


RTF = DOC.with_suffix(".rtf")  # corpus 42 saved as RTF by LibreOffice


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (.ci/run installs it)")
def test_rtf_file_reads_like_the_docx():
    d = extract(RTF)
    assert d.source_file.format == "rtf"
    assert (d.meta.doc_type, d.meta.symbol, d.meta.signer.name) == ("KH", "/KH-SCT", "Hoàng Văn Thuân")
    assert [(b.n_rows, b.n_cols) for b in d.blocks if b.kind == "table"][-1] == (10, 4)
    assert len(d.tasks) == 10 and all(t.lead for t in d.tasks)  # 9 table rows + "Giao phòng Quản lý Công nghiệp ..."


def test_rtf_without_libreoffice_is_a_clear_error(monkeypatch, tmp_path):
    from vbextract import errors
    from vbextract.ingest import doc

    monkeypatch.setattr(doc.shutil, "which", lambda exe: None)
    with pytest.raises(errors.UnsupportedFormat, match="RTF needs LibreOffice"):
        doc.read_rtf(RTF.read_bytes(), RTF.name)
