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
    ("trước năm 2030", 2025, "before", "2025-11-18", "2029-12-31", None),  # ANNOTATION.md: the year before
    ("trước hết năm 2030", 2025, "before", "2025-11-18", "2030-12-31", None),
    ("Từ ngày 01/7/2025 đến ngày 31/12/2025", 2025, "range", "2025-07-01", "2025-12-31", None),
    ("từ 15/3/2026 đến 30/4/2026", 2025, "range", "2026-03-15", "2026-04-30", None),
    ("Triển khai từ năm 2026 và thực hiện thường xuyên", 2025, "ongoing", "2026-01-01", None, None),
    ("Hằng ngày", 2025, "recurring", None, None, "FREQ=DAILY"),
    ("cập nhật hàng ngày", 2025, "recurring", None, None, "FREQ=DAILY"),
    ("Sau khi Đề án được phê duyệt", 2025, "conditional", None, None, None),
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
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789/- ,.;tháng năm quý IVX trước ngày hằng định kỳ từ đến giai đoạn thường xuyên")
        ),
        max_size=60,
    ),
    st.one_of(st.none(), st.integers(1990, 2100)),
)
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


# --------------------------------------------------------------------------- find
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from vbextract.data import data_path  # noqa: E402
from vbextract.extract import deadlines  # noqa: E402
from vbextract.extract.deadlines import Phrases, deadline_labels, find, find_all, phrases  # noqa: E402

# fmt: off
FIND_CASES = [  # sentence, found text (None: nothing), kind of parse(found), rule
    # the four prose tails of the review (§5.3 item 3)
    ("Các sở, ngành hoàn thành xong trước 30/6/2026.", "xong trước 30/6/2026", "before", "before"),
    ("Sở Nội vụ hoàn thành chậm nhất vào ngày 30/6/2026.", "hoàn thành chậm nhất vào ngày 30/6/2026", "before", "before"),
    ("Các đơn vị báo cáo kết quả thực hiện về Sở Nội vụ trước 15/12 hằng năm.",
     "báo cáo kết quả thực hiện về Sở Nội vụ trước 15/12 hằng năm", "recurring", "before"),
    ("Sở Tư pháp xây dựng kế hoạch kiểm tra; thời hạn hoàn thành: 30/6/2026.", "thời hạn hoàn thành: 30/6/2026", "date", "label"),
    # the other rules, in their order
    ("Thường xuyên kiểm tra, đôn đốc các đơn vị thực hiện.", "Thường xuyên", "ongoing", "ongoing_opening"),
    ("Định kỳ vào ngày 15 tháng 5 và ngày 15 tháng 11 hàng năm, báo cáo Ủy ban nhân dân tỉnh.",
     "Định kỳ vào ngày 15 tháng 5 và ngày 15 tháng 11 hàng năm", "recurring", "periodic_opening"),
    ("Định kỳ trước ngày 15/12, các sở gửi báo cáo về Sở Nội vụ.", "Định kỳ trước ngày 15/12", "recurring", "periodic_opening_day"),
    ("Trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ, Sở Xây dựng có trách nhiệm thẩm định.",
     "Trong thời hạn 10 ngày làm việc kể từ ngày nhận được hồ sơ", "relative", "relative"),
    ("Triển khai ra quân đồng loạt vào ngày 01/12/2025 trên toàn tỉnh.", "vào ngày 01/12/2025", "date", "on_day"),
    ("Tổ chức tổng kết, báo cáo kết quả trong quý I/2026.", "báo cáo kết quả trong quý I/2026", "quarter", "before"),
    ("Sở Tài chính gửi báo cáo tổng hợp trước ngày 20 hằng tháng.", "gửi báo cáo tổng hợp trước ngày 20 hằng tháng", "recurring", "before"),
    ("Hằng năm, các cơ quan gửi báo cáo tình hình sử dụng hệ thống thư điện tử (trước ngày 11/12) về Văn phòng.",
     "Hằng năm, các cơ quan gửi báo cáo tình hình sử dụng hệ thống thư điện tử (trước ngày 11/12", "recurring", "before"),
    ("Hằng năm, Sở Tài chính tham mưu bố trí kinh phí thực hiện.", "Hằng năm", "recurring", "rhythm"),
    ("Các đơn vị tổng hợp số liệu, định kỳ hằng quý báo cáo Sở Nội vụ.", "định kỳ hằng quý", "recurring", "rhythm"),
    # a rule earlier in the order wins over a match further left
    ("Hoàn thành trước ngày 30/9/2026; trong vòng 15 ngày kể từ ngày ký phải báo cáo.",
     "trong vòng 15 ngày kể từ ngày ký phải báo cáo", "relative", "relative"),
    # nothing: no timing of the task's own
    ("Năm 2024, tỉnh đã đạt 95% chỉ tiêu về chuyển đổi số.", None, None, None),
    ("Dữ liệu tính đến ngày 07/11/2025.", None, None, None),
    ("Đợt mưa lũ lịch sử từ ngày 16 đến ngày 22/11/2025 gây thiệt hại nặng.", None, None, None),
    ("Căn cứ Quyết định số 123/QĐ-UBND ngày 15/3/2025 của Ủy ban nhân dân tỉnh.", None, None, None),
    ("Thời gian thực hiện: 6-8 ngày làm việc.", None, None, None),
    ("Sở Y tế chủ trì, phối hợp với các đơn vị liên quan triển khai trong 2-3 tháng tới.", None, None, None),
    ("Báo cáo Ủy ban nhân dân tỉnh trước ngày 20 tháng cuối quý.", None, None, None),
]
# fmt: on


@pytest.mark.parametrize("text,found,kind,rule", FIND_CASES)
def test_find(text, found, kind, rule):
    f = find(text)
    if found is None:
        assert f is None
        return
    assert f is not None
    assert (f.text, parse(f.text).kind, f.rule) == (found, kind, rule)
    assert text[f.start : f.end] == f.text


def _holds(text: str) -> None:
    for f in find_all(text):
        assert f.text == text[f.start : f.end]
        assert parse(f.text).kind != "unknown"
    f = find(text)
    assert f == (find_all(text) or [None])[0]


@pytest.mark.parametrize("text", [c[0] for c in FIND_CASES] + [c[0] for c in CASES])
def test_found_text_is_the_span_and_parses(text):
    _holds(text)


_FRAGMENTS = [
    "Sở Nội vụ",
    " ",
    ", ",
    ". ",
    "; ",
    ": ",
    "\n",
    "hoàn thành",
    "xong",
    "báo cáo kết quả",
    "gửi",
    "trước",
    "Trước",
    "chậm nhất",
    "là",
    "vào",
    "ngày",
    "tháng",
    "năm",
    "quý",
    "IV",
    "II",
    "15",
    "30",
    "6",
    "12",
    "/",
    "-",
    "2026",
    "hằng năm",
    "Hàng năm",
    "hằng tháng",
    "định kỳ",
    "Định kỳ",
    "thường xuyên",
    "Thường xuyên",
    "trong vòng",
    "Trong thời hạn",
    "ngày làm việc",
    "kể từ",
    "thời hạn hoàn thành",
    "Thời gian thực hiện",
    "đến ngày",
    "sau khi",
    "6 tháng",
    "(",
    ")",
    "TRƯỚC NGÀY",
    "hoà",
    "quí",
    "Q3",
    "–",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join))
def test_find_invariant_on_deadline_words(text):
    _holds(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_find_invariant_on_any_text(text):
    _holds(text)


def test_every_phrase_is_found_and_parsed():
    """A wording of the phrase file is found in a sentence and parsed, as one grammar."""
    ph = phrases()
    for w in ph.before:
        when = "30/6/2026" if w.endswith("ngày") else "ngày 30/6/2026"
        f = find(f"Các sở hoàn thành {w} {when}.")
        assert f is not None and f.text.endswith(f"{w} {when}") and parse(f.text).kind == "before", w
    for w in ph.within:
        f = find(f"Tổ chức sơ kết {w} quý II/2026.")
        assert f is not None and parse(f.text).kind == "quarter", w
    for w in ph.until:  # parsed, not found (a range's end, a data cut-off)
        assert parse(f"{w} 30/6/2026").kind == "before" and find(f"Số liệu tính {w} 30/6/2026.") is None, w
    for w in ph.on_day:
        f = find(f"Tổ chức ra quân {w} ngày 01/12/2025 trên toàn tỉnh.")
        assert f is not None and f.text == f"{w} ngày 01/12/2025" and parse(f.text).kind == "date", w
    for w, rule in ph.recurring.items():
        f = find(f"{w[0].upper()}{w[1:]}, các sở báo cáo Ủy ban nhân dân tỉnh.")
        assert f is not None and f.text.lower() == w and parse(f.text).recurrence == rule, w
    for w in ph.ongoing:
        f = find(f"{w[0].upper()}{w[1:]} kiểm tra, đôn đốc.")
        assert f is not None and parse(f.text).kind == "ongoing", w
    for w in deadline_labels():
        f = find(f"Xây dựng kế hoạch; {w}: 30/6/2026.")
        assert f is not None and f.text == f"{w}: 30/6/2026" and parse(f.text).kind == "date", w


# --------------------------------------------------------------------------- the phrase file


def _raw() -> dict:
    return yaml.safe_load(data_path("deadline_phrases.yaml").read_text(encoding="utf-8"))


def test_phrase_file_loads_through_its_schema():
    assert isinstance(phrases(), Phrases)


@pytest.mark.parametrize("key", sorted(Phrases.model_fields))
def test_a_missing_key_raises(key):
    d = _raw()
    del d[key]
    with pytest.raises(ValidationError):
        Phrases(**d)


def test_an_unknown_key_or_a_duplicate_raises():
    with pytest.raises(ValidationError):
        Phrases(**_raw(), colective_starts=["x"])
    d = _raw()
    d["before"] = d["before"] + [d["before"][0]]
    with pytest.raises(ValidationError):
        Phrases(**d)
    d = _raw()
    d["ongoing"] = d["ongoing"] + ["Thường Xuyên"]  # not written as match_key leaves it
    with pytest.raises(ValidationError):
        Phrases(**d)


def test_no_phrase_is_listed_twice_and_lists_do_not_overlap():
    ph = phrases()
    for name in ("ongoing", "conditional", "before", "until", "within", "on_day", "lead_verbs", "report_verbs"):
        words = getattr(ph, name)
        assert len(words) == len(set(words)), name
    assert not set(ph.before) & set(ph.until)
    assert ph.periodic not in ph.recurring


def test_every_key_is_read_by_the_code():
    src = Path(deadlines.__file__).read_text(encoding="utf-8")
    for key in Phrases.model_fields:
        assert f"ph.{key}" in src or f"phrases().{key}" in src, key
