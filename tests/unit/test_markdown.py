"""Lesson Markdown: anchored headings and toc, tables, images, and no way to smuggle in markup."""
import unicodedata

import pytest

from lms.courses.markdown import RenderedMarkdown, TocEntry, render_markdown

IMAGES = {"images/so-do.png": "/khoa-hoc/vpdt/anh/so-do.png", "images/sơ đồ.png": "/khoa-hoc/vpdt/anh/s%C6%A1.png"}


def test_headings_get_vietnamese_anchors_and_h2_h3_make_the_toc():
    rendered = render_markdown(
        "## Xử lý văn bản đến\n\n### Bước 1: Đăng nhập\n\n#### Ghi chú\n\n##### Chi tiết\n\n## Tóm tắt\n"
    )
    assert '<h2 id="xu-ly-van-ban-den">Xử lý văn bản đến</h2>' in rendered.html
    assert '<h3 id="buoc-1-dang-nhap">Bước 1: Đăng nhập</h3>' in rendered.html
    assert '<h4 id="ghi-chu">Ghi chú</h4>' in rendered.html
    assert "<h5>Chi tiết</h5>" in rendered.html
    assert rendered.toc == (
        TocEntry(level=2, anchor="xu-ly-van-ban-den", text="Xử lý văn bản đến"),
        TocEntry(level=3, anchor="buoc-1-dang-nhap", text="Bước 1: Đăng nhập"),
        TocEntry(level=2, anchor="tom-tat", text="Tóm tắt"),
    )


def test_duplicate_and_empty_slugs_are_made_unique():
    rendered = render_markdown("## Ví dụ\n\n## Ví dụ\n\n### Ví dụ\n\n## !!!\n\n## ???\n")
    assert [entry.anchor for entry in rendered.toc] == ["vi-du", "vi-du-2", "vi-du-3", "muc", "muc-2"]
    assert '<h3 id="vi-du-3">Ví dụ</h3>' in rendered.html


def test_toc_text_is_the_heading_without_markup():
    rendered = render_markdown("## Dùng `vSignPDF` *đúng* [cách](https://example.vn)\n")
    assert rendered.toc == (TocEntry(level=2, anchor="dung-vsignpdf-dung-cach", text="Dùng vSignPDF đúng cách"),)


def test_an_image_in_a_heading_gives_its_alt_text_to_the_toc():
    rendered = render_markdown("## Sơ đồ ![luồng *xử lý*](images/so-do.png)\n", IMAGES.get)
    assert rendered.toc == (TocEntry(level=2, anchor="so-do-luong-xu-ly", text="Sơ đồ luồng xử lý"),)
    assert '<img src="/khoa-hoc/vpdt/anh/so-do.png" alt="luồng xử lý">' in rendered.html


def test_h1_is_demoted_to_h2():
    rendered = render_markdown("# Tiêu đề\n\nTiêu đề khác\n============\n")
    assert "<h1" not in rendered.html
    assert '<h2 id="tieu-de">Tiêu đề</h2>' in rendered.html
    assert '<h2 id="tieu-de-khac">Tiêu đề khác</h2>' in rendered.html
    assert [entry.level for entry in rendered.toc] == [2, 2]


def test_tables_render_plain():
    rendered = render_markdown("| Bước | Việc |\n|:-----|-----:|\n| 1 | Mở tệp |\n")
    assert "<table>" in rendered.html
    assert "<th>Bước</th>" in rendered.html
    assert "<td>Mở tệp</td>" in rendered.html
    assert "style=" not in rendered.html


def test_raw_html_in_markdown_is_shown_as_text():
    rendered = render_markdown('<script>alert(1)</script>\n\nXem <img src="/a.png" onerror="alert(1)"> nhé\n')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<script" not in rendered.html
    assert "<img" not in rendered.html


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,alert(1))",
    "<javascript:alert(1)>",
    "[x]\n\n[x]: javascript:alert(1)",
])
def test_dangerous_links_are_not_live(source):
    assert "href" not in render_markdown(source).html


def test_links_get_rel():
    rendered = render_markdown("[Cổng dịch vụ công](https://dichvucong.gov.vn)")
    assert rendered.html == (
        '<p><a href="https://dichvucong.gov.vn" rel="noopener noreferrer">Cổng dịch vụ công</a></p>\n'
    )


def test_relative_images_are_resolved_through_image_url():
    asked = []

    def image_url(path):
        asked.append(path)
        return IMAGES.get(path)

    rendered = render_markdown('![Sơ đồ](images/so-do.png "Luồng")\n\n![Ảnh](<images/sơ đồ.png>)', image_url)
    assert asked == ["images/so-do.png", "images/sơ đồ.png"]
    assert '<img src="/khoa-hoc/vpdt/anh/so-do.png" alt="Sơ đồ" title="Luồng">' in rendered.html
    assert '<img src="/khoa-hoc/vpdt/anh/s%C6%A1.png" alt="Ảnh">' in rendered.html


@pytest.mark.parametrize("source", [
    "images/khong-co.png",
    "https://evil.example/x.png",
    "//evil.example/x.png",
    "/static/x.png",
    "data:image/png;base64,AAAA",
])
def test_unresolved_or_external_images_become_their_alt_text(source):
    asked = []

    def image_url(path):
        asked.append(path)
        return IMAGES.get(path)

    rendered = render_markdown(f"Xem ![Sơ đồ *luồng*]({source}) bên dưới", image_url)
    assert rendered.html == "<p>Xem Sơ đồ luồng bên dưới</p>\n"
    assert asked == ([source] if source.startswith("images/") else [])


def test_images_are_dropped_without_a_resolver():
    assert render_markdown("![Sơ đồ](images/so-do.png)").html == "<p>Sơ đồ</p>\n"


def test_a_resolver_returning_an_external_url_cannot_place_the_image():
    rendered = render_markdown("![x](images/so-do.png)", lambda path: "https://evil.example/x.png")
    assert "<img" not in rendered.html


def test_input_is_nfc_normalised():
    decomposed = "## Xu\u031b\u0309 ly\u0301\n\nVa\u0306n ba\u0309n"
    rendered = render_markdown(decomposed)
    assert unicodedata.is_normalized("NFC", rendered.html)
    assert '<h2 id="xu-ly">Xử lý</h2>' in rendered.html
    assert "<p>Văn bản</p>" in rendered.html
    assert rendered.toc[0].text == "Xử lý"


def test_code_keeps_its_text():
    rendered = render_markdown(
        '```python\nif a < b and c > d:\n    print("<b>đúng</b>")\n```\n\n'
        "    <br> thụt lề\n\n"
        "Dùng `<br>` để xuống dòng"
    )
    assert (
        '<pre><code class="language-python">if a &lt; b and c &gt; d:\n'
        '    print(&quot;&lt;b&gt;đúng&lt;/b&gt;&quot;)\n</code></pre>'
    ) in rendered.html
    assert "<pre><code>&lt;br&gt; thụt lề\n</code></pre>" in rendered.html
    assert "<code>&lt;br&gt;</code>" in rendered.html


def test_empty_source():
    assert render_markdown("") == RenderedMarkdown(html="", toc=())
