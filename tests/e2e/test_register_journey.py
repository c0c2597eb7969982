"""HR downloads a unit's certificates as a ZIP with a progress bar on the register page."""
import io
import zipfile
from pathlib import Path

from tests.e2e.steps import sign_in


def test_unit_zip_downloads_with_progress(page):
    sign_in(page, "nhansu")
    page.goto("/so-cap-giay-chung-nhan")
    unit = page.get_by_label("Tải giấy chứng nhận của một đơn vị (ZIP)")
    unit.select_option(unit.locator("option", has_text="Huyện Vĩnh Thạnh").get_attribute("value"))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải ZIP").click()
    data = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.namelist()) >= 14 and all(name.endswith(".pdf") for name in archive.namelist())
    assert page.locator("#zip-progress-label").inner_text() == "Đã tải xong."
    assert page.errors == []
