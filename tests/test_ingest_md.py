"""Markdown reader: wrapped lines, emphasis, flattened and pipe tables,
website boilerplate, letters split by spaces.  Every snippet is copied from a
corpus file (shared/corpus/NN_*), named in the case id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from vbextract import errors
from vbextract.data import data_path
from vbextract.ingest import md
from vbextract.ingest.boilerplate import load_boilerplate

DATA = Path(__file__).parent / "data" / "md"


def read(text: str):
    return md.read(text.encode("utf-8"), "t.md")


def paragraphs(raw) -> list[tuple[str, str | None]]:
    return [(raw.text[b.start : b.end], b.style) for b in raw.blocks if b.kind == "paragraph"]


def grid(table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows()]


# --- paragraphs ---------------------------------------------------------------------------
# (case, markdown, expected paragraphs as (text, style))
PARAGRAPH_CASES = [
    (
        "02 blank-line crawl: citation wrapped after 'số'",
        "*Căn cứ Nghị quyết số\n57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công\n"
        "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;*\n\n*Căn cứ Nghị quyết số\n71/NQ-CP ngày 01/4/2025 "
        "sửa đổi, bổ sung cập nhật Chương trình hành động của Chính phủ;*\n",
        [
            (
                "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
                "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
                "italic",
            ),
            (
                "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 sửa đổi, bổ sung cập nhật Chương trình hành động "
                "của Chính phủ;",
                "italic",
            ),
        ],
    ),
    (
        "05 no blank lines: numbered items not glued, bold headings",
        "**II. NỘI DUNG**\n1. Kiện toàn và hoàn thiện cơ chế chỉ đạo, điều\nhành phòng thủ dân sự.\n"
        "2. Triển khai thực hiện các văn bản hướng dẫn thi\nhành Nghị định quy định chi tiết một số điều của Luật "
        "Phòng thủ dân sự.\n7. Diễn tập phòng thủ dân sự.\n*(Chi tiết Danh mục nhiệm vụ tại Phụ lục kèm\ntheo)*\n"
        "**III. NGUỒN KINH PHÍ THỰC HIỆN**\n",
        [
            ("II. NỘI DUNG", "bold"),
            ("1. Kiện toàn và hoàn thiện cơ chế chỉ đạo, điều hành phòng thủ dân sự.", None),
            (
                "2. Triển khai thực hiện các văn bản hướng dẫn thi hành Nghị định quy định chi tiết một số điều "
                "của Luật Phòng thủ dân sự.",
                None,
            ),
            ("7. Diễn tập phòng thủ dân sự.", None),
            ("(Chi tiết Danh mục nhiệm vụ tại Phụ lục kèm theo)", "italic"),
            ("III. NGUỒN KINH PHÍ THỰC HIỆN", "bold"),
        ],
    ),
    (
        "05 title: capitals wrapped after the first word, then the body",
        "**KẾ HOẠCH**\nTHỰC\nHIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ BAN HÀNH\n"
        "KẾ HOẠCH TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT\nPHÒNG THỦ DÂN SỰ\n"
        "Thực hiện Quyết định số 1899/QĐ-TTg ngày 04/9/2025\ncủa Thủ tướng Chính phủ ban hành Kế hoạch triển khai "
        "thi hành Nghị định số\n200/2025/NĐ-CP ngày 09/7/2025 của Chính phủ.\n",
        [
            ("KẾ HOẠCH", "bold"),
            (
                "THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025 CỦA THỦ TƯỚNG CHÍNH PHỦ BAN HÀNH KẾ HOẠCH "
                "TRIỂN KHAI THI HÀNH NGHỊ ĐỊNH QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT PHÒNG THỦ DÂN SỰ",
                None,
            ),
            (
                "Thực hiện Quyết định số 1899/QĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ ban hành Kế hoạch "
                "triển khai thi hành Nghị định số 200/2025/NĐ-CP ngày 09/7/2025 của Chính phủ.",
                None,
            ),
        ],
    ),
    (
        "34 no blank lines: a short heading item, then its first line",
        "1.1. Giao Sở Nông nghiệp\nvà Môi trường\nKhẩn trương chia sẻ toàn\nbộ cơ sở dữ liệu đất đai đã được "
        "cập nhật, cùng các tờ bản đồ địa chính có\nthông tin địa chỉ.\n1.2. Giao Công an Thành\nphố\n"
        "Chỉ đạo Công an các\nphường, xã, đặc khu phối hợp và hướng dẫn Ủy ban nhân dân các phường, xã, đặc\n"
        "khu trong công tác rà soát.\n",
        [
            ("1.1. Giao Sở Nông nghiệp và Môi trường", None),
            (
                "Khẩn trương chia sẻ toàn bộ cơ sở dữ liệu đất đai đã được cập nhật, cùng các tờ bản đồ địa chính "
                "có thông tin địa chỉ.",
                None,
            ),
            ("1.2. Giao Công an Thành phố", None),
            (
                "Chỉ đạo Công an các phường, xã, đặc khu phối hợp và hướng dẫn Ủy ban nhân dân các phường, xã, "
                "đặc khu trong công tác rà soát.",
                None,
            ),
        ],
    ),
    (
        "27 bold article number inside the paragraph",
        "**Điều 2. **Quyết định này có\nhiệu lực kể từ ngày ký và thay thế Quyết định số 942/QĐ-TTg ngày 15 "
        "tháng 6 năm\n2021 của Thủ tướng Chính phủ.\n**Điều 3. **Bộ trưởng, Thủ\ntrưởng cơ quan ngang bộ chịu "
        "trách nhiệm thi hành Quyết định này./.\n",
        [
            (
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 942/QĐ-TTg ngày 15 "
                "tháng 6 năm 2021 của Thủ tướng Chính phủ.",
                None,
            ),
            ("Điều 3. Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Quyết định này./.", None),
        ],
    ),
    (
        "02 stray blank line in mid-sentence",
        "- Ưu tiên dịch vụ công trực tuyến\ntoàn trình, bảo đảm phục vụ người dân -\n\ndoanh nghiệp nhanh hơn, "
        "minh bạch\nhơn, chính xác hơn.\n\n- Tăng cường kết nối.\n",
        [
            (
                "- Ưu tiên dịch vụ công trực tuyến toàn trình, bảo đảm phục vụ người dân - doanh nghiệp nhanh hơn, "
                "minh bạch hơn, chính xác hơn.",
                None,
            ),
            ("- Tăng cường kết nối.", None),
        ],
    ),
    (
        "59 ordinary Markdown: headings, list items, hard breaks, indented continuation",
        "# NGHỊ QUYẾT\n## Ban hành Chương trình hành động của Chính phủ\n\n*Nơi nhận:*\n- Văn phòng Quốc hội;\n"
        "- VPCP: BTCN, các PCN, Trợ lý TTg,\n  các Vụ, Cục, đơn vị trực thuộc, Công báo;\n- Lưu: VT, KGVX (2b).\n\n"
        "TM. CHÍNH PHỦ  \nKT. THỦ TƯỚNG  \nPHÓ THỦ TƯỚNG  \n",
        [
            ("NGHỊ QUYẾT", "heading"),
            ("Ban hành Chương trình hành động của Chính phủ", "heading"),
            ("Nơi nhận:", "italic"),
            ("- Văn phòng Quốc hội;", None),
            ("- VPCP: BTCN, các PCN, Trợ lý TTg, các Vụ, Cục, đơn vị trực thuộc, Công báo;", None),
            ("- Lưu: VT, KGVX (2b).", None),
            ("TM. CHÍNH PHỦ", None),
            ("KT. THỦ TƯỚNG", None),
            ("PHÓ THỦ TƯỚNG", None),
        ],
    ),
]


@pytest.mark.parametrize("case,text,expected", PARAGRAPH_CASES, ids=[c[0] for c in PARAGRAPH_CASES])
def test_paragraphs(case, text, expected):
    assert paragraphs(read(text)) == expected


@pytest.mark.parametrize(
    "raw,text,bold,italic",
    [
        ("**TM. ỦY BAN NHÂN\nDÂN **", "TM. ỦY BAN NHÂN\nDÂN ", True, False),
        ("*(sau đây gọi tắt là Chương trình)*", "(sau đây gọi tắt là Chương trình)", False, True),
        ("trong **tháng 11 năm 2025**, cụ thể:", "trong tháng 11 năm 2025, cụ thể:", False, False),
        ("**THỦ TƯỚNG CHÍNH PHỦ ***điện:*", "THỦ TƯỚNG CHÍNH PHỦ điện:", False, False),
        ("__5.2. Các chuyên đề đã__ Giáo dục", "5.2. Các chuyên đề đã Giáo dục", False, False),
        ("- Lưu: VT, PVHCC (B_04b).", "- Lưu: VT, PVHCC (B_04b).", False, False),
        ("* Lưu ý: Đối với các vụ lộ, mất BMNN", "* Lưu ý: Đối với các vụ lộ, mất BMNN", False, False),
    ],
)
def test_strip_inline(raw, text, bold, italic):
    assert md.strip_inline(raw) == (text, bold, italic)


# --- flattened tables ------------------------------------------------------------------------
HEADER_01 = """|
**ỦY BAN NHÂN DÂN**
TỈNH ĐỒNG NAI
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 179/KH-UBND
|
*Đồng Nai, ngày 18
tháng 11 năm 2025*
|

** **

**KẾ HOẠCH**
"""

TASKS_01 = """|
**STT**
|
**Nhiệm vụ, giải
pháp**
|
**Đơn vị thực hiện**
|
**Đơn vị phối hợp**
|
**Thời gian thực
hiện**
|
**Sản phẩm đầu ra**
|
|
**A**
|
**PHÁT TRIỂN NỀN MÓNG CHO
KINH TẾ SỐ VÀ XÃ HỘI SỐ**
|
|
**I**
|
**Hoàn thiện thể chế**
|
|
1.1
|
Rà soát, xây dựng, sửa đổi, bổ sung các quy định pháp
luật cho phù hợp với sự phát triển kinh tế số, xã hội số của tỉnh
|
Sở Tư pháp
|
Các sở, ban, ngành; UBND các phường, xã
|
2026 - 2030
|
Các cơ chế, chính sách; các văn bản quy phạm pháp
luật
|
|
**II**
|
**Phát triển hạ tầng**
|
|
2.1
|
Triển khai hạ tầng số và hạ tầng bưu chính
|
Sở Khoa học và Công nghệ
|
Các sở, ban, ngành; UBND các phường, xã; Các
doanh nghiệp cung cấp dịch vụ bưu chính
|
2026 - 2030
|
Chiến lược và Kế hoạch
|

*(Kèm theo Phụ lục)*
"""


def test_header_layout_table_01():
    raw = read(HEADER_01)
    t = raw.tables[0]
    assert t.borderless and (t.n_rows, t.n_cols) == (2, 2)
    assert grid(t) == [
        ["ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 179/KH-UBND", "Đồng Nai, ngày 18 tháng 11 năm 2025"],
    ]
    assert paragraphs(raw) == [("KẾ HOẠCH", "bold")]


def test_flattened_task_table_01():
    raw = read(TASKS_01)
    (t,) = raw.tables
    assert not t.borderless and (t.n_rows, t.n_cols) == (6, 6)
    rows = grid(t)
    assert rows[0] == [
        "STT",
        "Nhiệm vụ, giải pháp",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
        "Sản phẩm đầu ra",
    ]
    assert rows[1] == ["A", "PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ"]
    assert t.cell_at(1, 5).text == rows[1][1] and t.cell_at(2, 1).colspan == 5  # group rows span
    assert rows[3] == [
        "1.1",
        "Rà soát, xây dựng, sửa đổi, bổ sung các quy định pháp luật cho phù hợp với sự "
        "phát triển kinh tế số, xã hội số của tỉnh",
        "Sở Tư pháp",
        "Các sở, ban, ngành; UBND các phường, xã",
        "2026 - 2030",
        "Các cơ chế, chính sách; các văn bản quy phạm pháp luật",
    ]
    assert rows[5][3] == "Các sở, ban, ngành; UBND các phường, xã; Các doanh nghiệp cung cấp dịch vụ bưu chính"
    assert paragraphs(raw) == [("(Kèm theo Phụ lục)", "italic")]


# 30: empty cells are empty segments too ("31/10/2025" then two empty cells);
# the table has no blank line after it.
TASKS_30 = """**1. Các nhiệm vụ quá hạn chưa hoàn thành**
|
**STT**
|
**Tên nhiệm vụ**
|
**Đơn vị chủ trì**
|
**Thời hạn**
|
**Kết quả thực hiện**
|
**Tiến độ**
|
|
39
|
Khẩn trương ban hành các văn bản theo thẩm quyền
|
Ủy ban nhân dân các tỉnh, thành phố
|
31/10/2025
|
|
|
|
40
|
Lựa chọn một hệ thống thông tin giải quyết thủ tục
hành chính dùng chung
|
Ủy ban nhân dân các tỉnh, thành phố
|
15/10/2025
|
Có 34/34 địa phương hoàn thành
|
Đã hoàn thành
|
** **
[1]
Tuyên Quang, Cao Bằng, Sơn La
"""


def test_crawl_without_blank_lines_empty_cells_and_table_end_30():
    raw = read(TASKS_30)
    (t,) = raw.tables
    assert (t.n_rows, t.n_cols) == (3, 6)
    assert grid(t)[1] == [
        "39",
        "Khẩn trương ban hành các văn bản theo thẩm quyền",
        "Ủy ban nhân dân các tỉnh, thành phố",
        "31/10/2025",
        "",
        "",
    ]
    assert grid(t)[2][5] == "Đã hoàn thành"
    assert paragraphs(raw)[-1] == ("[1] Tuyên Quang, Cao Bằng, Sơn La", None)


# 36: header with a third "Kính gửi" row, body without blank lines, signature.
CV_36 = """|
**VĂN PHÒNG CHÍNH
PHỦ**
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 11414/VPCP-CN
*V/v đẩy nhanh tiến độ Dự án đường cao tốc
Bến Lức - Long Thành*
|
*Hà Nội, ngày 20
tháng 11 năm 2025*
|
|
**Kính gửi:**
|
- Bộ trưởng Bộ Xây dựng;
- Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai.
|
Xét đề nghị của Bộ Xây dựng tại văn bản số
308/BC-BXD ngày 13 tháng 11 năm 2025, Phó Thủ tướng Chính phủ Hồ Đức Phớc
có ý kiến như sau:
Văn phòng Chính phủ xin thông báo để Bộ Xây dựng và
các cơ quan liên quan biết, thực hiện./.
|
Nơi nhận:
- Như trên;
- VPCP: BTCN, PCN Nguyễn Sỹ Hiệp,
PCN Phạm Mạnh Cường,
Trợ lý TTg, TGĐ Cổng TTĐT;
- Lưu: VT, CN (2). Ha
|
**KT. BỘ TRƯỞNG,
CHỦ NHIỆM**
PHÓ CHỦ NHIỆM
Phạm Mạnh Cường
|
** **
"""


def test_header_kinh_gui_body_signature_36():
    raw = read(CV_36)
    kinds = [b.kind for b in raw.blocks]
    assert kinds == ["table", "paragraph", "paragraph", "table"]
    head, sign = raw.tables
    assert head.borderless and grid(head) == [
        ["VĂN PHÒNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        [
            "Số: 11414/VPCP-CN\nV/v đẩy nhanh tiến độ Dự án đường cao tốc Bến Lức - Long Thành",
            "Hà Nội, ngày 20 tháng 11 năm 2025",
        ],
        ["Kính gửi:", "- Bộ trưởng Bộ Xây dựng;\n- Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai."],
    ]
    assert sign.borderless and grid(sign) == [
        [
            "Nơi nhận:\n- Như trên;\n- VPCP: BTCN, PCN Nguyễn Sỹ Hiệp, PCN Phạm Mạnh Cường, Trợ lý TTg, TGĐ Cổng TTĐT;"
            "\n- Lưu: VT, CN (2). Ha",
            "KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nPhạm Mạnh Cường",
        ]
    ]


# 31: appendix table whose data rows are wider than its first header row,
# and a second table right below the first (no text between them).
TWO_LEVEL_31 = """|
**STT**
|
**Bộ, cơ quan**
|
**Tình hình thực
thi**
|
**Văn bản cần sửa
đổi, bổ sung theo phương án năm 2025**
|
|
**Tổng**
|
*Luật*
|
*Nghị định*
|
|
1
|
Bộ Công an
|
Tổng
|
7
|
0
|
3
|
|
Đã thực thi
|
0
|
0
|
0
|
|
**STT**
|
**Địa phương**
|
|
1.
|
Tp Đà Nẵng
|
[6] Trong đó có 06 địa phương
"""


def test_two_level_header_rowspan_and_back_to_back_tables_31():
    raw = read(TWO_LEVEL_31)
    first, second = raw.tables
    assert (first.n_rows, first.n_cols) == (4, 6)
    assert first.cell_at(1, 0).text == "STT" and first.cell_at(0, 0).rowspan == 2
    assert first.cell_at(1, 3).text == "Tổng"  # sub-header under the last heading
    assert first.cell_at(3, 2).text == "Đã thực thi" and first.cell_at(3, 0).text == "1"
    assert grid(second) == [["STT", "Địa phương"], ["1.", "Tp Đà Nẵng"]]
    assert paragraphs(raw) == [("[6] Trong đó có 06 địa phương", None)]


# --- pipe tables -------------------------------------------------------------------------------
PIPE_50 = """| BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG  ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  --------------- |
| --- | --- |
| Số: 09/KH-BTNMT | *Hà Nội, ngày 06 tháng 8 năm 2024* |
KẾ HOẠCH
| *Nơi nhận:* - Bộ trưởng (để báo cáo); - Các Thứ trưởng; - Lưu VT, VP(TH), BĐKH. | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Lê Công Thành |
| --- | --- |
PHỤ LỤC
| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện/ hoàn thành |
| --- | --- | --- | --- | --- |
| 1. | Hoàn thiện dự thảo Nghị định sửa đổi, bổ sung một số điều của Nghị định số 06/2022/NĐ-CP để trình Chính phủ. | Cục Biến đổi khí hậu | Vụ Pháp chế và các đơn vị có liên quan thuộc Bộ | Tháng 8/2024 |
| **VII.** | Tăng cường hợp tác quốc tế |  |   |   |
"""


def test_pipe_tables_50():
    raw = read(PIPE_50)
    head, sign, tasks = raw.tables
    assert head.borderless and grid(head) == [
        ["BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 09/KH-BTNMT", "Hà Nội, ngày 06 tháng 8 năm 2024"],
    ]
    assert sign.borderless and grid(sign) == [
        [
            "Nơi nhận:\n- Bộ trưởng (để báo cáo);\n- Các Thứ trưởng;\n- Lưu VT, VP(TH), BĐKH.",
            "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nLê Công Thành",
        ]
    ]
    assert not tasks.borderless and (tasks.n_rows, tasks.n_cols) == (3, 5)
    assert grid(tasks)[1][2] == "Cục Biến đổi khí hậu" and grid(tasks)[2][:2] == ["VII.", "Tăng cường hợp tác quốc tế"]
    assert paragraphs(raw) == [("KẾ HOẠCH", None), ("PHỤ LỤC", None)]


# 51: the appendix has a Markdown header row, then one cell per line; the
# fifth heading and the rest of row c) (after a page break) come loose.
FLAT_ROWS_51 = """| TT | Nội dung hoạt động | Cơ quan chủ trì | Cơ quan phối hợp |
| --- | --- | --- | --- |
Thời gian thực hiện
1
Tổ chức tuyên truyền, phổ biến, hướng dẫn triển khai thực hiện Nghị định
a)
Tổ chức Hội nghị phổ biến, triển khai Nghị định đến các cơ quan, tổ chức về lâm nghiệp ở trung ương, địa phương.
Cục Lâm nghiệp và Kiểm lâm
Vụ Pháp chế; các cơ quan, đơn vị có liên quan
Quý III, IV/2026
c)
Xây dựng tiêu chuẩn các-bon rừng quốc gia và hướng dẫn xây dựng, đăng ký dự án các-bon rừng; đo đạc, báo cáo, thẩm định
Viện Khoa học lâm nghiệp Việt Nam, Cục
Vụ Khoa học và Công nghệ; các cơ quan, đơn vị có liên quan
Quý IV/2026, 2027
kết quả giảm phát thải; cấp tín chỉ các-bon rừng, xác nhận kết quả giảm phát thải, tín chỉ các-bon rừng được cung ứng.
Lâm nghiệp và Kiểm lâm
"""


def test_markdown_header_then_flattened_rows_51():
    (t,) = read(FLAT_ROWS_51).tables
    rows = grid(t)
    assert (t.n_rows, t.n_cols) == (4, 5)
    assert rows[0][4] == "Thời gian thực hiện"
    assert rows[1] == ["1", "Tổ chức tuyên truyền, phổ biến, hướng dẫn triển khai thực hiện Nghị định"]
    assert rows[2][4] == "Quý III, IV/2026"
    assert rows[3][1].endswith(
        "thẩm định kết quả giảm phát thải; cấp tín chỉ các-bon rừng, xác nhận kết quả "
        "giảm phát thải, tín chỉ các-bon rừng được cung ứng."
    )
    assert rows[3][2] == "Viện Khoa học lâm nghiệp Việt Nam, Cục Lâm nghiệp và Kiểm lâm"


# --- boilerplate ---------------------------------------------------------------------------------
def test_boilerplate_cut_at_start_and_end_05():
    raw = md.read((DATA / "05_KH_980-KH-UBND_Nghe-An_2025.md").read_bytes(), "05.md")
    (w,) = [w for w in raw.warnings if w.code == errors.W_BOILERPLATE]
    assert w.message == "removed 204 lines of website boilerplate (60 before the document, 144 after it)"
    for chrome in (
        "THƯ VIỆN PHÁP LUẬT",
        "Số hiệu",
        "Đang tải",
        "Tiếng Anh",
        "Văn bản liên quan",
        "Đăng xuất",
        "Thưa Quý khách",
        "FILE ĐƯỢC ĐÍNH KÈM",
    ):
        assert chrome not in raw.text
    head, sign, tasks = raw.tables
    assert raw.blocks[0] is head and head.borderless
    assert grid(head)[0][0] == "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN"  # the issuer cell before the motto is kept
    assert grid(head)[1] == ["Số: 980/KH-UBND", "Nghệ An, ngày 18 tháng 11 năm 2025"]
    assert sign.borderless and grid(sign)[0][1] == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Đệ"
    # the appendix after the signature is part of the document, up to its last cell
    assert ("PHỤ LỤC", "bold") in paragraphs(raw)
    assert (tasks.n_rows, tasks.n_cols) == (24, 6) and not tasks.borderless
    dots = next(c for c in tasks.cells if c.text.startswith("…"))  # rows the crawl skipped
    assert (dots.col, dots.colspan) == (0, 6)
    assert raw.blocks[-1] is tasks and tasks.cells[-1].text == "Quyết định của Giám đốc Sở NN&MT"


def test_without_a_motto_only_known_chrome_is_cut_05():
    text = (DATA / "05_KH_980-KH-UBND_Nghe-An_2025.md").read_text(encoding="utf-8")
    text = text.replace("**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**", "**XXX**")
    raw = read(text)
    assert raw.text.startswith("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\tXXX")
    assert "Tình trạng" not in raw.text and "Đã biết" not in raw.text


def test_dataset_source_and_title_lines_are_cut_53():
    text = (
        "*Source: https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Ke-hoach-252-KH-BCDQG1237-nam-2013.aspx*\n\n"
        "# Về việc phê duyệt Đề án tìm kiếm, quy tập hài cốt liệt sĩ\n\n"
        "| BAN CHỈ ĐẠO QUỐC GIA VỀ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc --------------- |\n|---|---|\n"
        "| Số: 252/KH-BCĐQG1237 | Hà Nội, ngày 11 tháng 11 năm 2013 |\n\nKẾ HOẠCH\n"
    )
    raw = read(text)
    assert raw.text.startswith("BAN CHỈ ĐẠO QUỐC GIA VỀ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ\tCỘNG HÒA XÃ HỘI")
    assert "Source" not in raw.text and "phê duyệt Đề án" not in raw.text
    assert [w.message for w in raw.warnings] == [
        "removed 2 lines of website boilerplate (2 before the document, 0 after it)"
    ]


def test_no_boilerplate_no_warning_59():
    raw = read("# CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  \nĐộc lập - Tự do - Hạnh phúc\n\nSố: 03/NQ-CP  \n")
    assert raw.warnings == []
    assert paragraphs(raw)[:2] == [("CHÍNH PHỦ", "heading"), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "heading")]


def test_boilerplate_yaml_loads_and_every_pattern_compiles():
    doc = yaml.safe_load(data_path("boilerplate.yaml").read_text(encoding="utf-8"))
    assert set(doc) == {"doc_start", "head", "tail"}
    bp = load_boilerplate()
    entries = bp.doc_start + bp.head + bp.tail
    assert len(entries) == sum(len(v) for v in doc.values()) >= 20
    for e in entries:
        assert e.why.strip()
        re.compile(e.pattern)
        if e.before_if:
            re.compile(e.before_if)
    assert any(p.regex.search("Văn bản này chưa cập nhật nội dung Tiếng Anh") for p in bp.tail)
    assert any(p.regex.search("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM") for p in bp.doc_start)


# --- letters split by spaces ----------------------------------------------------------------------
def test_split_letters_rejoined_55():
    text = (
        "| ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Độc lập - Tự do - Hạnh phúc --------------- |\n|---|---|\n"
        "| Số: 3210/QĐ - U B ND | T hành phố Hồ Chí M inh, ngày 28 tháng 6 năm 2014 |\n\n"
        "| Nơi nhận: - Như Điều 3; - T hủ tướ ng C h í nh ph ủ ; - B ộ X â y d ự n g ; | "
        "KT. CHỦ TỊ CH P HÓ CHỦ T Ị CH Ngu y ễn Hữu Tín |\n|---|---|\n"
    )
    raw = read(text)
    head, sign = raw.tables
    assert grid(head) == [
        ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 3210/QĐ - UBND", "Thành phố Hồ Chí Minh, ngày 28 tháng 6 năm 2014"],
    ]
    assert grid(sign)[0][1] == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Hữu Tín"
    assert "- Thủ tướng Chính phủ ;" in grid(sign)[0][0]
    (w,) = [w for w in raw.warnings if w.code == errors.W_SPLIT_LETTERS]
    assert w.message.startswith("rejoined ")


def test_clean_text_is_not_rejoined():
    lines = [
        "Số: 179/KH-UBND",
        "I. MỤC TIÊU",
        "a) Mục tiêu chung",
        "- Lưu: VT, KTNS, KTN, KGVX (Ch-CĐS15).",
        "Phụ lục A và B",
        "nhà ở cho người có công",
    ]
    assert md.rejoin_split_letters(lines) == (lines, 0)


# --- decoding ------------------------------------------------------------------------------------
def test_bom_is_dropped_and_bad_bytes_warn():
    raw = md.read("\ufeffKẾ HOẠCH\n".encode("utf-8"), "t.md")
    assert raw.text == "KẾ HOẠCH" and raw.warnings == []
    raw = md.read(b"K\xff HO\xc1CH\n", "t.md")
    assert raw.text == "K\ufffd HO\ufffdCH"
    assert [w.code for w in raw.warnings] == [errors.W_LEGACY_ENCODING]


def test_markdown_has_no_pages():
    raw = read(HEADER_01 + "\n" + TASKS_01)
    assert raw.pages is None
    assert all(b.page is None for b in raw.blocks)
    assert all(c.page is None for t in raw.tables for c in t.cells)


def test_a_motto_wrapped_after_its_third_word_starts_the_document():  # wild: a decision with a form attached
    text = (
        "Trang chủ\n\n|\n**KIỂM TOÁN NHÀ\nNƯỚC**\n-------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 1760/QĐ-KTNN\n|\n\n**QUYẾT ĐỊNH**\n\nBan hành Quy định\n\n"
        "Điều 1. Nội dung.\n\n- Quốc hiệu: Dòng trên ghi “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”;\n"
    )
    raw = read(text)
    assert raw.text.startswith("KIỂM TOÁN NHÀ") and "Số: 1760/QĐ-KTNN" in raw.text
    assert "Trang chủ" not in raw.text


def test_a_header_flattened_onto_one_line_is_read_field_by_field():  # wild: decrees 171, 172/2025/NĐ-CP
    from vbextract.structure.header import extract_meta

    raw = read(
        "CHÍNH PHỦ_______ Số: 171/2025/NĐ-CP | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – Tự do – Hạnh phúc"
        "_________________ Hà Nội, ngày 30 tháng 6 năm 2025 |\n\n**NGHỊ ĐỊNH**\n\n**Quy định về đào tạo**\n\n"
        "Điều 1. Phạm vi.\n\n- Lưu: VT, TCCV (2) | TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ TƯỚNG(Đã ký)Nguyễn Hòa Bình |\n"
    )
    meta, _, _ = extract_meta(raw)
    assert (meta.doc_type, meta.symbol, meta.date, meta.place) == ("NĐ", "171/2025/NĐ-CP", "2025-06-30", "Hà Nội")
    assert meta.signer is not None
    assert (meta.signer.authority, meta.signer.position, meta.signer.name) == (
        "TM. CHÍNH PHỦ",
        "PHÓ THỦ TƯỚNG",
        "Nguyễn Hòa Bình",
    )
