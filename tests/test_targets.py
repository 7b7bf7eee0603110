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
]
NOT_TARGETS = [
    "Ông Nguyễn Văn A, 45 tuổi, trú tại xã B.",           # an age, no goal word
    "Năm 2024 đã đạt 75% hồ sơ trực tuyến.",           # a statistic of the past
    "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012;",  # document numbers and dates
    "Điều 3. Quyết định này có hiệu lực từ ngày ký.",   # article numbers
    "Hỗ trợ: (028) 3930.3279",                           # phone numbers
]
# fmt: on


@pytest.mark.parametrize("line,expected", TARGETS)
def test_targets(line, expected):
    ts = targets_of(line)
    assert [(t.value, t.comparator, t.unit) for t in ts][:1] == [expected]
    assert ts[0].text and ts[0].source.end > ts[0].source.start


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
