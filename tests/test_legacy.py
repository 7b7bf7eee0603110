"""Legacy TCVN3/VNI font text -> Unicode (src/vbextract/legacy.py and the readers).

The literal mojibake strings below are what the ABC (.VnTime) and VNI-Times
fonts' bytes read as in Latin-1; other legacy strings are built with
``legacy.encode`` (the inverse table) from Unicode phrases.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, SAMPLES, sample_files
from vbextract import errors, legacy
from vbextract.ingest import docx as docx_reader
from vbextract.ingest import md as md_reader
from vbextract.ingest import ocr
from vbextract.ingest import pdf as pdf_reader
from vbextract.ingest import txt as txt_reader
from vbextract.ingest.pdf import Glyph
from vbextract.lexicon import syllables

CORPUS = ROOT.parent / "shared" / "corpus"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# --- the tables on printed phrases ---------------------------------------------------
LITERAL = [
    # TCVN3 (ABC fonts)
    ("tcvn3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("tcvn3", "Uû ban nh©n d©n", "Uỷ ban nhân dân"),
    ("tcvn3", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tcvn3", "C¨n cø LuËt Tæ chøc chÝnh quyÒn ®Þa ph\u00ad¬ng", "Căn cứ Luật Tổ chức chính quyền địa phương"),
    ("tcvn3", "Së Tµi chÝnh chñ tr×, phèi hîp víi c¸c së, ngµnh", "Sở Tài chính chủ trì, phối hợp với các sở, ngành"),
    ("tcvn3", "Sè: 123/Q§-UBND", "Số: 123/QĐ-UBND"),
    ("tcvn3", "Sè: 12/KH-UBND", "Số: 12/KH-UBND"),  # acronyms do not make "Sè" a capital word
    ("tcvn3", "¡n ë, ¢u C¬, £-®i-x¬n, ¤ t«, ¥n, ¦u tiªn", "Ăn ở, Âu Cơ, Ê-đi-xơn, Ô tô, Ơn, Ưu tiên"),
    # TCVN3 capitals typed for a .VnTimeH font (caps lock on: ASCII capitals + lower-case codes)
    ("tcvn3", "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("tcvn3", "§éC LËP - Tù DO - H¹NH PHóC", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"),
    ("tcvn3", "UBND TØNH LµO CAI", "UBND TỈNH LÀO CAI"),
    ("tcvn3", "Uû BAN NH©N D©N TØNH", "UỶ BAN NHÂN DÂN TỈNH"),  # "Uû" between capitals
    ("tcvn3", "Uû ban nh©n d©n, UBND Uû ban", "Uỷ ban nhân dân, UBND Uỷ ban"),  # ... not here
    # VNI (VNI-Times)
    ("vni", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("vni", "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("vni", "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("vni", "UÛY BAN NHAÂN DAÂN TÆNH", "ỦY BAN NHÂN DÂN TỈNH"),
    ("vni", "ñöôïc ngöôøi Kyø hoïp tyû leä ñòa phöông", "được người Kỳ họp tỷ lệ địa phương"),
    ("vni", "Aên uoáng, Ñaø Naüng, saün coù, ngaét, khoûe, kyõ, Só", "Ăn uống, Đà Nẵng, sẵn có, ngắt, khỏe, kỹ, Sĩ"),
    ("vni", "Ñieàu 1. Quyeát ñònh naøy coù hieäu löïc", "Điều 1. Quyết định này có hiệu lực"),
]


@pytest.mark.parametrize("enc, legacy_text, unicode_text", LITERAL)
def test_convert_printed_phrases(enc, legacy_text, unicode_text):
    assert legacy.convert(legacy_text, enc) == unicode_text


PHRASES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Uỷ ban nhân dân tỉnh Lào Cai",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Sở Tài chính chủ trì, phối hợp với các sở, ngành tổ chức thực hiện.",
    "KẾ HOẠCH triển khai thực hiện nhiệm vụ năm 2026",
    "Giám đốc Sở Nông nghiệp và Phát triển nông thôn; Chủ tịch UBND các huyện",
    "Quyết định này có hiệu lực kể từ ngày ký. Nơi nhận: Như Điều 3; Lưu: VT, KT.",
    "Bảo đảm an toàn, trật tự; khuyến khích người dân, doanh nghiệp; sẵn sàng ứng phó",
]


@pytest.mark.parametrize("enc", legacy.ENCODINGS)
@pytest.mark.parametrize("phrase", PHRASES)
def test_round_trip(enc, phrase):
    encoded = legacy.encode(phrase, enc)
    assert encoded != phrase
    assert legacy.convert(encoded, enc) == phrase
    assert legacy.repair(encoded) == (phrase, enc, legacy.repair(encoded).words)


def _vietnamese_letters() -> set[str]:
    out = {"đ"}
    for base in "aăâeêioôơuưy":
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            out.add(unicodedata.normalize("NFC", base + tone))
    return {c for c in out if not c.isascii()}


@pytest.mark.parametrize("enc", legacy.ENCODINGS)
def test_tables_cover_every_letter_once(enc):
    t = legacy.tables()[enc]
    letters = _vietnamese_letters()
    assert len(letters) == 67
    lower = {v for v in t.mapping.values() if v.islower()}
    assert letters <= lower
    assert all(len(v) == 1 and unicodedata.is_normalized("NFC", v) for v in t.mapping.values())
    if enc == "tcvn3":  # one byte per letter: the inverse is a table too
        assert len(set(t.mapping.values())) == len(t.mapping) == 67 + 7
        assert {v for v in t.mapping.values() if v.isupper()} == set("ĂÂÊÔƠƯĐ")
    else:  # every capital too
        assert {c.upper() for c in letters} <= set(t.mapping.values())


def test_convert_chars_counts_consumed_inputs():
    assert legacy.convert_chars(list("hoµ"), "tcvn3") == [("h", 1), ("o", 1), ("à", 1)]
    assert legacy.convert_chars(list("Coäng\nñöôïc"), "vni") == [
        ("C", 1),
        ("ộ", 2),
        ("n", 1),
        ("g", 1),
        ("\n", 1),
        ("đ", 1),
        ("ư", 1),
        ("ợ", 2),
        ("c", 1),
    ]
    # capitals of a .VnTimeH line: one to one still
    assert "".join(c for c, _ in legacy.convert_chars(list("HéI"), "tcvn3")) == "HỘI"


@pytest.mark.parametrize(
    "font, expected",
    [
        (".VnTime", ("tcvn3", False)),
        (".VnArial", ("tcvn3", False)),
        (".VnTimeH", ("tcvn3", True)),
        (".VnArial NarrowH", ("tcvn3", True)),
        ("ABCDEF+.VnTimeH", ("tcvn3", True)),
        ("VNI-Times", ("vni", False)),
        ("VNI-Helve-Condense", ("vni", False)),
        ("Times New Roman", None),
        ("", None),
        (None, None),
    ],
)
def test_font_encoding(font, expected):
    assert legacy.font_encoding(font) == expected


def test_unknown_encoding_is_a_value_error():
    with pytest.raises(ValueError):
        legacy.convert("x", "viscii")


# --- detection -----------------------------------------------------------------------
def _text_files() -> list[Path]:
    files = [p for p in sample_files() if p.suffix in (".md", ".txt")]
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".txt"))
    return files


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_unicode_documents_are_never_flagged(path):
    text, _ = txt_reader.decode(path.read_bytes())
    assert legacy.detect(text) is None
    assert legacy.repair(text) == (text, None, 0)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_no_sample_gets_a_legacy_warning(path, extracted):
    assert errors.W_LEGACY_FONT not in [w.code for w in extracted(path).warnings]


@pytest.mark.parametrize("enc", legacy.ENCODINGS)
def test_a_whole_document_in_a_legacy_font_is_detected(enc):
    text, _ = txt_reader.decode((SAMPLES / "38_CV_5973-UBND-KT_Lao-Cai_2026.txt").read_bytes())
    encoded = legacy.encode(text, enc)
    assert legacy.detect(encoded) == enc
    fixed = legacy.repair(encoded)
    assert fixed.encoding == enc and fixed.words > 100
    # capitals TCVN3 cannot write come back lower-case at the start of a word
    # (or upper-case inside an all-capitals line); all else is exact
    assert fixed.text.lower() == unicodedata.normalize("NFC", text).lower()


@pytest.mark.parametrize(
    "text",
    [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "công văn số 12 về việc triển khai",
        "Ông Müller; © 2025; Điều 5 § 2; giá 2×3 m; chú thích¹",
        "mét vuông",
        "",
    ],
)
def test_unicode_text_is_none(text):
    assert legacy.detect(text) is None
    assert legacy.repair(text).encoding is None


# --- mixed text ----------------------------------------------------------------------------
MIXED = [
    # a TCVN3 line under a Unicode one
    (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nUû ban nh©n d©n tØnh ban hµnh kÕ ho¹ch",
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nUỷ ban nhân dân tỉnh ban hành kế hoạch",
        "tcvn3",
    ),
    # "mét" is a word in Unicode (metre) and TCVN3 for "một": the line decides
    ("Diện tích một mét vuông\ncã mét c¸i bµn", "Diện tích một mét vuông\ncó một cái bàn", "tcvn3"),
    # Unicode "công" would become VNI "cơng": kept, the VNI words converted
    ("Công văn số 5 về việc\nCoâng vaên soá 5 veà vieäc", "Công văn số 5 về việc\nCông văn số 5 về việc", "vni"),
    # within one line: Unicode words kept, legacy words converted
    ("Kế hoạch số 12: triÓn khai thùc hiÖn nhiÖm vô", "Kế hoạch số 12: triển khai thực hiện nhiệm vụ", "tcvn3"),
]


@pytest.mark.parametrize("text, expected, enc", MIXED)
def test_mixed_text(text, expected, enc):
    assert legacy.repair(text)[:2] == (expected, enc)


def test_convert_mixed_keeps_unicode_words():
    out, n = legacy.convert_mixed("Quyết định có hiệu lực; Uû ban nh©n d©n", "tcvn3")
    assert out == "Quyết định có hiệu lực; Uỷ ban nhân dân" and n == 3


# --- readers -----------------------------------------------------------------------------
def test_txt_file_in_tcvn3_bytes():
    data = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nKÕ ho¹ch thùc hiÖn nh\u00ad sau:\n".encode(
        "cp1252"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    raw = txt_reader.read(data, "t.txt")
    assert raw.text == "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\nKế hoạch thực hiện như sau:"
    (w,) = raw.warnings  # no W103: the bytes were TCVN3, not Windows-1258
    assert w.code == errors.W_LEGACY_FONT and "TCVN3" in w.message and "converted to Unicode" in w.message


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters with their non-tone marks precomposed, the tone a combining mark."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", c)
        tones = "".join(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones)) + tones)
    return "".join(out).encode("cp1258")


def test_windows_1258_text_is_not_taken_for_tcvn3():
    text = "\n".join(PHRASES)
    raw = txt_reader.read(_cp1258(text), "t.txt")
    assert raw.text == text
    assert [w.code for w in raw.warnings] == [errors.W_LEGACY_ENCODING]


def test_txt_file_in_vni_bytes():
    data = legacy.encode("Ủy ban nhân dân tỉnh\nĐộc lập - Tự do - Hạnh phúc\n", "vni").encode("cp1252")
    raw = txt_reader.read(data, "t.txt")
    assert raw.text == "Ủy ban nhân dân tỉnh\nĐộc lập - Tự do - Hạnh phúc"
    assert [w.code for w in raw.warnings] == [errors.W_LEGACY_FONT]


def test_markdown_keeps_tcvn3_u_horn_before_soft_hyphens_are_cleaned():
    data = "# KÕ ho¹ch\n\nC¨n cø LuËt Tæ chøc chÝnh quyÒn ®Þa ph\u00ad¬ng;\n".encode("utf-8")
    raw = md_reader.read(data, "t.md")
    assert "Căn cứ Luật Tổ chức chính quyền địa phương;" in raw.text and "Kế hoạch" in raw.text
    assert errors.W_LEGACY_FONT in [w.code for w in raw.warnings]


def _docx() -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    p = doc.add_paragraph()
    p.add_run("Kế hoạch số 12: ").font.name = "Times New Roman"
    p.add_run("triÓn khai thùc hiÖn nhiÖm vô").font.name = ".VnTime"
    doc.add_paragraph().add_run("céng hoµ x· héi chñ nghÜa viÖt nam").font.name = ".VnTimeH"
    doc.add_paragraph().add_run("Ñoäc laäp - Töï do - Haïnh phuùc").font.name = "VNI-Times"
    # a Unicode run left in a .VnTime font (typed after the switch to Unicode)
    doc.add_paragraph().add_run("Cộng hòa xã hội chủ nghĩa Việt Nam").font.name = ".VnTime"
    # a paragraph style in .VnTime, runs without a font of their own
    style = doc.styles.add_style("Legacy", 1)
    style.font.name = ".VnTime"
    style.font.size = Pt(13)
    doc.add_paragraph("Uû ban nh©n d©n tØnh", style="Legacy")
    # no font information at all: the text-level check
    doc.add_paragraph("Së Tµi chÝnh chñ tr×, phèi hîp víi c¸c së, ngµnh")
    # Unicode text with characters that are TCVN3 codes ("công" would become "cụng")
    doc.add_paragraph("Công văn này có hiệu lực; giá 2×3 m").runs[0].font.name = "Times New Roman"
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Sè: 12/KH-UBND").font.name = ".VnTime"
    table.cell(0, 1).paragraphs[0].add_run("Lµo Cai, ngµy 5 th¸ng 3 n¨m 2026").font.name = ".VnTime"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_runs_in_legacy_fonts_are_converted():
    raw = docx_reader.read(_docx(), "t.docx")
    lines = raw.text.split("\n")
    assert lines[:7] == [
        "Kế hoạch số 12: triển khai thực hiện nhiệm vụ",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # .VnTimeH prints capitals
        "Độc lập - Tự do - Hạnh phúc",
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Uỷ ban nhân dân tỉnh",
        "Sở Tài chính chủ trì, phối hợp với các sở, ngành",
        "Công văn này có hiệu lực; giá 2×3 m",
    ]
    assert "Số: 12/KH-UBND\tLào Cai, ngày 5 tháng 3 năm 2026" in raw.text
    codes = sorted((w.code, w.message.split()[1]) for w in raw.warnings)
    assert codes == [(errors.W_LEGACY_FONT, "TCVN3"), (errors.W_LEGACY_FONT, "VNI")]


def _pdf(lines: list[str], path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


PDF_LINES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập - Tự do - Hạnh phúc",
    "Kế hoạch triển khai thực hiện nhiệm vụ năm 2026 của Uỷ ban nhân dân tỉnh",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Uỷ ban nhân dân tỉnh ban hành kế hoạch thực hiện như sau:",
    "Sở Tài chính chủ trì, phối hợp với các sở, ngành tổ chức thực hiện.",
]


@pytest.mark.skipif(not FONT.exists(), reason="needs fonts-dejavu-core")
@pytest.mark.parametrize("enc", legacy.ENCODINGS)
def test_pdf_text_layer_in_a_legacy_font_stays_digital(enc, tmp_path):
    """The PDF's text layer holds the legacy characters, as PDFs printed from
    .VnTime/VNI-Times do: the page would fail the syllable check (W102, OCR);
    it is converted instead."""
    from vbextract import extract

    path = _pdf([legacy.encode(line, enc) for line in PDF_LINES], tmp_path / f"{enc}.pdf")
    doc = extract(path)
    assert doc.source_file.ocr is False
    codes = [w.code for w in doc.warnings]
    assert errors.W_LEGACY_FONT in codes and errors.W_GARBLED_TEXT not in codes
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in doc.text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;" in doc.text
    assert "ban hành kế hoạch thực hiện như sau:" in doc.text


@pytest.mark.skipif(not FONT.exists(), reason="needs fonts-dejavu-core")
def test_pdf_without_diacritics_is_still_garbled(monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "OCR_MODE", "never")
    lines = [unicodedata.normalize("NFD", line).encode("ascii", "ignore").decode() for line in PDF_LINES * 2]
    path = _pdf(lines, tmp_path / "flat.pdf")
    doc = pdf_reader.read(path.read_bytes(), path.name)
    assert [w.code for w in doc.warnings] == [errors.W_GARBLED_TEXT]


def test_vni_glyphs_merge_their_boxes():
    glyphs = [
        Glyph("C", 0, 6, 0, 10),
        Glyph("o", 6, 11, 0, 10),
        Glyph("ä", 9, 12, 0, 10),
        Glyph("n", 12, 17, 0, 10),
        Glyph("g", 17, 22, 0, 10),
        None,
        Glyph("ñ", 0, 5, 12, 22),
    ]
    pieces = legacy.convert_chars(["\n" if g is None else g.ch for g in glyphs], "vni")
    out = pdf_reader._converted_glyphs(glyphs, pieces)
    assert [None if g is None else g.ch for g in out] == ["C", "ộ", "n", "g", None, "đ"]
    assert (out[1].x0, out[1].x1) == (6, 12)


# --- properties ------------------------------------------------------------------------------
_SYLLABLES = sorted(syllables())
_words = st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(legacy.ENCODINGS))
def test_convert_never_raises(text, enc):
    out = legacy.convert(text, enc)
    assert unicodedata.is_normalized("NFC", out)
    pieces = legacy.convert_chars(list(text), enc)
    assert sum(n for _, n in pieces) == len(text)
    legacy.repair(text)
    legacy.detect(text)


@settings(max_examples=100, deadline=None)
@given(_words, st.sampled_from([" ", ", ", "\n", ". "]), st.sampled_from(["lower", "title", "upper"]))
def test_unicode_vietnamese_is_never_flagged(words, sep, case):
    text = sep.join(getattr(w, case)() for w in words)
    assert legacy.detect(text) is None
    assert legacy.repair(text) == (text, None, 0)


@settings(max_examples=100, deadline=None)
@given(_words, st.sampled_from(legacy.ENCODINGS))
def test_round_trip_of_syllables(words, enc):
    text = " ".join(words)
    assert legacy.convert(legacy.encode(text, enc), enc) == text
