"""Legal references: citation forms from real lines, merging, what must not match."""

import pytest

from vbextract.extract.legal import extract_legal_refs
from vbextract.ingest import txt


def refs_of(text: str, own: str | None = None):
    raw = txt.read(text.encode("utf-8"), "t.txt")
    return extract_legal_refs(raw, own), raw


# fmt: off
CITATIONS = [  # line, (symbol, doc_type, date, number, year)
    ("Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ;", ("59/2012/NĐ-CP", "NĐ", "2012-07-23", "59", 2012)),
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;", ("72/2025/QH15", "L", None, "72", 2025)),  # C:22
    ("Thực hiện Quyết định số 411/QĐ-TTg của Thủ tướng Chính phủ ngày 31/3/2022", ("411/QĐ-TTg", "QĐ", None, "411", None)),
    ("Chỉ thị số 10/CT-TTg ngày 19/4/2018", ("10/CT-TTg", "CT", "2018-04-19", "10", None)),
    ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị", ("57-NQ/TW", "NQ", "2024-12-22", "57", None)),
    ("Nghị quyết số 01-NQ/TU ngày 04/11/2021 của Tỉnh ủy Quảng Trị", ("01-NQ/TU", "NQ", "2021-11-04", "01", None)),  # S:003
    ("Kết luận số 155-KL/TW", ("155-KL/TW", "KL", None, "155", None)),
    ("Kế hoạch 253/KH-UBND ngày 17 tháng 6 năm 2024", ("253/KH-UBND", "KH", "2024-06-17", "253", None)),           # S:004, no "số"
    ("Văn bản số 4250/BNNMT-ĐCKS ngày 29/4/2026 của Bộ Nông nghiệp và Môi trường", ("4250/BNNMT-ĐCKS", "CV", "2026-04-29", "4250", None)),  # C:38
    ("Thông tư số 92/2009/TT- BTC", ("92/2009/TT-BTC", "TT", None, "92", 2009)),                                  # C:05, space inside
    ("Nghị định số 78/2021/NĐ -CP", ("78/2021/NĐ-CP", "NĐ", None, "78", 2021)),                                   # C:23
    ("Tờ trình số 133/TTr-SKHCN", ("133/TTr-SKHCN", "TTr", None, "133", None)),
    ("Kế hoạch số 3647/QĐ-UBND ngày 17/11/2021", ("3647/QĐ-UBND", "KH", "2021-11-17", "3647", None)),            # S:003: word != code
    ("Công văn số 15972/SXD-QLN& TTBĐS ngày 20/10/2025", ("15972/SXD-QLN&TTBĐS", "CV", "2025-10-20", "15972", None)),  # C:34, space after '&'
    ("Chỉ thị số 27/CTTg", ("27/CT-TTg", "CT", None, "27", None)),                                               # C:13, misprinted TTg code normalised
    ("Nghị quyết số 66.2/2025/NQ-CP", ("66.2/2025/NQ-CP", "NQ", None, "66.2", 2025)),                              # C:22
]
NOT_CITATIONS = [
    "Hà Nội, ngày 15/12/2025",
    "đạt tỷ lệ 2.269/6.974 ĐKKD",
    "Giai đoạn 2025-2030",
    "Hotline: 0906.229966",
    "COVID-19 và các dịch bệnh",
]
# fmt: on


@pytest.mark.parametrize("line,expected", CITATIONS)
def test_citation_forms(line, expected):
    refs, _ = refs_of(line)
    r = refs[0]
    assert (r.symbol, r.doc_type, r.date, r.number, r.year) == expected


@pytest.mark.parametrize("line", NOT_CITATIONS)
def test_not_citations(line):
    refs, _ = refs_of(line)
    assert [r.symbol for r in refs if r.symbol] == []


def test_mentions_merge_and_own_symbol_is_skipped():
    text = (
        "Số: 09/KH-VP\nThực hiện Kế hoạch số 1407/KH-UBND ngày 16/10/2025 của UBND tỉnh về nâng cao chỉ số PCI;\n"
        "Các mục tiêu tại Kế hoạch số 1407/KH-UBND được giao.\nKế hoạch 09/KH-VP này có hiệu lực."
    )
    refs, raw = refs_of(text, own="09/KH-VP")
    (r,) = [x for x in refs if x.symbol]
    assert r.symbol == "1407/KH-UBND" and len(r.mentions) == 2
    assert [x.kind for x in r.relations] == ["implements"]
    assert r.issuer.name == "Ủy ban nhân dân tỉnh" and r.title.startswith("nâng cao chỉ số PCI")
    assert raw.text[r.mentions[1].start : r.mentions[1].end].startswith("Kế hoạch số 1407/KH-UBND")


def test_a_mention_without_its_dash_joins_the_full_form():  # C:13, footnote "27/CTTg"
    text = (
        "Thực hiện Chỉ thị số 27/CT-TTg ngày 15/8/2024 của Thủ tướng Chính phủ;\n"
        "Theo Chỉ thị 27/CTTg ngày 15/8/2024, các bộ triển khai.\n"
        "Thực hiện Chỉ thị 31/CTTg ngày 01/9/2024.\nVà Chỉ thị số 31/CT-TTg đã nêu."
    )
    refs, _ = refs_of(text)
    assert [(r.symbol, r.doc_type, len(r.mentions)) for r in refs if r.symbol] == [
        ("27/CT-TTg", "CT", 2),
        ("31/CT-TTg", "CT", 2),
    ]


def test_laws_named_without_a_number():
    refs, _ = refs_of(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
        "theo Luật Phòng, chống ma túy và Luật tiếp cận thông tin; Đề án 06 của Chính phủ."
    )
    named = [(r.text, r.number, r.date) for r in refs if not r.symbol]
    assert named == [
        ("Luật Tổ chức chính quyền địa phương", None, "2025-06-16"),
        ("Luật Phòng, chống ma túy", None, None),
        ("Luật tiếp cận thông tin", None, None),
        ("Đề án 06", None, None),
    ]


def test_one_document_with_two_dates_is_warned():
    refs, _ = refs_of("Nghị quyết số 76/NQ-CP ngày 02/7/2021;\nNghị quyết số 76/NQ-CP ngày 15/7/2021")
    assert refs[0].date == "2021-07-02" and refs[0].warnings == ["another date: 2021-07-15"]


def test_amends_and_replaces_point_at_the_cited_document():
    refs, _ = refs_of(
        "Nghị định số 123/2024/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 59/2012/NĐ-CP;\n"
        "Quyết định số 15/2021/QĐ-UBND thay thế Quyết định số 09/2018/QĐ-UBND."
    )
    by = {r.symbol: r for r in refs}
    assert [(x.kind, x.target) for x in by["123/2024/NĐ-CP"].relations] == [("amends", by["59/2012/NĐ-CP"].id)]
    assert [(x.kind, x.target) for x in by["15/2021/QĐ-UBND"].relations] == [("replaces", by["09/2018/QĐ-UBND"].id)]


def test_short_repeat_forms_join_the_document_they_repeat():
    refs, raw = refs_of(
        "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ;\n"
        "Thực hiện đúng Nghị định 59 về theo dõi thi hành pháp luật."
    )
    (r,) = [x for x in refs if x.symbol]
    assert len(r.mentions) == 2 and raw.text[r.mentions[1].start : r.mentions[1].end] == "Nghị định 59"
