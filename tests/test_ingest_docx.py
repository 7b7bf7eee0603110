"""DOCX reader: spans, numbering, body order, footnotes, hints, errors.

Small documents are built in memory (python-docx for merges, a minimal
hand-written package where exact XML matters).  Two public corpus files are
kept in tests/data/docx/ for end-to-end checks.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Optional

import docx
import pytest

from vbextract import errors
from vbextract.ingest import docx as docx_reader
from vbextract.model import Block, RawDocument

DATA = Path(__file__).parent / "data" / "docx"
CORPUS = Path("/work/shared/corpus")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


# --------------------------------------------------------------------------- helpers
def make_docx(
    body: str,
    numbering: Optional[str] = None,
    styles: Optional[str] = None,
    footnotes: Optional[str] = None,
    doctype: str = "",
) -> bytes:
    """A minimal .docx whose w:body is ``body`` (plus optional parts)."""
    parts = {"numbering": numbering, "styles": styles, "footnotes": footnotes}
    overrides = "".join(
        f'<Override PartName="/word/{k}.xml" ContentType="{CT}.{k}+xml"/>' for k, v in parts.items() if v
    )
    rels = "".join(f'<Relationship Id="r{k}" Type="{RT}/{k}" Target="{k}.xml"/>' for k, v in parts.items() if v)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>{overrides}</Types>'
            ),
        )
        z.writestr(
            "_rels/.rels",
            (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{RT}/officeDocument" Target="word/document.xml"/></Relationships>'
            ),
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            (
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
            ),
        )
        z.writestr(
            "word/document.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{W_NS}" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
                f"<w:body>{body}</w:body></w:document>"
            ),
        )
        for k, v in parts.items():
            if v:
                tag = "numbering" if k == "numbering" else k
                z.writestr(f"word/{k}.xml", f'<w:{tag} xmlns:w="{W_NS}">{v}</w:{tag}>')
    return buf.getvalue()


def p(text: str = "", ppr: str = "", rpr: str = "") -> str:
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return p(text, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{p(text)}</w:tc>"


def tbl(rows: list[str], tblpr: str = "") -> str:
    return f"<w:tbl><w:tblPr>{tblpr}</w:tblPr>{''.join(rows)}</w:tbl>"


def read_docx(data: bytes) -> RawDocument:
    return docx_reader.read(data, "test.docx")


def save(document: "docx.document.Document") -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def para_texts(doc: RawDocument) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "paragraph"]


def grid(block: Block) -> dict[tuple[int, int], tuple[str, int, int]]:
    """(row, col) -> (text, rowspan, colspan) for every cell of a table block."""
    return {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in block.cells}


# --------------------------------------------------------------------------- tables
def test_spans_from_cell_merge() -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            t.cell(r, c).text = f"r{r}c{c}"
    t.cell(0, 0).merge(t.cell(0, 1))  # gridSpan
    t.cell(1, 2).merge(t.cell(2, 2))  # vMerge restart/continue
    doc = read_docx(save(d))
    (table,) = doc.tables
    cells = grid(table)
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert cells[(0, 0)] == ("r0c0\nr0c1", 1, 2)
    assert (0, 1) not in cells
    assert cells[(1, 2)] == ("r1c2\nr2c2", 2, 1)
    assert (2, 2) not in cells  # the continued cell is not repeated
    assert len(table.cells) == 7
    assert table.cell_at(2, 2) is table.cell_at(1, 2)


def test_vmerge_block_spanning_columns() -> None:
    restart, cont, span2 = '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="2"/>'
    rows = [
        f"<w:tr>{tc('TT', restart)}{tc('Nhiệm vụ', span2 + restart)}</w:tr>",
        f"<w:tr>{tc('', cont)}{tc('', span2 + cont)}</w:tr>",
        f"<w:tr>{tc('1')}{tc('a')}{tc('b')}</w:tr>",
    ]
    (table,) = read_docx(make_docx(tbl(rows))).tables
    assert grid(table) == {
        (0, 0): ("TT", 2, 1),
        (0, 1): ("Nhiệm vụ", 2, 2),
        (2, 0): ("1", 1, 1),
        (2, 1): ("a", 1, 1),
        (2, 2): ("b", 1, 1),
    }


@pytest.mark.parametrize(
    "trpr, expected_cols",
    [
        ('<w:gridBefore w:val="1"/>', [1, 2]),
        ('<w:gridBefore w:val="2"/><w:gridAfter w:val="1"/>', [2, 3]),
        ("", [0, 1]),
    ],
)
def test_grid_before_shifts_columns(trpr: str, expected_cols: list[int]) -> None:
    rows = [
        f"<w:tr>{tc('a')}{tc('b')}{tc('c')}{tc('d')}</w:tr>",
        f"<w:tr><w:trPr>{trpr}</w:trPr>{tc('x')}{tc('y')}</w:tr>",
    ]
    (table,) = read_docx(make_docx(tbl(rows))).tables
    assert [c.col for c in table.cells if c.row == 1] == expected_cols
    assert table.n_cols == 4


def test_nested_table_text_kept() -> None:
    inner = tbl([f"<w:tr>{tc('Sở Tài chính')}{tc('Quý II/2026')}</w:tr>", f"<w:tr>{tc('Sở Nội vụ')}{tc('')}</w:tr>"])
    outer = tbl([f"<w:tr>{tc('1')}<w:tc>{p('Nhiệm vụ chung')}{inner}{p('Ghi chú')}</w:tc></w:tr>"])
    doc = read_docx(make_docx(outer))
    (table,) = doc.tables
    assert len(doc.tables) == 1
    assert grid(table)[(0, 1)][0] == "Nhiệm vụ chung\nSở Tài chính | Quý II/2026\nSở Nội vụ\nGhi chú"


@pytest.mark.parametrize(
    "tblpr, cell_pr, n_rows, borderless",
    [
        ("", "", 2, True),  # no borders anywhere (Normal Table)
        ('<w:tblBorders><w:top w:val="nil"/><w:insideV w:val="none"/></w:tblBorders>', "", 2, True),
        ('<w:tblBorders><w:insideH w:val="single"/></w:tblBorders>', "", 1, True),  # nothing to separate
        ('<w:tblBorders><w:insideH w:val="single"/></w:tblBorders>', "", 2, False),
        ('<w:tblBorders><w:top w:val="single" w:color="FFFFFF"/></w:tblBorders>', "", 2, True),
        ('<w:tblStyle w:val="Grid"/>', "", 2, False),  # borders come from the table style
        (
            '<w:tblStyle w:val="Grid"/><w:tblBorders>'
            + "".join(f'<w:{s} w:val="none"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>",
            "",
            2,
            True,
        ),
        ("", '<w:tcBorders><w:bottom w:val="single"/></w:tcBorders>', 2, False),
    ],
)
def test_borderless(tblpr: str, cell_pr: str, n_rows: int, borderless: bool) -> None:
    styles = (
        '<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
        '<w:top w:val="single"/><w:bottom w:val="single"/></w:tblBorders></w:tblPr></w:style>'
    )
    rows = [f"<w:tr>{tc('a', cell_pr)}{tc('b')}</w:tr>"] * n_rows
    (table,) = read_docx(make_docx(tbl(rows, tblpr), styles=styles)).tables
    assert table.borderless is borderless


# --------------------------------------------------------------------------- numbering
def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


NUMBERING = (
    # abstract 0: the usual outline of a plan: I. / 1. / a) / -
    '<w:abstractNum w:abstractNumId="0">'
    + lvl(0, "upperRoman", "%1.")
    + lvl(1, "decimal", "%2.")
    + lvl(2, "lowerLetter", "%3)")
    + lvl(3, "bullet", "\uf0b7")
    + "</w:abstractNum>"
    # abstract 1: legal-style multi-level with a space suffix, and a "nothing" suffix level
    + '<w:abstractNum w:abstractNumId="1">'
    + lvl(0, "decimal", "%1.", extra='<w:suff w:val="space"/>')
    + lvl(1, "decimal", "%1.%2.", extra='<w:suff w:val="nothing"/>')
    + "</w:abstractNum>"
    # abstract 2: starts at 3, lower roman, second level never restarts
    + '<w:abstractNum w:abstractNumId="2">'
    + lvl(0, "lowerRoman", "(%1)", start=3)
    + lvl(1, "decimalZero", "%2.", extra='<w:lvlRestart w:val="0"/>')
    + "</w:abstractNum>"
    + '<w:abstractNum w:abstractNumId="3">'
    + lvl(0, "bullet", "–")
    + lvl(1, "bullet", "+")
    + "</w:abstractNum>"
    + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    + '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'  # shares the counters of numId 1
    + '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
    + '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    + '<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>'
    + '<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>'
    + '<w:num w:numId="6"><w:abstractNumId w:val="3"/></w:num>'
)


@pytest.mark.parametrize(
    "items, expected",
    [
        (  # outline of a plan; deeper levels restart when a shallower one advances
            [
                (1, 0, "MỤC ĐÍCH"),
                (1, 1, "Mục đích"),
                (1, 2, "điểm"),
                (1, 2, "điểm"),
                (1, 3, "ý"),
                (1, 1, "Yêu cầu"),
                (1, 2, "điểm"),
                (1, 0, "NHIỆM VỤ"),
                (1, 1, "Tuyên truyền"),
            ],
            [
                "I. MỤC ĐÍCH",
                "1. Mục đích",
                "a) điểm",
                "b) điểm",
                "- ý",
                "2. Yêu cầu",
                "a) điểm",
                "II. NHIỆM VỤ",
                "1. Tuyên truyền",
            ],
        ),
        (  # two num instances of one abstract list continue the same counters
            [(1, 0, "A"), (2, 0, "B"), (1, 0, "C")],
            ["I. A", "II. B", "III. C"],
        ),
        (  # startOverride gives the instance its own counters
            [(1, 0, "A"), (1, 1, "a"), (3, 1, "x"), (3, 1, "y"), (1, 1, "b")],
            ["I. A", "1. a", "5. x", "6. y", "2. b"],
        ),
        (  # suffix space / nothing, multi-level text
            [(4, 0, "Điều"), (4, 1, "Khoản"), (4, 1, "Khoản"), (4, 0, "Điều")],
            ["1. Điều", "1.1.Khoản", "1.2.Khoản", "2. Điều"],
        ),
        (  # start value, lower roman, decimalZero, lvlRestart=0 keeps counting
            [(5, 0, "a"), (5, 1, "x"), (5, 0, "b"), (5, 1, "y")],
            ["(iii) a", "01. x", "(iv) b", "02. y"],
        ),
        (  # dash glyph -> "-", "+" kept
            [(6, 0, "một"), (6, 1, "hai")],
            ["- một", "+ hai"],
        ),
        (  # numId 0 means "no numbering"
            [(0, 0, "plain")],
            ["plain"],
        ),
    ],
)
def test_numbering_prefixes(items: list[tuple[int, int, str]], expected: list[str]) -> None:
    body = "".join(numbered(text, num, ilvl) for num, ilvl, text in items)
    assert para_texts(read_docx(make_docx(body, numbering=NUMBERING))) == expected


def test_numbering_from_paragraph_style() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Khoan"><w:name w:val="Khoan"/><w:basedOn w:val="Muc"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    body = (
        p("Một", '<w:pStyle w:val="Muc"/>')
        + p("Hai", '<w:pStyle w:val="Khoan"/>')
        + p("Ba", '<w:pStyle w:val="Khoan"/><w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    assert para_texts(read_docx(make_docx(body, numbering=NUMBERING, styles=styles))) == ["I. Một", "1. Hai", "Ba"]


def test_numbered_empty_paragraph_prints_its_number() -> None:
    rows = [f"<w:tr><w:tc>{numbered('', 4, 0)}</w:tc>{tc('việc ' + str(i))}</w:tr>" for i in (1, 2)]
    (table,) = read_docx(make_docx(tbl(rows), numbering=NUMBERING)).tables
    assert [c.text for c in table.cells if c.col == 0] == ["1.", "2."]


# --------------------------------------------------------------------------- text, order, hints
def test_body_order_and_content_controls() -> None:
    body = (
        p("Trước bảng")
        + tbl([f"<w:tr>{tc('ô')}</w:tr>"])
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{p('Trong sdt')}</w:sdtContent></w:sdt>"
        + p("Sau cùng")
        + "<w:sectPr/>"
    )
    doc = read_docx(make_docx(body))
    assert [b.kind for b in doc.blocks] == ["paragraph", "table", "paragraph", "paragraph"]
    assert doc.text == "Trước bảng\nô\nTrong sdt\nSau cùng"


def test_only_printed_text_is_read() -> None:
    drawing = (
        "<w:r><w:drawing><wp:anchor><wp:positionH><wp:posOffset>669290</wp:posOffset></wp:positionH>"
        "<wp:positionV><wp:posOffset>381000</wp:posOffset></wp:positionV></wp:anchor></w:drawing></w:r>"
    )
    body = (
        f"<w:p>{drawing}<w:r><w:t>Số:</w:t><w:tab/><w:t>15/KH-UBND</w:t></w:r></w:p>"
        '<w:p><w:smartTag w:element="place"><w:r><w:t>Lào Cai</w:t></w:r></w:smartTag>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:del><w:r><w:delText>xóa</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>, ngày</w:t><w:br/><w:t>01</w:t></w:r></w:ins></w:p>"
    )
    assert para_texts(read_docx(make_docx(body))) == ["Số: 15/KH-UBND", "Lào Cai, ngày 01"]


def test_line_break_splits_cell_lines() -> None:
    cell = "<w:tc><w:p><w:r><w:t>ỦY BAN NHÂN DÂN</w:t><w:br/><w:t>TỈNH LÀO CAI</w:t></w:r></w:p></w:tc>"
    (table,) = read_docx(make_docx(tbl([f"<w:tr>{cell}</w:tr>"]))).tables
    assert table.cells[0].text == "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"


@pytest.mark.parametrize(
    "ppr, runs, hint",
    [
        ('<w:pStyle w:val="Heading1"/>', "<w:r><w:t>I. MỤC ĐÍCH</w:t></w:r>", "heading"),
        ('<w:outlineLvl w:val="1"/>', "<w:r><w:t>1. Mục đích</w:t></w:r>", "heading"),
        ('<w:outlineLvl w:val="9"/>', "<w:r><w:t>thường</w:t></w:r>", None),
        ('<w:pStyle w:val="Title"/>', "<w:r><w:t>KẾ HOẠCH</w:t></w:r>", "title"),
        ("", "<w:r><w:rPr><w:b/></w:rPr><w:t>KẾ HOẠCH</w:t></w:r><w:r><w:t> </w:t></w:r>", "bold"),
        ('<w:pStyle w:val="Dam"/>', "<w:r><w:t>đậm theo kiểu</w:t></w:r>", "bold"),
        ('<w:pStyle w:val="Dam"/>', '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>bỏ đậm</w:t></w:r>', None),
        ("", '<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>mạnh</w:t></w:r>', "bold"),
        ("", "<w:r><w:rPr><w:b/></w:rPr><w:t>Một phần</w:t></w:r><w:r><w:t> thường</w:t></w:r>", None),
    ],
)
def test_style_hints(ppr: str, runs: str, hint: Optional[str]) -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Dam"><w:name w:val="Dam"/><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>'
    )
    doc = read_docx(make_docx(f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>", styles=styles))
    assert doc.blocks[0].style == hint


def test_footnotes_appended_in_reference_order() -> None:
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t> Luật số 54/2024/QH15.</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:r><w:t>Nghị định số 181/2024/NĐ-CP.</w:t></w:r></w:p></w:footnote>'
    )
    body = (
        '<w:p><w:r><w:t>Căn cứ Nghị định</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
        '<w:p><w:r><w:t>Căn cứ Luật</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    )
    doc = read_docx(make_docx(body, footnotes=footnotes))
    assert para_texts(doc) == [
        "Căn cứ Nghị định",
        "Căn cứ Luật",
        "Nghị định số 181/2024/NĐ-CP.",
        "Luật số 54/2024/QH15.",
    ]
    assert [b.style for b in doc.blocks[-2:]] == ["footnote", "footnote"]


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    data = make_docx("<w:p><w:r><w:t>A&xxe;B</w:t></w:r></w:p>", doctype=doctype)
    doc = read_docx(data)
    assert doc.text == "AB"  # the entity is dropped, never expanded


# --------------------------------------------------------------------------- errors
def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", errors.EmptyFile),
        (b"this is not a zip at all", errors.CorruptFile),
        (b"PK\x03\x04" + b"\x00" * 100, errors.CorruptFile),
        (_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<x/>"}), errors.CorruptFile),
        (make_docx("<w:p><w:r><w:t>broken</w:r></w:p>"), errors.CorruptFile),  # malformed XML
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
            errors.EncryptedFile,
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, errors.CorruptFile),  # legacy .doc
    ],
    ids=["empty", "garbage", "truncated-zip", "no-document-xml", "bad-xml", "encrypted", "ole-doc"],
)
def test_unreadable_files(data: bytes, error: type[errors.VbeError]) -> None:
    with pytest.raises(error):
        read_docx(data)


def test_zip_bomb_member_is_refused_before_parsing() -> None:
    big = b"\x00" * (docx_reader.MAX_RATIO_MEMBER_SIZE + 1024)  # deflates ~1000x
    data = _zip({"word/document.xml": big})
    with pytest.raises(errors.TooLarge):
        read_docx(data)


def test_total_uncompressed_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_docx(p("x" * 5000))
    assert read_docx(data).text == "x" * 5000
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_UNCOMPRESSED", 4000)
    with pytest.raises(errors.TooLarge):
        read_docx(data)


def test_macro_enabled_main_part_is_read() -> None:
    data = make_docx(p("Nội dung"))
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"x").replace(
                    CT.encode() + b".x", b"application/vnd.ms-word.document.macroEnabled.main+xml"
                )
            dst.writestr(info, content)
    assert read_docx(buf.getvalue()).text == "Nội dung"


# --------------------------------------------------------------------------- corpus documents
def test_corpus_37_plan() -> None:
    doc = read_docx((DATA / "37_KH_sotrong-KH-UBND_Lao-Cai_2026.docx").read_bytes())
    header, signature, tasks = doc.tables
    assert header.index == 0 and header.borderless
    cells = grid(header)
    assert cells[(0, 0)][0] == "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"
    assert cells[(0, 2)][0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert cells[(1, 0)][0] == "Số: /KH-UBND"
    assert cells[(1, 2)][0] == "Lào Cai, ngày tháng năm 2026"
    assert signature.borderless and "PHÓ CHỦ TỊCH" in grid(signature)[(0, 1)][0]
    assert (tasks.n_rows, tasks.n_cols, tasks.borderless) == (16, 6, False)
    assert grid(tasks)[(0, 1)][0] == "Tên nhiệm vụ"
    assert grid(tasks)[(2, 4)][0] == "Xong trong Quý II/2026"
    texts = para_texts(doc)
    assert texts[:2] == ["KẾ HOẠCH", "Triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026"]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "1. Mục đích" in texts
    assert doc.blocks[-1].style == "footnote" and "Luật Địa chất và khoáng sản" in texts[-1]
    assert "669290" not in doc.text and "381000" not in doc.text


def test_corpus_42_numbered_task_column() -> None:
    doc = read_docx((DATA / "42_KH_2242-KH-SCT_Lao-Cai_2026.docx").read_bytes())
    header, _, tasks = doc.tables
    assert grid(header)[(1, 0)][0] == "SỞ CÔNG THƯƠNG" and header.borderless
    assert (tasks.n_rows, tasks.n_cols) == (10, 4)
    assert [c.text for c in tasks.cells if c.col == 0] == ["TT"] + [f"{i}." for i in range(1, 10)]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.docx")) if CORPUS.is_dir() else [], ids=lambda x: x.name[:2])
def test_corpus_docx_smoke(path: Path) -> None:
    doc = read_docx(path.read_bytes())
    assert doc.tables and doc.tables[0].borderless  # header block laid out as a table
    assert "CỘNG H" in doc.text and "\u0323" not in doc.text  # NFC, no stray combining marks
    assert not any(w.isdigit() and len(w) > 9 for w in doc.text.split())  # no drawing offsets
