"""Tasks: header recognition, table rows, unit lists and prose patterns.

Every case is a real line of the seeds or the corpus (the source is noted)."""

import pytest

from vbextract.extract.tasks import extract_tasks, header_role
from vbextract.extract.unit_mentions import canonical_name, split_units, unit_ref
from vbextract.ingest import txt
from vbextract.schema import Source, Task
from vbextract.structure.header import extract_meta
from vbextract.structure.outline import extract_sections

# fmt: off
HEADERS = [
    ("TT", "num"), ("STT", "num"), ("Cơ quan chủ trì[1]", "lead"), ("Thời gian hoàn thành¹", "deadline"),  # footnote marks
    ("Nội dung nhiệm vụ", "content"), ("Nhiệm vụ, giải pháp", "content"), ("Tên nhiệm vụ", "content"),
    ("Hoạt động", "content"), ("Nội dung cụ thể", "content"),
    ("Đơn vị đầu mối thực hiện", "lead"),          # S:000
    ("Đơn vị chủ trì", "lead"), ("Cơ quan chủ trì", "lead"), ("Chủ trì", "lead"),
    ("Sở, ngành chủ trì tham mưu", "lead"),        # C:37, by key word
    ("Đơn vị thực hiện", "lead"),                  # C:01
    ("Người thực hiện", "lead"),                   # C:42
    ("Đơn vị phối hợp", "support"), ("Phối hợp", "support"), ("Đơn vị phối hợp thực hiện", "support"),
    ("Thời gian hoàn thành", "deadline"), ("Thời gian thực hiện", "deadline"), ("Tiến độ", "deadline"),
    ("Kết quả/Sản phẩm", "outputs"), ("Sản phẩm đầu ra", "outputs"), ("Kết quả", "outputs"),
    ("Kinh phí", "budget"), ("Nguồn kinh phí", "budget"),
    ("Ghi chú", "note"),
    ("Chỉ số", None), ("Xếp hạng", None), ("Năm 2024", None),
]
UNIT_LISTS = [  # a cell or phrase -> canonical unit names
    ("Sở Nội vụ; các cơ quan tham mưu CCHC", ["Sở Nội vụ", "Các cơ quan tham mưu cải cách hành chính"]),   # S:003
    ("Trung tâm Phục vụ hành chính công tỉnh Trung tâm Điều hành thông tin tỉnh",                             # S:000, no separator
     ["Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Điều hành thông tin tỉnh"]),
    ("Văn phòng UBND tỉnh, các Sở: Tư pháp, Tài chính, Sở TTTT, Sở KHĐT; UBND cấp huyện",                     # S:003
     ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Thông tin và Truyền thông",
      "Sở Kế hoạch và Đầu tư", "Ủy ban nhân dân cấp huyện"]),
    ("Sở, ban, ngành cấp tỉnh; UBND cấp huyện", ["Sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện"]),
    ("Sở TTTT; UBND cấp huyện và cấp xã",                                                                     # S:003
     ["Sở Thông tin và Truyền thông", "Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"]),
    ("Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã",                                                         # C:05
     ["Ban Chỉ huy Phòng thủ dân sự cấp tỉnh", "Ban Chỉ huy Phòng thủ dân sự cấp xã"]),
    ("Sở Giáo dục và Đào tạo", ["Sở Giáo dục và Đào tạo"]),
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh", ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]),
    ("Sở Tài chính tỉnh Đắk Lắk", ["Sở Tài chính"]),
    ("Báo Quảng Trị, Cổng thông tin điện tử tỉnh", ["Báo Quảng Trị", "Cổng thông tin điện tử tỉnh"]),        # S:003
    ("Sở Tài chính (đầu mối chung)", ["Sở Tài chính"]),                                                        # S:002
    ("các sở, ban, ngành Thành phố trong phạm vi chức năng", ["Các sở, ban, ngành Thành phố"]),                # C:11, scope
    ("Ủy ban nhân dân các tỉnh miền Trung, trong đó trọng tâm là các tỉnh bị thiệt hại nặng",                  # C:32, an aside
     ["Ủy ban nhân dân các tỉnh miền Trung"]),
    ("Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng",                                           # C:32, a range of places
     ["Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng"]),
    ("- Sở Tư pháp nhiệm vụ trọng tâm liên ngành; - Sở, ban, ngành cấp tỉnh",                                 # S:003
     ["Sở Tư pháp", "Sở, ban, ngành cấp tỉnh"]),
    ("Các phòng, đơn vị trực thuộc Ban Quản lý Khu kinh tế, công nghiệp tỉnh",                                # S:004
     ["Các phòng, đơn vị trực thuộc Ban Quản lý Khu kinh tế, công nghiệp tỉnh"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội",                          # C:12
     ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "Các tổ chức chính trị - xã hội"]),
    ("Ban Xúc tiến Đầu tư, Thương mại và Du lịch Quảng Ninh", ["Ban Xúc tiến Đầu tư, Thương mại và Du lịch"]),  # S:002
    ("Trung tâm Phục vụ hành chính công tỉnh, các ngân hàng",                                                 # S:002
     ["Trung tâm Phục vụ hành chính công tỉnh", "Các ngân hàng"]),
    ("Sở Công Thương và các doanh nghiệp sản xuất", ["Sở Công Thương", "Các doanh nghiệp sản xuất"]),
    ("Bộ Tư pháp, các bộ, ngành", ["Bộ Tư pháp", "Các bộ, ngành"]),                                          # C:59
    ("Phòng Đầu tư, Doanh nghiệp và Lao động", ["Phòng Đầu tư, Doanh nghiệp và Lao động"]),                  # S:004
    ("các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh",                                                     # C:26
     ["Các bộ", "Cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh"]),
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ",                                       # C:26, Điều 3
     ["Bộ trưởng", "Thủ trưởng cơ quan ngang bộ", "Cơ quan thuộc Chính phủ"]),  # a bare title stays: in Nơi nhận it is the issuer's own minister
    ("Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế Phú Yên, Ban Quản lý các Khu công nghiệp tỉnh)",  # C:19
     ["Sở Tài chính", "Ban quản lý Khu Kinh tế", "Ban Quản lý các Khu công nghiệp tỉnh"]),  # the province name goes
    ("Các cơ quan liên quan (nếu có)", ["Các cơ quan liên quan"]),  # a note in parentheses names nobody
    ("Sở Tài chính, Sở Xây dựng và Sở Công Thương", ["Sở Tài chính", "Sở Xây dựng", "Sở Công Thương"]),
    ("Các tổ chức quốc tế, các Viện nghiên cứu", ["Các tổ chức quốc tế", "Các Viện nghiên cứu"]),             # C:50
    ("UBND các huyện, các xã", ["Ủy ban nhân dân các huyện", "Ủy ban nhân dân các xã"]),  # one body per place: the head is shared
    ("Các sở, ban, ngành, địa phương", ["Các sở, ban, ngành, địa phương"]),
    ("Các quân khu, các tỉnh", ["Các quân khu", "Các tỉnh"]),
    ("Bộ Xây dựng, Đài truyền hình Việt Nam", ["Bộ Xây dựng", "Đài truyền hình Việt Nam"]),  # a body the gazetteer knows
    ("Sở Y tế, địa phương", ["Sở Y tế", "Địa phương"]),  # a group after a named body
    ("Văn phòng HĐND - UBND cấp xã", ["Văn phòng Hội đồng nhân dân - Ủy ban nhân dân cấp xã"]),  # one joint office                                                  # C:53
    ("UBND các xã: Tà Xi Láng, Túc Đán và Pá Lau",  # distributive: one body per place named
     ["Ủy ban nhân dân xã Tà Xi Láng", "Ủy ban nhân dân xã Túc Đán", "Ủy ban nhân dân xã Pá Lau"]),
    ("Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Huế",  # each province, its own level
     ["Chủ tịch Ủy ban nhân dân", "Chủ tịch Ủy ban nhân dân"]),  # (the provinces go back in resolve_all)
    ("các nhà mạng (Viettel, VNPT, MobiFone)", ["Viettel", "VNPT", "MobiFone"]),  # members need no unit head
    ("Các sở, ban, ngành (Y tế, Giáo dục...)", ["Các sở, ban, ngành"]),  # fields of a group, not members
    ("UBND thành phố Hà Nội, Thành phố Hồ Chí Minh",  # a shared head over a second place
     ["Ủy ban nhân dân thành phố", "Ủy ban nhân dân Thành phố"]),  # (the province goes back in resolve_all)
]
# fmt: on


FOREIGN_PROVINCE = [  # printed unit, issuer's province, name in the output
    ("UBND thành phố Hà Nội", None, "Ủy ban nhân dân thành phố Hà Nội"),  # a central document
    ("UBND Thành phố Hồ Chí Minh", None, "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("UBND tỉnh Đồng Nai", "Đồng Nai", "Ủy ban nhân dân tỉnh"),  # the issuer's own province goes
    ("Sở Tài chính tỉnh Lào Cai", "Hà Nội", "Sở Tài chính tỉnh Lào Cai"),
]


@pytest.mark.parametrize("text,own,name", FOREIGN_PROVINCE)
def test_a_unit_keeps_a_province_that_is_not_the_issuers(text, own, name):
    from vbextract.extract.unitlist import resolve_all
    from vbextract.schema import Meta

    t = Task(
        id="t1",
        content="x",
        lead=[unit_ref(text)],
        support=[],
        origin="prose",
        rule="units_colon",
        source=Source(start=0, end=1),
    )
    resolve_all(Meta(province=own), [t])
    assert t.lead[0].name == name


@pytest.mark.parametrize("cell,role", HEADERS)
def test_header_role(cell, role):
    got = header_role(cell)
    assert (got[0] if got else None) == role


@pytest.mark.parametrize("text,names", UNIT_LISTS)
def test_unit_lists(text, names):
    assert [canonical_name(t) for t, _, _ in split_units(text)] == names


def test_unit_offsets_point_at_the_words():
    text = "Văn phòng UBND tỉnh, các Sở: Tư pháp, Tài chính"
    assert [text[s:e] for _, s, e in split_units(text)] == ["Văn phòng UBND tỉnh", "Tư pháp", "Tài chính"]


def tasks_of(text: str):
    raw = txt.read(text.encode("utf-8"), "t.txt")
    meta, start, end = extract_meta(raw)
    return extract_tasks(raw, extract_sections(raw, start, end), start, end)


def leads(t):
    return [u.name for u in t.lead]


TABLE_000 = """KẾ HOẠCH
Về triển khai thực hiện Kế hoạch số 1407/KH-UBND
III. NHIỆM VỤ CỤ THỂ VÀ PHÂN CÔNG ĐƠN VỊ ĐẦU MỐI
TT\tNội dung nhiệm vụ\tĐơn vị đầu mối thực hiện
I\tCác nhiệm vụ chung\t
1\tTuyên truyền, phổ biến đến cán bộ, công chức, viên chức vai trò của Chỉ số PCI.\tCác phòng, ban, trung tâm trực thuộc
II\tChỉ số Tính minh bạch\t
2\tThực hiện nghiêm việc công bố, công khai đầy đủ, chính xác, kịp thời thông tin về TTHC.\tTrung tâm Phục vụ Hành chính công tỉnh
"""


def test_table_rows_become_tasks_with_group_and_path():
    ts = tasks_of(TABLE_000)
    assert [(t.origin, t.path, t.group) for t in ts] == [
        ("table", "I.1", "Các nhiệm vụ chung"),
        ("table", "II.2", "Chỉ số Tính minh bạch"),
    ]
    assert leads(ts[0]) == ["Các phòng, ban, trung tâm trực thuộc"] and ts[0].lead[0].collective
    assert ts[1].source.table == 0 and ts[1].source.row == 4 and ts[1].content.startswith("Thực hiện nghiêm")


TABLE_003 = """KẾ HOẠCH
Cải cách hành chính nhà nước tỉnh Quảng Trị năm 2025
TT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả/Sản phẩm\tChủ trì\tPhối hợp\tThời gian\tKinh phí
II\tCẢI CÁCH THỂ CHẾ\t\t\t\t\t\t\t
1\tBan hành văn bản quy phạm pháp luật (QPPL) của HĐND và UBND\tBan hành văn bản QPPL\tLập đề nghị xây dựng Nghị quyết, Quyết định\tTờ trình, Nghị quyết, Quyết định\tSở, ban, ngành cấp tỉnh\tSở Tư pháp\tCả năm 2025\tThường xuyên
\t\t\tThẩm định dự thảo văn bản\tBáo cáo thẩm định văn bản\tSở Tư pháp;\tCác sở, ban, ngành cấp tỉnh;\tCả năm 2025\tThường xuyên

TT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả/Sản phẩm\tChủ trì\tPhối hợp\tThời gian\tKinh phí
\t\t\t\t\t\tUBND cấp huyện\t\t
"""


def test_activity_rows_inherit_shared_cells_and_page_split_rows_join():
    ts = tasks_of(TABLE_003)
    assert len(ts) == 2 and [t.path for t in ts] == ["II.1", "II.1"]
    assert "Ban hành văn bản QPPL" in ts[1].content and ts[1].content.endswith("Thẩm định dự thảo văn bản")
    assert leads(ts[1]) == ["Sở Tư pháp"]
    assert [u.name for u in ts[1].support] == ["Các sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp huyện"]
    assert ts[0].outputs == "Tờ trình, Nghị quyết, Quyết định" and ts[0].budget == "Thường xuyên"
    assert ts[0].deadline.text == "Cả năm 2025"


COLUMN_NUMBERS = """KẾ HOẠCH
Thực hiện Chỉ thị số 10-CT/TU
TT\tTên nhiệm vụ\tSở, ngành chủ trì\tĐơn vị phối hợp\tThời gian thực hiện
\t{}\t{}\t{}\t{}
1\tTổ chức quán triệt sâu rộng Chỉ thị\tSở Nông nghiệp và Môi trường\tCác Sở, ban, ngành\tQuý II/2026
"""


@pytest.mark.parametrize(
    "numbers",
    [
        ("(1)", "(2)", "(3)", "(4)"),  # as printed (C:37)
        ("Œ)", "(2)", "", "4"),  # as read by OCR from the rendered 37 (psm 11 on the row's tokens)
    ],
)
def test_the_column_number_row_under_the_header_is_no_task(numbers):
    ts = tasks_of(COLUMN_NUMBERS.format(*numbers))
    assert [(t.content, leads(t)) for t in ts] == [
        ("Tổ chức quán triệt sâu rộng Chỉ thị", ["Sở Nông nghiệp và Môi trường"])
    ]


def test_statistics_table_gives_no_task():
    assert tasks_of("Chỉ số\tXếp hạng\t\n\tNăm 2023\tNăm 2024\nCSTP 8: Chính sách hỗ trợ doanh nghiệp\t32\t≤ 25") == []


# (paragraphs, expected [(lead names, support names)]); each from a real document
PROSE = [
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",  # S:000
            "3. Phòng Hành chính Tổ chức chủ trì, phối hợp các phòng, ban, trung tâm: Theo dõi, tham mưu, đề xuất khen thưởng.",
        ],
        [(["Phòng Hành chính Tổ chức"], ["Các phòng, ban, trung tâm"])],
    ),
    (
        [
            "III. TỔ CHỨC THỰC HIỆN",  # S:001
            "- Giao Phòng Hành chính - Tổ chức: Tổ chức triển khai Kế hoạch, tổng hợp, đánh giá và báo cáo.",
        ],
        [(["Phòng Hành chính - Tổ chức"], [])],
    ),
    (
        [
            "III. PHÂN CÔNG NHIỆM VỤ",
            "1. Công an tỉnh",  # C:04, unit heading + bullets
            "- Chủ trì, phối hợp Bộ Chỉ huy Quân sự tỉnh và sở, ngành có liên quan tham mưu xây dựng chính sách.",
            "- Tăng cường tổ chức tập huấn, bồi dưỡng về công tác bảo vệ bí mật nhà nước.",
        ],
        [(["Công an tỉnh"], ["Bộ Chỉ huy Quân sự tỉnh", "Sở, ngành có liên quan"]), (["Công an tỉnh"], [])],
    ),
    (
        ["II. NHIỆM VỤ", "6. Đề nghị Văn phòng Tỉnh ủy phối hợp triển khai thực hiện Kế hoạch này."],  # C:04
        [(["Văn phòng Tỉnh ủy"], [])],
    ),
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",  # C:05
            "2. Bộ CHQS tỉnh có trách nhiệm tham mưu Ủy ban nhân dân tỉnh theo dõi, hướng dẫn, kiểm tra.",
        ],
        [(["Bộ Chỉ huy Quân sự tỉnh"], [])],
    ),
    (
        [
            "III. TỔ CHỨC THỰC HIỆN",
            "1. Cục Biến đổi khí hậu có trách nhiệm:",  # C:50, "<unit> có trách nhiệm:"
            "a) Chủ trì, phối hợp với Vụ Hợp tác quốc tế, Vụ Pháp chế tham mưu trong việc tổ chức đàm phán.",
        ],
        [(["Cục Biến đổi khí hậu"], ["Vụ Hợp tác quốc tế", "Vụ Pháp chế"])],
    ),
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",  # S:000, unit after an intro clause
            "1. Căn cứ các nhiệm vụ được phân công tại Mục III, Trưởng các phòng, ban, Giám đốc các trung tâm trực thuộc có trách nhiệm đôn đốc.",
        ],
        [(["Trưởng các phòng, ban", "Giám đốc các trung tâm trực thuộc"], [])],
    ),
    (
        [
            "Để làm tốt hơn nữa công tác đền ơn đáp nghĩa, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:",
            "1. Chỉ đạo các cấp đưa nội dung đào tạo nghề cho con liệt sĩ thành một chỉ tiêu cụ thể.",  # C:57, an intro hands the items over
            "2. Định kỳ hàng năm gửi báo cáo về Bộ Lao động - Thương binh và Xã hội.",
        ],
        [
            (["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"], []),
            (["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"], []),
        ],
    ),
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",  # C:16
            "1. Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Biển đảo và Thủy sản thực hiện các nội dung sau:",
            "- Tổ chức lựa chọn đơn vị thực hiện hoạt động quan trắc.",
        ],
        [(["Sở Nông nghiệp và Môi trường", "Chi cục Biển đảo và Thủy sản"], [])],
    ),
    (
        [
            "III. NHIỆM VỤ",  # C:50, an action verb ends the unit
            "4. Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên môi trường thiết lập Hệ thống đăng ký quốc gia.",
        ],
        [(["Cục Chuyển đổi số và Thông tin dữ liệu tài nguyên môi trường"], [])],
    ),
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",  # S:004, a misprint of "chủ trì"
            "2. Phòng Quản lý Doanh nghiệp chỉ trì, phối hợp các phòng liên quan tổng hợp báo cáo.",
        ],
        [(["Phòng Quản lý Doanh nghiệp"], ["Các phòng liên quan"])],
    ),
    (
        [
            "II. NHIỆM VỤ",  # C:56, the unit in a closing parenthesis
            "8. Thành lập Đoàn kiểm tra việc chấp hành các quy định về bảo vệ BMNN năm 2023 (Giao Công an tỉnh tham mưu).",
        ],
        [(["Công an tỉnh"], [])],
    ),
    (
        [
            "IV. TỔ CHỨC THỰC HIỆN",
            "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh",  # C:07, opener with a colon
            "a) Tuyên truyền, vận động hội viên tích cực tham gia các hoạt động chuyển đổi số.",
        ],
        [(["Hiệp hội Doanh nghiệp tỉnh", "Hội Nông dân tỉnh"], [])],
    ),
    (
        [
            "III. TỔ CHỨC THỰC HIỆN",  # C:19, an intro clause, then the units, then ':'
            "5. Để nâng cao hiệu lực quản lý nhà nước về đầu tư, các Sở, ngành, UBND cấp xã theo chức năng, nhiệm vụ triển khai thực hiện những nội dung sau:",
            "a) Thực hiện đầy đủ, nghiêm túc các quy định của pháp luật về đầu tư.",
            "b) Định kỳ đánh giá tình hình hoạt động của các dự án.",
        ],
        [(["Các Sở, ngành", "Ủy ban nhân dân cấp xã"], []), (["Các Sở, ngành", "Ủy ban nhân dân cấp xã"], [])],
    ),
    (
        [
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Mục đích",  # nothing assigned in Mục đích
            "- Các sở, ban, ngành cấp tỉnh chủ động triển khai thực hiện.",
        ],
        [],
    ),
]


@pytest.mark.parametrize("paras,expected", PROSE)
def test_prose_patterns(paras, expected):
    ts = tasks_of("KẾ HOẠCH\nThực hiện nhiệm vụ năm 2025\n" + "\n".join(paras))
    assert [(leads(t), [u.name for u in t.support]) for t in ts] == expected
    assert all(t.origin == "prose" for t in ts)


LABELLED = """KẾ HOẠCH
Nâng cao năng lực xây dựng chính sách
II. NHIỆM VỤ
1. Rà soát, kiện toàn đội ngũ cán bộ, công chức xây dựng chính sách, pháp luật
- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ, công chức xây dựng chính sách.
Đơn vị chủ trì thực hiện: Các Sở, ngành, đơn vị, UBND cấp xã.
Đơn vị phối hợp: Sở Nội vụ, Sở Tư pháp.
Thời gian thực hiện: Thường xuyên.
"""


def test_labelled_fields_attach_to_the_content_before_them():  # C:03
    (t,) = tasks_of(LABELLED)
    assert t.content.startswith("Rà soát, kiện toàn đội ngũ") and "Thường xuyên rà soát" in t.content
    assert leads(t) == ["Các Sở, ngành, đơn vị", "Ủy ban nhân dân cấp xã"]
    assert [u.name for u in t.support] == ["Sở Nội vụ", "Sở Tư pháp"]
    assert t.deadline.text == "Thường xuyên"


LABELLED_DECREE = """KẾ HOẠCH
Triển khai thi hành Luật Bảo vệ dữ liệu cá nhân
II. NỘI DUNG
1. Xây dựng Nghị định quy định chi tiết một số điều của Luật
- Cơ quan chủ trì: Bộ Công an.
- Cơ quan phối hợp: Văn phòng Chính phủ, Bộ Tư pháp.
- Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026.
2. Xây dựng Cổng thông tin quốc gia về bảo vệ dữ liệu cá nhân
- Cơ quan chủ trì: Bộ Công an.
- Thời gian thực hiện: năm 2026.
"""


def test_a_deadline_label_of_a_decree_plan_closes_its_task():  # C:26 "Thời hạn ban hành:"
    ts = tasks_of(LABELLED_DECREE)
    assert [(t.content[:40], leads(t), t.deadline.text if t.deadline else None) for t in ts] == [
        ("Xây dựng Nghị định quy định chi tiết một", ["Bộ Công an"], "trước ngày 01 tháng 01 năm 2026"),
        ("Xây dựng Cổng thông tin quốc gia về bảo ", ["Bộ Công an"], "năm 2026"),
    ]


def test_task_sources_point_at_their_text():
    ts = tasks_of(LABELLED)
    raw = txt.read(LABELLED.encode("utf-8"), "t.txt")
    for t in ts:
        for u in t.lead + t.support:
            assert (
                raw.text[u.source.start : u.source.end] in u.text
                or u.text in raw.text[u.source.start : u.source.end + 40]
            )


def test_ids_are_sequential_in_document_order():
    ts = tasks_of(TABLE_000)
    assert [t.id for t in ts] == ["T1", "T2"]


def test_several_actors_in_one_deadline_cell_keep_their_deadlines():  # S:003
    cell = "- UBND tỉnh: trước ngày 25/12/2024 - Sở, huyện: trước ngày 31/01/2025 - Cấp xã: trước ngày 28/02/2025"
    text = f"KẾ HOẠCH\nCải cách hành chính\nTT\tNội dung\tChủ trì\tThời gian\n1\tXây dựng, ban hành Kế hoạch CCHC\tSở Nội vụ\t{cell}"
    (t,) = tasks_of(text)
    raw = txt.read(text.encode("utf-8"), "t.txt")
    assert [(a.actor.name, a.deadline.text) for a in t.deadline.actors] == [
        ("Ủy ban nhân dân tỉnh", "trước ngày 25/12/2024"),
        ("Sở, huyện", "trước ngày 31/01/2025"),
        ("Cấp xã", "trước ngày 28/02/2025"),
    ]
    a = t.deadline.actors[1]
    assert raw.text[a.deadline.source.start : a.deadline.source.end] == "trước ngày 31/01/2025"
    assert raw.text[a.actor.source.start : a.actor.source.end] == "Sở, huyện"


LABEL_HEADINGS = """KẾ HOẠCH
Triển khai thực hiện Quyết định số 1237/QĐ-TTg
B. NỘI DUNG, NHIỆM VỤ
I. CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI THỰC HIỆN
1. Nội dung, biện pháp
a) Tổ chức Hội nghị quán triệt và triển khai thực hiện Chỉ thị số 24-CT/TW;
b) Tổ chức triển khai thực hiện các chủ trương của Đảng.
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Ban Chỉ đạo quốc gia.
- Ban Chỉ đạo các quân khu; Ban Chỉ đạo các tỉnh.
b) Cơ quan phối hợp
- Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp.
3. Thời gian thực hiện: Tháng 12/2013 và thường xuyên.
"""


def test_label_headings_take_their_values_from_the_bullets_below():  # C:53
    # one task per bullet of the group, each with the group's units and deadline (ANNOTATION.md)
    a, b = tasks_of(LABEL_HEADINGS)
    assert a.content.startswith("Tổ chức Hội nghị quán triệt") and b.content.startswith("Tổ chức triển khai")
    for t in (a, b):
        assert leads(t) == ["Ban Chỉ đạo quốc gia", "Ban Chỉ đạo các quân khu", "Ban Chỉ đạo các tỉnh"]
        assert [u.name for u in t.support] == ["Mặt trận Tổ quốc Việt Nam", "Hội Cựu chiến binh các cấp"]
        assert t.deadline.text == "Tháng 12/2013 và thường xuyên"
        assert t.rule == "labelled_fields"


def test_a_note_in_parentheses_does_not_end_a_label_group():  # C:53 B.V
    text = (
        "KẾ HOẠCH\nTriển khai Đề án\nI. NHIỆM VỤ\n1. Nội dung, biện pháp\na) Tổ chức rà soát hồ sơ liệt sĩ;\n"
        "b) Thu thập, xử lý thông tin về liệt sĩ.\n2. Cơ quan chủ trì, phối hợp\na) Cơ quan chủ trì\n- Bộ Quốc phòng.\n"
        "(Văn phòng Ban Chỉ đạo là cơ quan giúp Ban Chỉ đạo thu thập thông tin).\nb) Cơ quan phối hợp\n"
        "- Hội Cựu chiến binh các cấp.\n3. Thời gian thực hiện: Từ năm 2013 đến năm 2020."
    )
    ts = tasks_of(text)
    assert [t.content[:9] for t in ts] == ["Tổ chức r", "Thu thập,"]
    assert all([u.name for u in t.support] == ["Hội Cựu chiến binh các cấp"] for t in ts)
    assert all(t.deadline and t.deadline.text == "Từ năm 2013 đến năm 2020" for t in ts)


def test_target_table_gives_no_task():  # C:27 Phụ lục I: indicators are targets, not tasks
    text = (
        "QUYẾT ĐỊNH\nPhê duyệt Chương trình\nTT\tChỉ tiêu\tĐơn vị\tKết quả\tCơ quan chủ trì theo dõi, đánh giá\n"
        "I\tGiai đoạn 2025-2027\t\t\t\n1\tTỉ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục\t%\t80\tVăn phòng Chính phủ"
    )
    assert tasks_of(text) == []


def test_report_deadline_in_implementation_section_is_a_task():  # S:000, IV.2
    text = (
        "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2025\nIV. TỔ CHỨC THỰC HIỆN\n"
        "2. Định kỳ vào ngày 15 tháng 5 và ngày 15 tháng 11 hàng năm các phòng, ban, trung tâm liên quan tổng hợp, "
        "báo cáo tình hình triển khai thực hiện các nhiệm vụ được giao tại Kế hoạch này."
    )
    raw = txt.read(text.encode("utf-8"), "t.txt")
    meta, start, end = extract_meta(raw)
    (t,) = extract_tasks(raw, extract_sections(raw, start, end), start, end)
    assert leads(t) == ["Các phòng, ban, trung tâm liên quan"]
    assert t.deadline.text == "Định kỳ vào ngày 15 tháng 5 và ngày 15 tháng 11 hàng năm"
    assert raw.text[t.deadline.source.start : t.deadline.source.end] == t.deadline.text


KNOWN_PREFIX = [  # a unit phrase that ran on past a verb the lexicon does not list, what is kept
    ("Văn phòng UBND tỉnh phân loại, làm rõ nội dung kiến nghị", "Văn phòng UBND tỉnh"),
    ("Bộ Xây dựng đẩy nhanh tiến độ thẩm định", "Bộ Xây dựng"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Phát triển nông thôn"),  # all a name
    ("Các sở, ngành, đơn vị liên quan khác nữa", "Các sở, ngành, đơn vị liên quan khác nữa"),  # a group's list
    (
        "Chủ tịch UBND các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng",
        "Chủ tịch UBND các tỉnh, thành phố từ Hà Tĩnh đến Lâm Đồng",
    ),
    (
        "Ban quản lý dự án đầu tư xây dựng các công trình",
        "Ban quản lý dự án đầu tư xây dựng các công trình",
    ),  # unknown: kept
]


@pytest.mark.parametrize("phrase,kept", KNOWN_PREFIX)
def test_a_long_unit_phrase_ends_after_the_known_body_it_starts_with(phrase, kept):
    import importlib

    forms = importlib.import_module("vbextract.extract.tasks.forms")
    assert forms.trim_to_known(phrase, 0, len(phrase)) == (kept, len(kept))


def test_a_power_handed_over_keeps_its_former_holder_and_basis():  # issue 13: decentralisation decrees
    (t,) = tasks_of(
        "NGHỊ ĐỊNH\nPhân cấp\nĐiều 2. Phân cấp\n1. Nhiệm vụ, quyền hạn của Bộ Tài chính về quản lý giá quy định "
        "tại Điều 5 Luật Giá do Sở Tài chính chủ trì, phối hợp với Sở Công Thương thực hiện."
    )
    assert (t.rule, leads(t), [u.name for u in t.support]) == ("owner_at_end", ["Sở Tài chính"], ["Sở Công Thương"])
    assert t.transferred_from is not None and t.transferred_from.name == "Bộ Tài chính"
    assert t.basis == "Điều 5 Luật Giá"


# a crawl that dropped the cells of a rowspan: the short rows' cells go under the columns
# their contents belong to, and a skipped column is covered by the cell above it
SHORT_ROWS = """KẾ HOẠCH
Triển khai chuyển đổi số năm 2026
STT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành
1\tXây dựng kế hoạch chuyển đổi số\tSở Khoa học và Công nghệ\tSở Nội vụ\tQuý I/2026
{row}
"""


@pytest.mark.parametrize(
    "row, lead, support, deadline",
    [
        # the support cell spans from the row above (the deadline read in the support column before)
        (
            "2\tRà soát thủ tục hành chính\tVăn phòng UBND tỉnh\tQuý II/2026",
            ["Văn phòng Ủy ban nhân dân tỉnh"],
            ["Sở Nội vụ"],
            "Quý II/2026",
        ),
        # the lead cell spans: the support in the lead column, the deadline in the support column before
        ("2\tRà soát thủ tục hành chính\tQuý II/2026", ["Sở Khoa học và Công nghệ"], ["Sở Nội vụ"], "Quý II/2026"),
        # a full row is left alone
        (
            "2\tRà soát thủ tục hành chính\tSở Tư pháp\tSở Tài chính\tQuý II/2026",
            ["Sở Tư pháp"],
            ["Sở Tài chính"],
            "Quý II/2026",
        ),
        # no conflict (text in a text column): the reader's reading stays
        ("2\tRà soát thủ tục hành chính\tSở Tư pháp", ["Sở Tư pháp"], [], None),
    ],
)
def test_short_rows_of_a_crawled_table_are_put_under_their_columns(row, lead, support, deadline):
    ts = tasks_of(SHORT_ROWS.format(row=row))
    assert len(ts) == 2
    t = ts[1]
    assert (leads(t), [u.name for u in t.support], t.deadline.text if t.deadline else None) == (lead, support, deadline)
