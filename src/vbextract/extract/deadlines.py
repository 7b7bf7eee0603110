"""Deadlines: Vietnamese time expressions -> kind, ISO interval, RRULE; and
the timing a prose task states about itself, found with the same grammar.

The grammar is ours (dateparser and ctparse were looked at: dateparser's
Vietnamese data has no quarters, halves, "hằng năm" or "trong vòng N ngày kể
từ", and ctparse has no Vietnamese at all).  Rules are tried in order; the
phrase lists are data (models/deadline_phrases.yaml, validated by
``Phrases``).  RRULE strings are the iCalendar form dateutil.rrule parses.

One grammar, two uses: the named pieces below (``DATE``, ``QUARTER``,
``MONTH``, ``YEAR``, ``RELATIVE``, the phrase lists) are what ``parse``
interprets and what ``find`` looks for in a sentence, so a wording added
once is both found and parsed.  ``find`` only returns a text that ``parse``
gives a kind (never "unknown").

Kinds and intervals (inclusive):
  before  "trước ngày 15/12/2025"        end = the day, start = document date
  date    "ngày 20/11/2025"              start = end = the day
  month   "tháng 12/2025"                the month
  quarter "Quý I/2025"                   the quarter
  half_year "6 tháng đầu năm 2025"       the half
  year    "Năm 2026", "Cả năm 2025"      the year
  range   "2025-2030", "Quý III, Quý IV", "từ tháng 3 đến tháng 6/2025"
  recurring "hằng năm", "hằng ngày", "trước ngày 15/12 hằng năm" (RRULE, end null)
  ongoing "Thường xuyên"                 start = document date, or the year it
                                         starts ("từ năm 2026 và thực hiện thường
                                         xuyên"); end = the end of the plan's period
                                         when the title states one, else null
  relative "trong vòng 30 ngày kể từ ngày ban hành" (end = anchor + N when the anchor is known)
  conditional "Sau khi được phê duyệt", "Theo kế hoạch" (no dates)
  unknown anything else (the text is kept, nothing is guessed)
A day or month without a year takes the document's year (the plan year in
the title first) and says so in ``warnings``; with no year at all the kind
is still given, without dates.  A deadline label in front ("Thời hạn hoàn
thành: 30/6/2026") is read past: the value is parsed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

import yaml
from dateutil.rrule import rrulestr
from pydantic import BaseModel, ConfigDict, field_validator

from ..data import data_path
from ..normalize import match_key, unify_tones


class Phrases(BaseModel):
    """models/deadline_phrases.yaml.  Every phrase is written as ``match_key``
    leaves it (lower case, old tone convention, single spaces)."""

    model_config = ConfigDict(extra="forbid")
    ongoing: list[str]
    conditional: list[str]
    recurring: dict[str, str]
    periodic: str
    before: list[str]
    until: list[str]
    within: list[str]
    on_day: list[str]
    lead_verbs: list[str]
    report_verbs: list[str]

    @field_validator("ongoing", "conditional", "before", "until", "within", "on_day", "lead_verbs", "report_verbs")
    @classmethod
    def _distinct_keys(cls, v: list[str]) -> list[str]:
        dup = sorted({w for w in v if v.count(w) > 1})
        if dup:
            raise ValueError(f"listed twice: {dup}")
        for w in v:
            _check_key(w)
        return v

    @field_validator("recurring")
    @classmethod
    def _rrules(cls, v: dict[str, str]) -> dict[str, str]:
        for w, rule in v.items():
            _check_key(w)
            rrulestr(rule, dtstart=date(2025, 1, 1))
        return v

    @field_validator("periodic")
    @classmethod
    def _periodic(cls, v: str) -> str:
        return _check_key(v)


def _check_key(w: str) -> str:
    if not w or w != match_key(w):
        raise ValueError(f"{w!r} is not written as match_key leaves it ({match_key(w)!r})")
    return w


@lru_cache(maxsize=None)
def phrases() -> Phrases:
    """Load and validate models/deadline_phrases.yaml (cached)."""
    return Phrases(**yaml.safe_load(data_path("deadline_phrases.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=None)
def deadline_labels() -> tuple[str, ...]:
    """The labels that introduce a deadline ("Thời hạn hoàn thành", "Tiến độ"): the
    LABEL_DEADLINE block of models/lexicon.yaml, the one list the task grammar reads too."""
    from ..lexicon import words

    return tuple(match_key(w) for w in words("LABEL_DEADLINE"))


# --------------------------------------------------------------------------- pieces
# Regex pieces over match-key text (lower case, one tone convention).  Spaces
# are written \s+ so a piece works on parse's collapsed text and on find's
# text, which keeps the document's spacing (and offsets).

# 30/6/2026, 15/12, 30.6.2026; not a count of days ("6-8 ngày làm việc", "3-6 tháng")
DMY = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?!\d)(?!\s*(?:ngày|tuần|tháng)(?!\w))"
DMY_WORDS = r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"  # ngày 15 tháng 12 năm 2025
DATE = DMY + "|" + DMY_WORDS
QUARTER = r"(?:quý|quí|q)\s*(i{1,3}|iv|[1-4])\b"  # Quý I, quý 3, Q4
MONTH = r"tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?"  # tháng 12, tháng 12/2025, tháng 12 năm 2025
YEAR = r"năm\s+(\d{4})"  # năm 2026
RELATIVE = (
    r"trong\s+(?:vòng\s+|thời hạn\s+|thời gian\s+)?(\d{1,3})\s+ngày(\s+làm\s+việc)?"  # trong vòng 30 ngày (làm việc)
)
SINCE = r"kể\s+từ"  # ... kể từ ngày ban hành
RECUR_EVERY = r"(?:hằng|hàng)\s+(?:năm|quý|tháng)"  # the rhythm word a yearless day reaches for


def _phrase(w: str) -> str:
    """A phrase of the YAML as a pattern: its words, any spacing between."""
    return r"\s+".join(re.escape(x) for x in w.split())


def _alt(words) -> str:
    """Phrases as one alternation, longest first."""
    return "(?:" + "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=None)
def _word_re(w: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _phrase(w) + r"(?!\w)")


_DATE = re.compile(DATE)
_YEAR_RANGE = re.compile(
    r"(?:giai đoạn|từ năm|từ|năm)?\s*(\d{4})\s*(?:-|–|—|đến(?: hết)?(?: năm)?)\s*(?:năm\s+)?(\d{4})"
)


@dataclass
class Parsed:
    kind: str = "unknown"
    start: Optional[date] = None
    end: Optional[date] = None
    recurrence: Optional[str] = None
    warnings: list[str] = field(default_factory=list)


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


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


def _undated_days(t: str, ctx: _Ctx) -> int:
    """How many days printed without a year there are when no year is known either."""
    if ctx.year:
        return 0
    n = 0
    for m in _DATE.finditer(t):
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        n += not y and 1 <= int(mo) <= 12 and 1 <= int(d) <= 31
    return n


def _recurring_words() -> dict[str, str]:
    """Recurrence phrase -> RRULE; the bare periodic word ("định kỳ") last: yearly."""
    return {**phrases().recurring, phrases().periodic: "FREQ=YEARLY"}


@lru_cache(maxsize=None)
def _LABEL_HEAD() -> re.Pattern[str]:
    return re.compile(r"^" + _alt(deadline_labels()) + r"\s*:\s*")


@lru_cache(maxsize=None)
def _ON_DAY_HEAD() -> re.Pattern[str]:
    return re.compile(r"^" + _alt(phrases().on_day) + r" (?=ngày \d)")


def _has(t: str, words: list[str]) -> Optional[str]:
    for w in sorted(words, key=len, reverse=True):
        if _word_re(w).search(t):
            return w
    return None


def parse(
    text: str, year: Optional[int] = None, doc_date: Optional[date] = None, plan_end: Optional[date] = None
) -> Parsed:
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
    t = _LABEL_HEAD().sub("", t)  # "thời hạn hoàn thành: 30/6/2026": the value
    t = _ON_DAY_HEAD().sub("", t)  # "vào ngày 01/12/2025", "trong ngày 20/11/2025": that day
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
    m = re.search(RELATIVE + r"[^.;]*?" + SINCE, t)
    if not m:
        return None
    p = Parsed("relative")
    anchored = re.search(r"kể từ ngày (?:kế hoạch|quyết định|văn bản|chỉ thị)[^.;]*(?:ban hành|ký)", t)
    if anchored and ctx.doc_date and not m.group(2):
        p.start, p.end = ctx.doc_date, ctx.doc_date + timedelta(days=int(m.group(1)))
    return p


def _recurring(t: str, ctx: _Ctx) -> Optional[Parsed]:
    words = _recurring_words()
    w = _has(t, list(words))
    if not w:
        return None
    rule = words[w]
    p = Parsed("recurring", recurrence=rule)
    days = [
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(r"(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})(?!\s*/\s*\d{4})", t)
    ]
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
    if _has(t, phrases().ongoing):
        p.kind = "recurring"
    return p


def _before(t: str, ctx: _Ctx) -> Optional[Parsed]:
    w = _has(t, phrases().before + phrases().until)
    m_year = re.search(r"^(đến|trước)( hết)? năm (\d{4})$", t)
    if m_year:  # "Đến năm 2030" ends 2030-12-31; "trước năm 2030" ends 2029-12-31
        y = int(m_year.group(3)) - (m_year.group(1) == "trước" and not m_year.group(2))
        return Parsed("before", start=ctx.doc_date, end=date(y, 12, 31))
    if not w:
        return None
    ds = _dates(t, ctx)
    if rng := _day_range(t, ctx):
        return rng
    if not ds:
        mm = re.search(r"(?:tháng (\d{1,2})\s*(?:/|năm)\s*(\d{4}))", t)
        if mm:
            end = _last_day(int(mm.group(2)), int(mm.group(1)))
            return Parsed("before", start=ctx.doc_date if ctx.doc_date and ctx.doc_date <= end else None, end=end)
        if _undated_days(t, ctx):  # "trước ngày 30/9" and no year known: by a day, undated
            return Parsed("before")
        return None
    end = max(ds)
    return Parsed("before", start=ctx.doc_date if ctx.doc_date and ctx.doc_date <= end else None, end=end)


def _ongoing(t: str, ctx: _Ctx) -> Optional[Parsed]:
    if not _has(t, phrases().ongoing):
        return None
    if not _DATE.search(t) and not re.search(r"\d{4}", t):
        return Parsed("ongoing", start=ctx.doc_date, end=ctx.plan_end)
    m = re.search(r"\btừ (?:năm )?(\d{4})\b(?!\s*(?:-|đến))", t)
    if m and not re.search(r"\bđến\b", t):  # "Triển khai từ năm 2026 và thực hiện thường xuyên"
        return Parsed("ongoing", start=date(int(m.group(1)), 1, 1), end=ctx.plan_end)
    return None


def _ongoing_first(t: str, ctx: _Ctx) -> Optional[Parsed]:
    """'Thường xuyên, định kỳ hằng quý báo cáo ...': ongoing, with the recurrence noted."""
    w = _has(t[:14], phrases().ongoing)
    if not w or not t.startswith(w):
        return None
    rec = _recurring(t, ctx)
    return Parsed("ongoing", start=ctx.doc_date, end=ctx.plan_end, recurrence=rec.recurrence if rec else None)


def _conditional(t: str, ctx: _Ctx) -> Optional[Parsed]:
    for w in phrases().conditional:
        if t.startswith(w):
            return Parsed("conditional")
    if not re.search(r"\d", t) and re.search(r"\btheo (?:lộ trình|kế hoạch|tiến độ|hướng dẫn)\b", t):
        return Parsed("conditional")  # "Triển khai đảm bảo theo lộ trình, hướng dẫn của Bộ, ngành"
    return None


def _day_range(t: str, ctx: _Ctx) -> Optional[Parsed]:
    """'Từ ngày 01/7/2025 đến ngày 31/12/2025', 'từ 15/3 đến 30/4/2026': from one day to another."""
    m = re.search(
        r"\btừ (?:ngày )?(\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?) đến (?:hết )?(?:ngày )?(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})",
        t,
    )
    if not m:
        return None
    end = _dates(m.group(2), ctx)
    one = m.group(1) if m.group(1).count("/") == 2 or not end else f"{m.group(1)}/{end[0].year}"
    first = _dates(one, ctx)
    if len(first) == 1 and len(end) == 1 and first[0] <= end[0]:
        return Parsed("range", start=first[0], end=end[0])
    return None


def _ranges(t: str, ctx: _Ctx) -> Optional[Parsed]:
    if p := _day_range(t, ctx):
        return p
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
    qs = [ROMAN[m.group(1)] for m in re.finditer(QUARTER, t)]
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
    m = re.search(MONTH + r"(?!\s*\d)", t)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    if re.match(r"^\d{1,2}\s*/\s*\d{1,2}", t):
        return None
    year = ctx.infer(m.group(2))
    if not year:
        return Parsed("month")
    y = year
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
    if not ds and _undated_days(t, ctx) == 1 and re.match(r"^(?:ngày\s+)?\d", t):
        return Parsed("date")  # "ngày 20/11" and no year known
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


# --------------------------------------------------------------------------- find


@dataclass(frozen=True)
class Found:
    """A deadline found in a sentence: ``text == sentence[start:end]``, and
    ``rule`` names the find rule that found it."""

    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    yearless_rhythm: bool = False  # a day without a year reaches for a "hằng năm" nearby


def _find_key(text: str) -> str:
    """``text`` as the pieces read it, offset for offset: lower case, one tone
    convention, every space character a space, dashes as "-"."""
    k = unify_tones(text)
    k = k.lower() if len(k.lower()) == len(k) else "".join(c.lower() if len(c.lower()) == 1 else c for c in k)
    k = re.sub(r"\s", " ", k).replace("–", "-").replace("—", "-")
    return k if len(k) == len(text) else text.lower() if len(text.lower()) == len(text) else text


@lru_cache(maxsize=None)
def find_rules() -> tuple[tuple[_Rule, ...], ...]:
    """The find rules, in tiers of priority.  The first tier with a match
    anywhere in the sentence wins (not the leftmost match over all rules);
    within a tier the leftmost match does, then the rule listed first."""
    ph = phrases()
    recur = _alt(ph.recurring)
    periodic = _phrase(ph.periodic)
    # what may follow a before/within word: a day, a month, a quarter, a year
    when = (
        r"(?:(?:ngày\s+)?(?:" + DMY + r")"
        r"|" + DMY_WORDS + r"|ngày\s+\d{1,2}(?=\s+" + recur + r")"  # "trước ngày 20 hằng tháng"
        r"|" + MONTH + r"|" + QUARTER + r"(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?"
        r"|" + YEAR + r")"
    )
    verbs = (
        r"(?:"
        + _alt(ph.lead_verbs)
        + r"|"
        + _alt(ph.report_verbs)
        + r"[^.;]{0,60}?)\s+(?!"
        + _alt(ph.lead_verbs)
        + r"(?!\w))"
    )
    lead = r"(?<!\w)" + _alt(ph.before + ph.within) + r"(?:\s+(?:là|vào))*\s+"
    full_date = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}(?!\d)"
    labels = _alt(deadline_labels())
    return (
        # a bullet opening with "Thường xuyên ..."
        (_Rule("ongoing_opening", re.compile(r"^" + _alt(ph.ongoing) + r"(?!\w)")),),
        # "Định kỳ vào ngày 15 tháng 5 và ngày 15 tháng 11 hàng năm", "Hằng năm, trước ngày 15/12 ... hằng năm"
        (
            _Rule(
                "periodic_opening",
                re.compile(
                    r"^(?:"
                    + periodic
                    + r"|"
                    + _alt(w for w, r in ph.recurring.items() if r == "FREQ=YEARLY")
                    + r")(?!\w)[^,;:]{0,120}?"
                    + RECUR_EVERY
                ),
            ),
        ),
        # "Định kỳ trước ngày 15/12, ..."
        (
            _Rule(
                "periodic_opening_day",
                re.compile(r"^" + periodic + r"(?!\w)[^,;:]{0,60}?\d{1,2}(?:/\d{1,2}|\s+tháng\s+\d{1,2})"),
            ),
        ),
        # "trong vòng 30 ngày kể từ ngày Kế hoạch được ban hành"
        (_Rule("relative", re.compile(RELATIVE + r"[^.;]{0,80}?" + SINCE + r"(?:\s+ngày)?[^.;,]{0,60}")),),
        (
            # "vào ngày 01/12/2025": the day it happens
            _Rule("on_day", re.compile(r"(?<!\w)" + _alt(ph.on_day) + r"\s+ngày\s+" + full_date)),
            # "hoàn thành chậm nhất vào ngày 30/6/2026", "báo cáo ... trước 15/12 hằng năm", "trong quý I/2026"
            _Rule(
                "before",
                re.compile(r"(?:" + verbs + r")?" + lead + when + r"(?:\s+" + recur + r")?"),
                yearless_rhythm=True,
            ),
        ),
        # "Hằng năm, ...", "định kỳ hằng quý", "Định kỳ 6 tháng": the task's own rhythm
        (
            _Rule(
                "rhythm",
                re.compile(
                    r"(?:^|(?<=[.;,]\s))(?:" + periodic + r"\s+)?" + recur + r"(?!\w)"
                    r"|" + periodic + r"\s+" + recur + r"(?!\w)"
                ),
            ),
        ),
        # "...; thời hạn hoàn thành: 30/6/2026": a deadline label inside the sentence, with its value
        (_Rule("label", re.compile(r"(?<!\w)" + labels + r"\s*:\s*[^.;:\n]{1,80}?(?=\s*(?:[.;]\s|[.;]?\s*$|\n))")),),
    )


# how far before a yearless day its "hằng năm" may stand, in the same sentence
# ("Hàng năm, các cơ quan ... gửi báo cáo ... (trước ngày 11/12)")
YEARLESS_HEAD_REACH = 160


def _yearless_rhythm(key: str, start: int, end: int) -> tuple[int, int]:
    """A day without a year next to "hằng năm" is a yearly deadline: "trước
    ngày 15 tháng 12 hằng năm", "(hằng năm, trước ngày 15 tháng 12)"."""
    if re.search(r"\d{4}", key[start:end]):
        return start, end
    tail = re.match(r"[^.;]{0,30}?\s(" + RECUR_EVERY + ")", key[end:])
    if tail:
        return start, end + tail.end()
    lo = max(0, start - YEARLESS_HEAD_REACH - 10)
    head = list(re.finditer(RECUR_EVERY + r"[^.;]{0,%d}$" % YEARLESS_HEAD_REACH, key[lo:start]))
    if head:
        return lo + head[-1].start(), end
    return start, end


def find_all(text: str) -> list[Found]:
    """Every candidate of every rule that parses, in priority order: tier,
    then where the rule matched (before a yearless day is widened to its
    "hằng năm"), then the rule's place in its tier."""
    key = _find_key(text)
    out: list[Found] = []
    for tier in find_rules():
        got: list[tuple[int, int, Found]] = []
        for i, rule in enumerate(tier):
            for m in rule.pattern.finditer(key):
                s, e = m.start(), m.end()
                if rule.yearless_rhythm:
                    s, e = _yearless_rhythm(key, s, e)
                s, e = _trim(text, s, e)
                if e > s and parse(text[s:e]).kind != "unknown":
                    got.append((m.start(), i, Found(s, e, text[s:e], rule.name)))
        out += [f for _, _, f in sorted(got, key=lambda g: g[:2])]
    return out


def find(text: str) -> Optional[Found]:
    """The timing a prose task states about itself, or None: the first match
    of the first tier of ``find_rules`` that matches, as long as ``parse``
    gives it a kind."""
    got = find_all(text)
    return got[0] if got else None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and text[e - 1].isspace():
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    return s, e
