"""The giấy chứng nhận PDF: one A4-landscape page whose Vietnamese text extracts exactly, with
its fonts embedded, a vector QR code that scans to the verification address, room for a
200-character name, an empty box for the signature stamp, and the same bytes every time.

The poppler (pdftotext, pdftoppm) and zbar (zbarimg) checks skip, saying why, where those
Debian packages are not installed."""
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from lms.certificates.pdf import (
    BOLD,
    BORDER_INNER,
    ITALIC,
    REGULAR,
    SIGNATURE_BOX,
    CertificateContent,
    official_date,
    render_certificate,
)

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
# A 200-character name made of real Vietnamese names, so it wraps at spaces like a real one.
LONG_NAME = ("Nguyễn Thị Ánh Tuyết Đặng Hữu Lộc Trần Phạm Quỳnh Hương " * 4)[:200]
VIETNAMESE_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
                      "áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                      "ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ")
# pypdf reports subset fonts by their PostScript names; these are the names they were drawn with.
DRAWN_FONTS = {"BeVietnamPro-Regular": REGULAR, "BeVietnamPro-Bold": BOLD, "BeVietnamPro-Italic": ITALIC}

CONTENT = CertificateContent(
    serial="VT-2018-000123",
    register_number="123/2018",
    holder_name="Nguyễn Thị Ánh Tuyết",
    date_of_birth="12/05/1980",
    unit_name="Phòng Lao động – Thương binh và Xã hội",
    title="GIẤY CHỨNG NHẬN",
    wording=("Đã hoàn thành chương trình bồi dưỡng và đạt chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản "
             "theo yêu cầu của Ủy ban nhân dân huyện Vĩnh Thạnh"),
    standard_name="Chuẩn kỹ năng sử dụng CNTT cơ bản",
    results=(("Bài kiểm tra cuối khóa – Chữ ký số", "85,0%"), ("Khóa học Thư điện tử công vụ", "Hoàn thành"),
             ("Bài kiểm tra – Văn phòng điện tử", "90,0%"), ("Bài kiểm tra – An toàn thông tin", "76,5%")),
    issuing_body="ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH",
    parent_body="TỈNH BÌNH ĐỊNH",
    place="Vĩnh Thạnh",
    issue_date=date(2018, 3, 5),
    signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    signer_name="Trần Văn Bình",
    verify_url="https://lms.vinhthanh.binhdinh.gov.vn/verify/Xq3kP9mZr2LwT8vBn5cHdA",
    valid_until=date(2023, 3, 5),
)


def page_of(pdf: bytes):
    [page] = PdfReader(BytesIO(pdf)).pages
    return page


def pypdf_text(pdf: bytes) -> str:
    return page_of(pdf).extract_text()


def require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian package {package})")


def run(*command: str | Path) -> str:
    return subprocess.run([str(part) for part in command], capture_output=True, check=True, text=True).stdout


def pdftotext(pdf: bytes, folder: Path, *options: str) -> str:
    require("pdftotext", "poppler-utils")
    path = folder / "certificate.pdf"
    path.write_bytes(pdf)
    return run("pdftotext", *options, path, "-")


def words(pdf: bytes, folder: Path) -> list[tuple[str, float, float, float, float]]:
    """(word, left, bottom, right, top) in PDF points, y upwards, as poppler lays the page out."""
    html = pdftotext(pdf, folder, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(text, float(x1), PAGE_HEIGHT - float(y2), float(x2), PAGE_HEIGHT - float(y1))
            for x1, y1, x2, y2, text in re.findall(pattern, html)]


def text_runs(pdf: bytes) -> list[tuple[float, float, float]]:
    """(x, y, width) of each run of text as pypdf's visitor sees it. pypdf gives the pieces of a
    mixed-font line (label, then bold value) the same origin, so their widths add up."""
    runs: dict[tuple[float, float], float] = {}

    def visit(text, cm, tm, font, size):
        text = text.strip("\n")
        if not text or font is None:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        drawn = DRAWN_FONTS[font["/BaseFont"].split("+", 1)[1]]
        width = stringWidth(text, drawn, size * tm[0] * cm[0])
        runs[(x, y)] = runs.get((x, y), 0) + width

    page_of(pdf).extract_text(visitor_text=visit)
    return [(x, y, width) for (x, y), width in runs.items()]


def drawn_name(text: str) -> str:
    """The name as extracted: what comes between its lead-in and the date of birth, without the
    line breaks a long name is wrapped with."""
    after_lead = text.split("Chứng nhận: Ông/Bà", 1)[1]
    return "".join(after_lead.split("Sinh ngày:", 1)[0].split())


def without_spaces(text: str) -> str:
    return "".join(text.split())


def assert_inside_frame(pdf: bytes) -> None:
    for x, y, width in text_runs(pdf):
        assert x > BORDER_INNER, x
        assert x + width < PAGE_WIDTH - BORDER_INNER, (x, width)
        assert BORDER_INNER < y < PAGE_HEIGHT - BORDER_INNER, y


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render_certificate(CONTENT)


def test_one_a4_landscape_page(sample):
    reader = PdfReader(BytesIO(sample))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((PAGE_WIDTH, PAGE_HEIGHT), abs=0.5)
    assert box.width > box.height


@pytest.mark.parametrize("name", ["Nguyễn Thị Ánh Tuyết", "Đặng Hữu Lộc"])
def test_pypdf_extracts_the_vietnamese_text_exactly(name):
    text = pypdf_text(render_certificate(replace(CONTENT, holder_name=name)))
    assert drawn_name(text) == without_spaces(name)
    for expected in (name, "GIẤY CHỨNG NHẬN", "Số hiệu: VT-2018-000123", "Số vào sổ: 123/2018", *MOTTO):
        assert expected in text


@pytest.mark.parametrize("name", ["Nguyễn Thị Ánh Tuyết", "Đặng Hữu Lộc"])
def test_pdftotext_extracts_the_vietnamese_text_exactly(name, tmp_path):
    text = pdftotext(render_certificate(replace(CONTENT, holder_name=name)), tmp_path)
    for expected in (name, "GIẤY CHỨNG NHẬN", "VT-2018-000123", "123/2018", *MOTTO,
                     "Vĩnh Thạnh, ngày 05 tháng 3 năm 2018", "Có giá trị đến ngày 05/03/2023"):
        assert expected in text


def test_decomposed_input_comes_out_composed():
    decomposed = replace(CONTENT, holder_name=unicodedata.normalize("NFD", "Đặng Hữu Lộc"),
                         unit_name=unicodedata.normalize("NFD", "Xã Vĩnh Thịnh"))
    assert decomposed.holder_name != "Đặng Hữu Lộc"
    text = pypdf_text(render_certificate(decomposed))
    assert "Đặng Hữu Lộc" in text
    assert "Xã Vĩnh Thịnh" in text
    assert not any(unicodedata.combining(character) for character in text)


def test_a_200_character_name_fits_on_the_page(tmp_path):
    assert len(LONG_NAME) == 200
    pdf = render_certificate(replace(CONTENT, holder_name=LONG_NAME))
    assert drawn_name(pypdf_text(pdf)) == without_spaces(LONG_NAME)
    assert " ".join(LONG_NAME.split()) in " ".join(pdftotext(pdf, tmp_path).split())
    assert_inside_frame(pdf)
    for word, left, bottom, right, top in words(pdf, tmp_path):
        assert BORDER_INNER < left < right < PAGE_WIDTH - BORDER_INNER, word
        assert BORDER_INNER < bottom < top < PAGE_HEIGHT - BORDER_INNER, word


def test_a_name_without_spaces_is_broken_to_fit():
    name = "Ư" * 200
    pdf = render_certificate(replace(CONTENT, holder_name=name))
    assert drawn_name(pypdf_text(pdf)) == name
    assert_inside_frame(pdf)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from(VIETNAMESE_LETTERS + "  -'"), min_size=1, max_size=200).filter(str.strip))
def test_any_name_is_drawn_whole_and_inside_the_frame(name):
    pdf = render_certificate(replace(CONTENT, holder_name=name))
    assert drawn_name(pypdf_text(pdf)) == without_spaces(name)
    assert_inside_frame(pdf)


def test_many_results_still_fit_with_a_long_name():
    results = tuple((f"Bài kiểm tra IU0{number} – Hiểu biết về công nghệ thông tin cơ bản", "100,0%")
                    for number in range(1, 10))
    pdf = render_certificate(replace(CONTENT, holder_name=LONG_NAME, results=results))
    assert pypdf_text(pdf).count("100,0%") == 9
    assert_inside_frame(pdf)


def test_text_that_cannot_fit_on_one_page_is_refused():
    with pytest.raises(ValueError, match="VT-2018-000123"):
        render_certificate(replace(CONTENT, results=(("Khóa học", "Hoàn thành"),) * 300))


def test_the_fonts_are_embedded(sample):
    fonts = page_of(sample)["/Resources"]["/Font"]
    assert fonts
    for font in (reference.get_object() for reference in fonts.values()):
        assert "BeVietnamPro" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]


def test_the_qr_code_is_vector(sample):
    page = page_of(sample)
    assert len(page.images) == 0
    xobjects = page["/Resources"].get("/XObject", {})
    assert all(xobject.get_object()["/Subtype"] != "/Image" for xobject in xobjects.values())


def test_the_qr_code_scans_to_the_verification_address(sample, tmp_path):
    require("pdftoppm", "poppler-utils")
    require("zbarimg", "zbar-tools")
    (tmp_path / "certificate.pdf").write_bytes(sample)
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", tmp_path / "certificate.pdf",
        tmp_path / "page")
    assert run("zbarimg", "--quiet", "--raw", tmp_path / "page.png").strip() == CONTENT.verify_url


def test_the_signature_box_is_empty_between_the_signer_title_and_name(sample, tmp_path):
    x1, y1, x2, y2 = SIGNATURE_BOX
    assert BORDER_INNER < x1 < x2 < PAGE_WIDTH - BORDER_INNER
    assert BORDER_INNER < y1 < y2 < PAGE_HEIGHT - BORDER_INNER
    placed = words(sample, tmp_path)
    for word, left, bottom, right, top in placed:
        assert right <= x1 or left >= x2 or top <= y1 or bottom >= y2, f"{word} is in the signature box"
    title_bottom = min(bottom for word, _, bottom, _, _ in placed if word == "PHÓ")
    name_top = max(top for word, _, _, _, top in placed if word == "Bình")
    assert name_top <= y1 < y2 <= title_bottom


def test_same_content_same_bytes(sample):
    assert render_certificate(CONTENT) == sample
    assert render_certificate(replace(CONTENT, serial="VT-2018-000124")) != sample


def test_metadata(sample):
    metadata = PdfReader(BytesIO(sample)).metadata
    assert metadata.title == "GIẤY CHỨNG NHẬN VT-2018-000123 – Nguyễn Thị Ánh Tuyết"
    assert metadata.author == "ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH"
    assert metadata.subject == "Chuẩn kỹ năng sử dụng CNTT cơ bản"
    assert metadata["/CreationDate"] == "D:20180305000000+07'00'"


def test_optional_lines_appear_only_when_given(sample):
    text = pypdf_text(sample)
    assert "Sinh ngày: 12/05/1980" in text
    assert "Có giá trị đến ngày 05/03/2023" in text
    assert "TỈNH BÌNH ĐỊNH" in text
    bare = pypdf_text(render_certificate(replace(CONTENT, date_of_birth=None, valid_until=None, parent_body=None)))
    for absent in ("Sinh ngày", "Có giá trị đến", "TỈNH BÌNH ĐỊNH"):
        assert absent not in bare
    assert "ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH" in bare


@pytest.mark.parametrize(("day", "expected"), [
    (date(2018, 3, 5), "Vĩnh Thạnh, ngày 05 tháng 3 năm 2018"),
    (date(2019, 2, 15), "Vĩnh Thạnh, ngày 15 tháng 02 năm 2019"),
    (date(2018, 1, 9), "Vĩnh Thạnh, ngày 09 tháng 01 năm 2018"),
    (date(2018, 12, 31), "Vĩnh Thạnh, ngày 31 tháng 12 năm 2018"),
])
def test_official_date_pads_as_decree_30_2020_requires(day, expected):
    assert official_date("Vĩnh Thạnh", day) == expected
