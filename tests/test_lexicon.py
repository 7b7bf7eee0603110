"""The data files under models/ load, validate and say what domain.md says."""
from vbextract import lexicon


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
