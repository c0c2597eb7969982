"""The giấy chứng nhận as a PDF: one A4-landscape page laid out like a Vietnamese official paper.

Pure: content in, bytes out. The header follows the administrative layout of NĐ 30/2020
(issuing body top left, national motto top right, "place, date" and signer bottom right),
the fonts are embedded so every Vietnamese glyph prints and copies correctly, and reportlab's
invariant mode makes the same content give the same bytes, so a PDF can be generated once,
hashed and stored. The QR code is drawn as vector rectangles: sharp at any print size.
"""
import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache
from itertools import groupby, zip_longest
from xml.sax.saxutils import escape

import fontpkg
import segno
from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle


@dataclass(frozen=True)
class CertificateContent:
    serial: str  # số hiệu, e.g. "VT-2018-000123"
    register_number: str  # số vào sổ, e.g. "123/2018"
    holder_name: str
    date_of_birth: str | None  # already formatted dd/mm/yyyy
    unit_name: str
    title: str  # e.g. "GIẤY CHỨNG NHẬN"
    wording: str
    standard_name: str
    results: tuple[tuple[str, str], ...]  # (requirement, grade text)
    issuing_body: str  # e.g. "ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH"
    parent_body: str | None  # e.g. "TỈNH BÌNH ĐỊNH", printed above the issuing body
    place: str  # e.g. "Vĩnh Thạnh"
    issue_date: date
    signer_title: str  # one line per title line, e.g. "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str
    verify_url: str
    valid_until: date | None


FONT_FAMILY = "Be Vietnam Pro"
REGULAR, BOLD, ITALIC = "BeVietnamPro", "BeVietnamPro-Bold", "BeVietnamPro-Italic"
_FONT_FILES = {REGULAR: (400, "normal"), BOLD: (700, "normal"), ITALIC: (400, "italic")}

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
ACCENT = HexColor("#8E1B1B")  # deep red: the title and the border; a dark grey in black and white
NAME_COLOUR = HexColor("#102A5C")
RULE_WIDTH = 0.7

BORDER_OUTER, BORDER_INNER = 20, 27  # insets of the two border frames
MARGIN = 58  # text never comes closer to the paper's edge than this
HEADER_TOP = PAGE_HEIGHT - 70  # first header baseline
LEFT_COLUMN = (MARGIN, MARGIN + 310)  # issuing body
RIGHT_CENTRE = PAGE_WIDTH - MARGIN - 165  # the national motto, and under it place, date and signer
TITLE_TOP = PAGE_HEIGHT - 110  # lower when a long issuing body needs more lines
BODY_LEFT, BODY_RIGHT = 96, PAGE_WIDTH - 96

SIGNER_COLUMN = (RIGHT_CENTRE - 140, RIGHT_CENTRE + 140)
SIGNATURE_BOX = (RIGHT_CENTRE - 100, 70, RIGHT_CENTRE + 100, 138)
"""(x1, y1, x2, y2) in points on page 1: left empty, under the signer's title and above the
signer's name, for the visible stamp of the digital signature."""

QR_SIZE = 84  # the dark area; the quiet zone is the empty space kept around it
QR_LEFT, QR_BOTTOM = MARGIN, MARGIN - 6
REFERENCE_LEFT = QR_LEFT + QR_SIZE + 14
REFERENCE_WIDTH = SIGNER_COLUMN[0] - REFERENCE_LEFT - 10


def render_certificate(content: CertificateContent) -> bytes:
    """The certificate as PDF bytes; the same content always gives the same bytes."""
    _register_fonts()
    content = _nfc(content)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True, initialFontName=REGULAR,
                    lang="vi-VN")
    canvas.setTitle(f"{content.title} {content.serial} – {content.holder_name}")
    canvas.setAuthor(content.issuing_body)
    canvas.setCreator(content.issuing_body)
    canvas.setSubject(content.standard_name)
    canvas.setDateFormatter(_issue_timestamp(content.issue_date))
    _draw_border(canvas)
    header_bottom = _draw_issuing_body(canvas, content.parent_body, content.issuing_body)
    _draw_motto(canvas)
    title_bottom = _draw_title(canvas, content.title, min(TITLE_TOP, header_bottom - 8))
    signer_top = _draw_signer(canvas, content)
    reference_top = _draw_reference(canvas, content)
    _draw_body(canvas, content, title_bottom - 16, max(signer_top, reference_top) + 10)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@cache
def _register_fonts() -> None:
    for name, (weight, style) in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, fontpkg.path(FONT_FAMILY, weight, style)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def _nfc(content: CertificateContent) -> CertificateContent:
    """Decomposed Vietnamese (as some keyboards and Mac files produce) draws its accents as
    separate glyphs that may sit wrongly and copy out as two characters: compose first."""
    changes = {}
    for field in fields(content):
        value = getattr(content, field.name)
        if isinstance(value, str):
            changes[field.name] = unicodedata.normalize("NFC", value)
    changes["results"] = tuple(tuple(unicodedata.normalize("NFC", text) for text in row) for row in content.results)
    return replace(content, **changes)


def _issue_timestamp(day: date) -> Callable[..., str]:
    """The issue date (Vietnam time) as the PDF's creation date: invariant mode would write
    1 January 2000, and the time of rendering would break determinism."""
    stamp = f"D:{day:%Y%m%d}000000+07'00'"
    return lambda *_clock: stamp


def official_date(place: str, day: date) -> str:
    """'Vĩnh Thạnh, ngày 05 tháng 3 năm 2018': NĐ 30/2020 writes a leading zero only for days
    below 10 and for January and February, so that no digit can be added in front later."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


# Drawing helpers


def _style(name: str, font: str, size: float, colour: Color = black, alignment: int = TA_CENTER) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * 1.3, 1), textColor=colour,
                          alignment=alignment, splitLongWords=True)


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name may contain '&' or '<')."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _labelled(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(f"{escape(label)} <b>{escape(value)}</b>", style)


def _draw_top_down(canvas: Canvas, flowables: list[Flowable], left: float, width: float, top: float) -> float:
    """Stack flowables downwards from `top`, each centred in the column; returns the bottom."""
    for flowable in flowables:
        used_width, height = flowable.wrapOn(canvas, width, PAGE_HEIGHT)
        top -= height
        flowable.drawOn(canvas, left + (width - used_width) / 2, top)
    return top


def _height(canvas: Canvas, flowables: list[Flowable], width: float) -> float:
    return sum(flowable.wrapOn(canvas, width, PAGE_HEIGHT)[1] for flowable in flowables)


def _rule(canvas: Canvas, centre: float, y: float, length: float) -> None:
    canvas.setLineWidth(RULE_WIDTH)
    canvas.line(centre - length / 2, y, centre + length / 2, y)


# The page, from the edge inwards and from the top down


def _draw_border(canvas: Canvas) -> None:
    """Two frames and small squares at the corners: quiet, and it survives a photocopier."""
    canvas.setStrokeColor(ACCENT)
    canvas.setFillColor(ACCENT)
    canvas.setLineWidth(2.4)
    canvas.rect(BORDER_OUTER, BORDER_OUTER, PAGE_WIDTH - 2 * BORDER_OUTER, PAGE_HEIGHT - 2 * BORDER_OUTER)
    canvas.setLineWidth(0.8)
    canvas.rect(BORDER_INNER, BORDER_INNER, PAGE_WIDTH - 2 * BORDER_INNER, PAGE_HEIGHT - 2 * BORDER_INNER)
    corner = 7
    for x in (BORDER_INNER, PAGE_WIDTH - BORDER_INNER):
        for y in (BORDER_INNER, PAGE_HEIGHT - BORDER_INNER):
            canvas.rect(x - corner / 2, y - corner / 2, corner, corner, stroke=0, fill=1)
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)


def _draw_issuing_body(canvas: Canvas, parent_body: str | None, issuing_body: str) -> float:
    """Parent body above, issuing body in bold, and a rule under it of about 40% its length;
    returns the rule's height on the page."""
    left, right = LEFT_COLUMN
    width = right - left
    flowables = [_paragraph(parent_body, _style("parent", REGULAR, 12.5))] if parent_body else []
    body_style = _style("issuing", BOLD, 12.5)
    flowables.append(_paragraph(issuing_body, body_style))
    bottom = _draw_top_down(canvas, flowables, left, width, HEADER_TOP + 12)
    longest = max(pdfmetrics.stringWidth(line, BOLD, body_style.fontSize) for line in issuing_body.splitlines())
    _rule(canvas, (left + right) / 2, bottom - 5, 0.4 * min(longest, width))
    return bottom - 5


def _draw_motto(canvas: Canvas) -> None:
    """The national name and motto, the motto ruled under its whole length."""
    canvas.setFont(BOLD, 12.5)
    canvas.drawCentredString(RIGHT_CENTRE, HEADER_TOP, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = "Độc lập - Tự do - Hạnh phúc"
    canvas.setFont(BOLD, 13.5)
    canvas.drawCentredString(RIGHT_CENTRE, HEADER_TOP - 17, motto)
    _rule(canvas, RIGHT_CENTRE, HEADER_TOP - 23, pdfmetrics.stringWidth(motto, BOLD, 13.5))


def _draw_title(canvas: Canvas, title: str, top: float) -> float:
    """The title, as large as fits on one line, wrapped if even 22 points is too wide; returns its bottom."""
    width = BODY_RIGHT - BODY_LEFT
    style = _style("title", BOLD, _fitting_size(title, BOLD, width, 34, 22), ACCENT)
    return _draw_top_down(canvas, [_paragraph(title, style)], BODY_LEFT, width, top)


def _fitting_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest size (in whole points) at which `text` fits on one line, or `smallest`."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _draw_signer(canvas: Canvas, content: CertificateContent) -> float:
    """Place and date, signer's title, the empty signature box, signer's name, built upwards
    from the name so that SIGNATURE_BOX stays where it is; returns the top of the block."""
    left, right = SIGNER_COLUMN
    width = right - left
    name_size = _fitting_size(content.signer_name, BOLD, width, 13, 10)
    _draw_top_down(canvas, [_paragraph(content.signer_name, _style("signer", BOLD, name_size))], left, width,
                   SIGNATURE_BOX[1] - 2)
    above = [_paragraph(official_date(content.place, content.issue_date), _style("date", ITALIC, 12.5)),
             _paragraph(content.signer_title, _style("signer-title", BOLD, 12.5))]
    top = SIGNATURE_BOX[3] + 4 + _height(canvas, above, width)
    _draw_top_down(canvas, above, left, width, top)
    return top


def _draw_reference(canvas: Canvas, content: CertificateContent) -> float:
    """Bottom left: the QR code to the verification page, and the numbers of the register
    entry beside it, so the certificate can be checked with or without a phone."""
    _draw_qr(canvas, content.verify_url, QR_LEFT, QR_BOTTOM, QR_SIZE)
    style = _style("reference", REGULAR, 8, alignment=TA_LEFT)
    lines = [_labelled("Số hiệu:", content.serial, style), _labelled("Số vào sổ:", content.register_number, style),
             _paragraph(f"Xác minh tại: {content.verify_url}", style)]
    top = QR_BOTTOM + _height(canvas, lines, REFERENCE_WIDTH)
    _draw_top_down(canvas, lines, REFERENCE_LEFT, REFERENCE_WIDTH, top)
    return max(top, QR_BOTTOM + QR_SIZE)


def _draw_qr(canvas: Canvas, data: str, left: float, bottom: float, size: float) -> None:
    """The QR code as one path of filled rectangles, a run of dark modules per rectangle."""
    rows = list(segno.make(data, error="m", micro=False).matrix_iter(scale=1, border=0))  # phones skip Micro QR
    module = size / len(rows)
    path = canvas.beginPath()
    for number, row in enumerate(rows):
        y = bottom + size - (number + 1) * module
        for start, length in _dark_runs(row):
            path.rect(left + start * module, y, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _dark_runs(row: Iterable[int]) -> list[tuple[int, int]]:
    """(first column, length) of each run of dark modules in a QR matrix row."""
    runs, column = [], 0
    for dark, modules in groupby(row):
        length = len(list(modules))
        if dark:
            runs.append((column, length))
        column += length
    return runs


# The body: who, what, and how well


def _draw_body(canvas: Canvas, content: CertificateContent, top: float, bottom: float) -> None:
    """Everything between the title and the bottom blocks, centred vertically in that space,
    and scaled down step by step until it fits (a 200-character name, many results)."""
    width = BODY_RIGHT - BODY_LEFT
    space = top - bottom
    for percent in range(100, 35, -5):
        scale = percent / 100
        flowables = _body(content, width, scale)
        height = _height(canvas, flowables, width)
        if height <= space:
            _draw_top_down(canvas, flowables, BODY_LEFT, width, top - (space - height) / 2)
            return
    raise ValueError(f"The certificate text of {content.serial} is too long for one page.")


def _body(content: CertificateContent, width: float, scale: float) -> list[Flowable]:
    text = _style("text", REGULAR, 13 * scale)
    flowables: list[Flowable] = [_paragraph("Chứng nhận: Ông/Bà", _style("lead", REGULAR, 14 * scale)),
                                 _name(content.holder_name, width, scale)]
    if content.date_of_birth:
        flowables.append(_paragraph(f"Sinh ngày: {content.date_of_birth}", text))
    flowables += [_labelled("Đơn vị công tác:", content.unit_name, text), Spacer(width, 6 * scale),
                  _paragraph(content.wording, text), Spacer(width, 6 * scale),
                  _labelled("Đạt chuẩn:", content.standard_name, text)]
    if content.results:
        flowables += [Spacer(width, 3 * scale), _results(content.results, width, scale)]
    if content.valid_until:
        validity = f"Có giá trị đến ngày {content.valid_until:%d/%m/%Y}"
        flowables += [Spacer(width, 6 * scale), _paragraph(validity, _style("valid", ITALIC, 12 * scale))]
    return flowables


def _name(name: str, width: float, scale: float) -> Paragraph:
    """The holder's name: as large as fits on one line, else wrapped at the smallest size."""
    size = _fitting_size(name, BOLD, width, round(26 * scale), round(15 * scale))
    return _paragraph(name, _style("name", BOLD, size, NAME_COLOUR))


def _results(results: tuple[tuple[str, str], ...], width: float, scale: float) -> Table:
    """Requirement and grade, one per row; in two columns, read downwards, when there are more than three."""
    requirement = _style("requirement", REGULAR, 9.5 * scale, alignment=TA_LEFT)
    grade = _style("grade", BOLD, 9.5 * scale, alignment=TA_LEFT)
    cells = [[_paragraph(text, requirement), _paragraph(mark, grade)] for text, mark in results]
    grade_width, gap = 64 * scale, 30 * scale
    if len(cells) <= 3:
        rows, widths = cells, [min(width, 300 * scale) - grade_width, grade_width]
    else:
        half = (len(cells) + 1) // 2
        rows = [left + [""] + (right or ["", ""]) for left, right in zip_longest(cells[:half], cells[half:])]
        pair = min((width - gap) / 2, 290 * scale)
        widths = [pair - grade_width, grade_width, gap, pair - grade_width, grade_width]
    table = Table(rows, colWidths=widths)
    # The cell font is set even for paragraph cells: without it the table adds a Helvetica that is not embedded.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table
