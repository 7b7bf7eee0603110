"""Plain text: encodings, TAB tables (page-split merge, continuation rows,
vertical merges), layout text.  Table rows are real lines of seed 003/004."""

import pytest

from vbextract import errors
from vbextract.ingest import txt

HDR = "TT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả/Sản phẩm\tChủ trì\tPhối hợp\tThời gian\tKinh phí"
ROW3 = "3\tTriển khai Chỉ thị số 05-CT/TU ngày 11/12/2023 của Ban Thường vụ Tỉnh\tXác định trách nhiệm, nhiệm vụ cụ thể\tXây dựng Kế hoạch thực hiện. Tổ chức kiểm tra\tKế hoạch, công văn, Hội nghị quán triệt\tCác sở ban ngành\tSở Nội vụ, Sở Kế hoạch và Đầu tư, Sở Thông tin và\tCả năm 2025\t"
CONT = "\tỦy; các Nghị quyết 01, 02, 03 của BCS đảng UBND tỉnh về công tác CCHC, nâng cao năng lực cạnh tranh cấp tỉnh\t\t\t\t\tTruyền thông, Văn phòng UBND tỉnh\t\t"
ROW_A = "1\tBan hành văn bản quy phạm pháp luật (QPPL) của HĐND và UBND\tBan hành văn bản quy phạm pháp luật (QPPL) của HĐND và UBND\tLập đề nghị xây dựng Nghị quyết, Quyết định\tTờ trình, Nghị quyết, Quyết định\tSở, ban, ngành cấp tỉnh\tSở Tư pháp\tCả năm 2025\tThường xuyên"
ROW_B = "\t\t\tSoạn thảo, lấy ý kiến dự thảo Nghị quyết, Quyết định\tCông văn\tCơ quan soạn thảo văn bản QPPL\tCác sở, ban, ngành cấp tỉnh; UBND cấp huyện\tCả năm 2025\tThường xuyên"


def read(text: str, enc: str = "utf-8"):
    return txt.read(text.encode(enc), "t.txt")


def table(raw):
    (t,) = raw.tables
    return t


def cell(t, r, c):
    return t.cell_at(r, c).text


def test_page_split_row_is_joined_and_header_dropped():
    raw = read("\n".join(["Bảng", HDR, ROW3, "", HDR, CONT]))
    t = table(raw)
    assert t.n_rows == 2 and t.n_cols == 9
    assert cell(t, 1, 1).endswith(
        "Ban Thường vụ Tỉnh\nỦy; các Nghị quyết 01, 02, 03 của BCS đảng UBND tỉnh về công tác CCHC, nâng cao năng lực cạnh tranh cấp tỉnh"
    )
    assert cell(t, 1, 6) == "Sở Nội vụ, Sở Kế hoạch và Đầu tư, Sở Thông tin và\nTruyền thông, Văn phòng UBND tỉnh"


def test_row_with_empty_leading_cells_shares_them_by_rowspan():
    t = table(read("\n".join([HDR, ROW_A, ROW_B])))
    assert t.n_rows == 3
    for col in (0, 1, 2):
        c = t.cell_at(2, col)
        assert c.row == 1 and c.rowspan == 2
    assert cell(t, 2, 3) == "Soạn thảo, lấy ý kiến dự thảo Nghị quyết, Quyết định"


def test_new_activity_after_page_break_is_a_new_row():
    row_c = "\t\t\tCông bố danh mục văn bản QPPL do HĐND, UBND tỉnh ban hành hết hiệu lực, ngưng hiệu lực\tQuyết định\tSở Tư pháp, UBND cấp huyện\tSở, ban, ngành cấp tỉnh\tTrước 31/01/2025\t"
    t = table(read("\n".join([HDR, ROW_A, ROW_B, "", HDR, row_c])))
    assert t.n_rows == 4 and t.cell_at(3, 0).row == 1


def test_two_row_header_with_merged_cell():
    t = table(read("Chỉ số\tXếp hạng\t\n\tNăm 2023\tNăm 2024\nCSTP 8: Chính sách hỗ trợ doanh nghiệp\t32\t≤ 25"))
    assert t.cell_at(1, 0).text == "Chỉ số" and t.cell_at(0, 0).rowspan == 2


def test_html_paragraphs_in_cells_become_lines():
    t = table(read("TT\tNội dung\n1\t<p>Ứng dụng CNTT.</p> <p>Đẩy mạnh tuyên truyền.</p>"))
    assert cell(t, 1, 1) == "Ứng dụng CNTT.\nĐẩy mạnh tuyên truyền."


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings(enc):
    raw = read("KẾ HOẠCH\nCải cách hành chính", enc)
    assert raw.text == "KẾ HOẠCH\nCải cách hành chính"


def test_windows_1258_is_decoded_with_a_warning():
    raw = txt.read("Kê\u0301 hoa\u0323ch".encode("cp1258"), "t.txt")  # cp1258 stores tones as combining marks
    assert raw.text == "Kế hoạch"
    assert [w.code for w in raw.warnings] == [errors.W_LEGACY_ENCODING]


def test_tcvn3_font_text_is_reported():
    raw = read("Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc")
    assert errors.W_LEGACY_FONT in [w.code for w in raw.warnings]


LAYOUT = """   ỦY BAN NHÂN DÂN                             CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
     TỈNH LÀO CAI                                         Độc lập - Tự do - Hạnh phúc

     Số: 5973 /UBND-KT                                Lào Cai, ngày 11 tháng 6 năm 2026
V/v tăng cường công tác quản
 lý, thanh tra, kiểm tra hoạt

      Thực hiện Văn bản số 4250/BNNMT-ĐCKS ngày 29/4/2026 của Bộ
Nông nghiệp và Môi trường về việc tăng cường thanh tra.
        1. Trách nhiệm chung của các cơ quan, đơn vị
\f2
doanh vật liệu xây dựng.
"""


def test_layout_text_header_becomes_two_column_table():
    raw = read(LAYOUT)
    t = raw.tables[0]
    assert t.borderless and t.n_cols == 2
    assert t.cell_at(0, 0).text.startswith("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 5973 /UBND-KT")
    assert t.cell_at(0, 1).text.splitlines()[-1] == "Lào Cai, ngày 11 tháng 6 năm 2026"
    paras = [raw.text[b.start : b.end] for b in raw.blocks if b.kind == "paragraph"]
    assert paras[0].endswith("của Bộ Nông nghiệp và Môi trường về việc tăng cường thanh tra.")
    assert paras[1] == "1. Trách nhiệm chung của các cơ quan, đơn vị doanh vật liệu xây dựng."
    assert raw.pages == 2


def test_empty_text_is_an_error():
    with pytest.raises(errors.EmptyFile):
        read("  \n\n ")


def test_paragraph_cut_by_a_page_break_is_joined():
    # seed 002, lines 90-92: the second part starts in lower case after a blank line
    raw = read(
        "3.1. Xây dựng chính quyền phục vụ, đồng hành,\n\nđôi tác tin cậy, bình đẳng giữa chính quyền và doanh nghiệp.\n\n3.2. Các nội dung"
    )
    paras = [raw.text[b.start : b.end] for b in raw.blocks]
    assert paras == [
        "3.1. Xây dựng chính quyền phục vụ, đồng hành, đôi tác tin cậy, bình đẳng giữa chính quyền và doanh nghiệp.",
        "3.2. Các nội dung",
    ]
