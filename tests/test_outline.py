"""Outline: numbering styles (real lines of the corpus/seeds) and the tree."""

import pytest

from vbextract.model import DocBuilder
from vbextract.structure.outline import classify, extract_sections

# fmt: off
CLASSIFY = [
    ("I. MỤC ĐÍCH, YÊU CẦU", ("roman",), "I", "MỤC ĐÍCH, YÊU CẦU"),
    ("IV. TỔ CHỨC THỰC HIỆN", ("roman",), "IV", "TỔ CHỨC THỰC HIỆN"),
    ("A. MỤC ĐÍCH, YÊU CẦU", ("upper_alpha",), "A", "MỤC ĐÍCH, YÊU CẦU"),             # C:53
    ("C. MỘT SỐ NỘI DUNG, GIẢI PHÁP", ("upper_alpha",), "C", "MỘT SỐ NỘI DUNG, GIẢI PHÁP"),
    ("1. Mục đích", ("arabic",), "1", "Mục đích"),
    ("1.2.1. Rà soát, đề xuất phương án cắt giảm", ("dotted", 3), "1.2.1", "Rà soát, đề xuất phương án cắt giảm"),  # S:002
    ("2.1 Triển khai hạ tầng số", ("dotted", 2), "2.1", "Triển khai hạ tầng số"),
    ("a) Sở Tài chính", ("lower_alpha",), "a", "Sở Tài chính"),
    ("đ) Phối hợp với các Bộ, ngành", ("lower_alpha",), "đ", "Phối hợp với các Bộ, ngành"),  # C:41
    ("- Việc tổ chức triển khai thực hiện", ("dash",), "-", "Việc tổ chức triển khai thực hiện"),
    ("+ Tổ chức tập huấn", ("plus",), "+", "Tổ chức tập huấn"),
    ("Điều 1. Ban hành kèm theo Quyết định này", ("article",), "1", "Ban hành kèm theo Quyết định này"),
    ("(2) Cắt giảm 2.269/6.974 ĐKKD", ("paren_num",), "2", "Cắt giảm 2.269/6.974 ĐKKD"),  # C:31
    ("PHỤ LỤC I", ("appendix",), "I", ""),
    ("2025. Năm bản lề", None, None, None),     # a year is not a number
    ("Căn cứ Luật Tổ chức chính quyền địa phương", None, None, None),
]
# fmt: on


@pytest.mark.parametrize("text,style,number,rest", CLASSIFY)
def test_classify(text, style, number, rest):
    got = classify(text)
    assert (got is None and style is None) or got == (style, number, rest)


def doc(paragraphs):
    b = DocBuilder("txt")
    for p in paragraphs:
        b.paragraph(p)
    return b.build()


def ids(sections):
    out = []
    for s in sections:
        out.append(s.id)
        out += ids(s.children)
    return out


def test_tree_ids_and_levels():
    raw = doc(
        [
            "I. MỤC TIÊU",
            "1. Mục đích",
            "- Nâng cao chất lượng",
            "- Tiếp tục nâng cao",
            "2. Yêu cầu",
            "2.1. Chi tiết",
            "II. NHIỆM VỤ",
            "a) Sở Tài chính",
            "Văn bản thường",
        ]
    )
    secs = extract_sections(raw, 0, len(raw.text))
    assert ids(secs) == ["I", "I.1", "I.1.-1", "I.1.-2", "I.2", "I.2.1", "II", "II.a"]
    assert [s.level for s in secs] == [1, 1]
    assert secs[1].children[0].source.end == len(raw.text)  # the section runs to its last block


def test_a_lower_rank_style_never_holds_a_higher_one():
    raw = doc(["(2) Cắt giảm 2.269/6.974 ĐKKD", "I. VỀ HOÀN THIỆN THỂ CHẾ", "1. Bộ trưởng các Bộ"])
    assert ids(extract_sections(raw, 0, len(raw.text))) == ["2", "I", "I.1"]


def test_attached_plan_after_signature_is_outlined():
    raw = doc(
        [
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch",
            "KT. CHỦ TỊCH",
            "KẾ HOẠCH",
            "TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "1. Mục đích",
        ]
    )
    end = raw.text.index("KT. CHỦ TỊCH")
    secs = extract_sections(raw, 0, end)
    assert ids(secs) == ["Điều 1", "KH", "KH.I", "KH.I.1"]
    assert secs[1].heading == "TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG"
