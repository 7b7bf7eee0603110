"""Targets: real lines that set goals, and ones that must not match."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vbextract.extract.targets import extract_targets
from vbextract.ingest import txt


def targets_of(text: str, year: int = 2025):
    raw = txt.read(text.encode("utf-8"), "t.txt")
    return extract_targets(raw, [], 0, len(raw.text), year)


# fmt: off
TARGETS = [  # line, (value, comparator, unit)
    ("xây dựng các chính sách để bảo đảm tỷ lệ hoạt động trực tuyến chiếm tối thiểu 50% tổng số hoạt động", (50, ">=", "%")),  # C:01
    ("Phấn đấu 100% các điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy được phát hiện", (100, "=", "%")),  # C:12
    ("Trên 80% các đơn vị và cán bộ, chiến sĩ được tập huấn", (80, ">", "%")),
    ("thực hiện cắt giảm tối thiểu 30% thời gian thực hiện TTHC", (30, "reduce_by", "%")),  # C:18
    ("Rút ngắn, giảm 50% thời gian giải quyết thủ tục hành chính", (50, "reduce_by", "%")),
    ("tội phạm ma túy được phát hiện, bắt giữ tăng trên 3%", (3, "increase_by", "%")),
    ("Duy trì chế độ họp Ban chỉ đạo CCHC mỗi năm 02 lần", (2, "=", "lần")),  # S:003
    ("Mỗi năm tổ chức ít nhất 02 hội nghị đối thoại với doanh nghiệp", (2, ">=", "hội nghị")),
    ("hình thành tối thiểu 03 cụm Trung tâm Dữ liệu quốc gia", (3, ">=", "cụm")),  # C:27
    ("phấn đấu thuộc nhóm 10 tỉnh dẫn đầu cả nước về Chỉ số phát triển", (10, "<=", "rank")),  # S:002
    ("Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ", (2.1, "=", "con/phụ nữ")),  # C:13, an indicator's level
    ("tỷ số giới tính khi sinh dưới 109 bé trai/100 bé gái sinh ra sống", (109, "<", "bé trai/100 bé gái")),  # C:13
    ("tuổi thọ trung bình đạt trên 75 tuổi", (75, ">", "tuổi")),
    # units are an open class after a goal word (issue 13): measures, symbols, any count noun
    ("Phấn đấu đến năm 2030 công suất điện mặt trời đạt 2.500,5 MW", (2500.5, "=", "MW")),
    ("nâng tổng số khu công nghiệp lên 35 KCN", (35, "=", "KCN")),
    ("hình thành mới 12 cụm công nghiệp trên địa bàn tỉnh", (12, "=", "cụm")),
    ("Phấn đấu lắp đặt mới 1.200 trạm sạc xe điện", (1200, "=", "trạm")),
    ("Đến năm 2030 trồng mới 500 ha rừng sản xuất", (500, "=", "ha")),
    ("Mục tiêu: nồng độ bụi PM2.5 trung bình năm không quá 50 μg/m3", (50, "<=", "μg/m3")),
    ("Phấn đấu tỷ lệ hộ nghèo giảm còn 50-60% so với năm 2025", (50, "reduce_by", "%")),
    ("Phấn đấu trở thành một trong ba tỉnh dẫn đầu cả nước về thu hút đầu tư", (3, "<=", "rank")),
]
RANGES = [  # line, (value, value_max)
    ("tỷ lệ che phủ rừng đạt 50-60%", (50, 60)),
    ("Phấn đấu mỗi năm đào tạo 1.000 - 1.500 lao động", (1000, 1500)),
]
NOT_TARGETS = [
    "Ông Nguyễn Văn A, 45 tuổi, trú tại xã B.",           # an age, no goal word
    "Năm 2024 đã đạt 75% hồ sơ trực tuyến.",           # a statistic of the past
    "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012;",  # document numbers and dates
    "Điều 3. Quyết định này có hiệu lực từ ngày ký.",   # article numbers
    "Hỗ trợ: (028) 3930.3279",                           # phone numbers
    "hoàn thành trong 15 ngày làm việc",                   # a deadline, not a quantity
    "đạt chuẩn theo Điều 5 Nghị định số 59",               # a reference
    "Tối đa 5.000.000 đồng/chương trình",                  # a norm that caps spending, not a goal
    "a) Thư ký (không quá 02 người): Mức 400.000 đồng/người/buổi.",  # a rule
    "Phấn đấu phát triển hạ tầng 5G phủ sóng toàn tỉnh",   # a name with a digit ("5G")
]
# fmt: on


@pytest.mark.parametrize("line,expected", TARGETS)
def test_targets(line, expected):
    ts = targets_of(line)
    assert [(t.value, t.comparator, t.unit) for t in ts][:1] == [expected]
    assert ts[0].text and ts[0].source.end > ts[0].source.start


@pytest.mark.parametrize("line,expected", RANGES)
def test_ranges(line, expected):
    (t,) = targets_of(line)
    assert (t.value, t.value_max) == expected


def test_a_labelled_quantity_under_a_goal_heading():
    from vbextract.structure.outline import extract_sections

    raw = txt.read(
        "KẾ HOẠCH\nII. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Điện mặt trời: 2.500 MW;\n- Điện gió: 800 MW.\n".encode(),
        "t.txt",
    )
    ts = extract_targets(raw, extract_sections(raw, 0, len(raw.text)), 0, len(raw.text), 2025)
    assert [(t.value, t.unit) for t in ts] == [(2500, "MW"), (800, "MW")]


@pytest.mark.parametrize("line", NOT_TARGETS)
def test_not_targets(line):
    assert targets_of(line) == []


def test_year_of_a_target():
    (t,) = targets_of("Đến năm 2030, tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình đạt 80%")
    assert (t.year, t.value) == (2030, 80) and "tỷ lệ hồ sơ dịch vụ công" in t.subject


@settings(max_examples=80, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789%., ;tối thiểu trên dưới giảm tăng năm nhóm dẫn đầu hội nghị≤")),
        min_size=1,
        max_size=120,
    )
)
def test_never_raises(text):
    if text.strip():
        for t in targets_of(text):
            assert 0 <= t.source.start <= t.source.end
