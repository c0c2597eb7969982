"""A trainee studies two lessons and sees the progress bar move; a trainer edits a lesson
and previews it."""
from tests.e2e.steps import sign_in


def _progress(page) -> int:
    return int(page.locator("#course-progress progress").get_attribute("value"))


def test_trainee_reads_two_lessons_and_progress_moves(page):
    sign_in(page, "hocvien")
    page.get_by_role("link", name="Khóa học", exact=True).click()
    page.get_by_role("link", name="Chữ ký số").click()
    page.get_by_role("link", name="Bắt đầu học").click()
    assert _progress(page) == 0
    page.get_by_role("button", name="Đánh dấu hoàn thành và học tiếp →").click()
    page.wait_for_url("**/bai/chung-thu-so-va-ca-chinh-phu")
    first = _progress(page)
    assert first > 0
    assert page.get_by_text("Đã đánh dấu hoàn thành bài").is_visible()
    page.get_by_role("button", name="Đánh dấu hoàn thành và học tiếp →").click()
    page.wait_for_url("**/bai/usb-token-va-phan-mem")
    assert _progress(page) > first
    page.goto("/trang-cua-toi")
    assert page.locator(".required-course", has_text="Chữ ký số").locator("progress").get_attribute("value") != "0"
    assert page.errors == []


def test_trainer_edits_a_lesson_and_sees_the_preview(page):
    sign_in(page, "giangvien")
    page.get_by_role("link", name="Quản lý khóa học").click()
    page.get_by_role("link", name="An toàn, an ninh thông tin").first.click()
    page.get_by_role("link", name="Sửa", exact=True).first.click()
    body = page.get_by_label("Nội dung (Markdown)")
    body.fill("## Mục mới\n\nMật khẩu **mạnh** có ít nhất 8 ký tự.\n\n<script>alert(1)</script>\n")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#preview")
    assert preview.locator("h2#muc-moi").inner_text() == "Mục mới"
    assert preview.locator("strong").inner_text() == "mạnh"
    assert preview.locator("script").count() == 0
    page.get_by_role("button", name="Lưu bài học").click()
    assert page.get_by_text("Đã lưu bài học").is_visible()
    assert page.errors == []
