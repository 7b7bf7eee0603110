import pytest

from vbextract.normalize import clean, clean_line, fold, match_key, unify_tones, unwrap_lines

# fmt: off
CLEAN = [
    ("B\u00d4\u0323", "BỘ"),                      # NFD from corpus 58 -> NFC
    ("\u00d0iều 1", "Điều 1"),                  # Ð (U+00D0) look-alike
    ("Số:\u00a0179/KH-UBND", "Số: 179/KH-UBND"),  # NBSP from docx
    ("Kế\u00adhoạch", "Kếhoạch"),               # soft hyphen dropped
    ("Tỉnh\u200b ủy", "Tỉnh ủy"),               # zero-width space dropped
    ("\ufeffKẾ HOẠCH", "KẾ HOẠCH"),             # BOM
    ("Số: 215\u2044QĐ-TTg", "Số: 215/QĐ-TTg"),   # fraction slash (PDF, OCR) is a slash
    ("59\u22152012\u2215NĐ-CP", "59/2012/NĐ-CP"),  # division slash
]
TONES = [
    ("hoà", "hòa"), ("uỷ ban", "ủy ban"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe"), ("Thanh Hoá", "Thanh Hóa"),
    ("quý", "quý"), ("hoàng", "hoàng"), ("thuyền", "thuyền"), ("CỘNG HOÀ", "CỘNG HÒA"),
]
# fmt: on


@pytest.mark.parametrize("raw,expected", CLEAN)
def test_clean(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize("new,old", TONES)
def test_unify_tones(new, old):
    assert unify_tones(new) == old


def test_match_key_equates_tone_styles_and_case():
    assert match_key("Ủy ban nhân dân tỉnh Khánh Hoà") == match_key("UỶ BAN NHÂN DÂN TỈNH KHÁNH HÒA")


def test_fold_strips_marks_and_d():
    assert fold("Đồng Tháp") == "dong thap"


def test_clean_line_collapses_whitespace():
    assert clean_line("  Căn cứ\n Luật   số 72/2025/QH15 ") == "Căn cứ Luật số 72/2025/QH15"


def test_unwrap_joins_mid_citation_lines():
    lines = ["Căn cứ Nghị quyết số", "57-NQ/TW ngày 22 tháng 12 năm 2024;", "1. Mục đích"]
    assert unwrap_lines(lines) == ["Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024;", "1. Mục đích"]


def test_unwrap_keeps_list_items_apart():
    lines = ["- Sở Tài chính", "- Sở Nội vụ"]
    assert unwrap_lines(lines) == lines
