"""The data files under models/ load, validate and say what domain.md says."""
import pytest

from vbextract import lexicon
from vbextract.lexicon import vietnamese_share


def test_doc_types_have_unique_codes_and_names():
    types = lexicon.doc_types()
    assert len({t.code for t in types}) == len(types) and len({t.name for t in types}) == len(types)
    assert lexicon.doc_type_by_code("QD").name == "Quyết định"  # D for Đ
    assert lexicon.doc_type_by_name("KẾ HOẠCH").code == "KH"


def test_63_old_and_34_new_provinces():
    ps = lexicon.provinces()
    old = [p for p in ps if p.valid_from is None]
    new = [p for p in ps if p.valid_to is None]
    assert len(old) == 63 and len(new) == 34
    assert {p.name for p in ps if p.merged_into == "Lâm Đồng"} == {"Lâm Đồng", "Đắk Nông", "Bình Thuận"}
    assert all(p.merged_into in {q.name for q in new} for p in ps if p.merged_into)


def test_find_provinces_in_text():
    assert lexicon.find_provinces("UBND tỉnh Quảng Trị và Thành phố Hồ Chí Minh") == ["Quảng Trị", "Hồ Chí Minh"]


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("Ủy ban nhân dân tỉnh ban hành kế hoạch triển khai thực hiện nhiệm vụ năm 2026 như sau: " * 3, 0.9, 1.0),
        ("Céng hoµ x· héi chñ nghÜa viÖt nam §éc lËp - Tù do - H¹nh phóc " * 4, 0.0, 0.3),  # TCVN3 mojibake
        ("Cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc ke hoach " * 3, 0.2, 0.5),  # diacritics lost
    ],
)
def test_vietnamese_share(text, low, high):
    assert low <= vietnamese_share(text) <= high


def test_vietnamese_share_needs_enough_words():
    assert vietnamese_share("Kế hoạch số 12") is None
