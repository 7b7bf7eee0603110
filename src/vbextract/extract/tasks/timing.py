"""The timing a prose task states about itself, as written (deadlines.py parses it).

TEMPORARY: a second finder beside deadlines.py's grammar; deadlines.find replaces it."""
from __future__ import annotations

import re
from typing import Optional

from ...schema import Deadline
from .paragraphs import Para

_DEADLINE_IN_TEXT = re.compile(
    r"(?:vào|ngay trong)\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}|"  # "triển khai ngay ... vào ngày 01/12/2025": the day it happens
    r"(?:(?:hoàn thành|xong|báo cáo[^.;]{0,60}?|gửi[^.;]{0,60}?)\s+)?(?:trước|chậm nhất|trong)\s+(?:ngày\s+\d{1,2}(?:/\d{1,2}(?:/\d{4})?|\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)|tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?|quý\s+[IVX\d]+(?:/\d{4}|\s+năm\s+\d{4})?|năm\s+\d{4})(?:\s+h[àằ]ng\s+năm)?",
    re.I,
)


_PROSE_TIMING = [
    re.compile(r"^(?:Thường xuyên|thường xuyên)\b"),  # a bullet opening with "Thường xuyên ..."
    re.compile(r"^(?:[Đđ]ịnh kỳ|[Hh][ằà]ng năm)\b[^,;:]{0,120}?h[ằà]ng (?:năm|quý|tháng)"),  # "Định kỳ vào ngày 15 tháng 5 và ... hàng năm"
    re.compile(r"^[Đđ]ịnh kỳ\b[^,;:]{0,60}?\d{1,2}(?:/\d{1,2}| tháng \d{1,2})"),
    re.compile(r"trong (?:vòng |thời hạn )?\d{1,3} ngày(?: làm việc)?[^.;]{0,80}?kể từ(?: ngày)?[^.;,]{0,60}"),
    _DEADLINE_IN_TEXT,
    # "Hằng năm, ...", "định kỳ hằng quý", "Định kỳ 6 tháng": the task's own rhythm
    re.compile(r"(?:^|(?<=[.;,]\s))(?:[Đđ]ịnh kỳ\s+)?(?:[Hh][ằà]ng|mỗi)\s+(?:năm|quý|tháng|tuần)|[Đđ]ịnh kỳ\s+(?:6 tháng|h[ằà]ng\s+(?:năm|quý|tháng))"),
]


def prose_deadline(text: str, p: Para, base: int = 0) -> Optional[Deadline]:
    """The timing a prose task states about itself, as written (parsed later)."""
    for pat in _PROSE_TIMING:
        m = pat.search(text)
        if not m:
            continue
        start, end = m.start(), m.end()
        if pat is _DEADLINE_IN_TEXT and not re.search(r"\d{4}", m.group(0)):
            # a day without a year next to "hằng năm" is a yearly deadline:
            # "trước ngày 15 tháng 12 hằng năm", "(hằng năm, trước ngày 15 tháng 12)"
            tail = re.match(r"[^.;]{0,30}?\s(h[ằà]ng (?:năm|quý|tháng))", text[end:])
            head = list(re.finditer(r"[Hh][ằà]ng (?:năm|quý|tháng)[^.;]{0,60}$", text[max(0, start - 70):start]))
            if tail:
                end += tail.end()
            elif head:
                start = max(0, start - 70) + head[-1].start()
        return Deadline(text=text[start:end], kind="unknown", source=p.src(base + start, base + end))
    return None


