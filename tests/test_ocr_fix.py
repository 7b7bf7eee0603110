"""Word-level OCR post-correction (ingest/ocr_fix.py): repairs seen in
bench/ocr_fix_eval.py, what must stay untouched, the data files, invariants.

The REPAIRS rows are OCR output lines of the eval pages (tesseract 5 ``vie``
on 46, 47 and LibreOffice renders of 37, 42; clean, 150-dpi and blurred
renders) and of the real scans 48, 49, unless marked "made up"."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vbextract.ingest import ocr_fix
from vbextract.ingest.ocr_fix import fix_text, fix_words, fold, key, valid_shape

REPAIRS = [
    # known phrases (step 1)
    ("Sở Công Thưong", "Sở Công Thương"),  # made up (the example)
    ("Sở Côug Thương", "Sở Công Thương"),  # made up: one letter, long phrase
    ("Nghi định số 12/2024/NĐ-CP", "Nghị định số 12/2024/NĐ-CP"),  # made up
    ("UỶ BAN NHÂN DẦN", "UỶ BAN NHÂN DÂN"),  # made up (the example)
    ("TÍNH LÀO CAI Độc lập - Tự do - Hạnh phúc", "TỈNH LÀO CAI Độc lập - Tự do - Hạnh phúc"),
    ("TINH LAO CAI", "TỈNH LÀO CAI"),
    ("- Phó CTUBND tỉnh Ngô Hạnh Phúc; PHO CHANH VAN PHONG", "- Phó CTUBND tỉnh Ngô Hạnh Phúc; PHÓ CHÁNH VĂN PHÒNG"),
    ("8. Phát huy vai trò của Mặt trận Tố quốc và Nhân dân", "8. Phát huy vai trò của Mặt trận Tổ quốc và Nhân dân"),
    # word pairs in context (step 2)
    (
        "và cứu nạn, cứu hộ có hiệu lực thi hành thuộc thâm quyền quản lý của Bộ Xây",
        "và cứu nạn, cứu hộ có hiệu lực thi hành thuộc thẩm quyền quản lý của Bộ Xây",
    ),
    ("dựng. Quyết định có hiệu lực kề từ ngày ký", "dựng. Quyết định có hiệu lực kể từ ngày ký"),
    ("Đề tổ chức triển khai thực hiện nghiêm túc", "Để tổ chức triển khai thực hiện nghiêm túc"),
    ("phạm vi quản lý tô chức tuyên truyền, phố biến", "phạm vi quản lý tổ chức tuyên truyền, phổ biến"),
    ("V/v triên khai thực hiện Quyết định số", "V/v triển khai thực hiện Quyết định số"),
    (
        "thành phó trực thuộc Trung ương chỉ đạo, kiêm tra, hướng dẫn",
        "thành phố trực thuộc Trung ương chỉ đạo, kiểm tra, hướng dẫn",
    ),
    (
        "bảo đảm việc triên khai đông bộ, thông nhât và hoàn thành",
        "bảo đảm việc triển khai đồng bộ, thống nhất và hoàn thành",
    ),
    ("Giây phép vận chuyên hàng hoá nguy", "Giấy phép vận chuyển hàng hoá nguy"),
    ("nghệ thông tin, chuyến đối số trong tiếp nhận", "nghệ thông tin, chuyển đổi số trong tiếp nhận"),
    ("- Rà soát, sửa đối, bố sung các quy định, quy chế", "- Rà soát, sửa đổi, bổ sung các quy định, quy chế"),
    (
        "vật liệu nố công nghiệp, tiền chất thuốc nố trên địa bàn tỉnh Lào Cai",
        "vật liệu nổ công nghiệp, tiền chất thuốc nổ trên địa bàn tỉnh Lào Cai",
    ),
    ("21/4/2026; Công ty cố phần Miền Tây tại Văn", "21/4/2026; Công ty cổ phần Miền Tây tại Văn"),
    ("thành viên Tố kiếm tra.", "thành viên Tổ kiểm tra."),
    (
        "có thấm quyên cấp giấy phép theo quy định tại Điêu 108, Luật Địa chất",
        "có thẩm quyền cấp giấy phép theo quy định tại Điều 108, Luật Địa chất",
    ),
    ("nội dung cụ thế như sau:", "nội dung cụ thể như sau:"),
    ("tạo chuyến biến trong", "tạo chuyển biến trong"),
    # lone words not spelled like a syllable (step 3)
    ("hiêm loại 1,2,3,4,9", "hiểm loại 1,2,3,4,9"),
    (
        "thực hiện đê báo cáo câp có thâm quyên xem xét, giải quyêt theo quy định.",
        "thực hiện đê báo cáo cấp có thẩm quyền xem xét, giải quyết theo quy định.",
    ),
    # the real scans 48 and 49 (bench/ocr_fix_eval.py --scans)
    ("chính về vận chuyên hàng hóa nguy", "chính về vận chuyển hàng hóa nguy"),
    ("nhiệm tiếp nhận hô sơ, thẩm định,", "nhiệm tiếp nhận hồ sơ, thẩm định,"),
    (
        "(trừ vật liệu nỗ công nghiệp, tiền chất thuốc nô), loại 2",
        "(trừ vật liệu nổ công nghiệp, tiền chất thuốc nổ), loại 2",
    ),
    ("gửi: Công ty cỗ phần Năng lượng", "gửi: Công ty cổ phần Năng lượng"),
    ("liên quan, cụ thê gôm:", "liên quan, cụ thể gồm:"),
    ("và được sửa đồi, bố sung thuộc phạm", "và được sửa đổi, bổ sung thuộc phạm"),
    ("đại diện có thâm quyên tham gia làm", "đại diện có thẩm quyền tham gia làm"),
    ("thời gian, địa điêm nêu trên.", "thời gian, địa điểm nêu trên."),
    # case and tone placement as read
    ("HOÁ CHÂT", "HOÁ CHẤT"),  # made up
    ("hoá chât nguy hiêm", "hoá chất nguy hiểm"),  # made up: "hoá" keeps the new-style tone
]

UNTOUCHED = [
    # numbers, symbols, dates
    "2265/BCT-ATMT",
    "Số: 123/QĐ-UBND",
    "ngày 15 tháng 4 năm 2026",
    "Lào Cai, ngày 29 tháng 6 năm 2026",
    "15/4/2026. 1,2,3,4.9 4năm 21.4GĐÐN 866/QĐÐ-Tg",
    "Quyết định số 1074/QĐ-BXD; tô",  # "tô" ends the line: no context, a real word
    # correct text
    "Ủy ban nhân dân tỉnh Lào Cai ban hành Kế hoạch triển khai thực hiện Chỉ thị số 11-CT/TU",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    # real pairs that fold like frequent ones
    "lợi thế của doanh nghiệp",
    "bảo vệ cơ thể người lao động",
    "Ủy ban nhân dân cùng cấp",
    "an toàn bức xạ và hạt nhân",
    "đã hết hạn nhưng vẫn lập hồ sơ",
    "với hệ thống bảo hiểm y tế",
    "điều chỉnh phù hợp",
    "chính sách tài chính phù hợp",
    "Các số liệu báo cáo",
    "số đơn vị có quan hệ ngân sách",
    "cần cụ thể hóa",
    "thực hiện pháp luật",
    "từ đó đến nay",
    "hàng năm và hằng năm",
    "thực hiện đề báo cáo",  # "hiện đề" is a frequent pair: the corpus cannot tell "để"
    # names of people, companies and places
    "Nguyễn Văn Tô",
    "Ngô Hạnh Phúc",
    "chế biến đá Tường Phú tại Văn bản số 20/2026/GĐÐN-TP",
    "Đông Dương tại Văn bản số 02/GĐÐN-ĐD",
    "Hoàng Văn Thụ",
    "Thợ mìn; Quản lý kho VLNCN",
    # ambiguous alone, acronyms, foreign words
    "So",
    "Thưong",
    "SOC DAP PCI IoT",
    "Make in Vietnam, software, website",
]


@pytest.mark.parametrize("damaged, repaired", REPAIRS)
def test_repairs(damaged, repaired):
    assert fix_text(damaged) == repaired


@pytest.mark.parametrize("text", UNTOUCHED)
def test_untouched(text):
    assert fix_text(text) == text


def test_fix_text_keeps_whitespace():
    assert fix_text("  tô  chức\tthực hiện\n") == "  tổ  chức\tthực hiện\n"
    assert fix_text("") == "" and fix_text("   ") == "   "


def test_fix_words_keeps_boxes_words():
    words = ["Sở", "Côug", "Thương", "tô", "chức", "123/QĐ-UBND"]
    assert fix_words(words) == ["Sở", "Công", "Thương", "tổ", "chức", "123/QĐ-UBND"]
    assert fix_words([]) == []


@pytest.mark.parametrize(
    "word, ok",
    [
        ("nghiêng", True),
        ("quyết", True),
        ("gì", True),
        ("giêng", True),
        ("khuỷu", True),
        ("hoà", True),
        ("quyêt", False),
        ("câp", False),
        ("Thưong", False),
        ("nhât", False),
        ("ubnd", False),
        ("x1", False),
    ],
)
def test_valid_shape(word, ok):
    assert valid_shape(word) is ok


# --------------------------------------------------------------------------- data
def test_phrase_file_loads_and_every_phrase_counts():
    d = ocr_fix.load_phrases()
    ocr_fix.Settings(**d["settings"])
    for group, phrases in d["phrases"].items():
        assert phrases, group
        for p in phrases:
            assert p == unicodedata.normalize("NFC", p).strip(), p
            assert ocr_fix._phrase_runs(p), f"{p!r} gives no run of 2+ words: it would never apply"
    for k in d["keep"]:
        assert len(k.split()) >= 2


def test_listed_phrases_are_not_ambiguous():
    """Two listed phrases that fold alike cancel each other (step 1 needs one form)."""
    forms: dict = {}
    for group in ocr_fix.load_phrases()["phrases"].values():
        for p in group:
            for run in ocr_fix._phrase_runs(p):
                forms.setdefault(tuple(fold(w) for w in run), set()).add(tuple(key(w) for w in run))
    assert {f: v for f, v in forms.items() if len(v) > 1} == {}


def test_ngram_file_integrity():
    words, pairs = ocr_fix.load_ngrams()
    assert len(words) > 1000 and len(pairs) > 5000
    assert all(valid_shape(w) and w == key(w) and n > 0 for w, n in words.items())
    assert all(a in words and b in words and n > 0 for (a, b), n in pairs.items())
    assert pairs["tổ", "chức"] > 100 and ("tô", "chức") not in pairs


def test_index_builds_with_gazetteer_and_provinces():
    ix = ocr_fix.index()
    assert ("so", "cong", "thuong") in ix.phrases and ("lao", "cai") in ix.phrases
    assert ("cac", "so") not in ix.phrases  # "Các sở, ban, ngành" gives no "các sở" ("các số")


# --------------------------------------------------------------------------- invariants
_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵÁÀẢÃẠĐÔƠƯTHSNC0123456789/-.,;:()\u0301"
)
_word = st.text(alphabet=_ALPHABET, min_size=1, max_size=9).filter(lambda w: not w.isspace())
_real = st.sampled_from("tô chức thâm quyền Sở Công Thưong UỶ BAN NHÂN DẦN câp 2026 15/4/2026 nố cố phần".split())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_word, _real), max_size=25))
def test_fix_words_invariants(words):
    out = fix_words(words)
    assert len(out) == len(words)
    for a, b in zip(words, out):
        if any(c.isdigit() for c in a):
            assert a == b
        if a != b:
            la, _, ta = ocr_fix.split_token(unicodedata.normalize("NFC", a))
            lb, _, tb = ocr_fix.split_token(b)
            assert (la, ta) == (lb, tb)  # only the letters change
            assert len(b.split()) == 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fix_text_never_raises_and_keeps_the_word_count(text):
    out = fix_text(text)
    assert len(out.split()) == len(text.split())
