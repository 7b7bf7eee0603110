"""Deadlines: Vietnamese time expressions -> kind, ISO interval, RRULE.

The grammar is ours (dateparser and ctparse were looked at: dateparser's
Vietnamese data has no quarters, halves, "hằng năm" or "trong vòng N ngày kể
từ", and ctparse has no Vietnamese at all).  Rules are tried in order; the
phrase lists are data (models/deadline_phrases.yaml).  RRULE strings are the
iCalendar form dateutil.rrule parses.

Kinds and intervals (inclusive):
  before  "trước ngày 15/12/2025"        end = the day, start = document date
  date    "ngày 20/11/2025"              start = end = the day
  month   "tháng 12/2025"                the month
  quarter "Quý I/2025"                   the quarter
  half_year "6 tháng đầu năm 2025"       the half
  year    "Năm 2026", "Cả năm 2025"      the year
  range   "2025-2030", "Quý III, Quý IV", "từ tháng 3 đến tháng 6/2025"
  recurring "hằng năm", "trước ngày 15/12 hằng năm" (RRULE, end null)
  ongoing "Thường xuyên"                 start = document date, end null
  relative "trong vòng 30 ngày kể từ ngày ban hành" (end = anchor + N when the anchor is known)
  conditional "Sau khi được phê duyệt", "Theo kế hoạch" (no dates)
  unknown anything else (the text is kept, nothing is guessed)
A day or month without a year takes the document's year (the plan year in
the title first) and says so in ``warnings``.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

import yaml

from ..data import data_path
from ..normalize import match_key


@lru_cache(maxsize=None)
def _phrases() -> dict:
    return yaml.safe_load(data_path("deadline_phrases.yaml").read_text(encoding="utf-8"))


@dataclass
class Parsed:
    kind: str = "unknown"
    start: Optional[date] = None
    end: Optional[date] = None
    recurrence: Optional[str] = None
    warnings: list[str] = field(default_factory=list)


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Q = r"(?:quý|quí|q)\s*(i{1,3}|iv|[1-4])\b"
_Y = r"(?:\s*(?:/|năm|-)\s*(\d{4}))?"
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?!\d)|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?")
_YEAR_RANGE = re.compile(r"(?:giai đoạn|từ năm|từ|năm)?\s*(\d{4})\s*(?:-|–|—|đến(?: hết)?(?: năm)?)\s*(?:năm\s+)?(\d{4})")


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _quarter(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), _last_day(y, 3 * q)


def _mk(y: Optional[int], m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d) if y else None
    except ValueError:
        return None


class _Ctx:
    def __init__(self, year: Optional[int], doc_date: Optional[date], plan_end: Optional[date] = None):
        self.year = year
        self.doc_date = doc_date
        self.plan_end = plan_end
        self.warnings: list[str] = []

    def infer(self, y: Optional[str]) -> Optional[int]:
        if y:
            return int(y)
        if self.year:
            self.warnings.append(f"year not given: {self.year} taken from the document")
        return self.year


def _dates(t: str, ctx: _Ctx) -> list[date]:
    out = []
    for m in _DATE.finditer(t):
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        dd = _mk(ctx.infer(y), int(mo), int(d))
        if dd:
            out.append(dd)
    return out


def _has(t: str, words: list[str]) -> Optional[str]:
    for w in sorted(words, key=len, reverse=True):
        if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", t):
            return w
    return None


def parse(text: str, year: Optional[int] = None, doc_date: Optional[date] = None, plan_end: Optional[date] = None) -> Parsed:
    """One deadline text -> Parsed.  Never raises.

    ``year``: for a day or month printed without one; ``plan_end``: the end of
    the plan's period ("giai đoạn 2026-2030"), the end of ongoing work.
    """
    try:
        return _parse(text, year, doc_date, plan_end)
    except (ValueError, OverflowError):
        return Parsed()


def _parse(text: str, year: Optional[int], doc_date: Optional[date], plan_end: Optional[date]) -> Parsed:
    t = match_key(text).replace("–", "-").replace("—", "-")
    t = re.sub(r"\s+", " ", t).strip(" .;,-")
    t = re.sub(r"^(?:vào|ngay trong|ngay) (?=ngày \d)", "", t)  # "vào ngày 01/12/2025": that day
    if not t:
        return Parsed()
    ctx = _Ctx(year, doc_date, plan_end)
    p = (
        _relative(t, ctx)
        or _conditional(t, ctx)
        or _ongoing_first(t, ctx)
        or _recurring(t, ctx)
        or _before(t, ctx)
        or _ongoing(t, ctx)
        or _conditional(t, ctx)
        or _ranges(t, ctx)
        or _quarters(t, ctx)
        or _half(t, ctx)
        or _months(t, ctx)
        or _year(t, ctx)
        or _single_date(t, ctx)
        or Parsed()
    )
    p.warnings = list(dict.fromkeys(p.warnings + ctx.warnings))
    return p


def _relative(t: str, ctx: _Ctx) -> Optional[Parsed]:
    m = re.search(r"trong (?:vòng |thời hạn |thời gian )?(\d{1,3}) ngày( làm việc)?[^.;]*?kể từ", t)
    if not m:
        return None
    p = Parsed("relative")
    anchored = re.search(r"kể từ ngày (?:kế hoạch|quyết định|văn bản|chỉ thị)[^.;]*(?:ban hành|ký)", t)
    if anchored and ctx.doc_date and not m.group(2):
        p.start, p.end = ctx.doc_date, ctx.doc_date + timedelta(days=int(m.group(1)))
    return p


def _recurring(t: str, ctx: _Ctx) -> Optional[Parsed]:
    words = _phrases()["recurring"]
    w = _has(t, list(words))
    if not w:
        return None
    rule = words[w]
    p = Parsed("recurring", recurrence=rule)
    days = [(int(m.group(1)), int(m.group(2))) for m in re.finditer(r"(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})(?!\s*/\s*\d{4})", t)]
    days = [(d, mo) for d, mo in days if 1 <= mo <= 12 and 1 <= d <= 31]
    if rule == "FREQ=YEARLY" and days:
        months = ",".join(str(mo) for mo in sorted({mo for _, mo in days}))
        mdays = ",".join(str(d) for d in sorted({d for d, _ in days}))
        p.recurrence = f"FREQ=YEARLY;BYMONTH={months};BYMONTHDAY={mdays}"
        y = ctx.year
        if y:
            d, mo = days[0]
            p.start = _mk(y, mo, d)
    elif rule == "FREQ=YEARLY":
        mm = re.search(r"tháng (\d{1,2})(?!\s*/\s*\d)", t)
        if mm and 1 <= int(mm.group(1)) <= 12:
            p.recurrence = f"FREQ=YEARLY;BYMONTH={int(mm.group(1))}"
    if _has(t, _phrases()["ongoing"]):
        p.kind = "recurring"
    return p


def _before(t: str, ctx: _Ctx) -> Optional[Parsed]:
    w = _has(t, _phrases()["before"])
    m_year = re.search(r"^(?:đến|trước)(?: hết)? năm (\d{4})$", t)
    if m_year:  # "Đến năm 2030"
        return Parsed("before", start=ctx.doc_date, end=date(int(m_year.group(1)), 12, 31))
    if not w:
        return None
    ds = _dates(t, ctx)
    if not ds:
        mm = re.search(r"(?:tháng (\d{1,2})\s*(?:/|năm)\s*(\d{4}))", t)
        if mm:
            end = _last_day(int(mm.group(2)), int(mm.group(1)))
            return Parsed("before", start=ctx.doc_date if ctx.doc_date and ctx.doc_date <= end else None, end=end)
        return None
    end = max(ds)
    return Parsed("before", start=ctx.doc_date if ctx.doc_date and ctx.doc_date <= end else None, end=end)


def _ongoing(t: str, ctx: _Ctx) -> Optional[Parsed]:
    if _has(t, _phrases()["ongoing"]) and not _DATE.search(t) and not re.search(r"\d{4}", t):
        return Parsed("ongoing", start=ctx.doc_date, end=ctx.plan_end)
    return None


def _ongoing_first(t: str, ctx: _Ctx) -> Optional[Parsed]:
    """'Thường xuyên, định kỳ hằng quý báo cáo ...': ongoing, with the recurrence noted."""
    w = _has(t[:14], _phrases()["ongoing"])
    if not w or not t.startswith(w):
        return None
    rec = _recurring(t, ctx)
    return Parsed("ongoing", start=ctx.doc_date, end=ctx.plan_end, recurrence=rec.recurrence if rec else None)


def _conditional(t: str, ctx: _Ctx) -> Optional[Parsed]:
    for w in _phrases()["conditional"]:
        if t.startswith(w):
            return Parsed("conditional")
    if not re.search(r"\d", t) and re.search(r"\btheo (?:lộ trình|kế hoạch|tiến độ|hướng dẫn)\b", t):
        return Parsed("conditional")  # "Triển khai đảm bảo theo lộ trình, hướng dẫn của Bộ, ngành"
    return None


def _ranges(t: str, ctx: _Ctx) -> Optional[Parsed]:
    m = re.search(r"từ tháng (\d{1,2})(?:\s*/\s*(\d{4}))? đến (?:hết )?tháng (\d{1,2})\s*(?:/|năm)\s*(\d{4})", t)
    if m:
        y2 = int(m.group(4))
        y1 = int(m.group(2)) if m.group(2) else y2
        return Parsed("range", start=date(y1, int(m.group(1)), 1), end=_last_day(y2, int(m.group(3))))
    m = re.search(r"^(?:từ )?(?:tháng )?(\d{1,2})\s*/\s*(\d{4}) đến (?:khi|hết)", t)
    if m:  # "Từ tháng 11/2025 đến khi kết thúc ..."
        return Parsed("range", start=date(int(m.group(2)), int(m.group(1)), 1))
    m = re.search(r"tháng (\d{1,2})\s*(?:-|,|và|đến)\s*(?:tháng )?(\d{1,2})\s*(?:/|năm)\s*(\d{4})", t)
    if m:  # "Tháng 11 - 12/2025", "Tháng 11, 12/2013"
        y = int(m.group(3))
        return Parsed("range", start=date(y, int(m.group(1)), 1), end=_last_day(y, int(m.group(2))))
    m = re.search(r"năm (\d{4}) và (?:các|những) năm tiếp theo", t)
    if m:
        return Parsed("range", start=date(int(m.group(1)), 1, 1))
    open_end = re.search(r"(?:và )?(?:(?:các|những) năm tiếp theo|tiếp theo|trở đi)\s*$", t)
    m = re.search(r"^từ (?:ngày )?(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})(?!.*đến)", t)
    if m:
        (d,) = _dates(m.group(1), ctx)
        return Parsed("range", start=d)
    m = re.search(r"^từ tháng (\d{1,2})\s*(?:/|năm)\s*(\d{4})(?!.*đến tháng)", t)
    if m:
        return Parsed("range", start=date(int(m.group(2)), int(m.group(1)), 1))
    m = _YEAR_RANGE.search(t)
    if m and open_end and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 30:
        return Parsed("range", start=date(int(m.group(1)), 1, 1))
    m = re.search(r"(?:từ|bắt đầu)(?: triển khai)?(?: từ)? năm (\d{4})(?!\s*(?:-|đến))", t)
    if m:
        return Parsed("range", start=date(int(m.group(1)), 1, 1))
    m = _YEAR_RANGE.search(t)
    if m and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 30:
        return Parsed("range", start=date(int(m.group(1)), 1, 1), end=date(int(m.group(2)), 12, 31))
    return None


def _quarters(t: str, ctx: _Ctx) -> Optional[Parsed]:
    qs = [ROMAN[m.group(1)] for m in re.finditer(_Q, t)]
    if not qs:
        return None
    # a bare numeral after a quarter ("Quý III, IV/2026") is another quarter
    qs += [ROMAN[m.group(1)] for m in re.finditer(r",\s*(i{1,3}|iv)\b(?!\s*quý)", t)]
    years = [int(y) for y in re.findall(r"(?:/|năm|-)\s*(\d{4})", t)]
    y = years[-1] if years else ctx.infer(None)
    if not y:
        return Parsed("quarter" if len(set(qs)) == 1 else "range")
    y1 = years[0] if len(years) > 1 else y
    lo, hi = min(qs), max(qs)
    if len(set(qs)) == 1 and y1 == y:
        s, e = _quarter(y, qs[0])
        return Parsed("quarter", start=s, end=e)
    p = Parsed("range", start=_quarter(y1, qs[0] if y1 != y else lo)[0], end=_quarter(y, qs[-1] if y1 != y else hi)[1])
    if y1 == y and sorted(set(qs)) != list(range(lo, hi + 1)):
        p.warnings.append("quarters are not contiguous: one interval covers them")
    return p


def _half(t: str, ctx: _Ctx) -> Optional[Parsed]:
    m = re.search(r"(6|9) tháng (đầu|cuối) năm(?: (\d{4}))?", t)
    if not m:
        return None
    y = ctx.infer(m.group(3))
    if not y:
        return Parsed("half_year")
    if m.group(1) == "9":
        return Parsed("range", start=date(y, 1, 1), end=date(y, 9, 30))
    if m.group(2) == "đầu":
        return Parsed("half_year", start=date(y, 1, 1), end=date(y, 6, 30))
    return Parsed("half_year", start=date(y, 7, 1), end=date(y, 12, 31))


def _months(t: str, ctx: _Ctx) -> Optional[Parsed]:
    mm = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", t)  # a cell holding "12/2025"
    if mm and 1 <= int(mm.group(1)) <= 12:
        y, mo = int(mm.group(2)), int(mm.group(1))
        return Parsed("month", start=date(y, mo, 1), end=_last_day(y, mo))
    m = re.search(r"tháng (\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?(?!\s*\d)", t)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    if re.match(r"^\d{1,2}\s*/\s*\d{1,2}", t):
        return None
    y = ctx.infer(m.group(2))
    if not y:
        return Parsed("month")
    mo = int(m.group(1))
    return Parsed("month", start=date(y, mo, 1), end=_last_day(y, mo))


def _year(t: str, ctx: _Ctx) -> Optional[Parsed]:
    if re.fullmatch(r"(?:cả năm|trong năm|năm nay|hoàn thành trong năm)", t):
        y = ctx.infer(None)
        return Parsed("year", start=date(y, 1, 1), end=date(y, 12, 31)) if y else Parsed("year")
    m = re.search(r"(?:^|năm |cả năm |trong năm |cuối năm |đầu năm )(\d{4})(?!\s*[-/]\s*\d)", t)
    if not m:
        return None
    y = int(m.group(1))
    if not 1990 <= y <= 2100:
        return None
    p = Parsed("year", start=date(y, 1, 1), end=date(y, 12, 31))
    if re.search(r"(cuối|đầu) năm", t):
        p.warnings.append("vague: the whole year is given")
    return p


def _single_date(t: str, ctx: _Ctx) -> Optional[Parsed]:
    ds = _dates(t, ctx)
    if len(ds) == 1 and re.match(r"^(?:ngày\s+)?\d", t):
        return Parsed("date", start=ds[0], end=ds[0])
    return None


def plan_end(title: Optional[str]) -> Optional[date]:
    """The end of the plan's period from its title ("giai đoạn 2026 - 2030", "đến năm 2030")."""
    if not title:
        return None
    m = re.search(r"(\d{4})\s*[-–]\s*(\d{4})|đến năm (\d{4})", title, re.I)
    if not m:
        return None
    return date(int(m.group(2) or m.group(3)), 12, 31)


def plan_year(title: Optional[str], doc_date: Optional[str]) -> Optional[int]:
    """The year a day without a year belongs to: the plan year in the title, else the document's."""
    if title:
        m = re.search(r"(?<!đến )(?<!giai đoạn )năm (\d{4})\b(?!\s*[-–])", title, re.I)
        if m:
            return int(m.group(1))
    if doc_date:
        return int(doc_date[:4])
    if title:
        years = re.findall(r"\b(20\d{2})\b", title)
        if years:
            return int(years[-1])
    return None


def fill(dl, year: Optional[int], doc_date: Optional[date], end_of_plan: Optional[date] = None) -> list[str]:
    """Parse a schema Deadline's text (and its actors') in place; returns warnings."""
    warnings: list[str] = []
    for a in dl.actors:
        warnings += fill(a.deadline, year, doc_date, end_of_plan)
    p = parse(dl.text, year, doc_date, end_of_plan)
    dl.kind, dl.recurrence = p.kind, p.recurrence
    dl.start = p.start.isoformat() if p.start else None
    dl.end = p.end.isoformat() if p.end else None
    dated = [a.deadline for a in dl.actors if a.deadline.end]
    if dated:  # several actors: the task is due when the last of them is
        last = max(dated, key=lambda d: d.end)
        dl.kind, dl.end = last.kind, last.end
        dl.start = min((d.start for d in dated if d.start), default=None)
    return warnings + [f"'{dl.text[:60]}': {w}" for w in p.warnings]
