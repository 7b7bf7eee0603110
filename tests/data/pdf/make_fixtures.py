"""Generate the small PDF fixtures used by tests/test_ingest_pdf.py.

Run from the repository root (needs the dev dependency ``fpdf2`` and the
DejaVu fonts, Debian package ``fonts-dejavu-core``)::

    .venv/bin/python tests/data/pdf/make_fixtures.py

The generated PDFs are committed; rerun only when changing a fixture.  Every
line is placed explicitly (own word wrap, justification and first-line
indent), so the geometry the reader relies on is known:

* ``cv_two_pages.pdf``  a công văn: two-column header, justified body with
  first-line indents, a bold heading, a paragraph running across the page
  break, a page number on page 2, the signature block (Nơi nhận + KT.).
* ``table_split.pdf``   a ruled task table split over pages 1-2; page 2
  repeats the header row and starts with a continuation row (empty TT cell).
* ``table_split_nohdr.pdf``  the same table, page 2 part without the
  repeated header (the continuation starts at the top of the page).
* ``table_merged.pdf``  a ruled table with a colspan header and a rowspan.
* ``scan_page2.pdf``    page 1 text, page 2 only an image (no text layer).
* ``encrypted.pdf``     a user-password protected PDF.
* ``rotated.pdf``       a landscape page with a paragraph and a ruled table,
  stored as a portrait page with turned content and /Rotate 90.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT = 85.0, PAGE_W - 57.0
TOP, BOTTOM = 57.0, PAGE_H - 57.0


class Doc(FPDF):
    """FPDF with Vietnamese fonts and a few explicit layout helpers."""

    def __init__(self) -> None:
        super().__init__(unit="pt", format="A4")
        self.set_auto_page_break(False)
        self.set_creator("vbextract test fixtures")
        for style, suffix in (("", ""), ("B", "-Bold"), ("I", "-Italic"), ("BI", "-BoldItalic")):
            self.add_font("Serif", style, str(FONT_DIR / f"DejaVuSerif{suffix}.ttf"))
        self.cur_y = TOP
        self.page_no_shown = True

    # -- pages
    def new_page(self) -> None:
        self.add_page()
        self.cur_y = TOP
        if self.page_no() > 1 and self.page_no_shown:
            self.font("", 12)
            self.centre(str(self.page_no()), PAGE_W / 2, 35)

    def font(self, style: str, size: float) -> None:
        self.set_font("Serif", style, size)

    def centre(self, text: str, cx: float, y: float) -> None:
        self.text(cx - self.get_string_width(text) / 2, y, text)

    # -- flowing text
    def wrap(self, text: str, width: float, first_width: float) -> list[str]:
        lines: list[str] = []
        cur = ""
        for word in text.split():
            limit = first_width if not lines else width
            cand = f"{cur} {word}" if cur else word
            if cur and self.get_string_width(cand) > limit:
                lines.append(cur)
                cur = word
            else:
                cur = cand
        if cur:
            lines.append(cur)
        return lines

    def para(
        self,
        text: str,
        size: float = 13,
        style: str = "",
        indent: float = 28,
        pitch: float = 18,
        after: float = 6,
        left: float = LEFT,
        right: float = RIGHT,
    ) -> None:
        """Justified paragraph with a first-line indent; breaks pages."""
        self.font(style, size)
        width = right - left
        lines = self.wrap(text, width, width - indent)
        for i, line in enumerate(lines):
            if self.cur_y + pitch > BOTTOM:
                self.new_page()
                self.font(style, size)
            self.cur_y += pitch
            x = left + (indent if i == 0 else 0)
            avail = right - x
            words = line.split()
            last = i == len(lines) - 1
            if last or len(words) == 1:
                self.text(x, self.cur_y, line)
                continue
            natural = sum(self.get_string_width(w) for w in words)
            gap = (avail - natural) / (len(words) - 1)
            for w in words:
                self.text(x, self.cur_y, w)
                x += self.get_string_width(w) + gap
        self.cur_y += after

    # -- ruled tables
    def table(
        self,
        y: float,
        cols: list[float],
        rows: list[list],
        size: float = 11,
        pad: float = 3,
        pitch: float = 14,
        bold_rows: tuple[int, ...] = (),
    ) -> float:
        """Draw a ruled table at ``y``; returns the bottom.

        ``rows`` holds cell specs per row: a string, ``None`` for a grid slot
        covered by a span, or ``(text, rowspan, colspan)``.
        """
        xs = [LEFT]
        for w in cols:
            xs.append(xs[-1] + w)
        # heights: each row as tall as its tallest single-row cell
        heights = []
        for r, row in enumerate(rows):
            self.font("B" if r in bold_rows else "", size)
            h = pitch + 2 * pad
            for c, spec in enumerate(row):
                if spec is None:
                    continue
                text, rs, cs = spec if isinstance(spec, tuple) else (spec, 1, 1)
                if rs > 1:
                    continue
                w = xs[c + cs] - xs[c] - 2 * pad
                n = max(1, len(self.wrap(text, w, w)))
                h = max(h, n * pitch + 2 * pad)
            heights.append(h)
        ys = [y]
        for h in heights:
            ys.append(ys[-1] + h)
        self.set_line_width(0.6)
        for r, row in enumerate(rows):
            self.font("B" if r in bold_rows else "", size)
            for c, spec in enumerate(row):
                if spec is None:
                    continue
                text, rs, cs = spec if isinstance(spec, tuple) else (spec, 1, 1)
                x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
                self.line(x0, y0, x1, y0)
                self.line(x0, y1, x1, y1)
                self.line(x0, y0, x0, y1)
                self.line(x1, y0, x1, y1)
                w = x1 - x0 - 2 * pad
                lines = self.wrap(text, w, w) if text else []
                ty = y0 + pad
                for line in lines:
                    ty += pitch
                    if c == 0 or len(cols) > 3 and c == len(cols) - 1:
                        self.centre(line, (x0 + x1) / 2, ty - 3)
                    else:
                        self.text(x0 + pad, ty - 3, line)
        return ys[-1]


BODY_1 = (
    "Thực hiện Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng về việc ban hành "
    "các giải pháp kỹ thuật nâng cao an toàn phòng cháy, chữa cháy cho các cơ sở, công trình "
    "không bảo đảm yêu cầu về phòng cháy và chữa cháy, Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:"
)
BODY_2 = (
    "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành, Ủy ban nhân dân "
    "các xã, phường tổ chức triển khai thực hiện chuyển đổi số trong cơ quan nhà nước; "
    "báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 15/12/2026."
)
BODY_3 = (
    "Các sở, ban, ngành rà soát, cập nhật dữ liệu chuyên ngành lên hệ thống cơ sở dữ liệu "
    "dùng chung của tỉnh, bảo đảm dữ liệu đúng, đủ, sạch, sống; phối hợp với Sở Khoa học và "
    "Công nghệ trong việc kết nối, chia sẻ dữ liệu với các hệ thống thông tin của bộ, ngành "
    "trung ương; định kỳ hằng quý báo cáo tình hình thực hiện, những khó khăn, vướng mắc phát "
    "sinh và đề xuất giải pháp tháo gỡ để Ủy ban nhân dân tỉnh xem xét, chỉ đạo kịp thời."
)
BODY_4 = (
    "Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm tổ chức triển khai thực hiện "
    "nghiêm túc các nội dung nêu trên; trong quá trình thực hiện nếu phát sinh khó khăn, vướng "
    "mắc, kịp thời báo cáo Sở Khoa học và Công nghệ để tổng hợp, tham mưu Ủy ban nhân dân tỉnh "
    "xem xét, chỉ đạo theo quy định./."
)


def header(doc: Doc, cv: bool = True) -> None:
    """Two-column header of page 1 (ô 1-5 of NĐ 30/2020)."""
    lc, rc = 150.0, 405.0
    doc.font("", 12)
    doc.centre("ỦY BAN NHÂN DÂN", lc, 70)
    doc.font("B", 12)
    doc.centre("TỈNH LÀO CAI", lc, 85)
    doc.line(lc - 30, 90, lc + 30, 90)
    doc.font("B", 11.5)
    doc.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rc, 70)
    doc.font("B", 12.5)
    doc.centre("Độc lập - Tự do - Hạnh phúc", rc, 85)
    doc.line(rc - 80, 90, rc + 80, 90)
    doc.font("", 12.5)
    doc.centre("Số: 123/UBND-VX", lc, 112)
    doc.font("I", 12.5)
    doc.centre("Lào Cai, ngày 06 tháng 4 năm 2026", rc, 112)
    if cv:
        doc.font("", 10.5)
        doc.centre("V/v triển khai thực hiện chuyển đổi số", lc, 130)
        doc.centre("trong cơ quan nhà nước năm 2026", lc, 144)
        doc.font("", 13)
        doc.centre("Kính gửi: Sở Khoa học và Công nghệ tỉnh Lào Cai.", PAGE_W / 2 + 14, 175)
        doc.cur_y = 185


def signature(doc: Doc, y: float) -> None:
    """Signature block: Nơi nhận bottom-left, KT. CHỦ TỊCH bottom-right."""
    doc.font("BI", 12)
    doc.text(LEFT, y, "Nơi nhận:")
    doc.font("", 11)
    items = ["- Như trên;", "- Chủ tịch, các PCT UBND tỉnh;", "- Chánh VP, Phó CVP UBND tỉnh;", "- Lưu: VT, KGVX."]
    for i, it in enumerate(items):
        doc.text(LEFT, y + 14 * (i + 1), it)
    rc = 420.0
    doc.font("B", 13)
    doc.centre("KT. CHỦ TỊCH", rc, y - 2)
    doc.centre("PHÓ CHỦ TỊCH", rc, y + 14)
    doc.centre("Nguyễn Văn An", rc, y + 80)


def make_cv() -> None:
    doc = Doc()
    doc.new_page()
    header(doc)
    doc.para(BODY_1)
    doc.para("1. Nhiệm vụ trọng tâm", style="B")
    doc.para(BODY_2)
    doc.para("Cụ thể như sau:")
    doc.para(BODY_3)
    doc.para(BODY_3.replace("Các sở", "Các cơ quan"))
    doc.para(BODY_3.replace("Các sở", "Ủy ban nhân dân các xã"))
    doc.para(BODY_4)  # runs over the page break
    doc.para("2. Tổ chức thực hiện", style="B")
    doc.para(BODY_4.replace("Thủ trưởng", "Người đứng đầu"))
    signature(doc, doc.cur_y + 20)
    doc.output(str(HERE / "cv_two_pages.pdf"))


TASK_HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]
TASKS = [
    ["1", "Rà soát, hoàn thiện hạ tầng số tại các cơ quan nhà nước", "Sở Khoa học và Công nghệ", "Quý I/2026"],
    ["2", "Triển khai nền tảng dịch vụ công trực tuyến toàn trình", "Văn phòng UBND tỉnh", "Quý II/2026"],
    ["3", "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã", "Sở Nội vụ", "Năm 2026"],
]
COLS = [30, 220, 130, 73.28]


def make_split(repeat_header: bool) -> None:
    doc = Doc()
    doc.new_page()
    doc.font("B", 14)
    doc.centre("KẾ HOẠCH", PAGE_W / 2, 80)
    doc.cur_y = 90
    doc.para(BODY_3)
    doc.para(BODY_3.replace("Các sở", "Các cơ quan"))
    doc.para("Danh mục nhiệm vụ cụ thể như sau:", after=10)
    rows = (
        [TASK_HEADER]
        + TASKS
        + [
            ["4", "Xây dựng cơ sở dữ liệu dùng chung của tỉnh, kết nối", "Sở Khoa học và Công nghệ", "Quý III/2026"],
        ]
    )
    doc.table(doc.cur_y, COLS, rows, bold_rows=(0,))
    doc.new_page()
    rows2 = ([TASK_HEADER] if repeat_header else []) + [
        ["", "với hệ thống của các bộ, ngành trung ương", "", ""],
        ["5", "Tổng kết, đánh giá kết quả thực hiện kế hoạch", "Sở Khoa học và Công nghệ", "Tháng 12/2026"],
    ]
    bottom = doc.table(doc.cur_y + 10, COLS, rows2, bold_rows=(0,) if repeat_header else ())
    doc.cur_y = bottom + 6
    doc.para("Trên đây là Kế hoạch triển khai của Ủy ban nhân dân tỉnh./.")
    name = "table_split.pdf" if repeat_header else "table_split_nohdr.pdf"
    doc.output(str(HERE / name))


def make_merged() -> None:
    doc = Doc()
    doc.new_page()
    doc.para("Phân công thực hiện như sau:")
    rows = [
        [("TT", 2, 1), ("Nhiệm vụ", 2, 1), ("Thời gian", 1, 2), None],
        [None, None, "Bắt đầu", "Kết thúc"],
        ["1", ("Khảo sát hiện trạng hạ tầng", 2, 1), "01/2026", "03/2026"],
        ["2", None, "04/2026", "06/2026"],
    ]
    bottom = doc.table(doc.cur_y + 6, [40, 240, 90, 83.28], rows, bold_rows=(0, 1))
    doc.cur_y = bottom + 6
    doc.para("Các đơn vị báo cáo kết quả trước ngày 15/12/2026.")
    doc.output(str(HERE / "table_merged.pdf"))


def make_scan() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(60, 520, 18):
        draw.line((40, y, 360, y), fill=60, width=4)
    img_path = HERE / "_scan.png"
    img.save(img_path)
    doc = Doc()
    doc.new_page()
    doc.para(BODY_2)
    doc.page_no_shown = False
    doc.new_page()
    doc.image(str(img_path), x=0, y=0, w=PAGE_W, h=PAGE_H)
    doc.output(str(HERE / "scan_page2.pdf"))
    img_path.unlink()


def make_encrypted() -> None:
    doc = Doc()
    doc.new_page()
    doc.para(BODY_2)
    doc.set_encryption(owner_password="owner-secret", user_password="user-secret")
    doc.output(str(HERE / "encrypted.pdf"))


def make_rotated() -> None:
    """A landscape annex page stored the way scanners/printers do it: a
    portrait page whose content is turned 90° and shown with /Rotate 90."""
    import pypdfium2 as pdfium

    doc = Doc()
    doc.add_page(orientation="L")
    doc.cur_y = TOP
    doc.para(BODY_2)
    doc.table(
        doc.cur_y + 10,
        [40, 300, 200],
        [["TT", "Nhiệm vụ", "Thời gian"], ["1", "Khảo sát hiện trạng", "Quý I/2026"]],
        bold_rows=(0,),
    )
    tmp = HERE / "_rot.pdf"
    doc.output(str(tmp))
    src = pdfium.PdfDocument(str(tmp))
    dest = pdfium.PdfDocument.new()
    page = dest.new_page(PAGE_W, PAGE_H)
    obj = src.page_as_xobject(0, dest).as_pageobject()
    obj.transform(pdfium.PdfMatrix(0, 1, -1, 0, PAGE_W, 0))  # 90° counter-clockwise
    page.insert_obj(obj)
    page.gen_content()
    page.set_rotation(90)
    dest.save(str(HERE / "rotated.pdf"))
    for d in (dest, src):
        d.close()
    tmp.unlink()


def make_tcvn3() -> None:
    """Text typed in a TCVN3 (ABC) font: a valid text layer of Latin-1 mojibake."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in [
        "Céng hoµ x· héi chñ nghÜa viÖt nam",
        "§éc lËp - Tù do - H¹nh phóc",
        "KÕ ho¹ch triÓn khai thùc hiÖn nhiÖm vô n¨m 2026 cña Uû ban nh©n d©n tØnh",
        "C¨n cø LuËt Tæ chøc chÝnh quyÒn ®Þa ph¬ng ngµy 19 th¸ng 6 n¨m 2015;",
        "Uû ban nh©n d©n tØnh ban hµnh kÕ ho¹ch thùc hiÖn nh sau:",
        "Së Tµi chÝnh chñ tr×, phèi hîp víi c¸c së, ngµnh tæ chøc thùc hiÖn.",
    ]:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(HERE / "tcvn3_font.pdf"))


if __name__ == "__main__":
    make_cv()
    make_split(True)
    make_split(False)
    make_merged()
    make_scan()
    make_encrypted()
    make_rotated()
    make_tcvn3()
    for p in sorted(HERE.glob("*.pdf")):
        print(p.name, p.stat().st_size)
