"""OCR: tesseract words -> lines -> the PDF reader's zones and paragraphs;
the image reader; scanned PDF pages.

Fixtures in tests/data/ocr/ are crops of corpus pages at 200 dpi, made by
tests/data/ocr/make_fixtures.py: ``header.png`` (corpus 49 page 1, header
zone), ``text.png`` (corpus 48 page 1, a real scan: two dash items),
``table.png`` (corpus 42 page 4 rendered: a ruled task table) and
``table_photo.jpg`` (the same made to look photographed: turned 1.5°, grey,
blurred, noisy JPEG).
Multi-page inputs (TIFF, image-only PDF) are built from them in memory.
The whole module takes about 10 s (two tesseract processes at a time).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vbextract.ingest import ocr

if not ocr.available():
    pytest.skip("tesseract with the vie model is not installed", allow_module_level=True)

from PIL import Image

from vbextract import errors
from vbextract.ingest import image as image_reader
from vbextract.ingest import pdf as pdf_reader
from vbextract.model import DocBuilder, RawDocument

DATA = Path(__file__).resolve().parent / "data" / "ocr"
HEADER = DATA / "header.png"
TEXT = DATA / "text.png"
TABLE = DATA / "table.png"
TABLE_PHOTO = DATA / "table_photo.jpg"

_cache: dict[str, RawDocument] = {}


def png(im: Image.Image, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def read_image(key: str, data: bytes) -> RawDocument:
    if key not in _cache:
        _cache[key] = image_reader.read(data, key)
    return _cache[key]


def paragraphs(doc: RawDocument) -> list[tuple[int, str]]:
    return [(b.page, doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "paragraph"]


def two_page_pdf() -> bytes:
    """An image-only PDF: page 1 the header crop, page 2 the text crop."""
    buf = io.BytesIO()
    first, second = Image.open(HEADER), Image.open(TEXT)
    first.save(buf, "PDF", resolution=200.0, save_all=True, append_images=[second])
    return buf.getvalue()


# --------------------------------------------------------------------------- tesseract call
def test_ocr_image_gives_lines_with_boxes_and_confidences():
    im = Image.open(HEADER)
    lines = ocr.ocr_image(im, 200)
    motto = next(ln for ln in lines if "NGHĨA" in ln.text)
    # tesseract reads across both columns ("UBND TỈNH LÀO CAI CỘNG HOÀ ..."): to_rows splits at the gap
    cong = next(w for w in motto.words if w.text == "CỘNG")
    assert cong.x0 > im.width * 0.4
    assert all(0 <= w.x0 < w.x1 <= im.width and 0 <= w.top < w.bottom <= im.height for w in motto.words)
    assert motto.conf > 80
    assert len({(ln.block, ln.par, ln.line) for ln in lines}) == len(lines)


def test_parse_tsv_keeps_unsure_words_inside_a_sentence_and_drops_them_at_the_edge():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "2\t1\t1\t0\t0\t0\t10\t10\t900\t60\t-1\t",
        "2\t1\t2\t0\t0\t0\t100\t300\t500\t400\t-1\t",  # a block with no text: a picture
        "5\t1\t1\t1\t1\t1\t10\t10\t80\t40\t96\tmột",
        "5\t1\t1\t1\t1\t2\t100\t10\t60\t40\t95\tsố",
        "5\t1\t1\t1\t1\t3\t170\t10\t80\t40\t12\tđiểu",  # unsure, between two sure words: kept
        "5\t1\t1\t1\t1\t4\t260\t10\t40\t40\t96\tvà",
        "5\t1\t1\t1\t1\t5\t310\t10\t200\t40\t15\t55/2024/QH15;",  # unsure but holds a digit: kept
        "5\t1\t1\t1\t1\t6\t600\t10\t60\t60\t8\ttự“",  # unsure, at the line's end: a scribble
        "5\t1\t1\t1\t2\t1\t10\t60\t200\t10\t20\t——_",  # a rule read as dashes
        "5\t1\t2\t1\t1\t1\t100\t300\t500\t400\t95\t ",
    ]
    pictures: list = []
    lines = ocr.parse_tsv("\n".join([head, *rows]), pictures)
    assert [ln.text for ln in lines] == ["một số điểu và 55/2024/QH15;"]
    assert pictures == [(100, 300, 600, 700)]


# --------------------------------------------------------------------------- post-correction
@pytest.mark.parametrize(
    "raw, fixed",
    [
        ("CỘNG HOẢ XÃ HỘI CHỦ NGHIA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),  # both spellings stay
        ("Dộc lập — Tự do — Hạnh phúc", "Độc lập - Tự do - Hạnh phúc"),
        ("Nơi nhân:", "Nơi nhận:"),
        ("Kinh gửi: Sở Tài chính", "Kính gửi: Sở Tài chính"),
        ("KÉ HOẠCH", "KẾ HOẠCH"),
        ("QUYÉT ĐỊNH", "QUYẾT ĐỊNH"),
        ("KT. GIÁM ĐÓC", "KT. GIÁM ĐỐC"),
        ("Sô: 123/UBND-VX", "Số: 123/UBND-VX"),
        ("Hà Nội, ngày 02 tháng 4 măm 2026", "Hà Nội, ngày 02 tháng 4 năm 2026"),
        ("- Chủ tịch UBND tỉnh; PHO CHU TỊCH", "- Chủ tịch UBND tỉnh; PHO CHỦ TỊCH"),  # a later occurrence in capitals
        ("Xong trong Quý H/2026", "Xong trong Quý II/2026"),  # rendered corpus 37, table cell
        ("Quý l năm 2026", "Quý I năm 2026"),
        ("quý lV, 2026", "quý IV, 2026"),
        ("Quý 1/2026", "Quý 1/2026"),  # Arabic quarter numbers are printed so
        ("Quý Hai", "Quý Hai"),
        # left alone: digits, sentences, words that only look alike
        ("Sô: l23/UBND", "Sô: l23/UBND"),  # 'Số:' only before a number or '/'
        ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Phó giám đóc Sở", "Phó giám đóc Sở"),
        ("hợp tác với Việt Nam 2025", "hợp tác với Việt Nam 2025"),
        ("nắm 2026 đầu tiên", "nắm 2026 đầu tiên"),
        ("KẾ HOẠCH số 12 năm 2026", "KẾ HOẠCH số 12 năm 2026"),
    ],
)
def test_known_phrases_are_corrected_and_nothing_else(raw, fixed):
    assert ocr.correct(raw) == fixed


# --------------------------------------------------------------------------- images
def test_header_image_gives_one_borderless_two_column_table_with_the_motto_on_the_right():
    doc = read_image("header", HEADER.read_bytes())
    assert (doc.format, doc.pages, doc.ocr) == ("image", 1, True)
    first = doc.blocks[0]
    assert first.kind == "table" and first.borderless
    assert (first.n_rows, first.n_cols, first.page) == (1, 2, 1)
    left, right = first.cell_at(0, 0).text.split("\n"), first.cell_at(0, 1).text.split("\n")
    assert right == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 28 tháng 5 năm 2026",
    ]
    assert left[1:3] == ["SỞ CÔNG THƯƠNG", "Số:3036 /SCT-CN"]
    assert left[3].startswith("V/v kế hoạch kiểm tra công tác nghiệm thu hoàn thành công trình xây dựng kho chứa")
    assert left[3].endswith("tại xã Tả Phìn, tỉnh Lào Cai.")  # the wrapped summary is one line
    assert paragraphs(doc) == [(1, "Kính gửi: Công ty cổ phần Năng lượng Bảo Long")]


def test_scanned_text_image_gives_paragraphs_with_their_words():
    doc = read_image("text", TEXT.read_bytes())
    paras = paragraphs(doc)
    assert [p for p, _ in paras] == [1] * len(paras)
    first = paras[0][1]
    assert first.startswith("- Khoản 2 Điều 3 của Thông tư số 15/2026/TT-BCT quy định: “Bộ trưởng Bộ Công Thương")
    for phrase in (
        "phân cấp cho Uỷ ban nhân dân cấp tỉnh",
        "giấy phép vận chuyển hàng hóa nguy hiểm",
        "Nghị định số 105/2025/NĐ-CP",
        "chữa cháy và cứu nạn, cứu hộ”.",
    ):
        assert phrase in first
    assert first.endswith("cứu hộ”.")  # 9 scanned lines, one paragraph
    assert paras[1][1].startswith("- Khoản 1 Điều 8 Thông tư số 15/2026/TT-BCT về điều khoản thi hành:")
    assert any("Thông tư có hiệu lực từ ngày 10/4/2026." in t for _, t in paras[1:])


def test_image_turned_90_degrees_is_read_upright():
    doc = read_image("turned", png(Image.open(TEXT).rotate(90, expand=True)))
    first = paragraphs(doc)[0][1]
    assert first.startswith("- Khoản 2 Điều 3 của Thông tư số 15/2026/TT-BCT")
    assert "chữa cháy và cứu nạn, cứu hộ" in first


def test_two_page_tiff_gives_two_pages_with_their_page_numbers():
    buf = io.BytesIO()
    Image.open(HEADER).save(
        buf, "TIFF", dpi=(200, 200), save_all=True, append_images=[Image.open(TEXT)], compression="tiff_deflate"
    )
    doc = read_image("tiff", buf.getvalue())
    assert (doc.pages, doc.ocr, doc.format) == (2, True, "image")
    header = doc.blocks[0]
    assert header.kind == "table" and header.page == 1 and "NGHĨA VIỆT NAM" in header.cell_at(0, 1).text
    assert [b.kind for b in doc.blocks[1:]] == ["paragraph"] * (len(doc.blocks) - 1)
    pages = [(p, t[:20]) for p, t in paragraphs(doc)]
    assert pages[0] == (1, "Kính gửi: Công ty cổ")
    assert pages[1] == (2, "- Khoản 2 Điều 3 của")
    assert {p for p, _ in pages[1:]} == {2}
    assert len([b for b in doc.blocks if b.kind == "table"]) == 1  # the header table is a page-1 thing


def test_page_to_blocks_builds_the_header_table_only_on_page_1():
    im = Image.open(HEADER)
    lines = ocr.ocr_image(im, 200)
    b1 = DocBuilder("image")
    ocr.page_to_blocks(b1, lines, 1, im.width, im.height, dpi=200)
    b2 = DocBuilder("image")
    ocr.page_to_blocks(b2, lines, 2, im.width, im.height, dpi=200)
    d1, d2 = b1.build(), b2.build()
    assert d1.blocks[0].kind == "table" and d1.blocks[0].page == 1
    assert all(b.kind == "paragraph" and b.page == 2 for b in d2.blocks)


# the six rows of the corpus 42 table in table.png: (task, people); the
# first column ("TT": "1." ... "6.") is not compared: a lone number in a
# narrow cell is where tesseract errs most ("3." read as "2.", "TT" as "EE")
TABLE_ROWS = [
    ("Rà soát việc đáp ứng các điều kiện của học viên", "Đỗ Mạnh Cường\nVũ Việt Linh\nNguyễn Thị Loan"),
    ("Xây dựng bài kiểm tra, đáp án", "Đỗ Mạnh Cường\nVũ Việt Linh"),
    ("Tổ chức kiểm tra", "Đỗ Mạnh Cường\nVũ Việt Linh\nNguyễn Thị Loan"),
    ("Tổ chức chấm bài", "Vũ Việt Linh"),
    ("Rà soát vào điểm", "Nguyễn Thị Loan"),
    ("Xây dựng quyết định công nhận kết quả kiểm tra", "Vũ Việt Linh"),
]


def table_rows(doc: RawDocument) -> list[tuple[str, ...]]:
    [table] = [b for b in doc.blocks if b.kind == "table"]
    assert (table.n_rows, table.n_cols, table.borderless) == (7, 4, False)
    header = [table.cell_at(0, c).text for c in range(1, 4)]
    from rapidfuzz.distance import Levenshtein

    # the photo's bold header may lose one mark ("Nhiêm vụ"); the task table is still found by it
    assert Levenshtein.distance("|".join(header), "Nhiệm vụ thực hiện|Người thực hiện|Ghi chú") <= 1
    assert all(table.cell_at(r, 3).text == "" for r in range(1, 7))  # the empty "Ghi chú" cells stay empty
    return [tuple(table.cell_at(r, c).text for c in (1, 2)) for r in range(1, 7)]


def test_a_ruled_table_in_an_image_is_rebuilt_cell_by_cell():
    doc = read_image("table", TABLE.read_bytes())
    assert table_rows(doc) == TABLE_ROWS
    # the annex title above the table stays a paragraph, outside the table
    assert any(t.startswith("PHÂN CÔNG NHIỆM VỤ") for _, t in paragraphs(doc))


def test_a_photographed_table_is_levelled_and_rebuilt():
    doc = read_image("table_photo", TABLE_PHOTO.read_bytes())
    assert table_rows(doc) == TABLE_ROWS


def test_tasks_and_people_come_out_of_a_scanned_table_like_a_digital_one():
    from vbextract.pipeline import extract_raw

    data = TABLE_PHOTO.read_bytes()
    out = extract_raw(read_image("table_photo", data), TABLE_PHOTO.name, data)
    assert [(t.content, [u.name for u in t.lead]) for t in out.tasks][:3] == [
        ("Rà soát việc đáp ứng các điều kiện của học viên", ["Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị Loan"]),
        ("Xây dựng bài kiểm tra, đáp án", ["Đỗ Mạnh Cường", "Vũ Việt Linh"]),
        ("Tổ chức kiểm tra", ["Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị Loan"]),
    ]
    assert len(out.tasks) == 6
    assert [(t.source.page, t.source.table, t.source.row, t.source.col) for t in out.tasks[:2]] == [
        (1, 0, 1, 1),
        (1, 0, 2, 1),
    ]


def test_an_image_without_text_says_so():
    doc = image_reader.read(png(Image.new("L", (800, 1100), 255)), "blank.png")
    assert doc.blocks == [] and [(w.code, w.message) for w in doc.warnings] == [("W101", "page 1: OCR found no text")]


def test_broken_image_raises_corrupt_file():
    with pytest.raises(errors.CorruptFile):
        image_reader.read(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png")


def test_an_image_whose_every_page_failed_ocr_is_empty_with_the_reason(monkeypatch):
    def fail(image, dpi=ocr.DPI, orient=True, timeout=ocr.TIMEOUT):
        raise ocr.OcrError("tesseract timed out after 120 s")

    monkeypatch.setattr(ocr, "ocr_page", fail)
    doc = image_reader.read(png(Image.new("L", (800, 1100), 255)), "blank.png")
    assert doc.blocks == [] and [w.message for w in doc.warnings] == [
        "page 1: OCR failed (tesseract timed out after 120 s)"
    ]


# --------------------------------------------------------------------------- PDF pages
def test_pdf_pages_without_text_layer_are_read_by_ocr():
    doc = pdf_reader.read(two_page_pdf(), "scan.pdf")
    assert doc.ocr and doc.pages == 2
    assert [(w.code, w.page, w.message) for w in doc.warnings] == [
        ("W101", 1, "page 1: no text layer, read by OCR"),
        ("W101", 2, "page 2: no text layer, read by OCR"),
    ]
    header = doc.blocks[0]
    assert header.kind == "table" and header.borderless and header.page == 1
    assert header.cell_at(0, 1).text.startswith("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    paras = paragraphs(doc)
    assert paras[0][0] == 1 and paras[0][1].startswith("Kính gửi:")
    assert paras[1][0] == 2 and paras[1][1].startswith("- Khoản 2 Điều 3 của Thông tư số 15/2026/TT-BCT")


def test_ocr_mode_never_keeps_the_warning_only_and_says_why():
    doc = pdf_reader.read(two_page_pdf(), "scan.pdf", ocr_mode="never")
    assert not doc.ocr and doc.blocks == [] and doc.text == ""
    assert [(w.code, w.message) for w in doc.warnings] == [
        ("W101", "page 1: no text layer (needs OCR; OCR is off, --ocr never)"),
        ("W101", "page 2: no text layer (needs OCR; OCR is off, --ocr never)"),
    ]


def test_the_process_default_mode_is_used_when_the_caller_gives_none(monkeypatch):
    monkeypatch.setattr(ocr, "OCR_MODE", "never")
    assert pdf_reader.read(two_page_pdf(), "scan.pdf").text == ""
    with pytest.raises(ValueError):
        pdf_reader.read(two_page_pdf(), "scan.pdf", ocr_mode="sometimes")


def test_a_failed_ocr_page_keeps_its_warning_with_the_reason(monkeypatch):
    def fail(image, dpi=ocr.DPI, orient=True, timeout=ocr.TIMEOUT):
        raise ocr.OcrError("tesseract timed out after 120 s")

    monkeypatch.setattr(ocr, "ocr_page", fail)
    doc = pdf_reader.read(two_page_pdf(), "scan.pdf")
    assert [w.message for w in doc.warnings] == [
        "page 1: no text layer (needs OCR; tesseract timed out after 120 s)",
        "page 2: no text layer (needs OCR; tesseract timed out after 120 s)",
    ]


def test_tesseract_missing_is_said_in_the_warning(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = pdf_reader.read(two_page_pdf(), "scan.pdf")
    assert (
        doc.warnings[0].message
        == "page 1: no text layer (needs OCR; tesseract and its Vietnamese model are not installed)"
    )


def test_ocr_mode_always_reads_a_digital_pdf_with_the_same_structure():
    path = Path(__file__).resolve().parent / "data" / "pdf" / "cv_two_pages.pdf"
    digital = pdf_reader.read(path.read_bytes(), path.name)
    scanned = pdf_reader.read(path.read_bytes(), path.name, ocr_mode="always")
    assert scanned.ocr and not digital.ocr
    assert [(b.kind, b.page) for b in scanned.blocks] == [(b.kind, b.page) for b in digital.blocks]
    from rapidfuzz.distance import Levenshtein

    assert Levenshtein.normalized_distance(scanned.text, digital.text) < 0.02
