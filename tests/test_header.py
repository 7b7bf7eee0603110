"""Header parsing, table-driven; every case is a real line of the corpus or seeds."""

import pytest

from vbextract.ingest import txt
from vbextract.lexicon import normal_case, province_name
from vbextract.model import DocBuilder, RawCell
from vbextract.structure.header import _parse_date, _parse_symbol, _split_bodies, extract_meta, type_line

# fmt: off
SYMBOLS = [  # text after "Số:" -> (number, symbol)
    ("179/KH-UBND", ("179", "179/KH-UBND")),                  # C:01
    ("5973 /UBND-KT", ("5973", "5973/UBND-KT")),              # C:38 space before "/"
    ("/KH-UBND", (None, "/KH-UBND")),                         # S:002 draft, blank number
    ("      /KH-UBND", (None, "/KH-UBND")),                   # C:37
    ("0134/KH-UBND", ("0134", "0134/KH-UBND")),               # C:14 leading zero kept
    ("252/KH-BCĐQG1237", ("252", "252/KH-BCĐQG1237")),        # C:53
    ("03/NQ-CP", ("03", "03/NQ-CP")),                         # C:59
    ("5155/SGDĐT-GDTXNNĐH", ("5155", "5155/SGDĐT-GDTXNNĐH")),  # C:35
    ("92/2009/TT- BTC", ("92", "92/2009/TT-BTC")),            # C:05 space inside
    ("522-KH/TU", ("522", "522-KH/TU")),                      # party symbol
    ("2820/QĐ-UBND   Thành phố Hồ Chí Minh, ngày 19", ("2820", "2820/QĐ-UBND")),
]
DATES = [
    ("Đồng Nai, ngày 18 tháng 11 năm 2025", "2025-11-18", "ngày 18 tháng 11 năm 2025"),
    ("Quảng Ninh, ngày tháng 12 năm 2025", None, "ngày tháng 12 năm 2025"),          # S:002
    ("Quảng Trị, ngày      tháng     năm 2024", None, "ngày tháng năm 2024"),        # S:003
    ("Lào Cai, ngày 06 tháng 4 năm 2026", "2026-04-06", "ngày 06 tháng 4 năm 2026"),
    ("TP. Hồ Chí Minh, ngày 28/11/2025", "2025-11-28", "ngày 28/11/2025"),
    ("Hà Nội, ngày 31 tháng 02 năm 2025", None, "ngày 31 tháng 02 năm 2025"),        # impossible day
    ("Hà Nội, ngày0} thángh năm 2026", None, "ngày0} thángh năm 2026"),                # C:48 OCR of a handwritten day
]
TYPE_LINES = [
    ("KẾ HOẠCH", ("KẾ HOẠCH", "")),
    ("QUYẾT ĐỊNH", ("QUYẾT ĐỊNH", "")),
    ("CHỈ THỊ", ("CHỈ THỊ", "")),
    ("CÔNG ĐIỆN", ("CÔNG ĐIỆN", "")),
    ("KẾ HOẠCH Triển khai Nghị quyết số 57-NQ/TW", ("KẾ HOẠCH", "Triển khai Nghị quyết số 57-NQ/TW")),
    ("Kế hoạch số 1407/KH-UBND ngày 16/10/2025", None),
    ("Kế hoạch này được triển khai", None),
]
BODIES = [
    (["ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG NAI"], ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"]),
    (["ỦY BAN NHÂN", "DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"]),   # C:22
    (["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"], ["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"]),              # C:42
    (["UBND TỈNH QUẢNG TRỊ", "VĂN PHÒNG"], ["UBND TỈNH QUẢNG TRỊ", "VĂN PHÒNG"]),
    (["BỘ CÔNG THƯƠNG"], ["BỘ CÔNG THƯƠNG"]),
]
CASING = [
    ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "Ủy ban nhân dân tỉnh Đồng Nai"),
    ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
    ("UBND TỈNH LÀO CAI", "UBND tỉnh Lào Cai"),
    ("Sở Tài chính", "Sở Tài chính"),
]
PROVINCES = [
    ("TỈNH ĐỒNG NAI", "Đồng Nai"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("TP. HCM", "Hồ Chí Minh"),
    ("Thanh Hoá", "Thanh Hóa"), ("Thừa Thiên Huế", "Huế"), ("Đắk Lắk", "Đắk Lắk"), ("Hà Giang", "Hà Giang"),
    ("Quận 1", None),
]
# fmt: on


@pytest.mark.parametrize("rest,expected", SYMBOLS)
def test_parse_symbol(rest, expected):
    assert _parse_symbol(rest) == expected


@pytest.mark.parametrize("line,iso,text", DATES)
def test_parse_date(line, iso, text):
    got_iso, got_text, _ = _parse_date(line)
    assert (got_iso, got_text) == (iso, text)


@pytest.mark.parametrize("line,expected", TYPE_LINES)
def test_type_line(line, expected):
    assert type_line(line) == expected


@pytest.mark.parametrize("lines,bodies", BODIES)
def test_split_issuer_bodies(lines, bodies):
    assert _split_bodies(lines) == bodies


@pytest.mark.parametrize("caps,expected", CASING)
def test_normal_case(caps, expected):
    assert normal_case(caps) == expected


@pytest.mark.parametrize("text,expected", PROVINCES)
def test_province_name(text, expected):
    assert province_name(text) == expected


def _meta_of_table_header(left: str, right: str, body: list[str]):
    b = DocBuilder("docx")
    b.table([RawCell(0, 0, left), RawCell(0, 1, right)], borderless=True)
    for p in body:
        b.paragraph(p)
    return extract_meta(b.build())[0]


def test_header_laid_out_as_table_with_parent_issuer():
    meta = _meta_of_table_header(
        "UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\n-------\nSố: /KH-SCT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLào Cai, ngày tháng 4 năm 2026",
        [
            "KẾ HOẠCH",
            "Kiểm tra cấp giấy chứng nhận huấn luyện kỹ thuật an toàn",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT, CN.",
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Hoàng Văn Thuân",
        ],
    )
    assert (meta.doc_type, meta.number, meta.symbol, meta.date, meta.date_text) == (
        "KH",
        None,
        "/KH-SCT",
        None,
        "ngày tháng 4 năm 2026",
    )
    assert meta.issuer.name == "Sở Công Thương" and meta.parent_issuer.name == "UBND tỉnh Lào Cai"
    assert (meta.place, meta.province) == ("Lào Cai", "Lào Cai")
    assert meta.title == "Kiểm tra cấp giấy chứng nhận huấn luyện kỹ thuật an toàn"
    assert (meta.signer.authority, meta.signer.position, meta.signer.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Hoàng Văn Thuân",
    )
    assert [r.text for r in meta.recipients] == ["Như trên"] and meta.recipients[0].unit is None


def test_cong_van_title_from_vv_and_addressees():
    meta = _meta_of_table_header(
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 5973 /UBND-KT\nV/v tăng cường công tác quản\nlý, thanh tra, kiểm tra hoạt động khoáng sản",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLào Cai, ngày 11 tháng 6 năm 2026",
        [
            "Kính gửi:",
            "- Công an tỉnh;",
            "- Ủy ban nhân dân các xã, phường.",
            "Thực hiện Văn bản số 4250/BNNMT-ĐCKS ngày 29/4/2026.",
        ],
    )
    assert (meta.doc_type, meta.doc_type_name, meta.symbol, meta.date) == (
        "CV",
        "Công văn",
        "5973/UBND-KT",
        "2026-06-11",
    )
    assert meta.title == "tăng cường công tác quản lý, thanh tra, kiểm tra hoạt động khoáng sản"
    assert [a.text for a in meta.addressees] == ["Công an tỉnh", "Ủy ban nhân dân các xã, phường"]
    assert meta.issuer.name == "Ủy ban nhân dân tỉnh Lào Cai" and meta.parent_issuer is None


def test_scan_with_unreadable_number_and_date():
    """C:48 read by OCR: the handwritten number and day are noise; the first body
    line starts with another date, which must not date the document; "V/v" still
    says công văn."""
    meta = _meta_of_table_header(
        "BỘ CÔNG THƯƠNG\nsẽ,2 6 ŸBCT-ATMT\nV/v triển khai thực hiện thủ tục cấp Giấy phép",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày0} thángh năm 2026",
        [
            "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố",
            "Ngày 25 tháng 3 năm 2026, Bộ Công Thương ban hành Thông tư số 15/2026/TT-BCT.",
        ],
    )
    assert (meta.doc_type, meta.symbol, meta.place, meta.date) == ("CV", None, "Hà Nội", None)
    assert meta.date_text == "ngày0} thángh năm 2026"


def test_date_from_signing_time_when_header_date_is_unreadable():
    b = DocBuilder("pdf")
    b.table(
        [
            RawCell(0, 0, "BỘ CÔNG THƯƠNG\nV/v triển khai"),
            RawCell(0, 1, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày thángh năm 2026"),
        ],
        borderless=True,
    )
    b.paragraph("Kính gửi: Ủy ban nhân dân các tỉnh, thành phố")
    b.paragraph(
        "Ký bởi: Bộ Công Thương Cơ quan: Bộ Công thương Thời gian ký: 02.04.2026 14:24:26 +07:00", style="stamp"
    )
    raw = b.build()
    meta = extract_meta(raw)[0]
    assert meta.date == "2026-04-02"
    assert [w.code for w in raw.warnings] == ["W202"]


def test_body_line_opening_with_a_date_does_not_date_the_document():
    meta = _meta_of_table_header(
        "BỘ CÔNG THƯƠNG\nSố: 12/BCT-ATMT\nV/v triển khai",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ["Ngày 25 tháng 3 năm 2026, Bộ Công Thương ban hành Thông tư số 15/2026/TT-BCT."],
    )
    assert (meta.date, meta.date_text) == (None, None)


def test_central_issuer_has_no_province():
    meta = _meta_of_table_header(
        "THỦ TƯỚNG CHÍNH PHỦ\n-------\nSố: 2623/QĐ-TTg",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 29 tháng 11 năm 2025",
        ["QUYẾT ĐỊNH", "Phê duyệt Đề án", "THỦ TƯỚNG CHÍNH PHỦ", "Căn cứ Luật Tổ chức Chính phủ;"],
    )
    assert meta.province is None and meta.place == "Hà Nội" and meta.title == "Phê duyệt Đề án"


def test_seed_without_header_block():
    raw = txt.read(
        "\n\nKẾ HOẠCH\n\nVề triển khai thực hiện Kế hoạch số 1407/KH-UBND ngày 16/10/2025 của UBND tỉnh\n\nThực hiện Kế hoạch số 1407/KH-UBND ngày 16/10/2025 của UBND tỉnh Quảng Trị, Văn phòng xây dựng kế hoạch:\n\nI. MỤC TIÊU\n\nNơi nhận:\n\n- UBND tỉnh (b/c);\n\nCHÁNH VĂN PHÒNG\n\n\n\nNguyễn Hoài Nam".encode(),
        "s.txt",
    )
    meta = extract_meta(raw)[0]
    assert meta.doc_type == "KH" and meta.symbol is None and meta.date is None
    assert meta.title.startswith("Về triển khai thực hiện Kế hoạch số 1407/KH-UBND")
    assert (meta.signer.position, meta.signer.name) == ("CHÁNH VĂN PHÒNG", "Nguyễn Hoài Nam")
    assert meta.recipients[0].unit.name == "UBND tỉnh"


@pytest.mark.parametrize(
    "number, vv, expected",
    [
        ("Số: 5467/CT-CS", "V/v chính sách thu tiền thuê đất", "CV"),  # CT is Cục Thuế here: the V/v makes a letter
        ("Số: 12/CT-UBND", None, "CT"),  # no V/v: the code says Chỉ thị
        ("Số: 5973/UBND-KT", "V/v tăng cường quản lý", "CV"),
    ],
)
def test_type_without_a_type_line_from_vv_then_code(number, vv, expected):
    left = "CỤC THUẾ\n" + number + (f"\n{vv}" if vv else "")
    meta = _meta_of_table_header(
        left,
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 1 tháng 12 năm 2025",
        ["Kính gửi: Thuế tỉnh Gia Lai", "Cục Thuế nhận được văn bản."],
    )
    assert meta.doc_type == expected
