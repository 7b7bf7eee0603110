"""Deadlines: every phrase of the issue and wordings found in the corpus and
seeds -> kind, interval, RRULE; properties with hypothesis."""
from datetime import date

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from vbextract.extract.deadlines import parse, plan_end, plan_year

DOC = date(2025, 11, 18)
# fmt: off
CASES = [  # text, year from context, kind, start, end, rrule
    ("ngày 15/12/2025", 2025, "date", "2025-12-15", "2025-12-15", None),
    ("vào ngày 01/12/2025", 2025, "date", "2025-12-01", "2025-12-01", None),  # C:32, the day it is launched
    ("trước ngày 15 tháng 12 năm 2025", 2025, "before", "2025-11-18", "2025-12-15", None),
    ("trước 30/9", 2026, "before", "2025-11-18", "2026-09-30", None),      # year from context
    ("chậm nhất ngày 31/3/2026", 2025, "before", "2025-11-18", "2026-03-31", None),
    ("xong trước 15/01", 2026, "before", "2025-11-18", "2026-01-15", None),
    ("Trước ngày 15/01/2025", 2025, "before", None, "2025-01-15", None),    # S:003, before the doc date
    ("tháng 12/2025", 2025, "month", "2025-12-01", "2025-12-31", None),
    ("Tháng 01/2025", 2025, "month", "2025-01-01", "2025-01-31", None),     # S:003
    ("Quý I/2025", 2025, "quarter", "2025-01-01", "2025-03-31", None),
    ("quý 3 năm 2025", 2025, "quarter", "2025-07-01", "2025-09-30", None),
    ("Quý IV", 2025, "quarter", "2025-10-01", "2025-12-31", None),          # S:003, year from the plan
    ("Quý III, Quý IV", 2025, "range", "2025-07-01", "2025-12-31", None),
    ("Quý III, IV/2026", 2025, "range", "2026-07-01", "2026-12-31", None),  # C:51
    ("Quý II - Quý III/2025", 2025, "range", "2025-04-01", "2025-09-30", None),
    ("Quý II và Quý IV/2025", 2025, "range", "2025-04-01", "2025-12-31", None),  # S:003, not contiguous
    ("Quý IV/2025 – Quý II/2026", 2025, "range", "2025-10-01", "2026-06-30", None),  # C:09
    ("6 tháng đầu năm 2025", 2025, "half_year", "2025-01-01", "2025-06-30", None),
    ("6 tháng cuối năm", 2025, "half_year", "2025-07-01", "2025-12-31", None),
    ("Năm 2026", 2025, "year", "2026-01-01", "2026-12-31", None),
    ("Cả năm 2025", 2025, "year", "2025-01-01", "2025-12-31", None),        # S:003, 31 times
    ("cuối năm 2025", 2025, "year", "2025-01-01", "2025-12-31", None),
    ("2025-2030", 2025, "range", "2025-01-01", "2030-12-31", None),
    ("giai đoạn 2026 - 2030", 2025, "range", "2026-01-01", "2030-12-31", None),
    ("Từ năm 2025 đến hết năm 2030", 2025, "range", "2025-01-01", "2030-12-31", None),
    ("từ tháng 3 đến tháng 6/2025", 2025, "range", "2025-03-01", "2025-06-30", None),
    ("Tháng 11 - 12/2025", 2025, "range", "2025-11-01", "2025-12-31", None),  # C:24
    ("Năm 2025 và các năm tiếp theo", 2025, "range", "2025-01-01", None, None),  # S:003
    ("Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", 2025, "range", "2025-11-01", None, None),  # C:24
    ("Đến năm 2030", 2025, "before", "2025-11-18", "2030-12-31", None),
    ("Thường xuyên", 2025, "ongoing", "2025-11-18", None, None),
    ("Hằng năm", 2025, "recurring", None, None, "FREQ=YEARLY"),
    ("hàng năm", 2025, "recurring", None, None, "FREQ=YEARLY"),
    ("Định kỳ 6 tháng", 2025, "recurring", None, None, "FREQ=MONTHLY;INTERVAL=6"),
    ("hằng quý", 2025, "recurring", None, None, "FREQ=MONTHLY;INTERVAL=3"),
    ("hằng tháng", 2025, "recurring", None, None, "FREQ=MONTHLY"),
    ("ngày 15 tháng 5 và ngày 15 tháng 11 hằng năm", 2025, "recurring", "2025-05-15", None, "FREQ=YEARLY;BYMONTH=5,11;BYMONTHDAY=15"),
    ("trước ngày 07/6 (báo cáo 6 tháng) và trước ngày 07/11 (báo cáo năm) hằng năm", 2025, "recurring", "2025-06-07", None,
     "FREQ=YEARLY;BYMONTH=6,11;BYMONTHDAY=7"),
    ("Tháng 12 hằng năm", 2025, "recurring", None, None, "FREQ=YEARLY;BYMONTH=12"),
    ("trong vòng 30 ngày kể từ ngày Kế hoạch được ban hành", 2025, "relative", "2025-11-18", "2025-12-18", None),
    ("trong thời hạn 10 ngày kể từ ngày nhận Kế hoạch này", 2025, "relative", None, None, None),   # C:12, anchor unknown
    ("Sau khi được phê duyệt", 2025, "conditional", None, None, None),
    ("Theo kế hoạch được phê duyệt", 2025, "conditional", None, None, None),
    ("Theo lộ trình Chuyển đổi số của tỉnh", 2025, "conditional", None, None, None),  # S:000
    ("Theo tình hình thực tiễn", 2025, "conditional", None, None, None),
    ("Thường xuyên, định kỳ hằng quý báo cáo về Sở Tài chính", 2025, "ongoing", "2025-11-18", None, "FREQ=MONTHLY;INTERVAL=3"),  # C:22
    ("Bảo đảm chất lượng", 2025, "unknown", None, None, None),
    ("", 2025, "unknown", None, None, None),
]
# fmt: on


@pytest.mark.parametrize("text,year,kind,start,end,rrule", CASES)
def test_phrases(text, year, kind, start, end, rrule):
    p = parse(text, year, DOC)
    got = (p.kind, p.start.isoformat() if p.start else None, p.end.isoformat() if p.end else None, p.recurrence)
    assert got == (kind, start, end, rrule)


def test_inferred_year_is_warned():
    assert any("year not given" in w for w in parse("trước 30/9", 2026, DOC).warnings)
    assert not parse("trước ngày 30/9/2026", 2026, DOC).warnings


def test_plan_year_and_end_from_the_title():
    assert plan_year("Cải cách hành chính nhà nước tỉnh Quảng Trị năm 2025", None) == 2025
    assert plan_year("Phát triển kinh tế số giai đoạn 2026 - 2030", "2025-11-18") == 2025
    assert plan_end("Phát triển kinh tế số giai đoạn 2026 - 2030") == date(2030, 12, 31)
    assert plan_end("Khắc phục tồn tại năm 2024") is None


def test_ongoing_ends_with_the_plan_period():
    assert parse("Thường xuyên", 2025, DOC, date(2030, 12, 31)).end == date(2030, 12, 31)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/- ,.;tháng năm quý IVX trước ngày hằng định kỳ từ đến giai đoạn thường xuyên")), max_size=60),
       st.one_of(st.none(), st.integers(1990, 2100)))
def test_never_raises_and_intervals_are_ordered(text, year):
    p = parse(text, year, DOC)
    if p.start and p.end:
        assert p.start <= p.end
    if p.recurrence:
        rrulestr(p.recurrence, dtstart=date(2025, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises(text):
    parse(text, 2025, DOC)
