"""What people do in a real browser: sign in, see their page, sign out; an administrator
hands a new colleague an account."""
from tests.e2e.steps import sign_in, sign_out


def test_trainee_signs_in_sees_my_page_and_signs_out(page):
    sign_in(page, "hocvien")
    page.wait_for_url("**/trang-cua-toi")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Nguyễn Văn Bình"
    assert page.get_by_text("chỉ tiêu năm 2018 là 65%").is_visible()
    assert page.get_by_role("link", name="Trang của tôi").is_visible()
    assert page.get_by_role("link", name="Quản trị").count() == 0
    sign_out(page)
    page.wait_for_url("**/dang-nhap")
    assert page.get_by_text("Bạn đã đăng xuất.").is_visible()
    assert page.errors == []


def test_wrong_password_shows_a_vietnamese_message(page):
    sign_in(page, "hocvien", "sai-mat-khau")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."


def test_admin_creates_an_account_and_the_colleague_sets_a_password(page):
    sign_in(page, "admin")
    page.wait_for_url("**/quan-tri/")
    page.get_by_role("link", name="Thêm người dùng").first.click()
    page.get_by_label("Họ và tên").fill("Đinh Thị Mai")
    page.get_by_label("Tên đăng nhập").fill("mai.dinhthi")
    unit = page.get_by_label("Đơn vị")
    unit.select_option(unit.locator("option", has_text="Xã Vĩnh Hảo").get_attribute("value"))
    page.get_by_role("button", name="Lưu").click()
    password = page.locator(".temp-password").inner_text()
    sign_out(page)
    sign_in(page, "mai.dinhthi", password)
    page.wait_for_url("**/doi-mat-khau")
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Mật khẩu mới", exact=True).fill("Vinh-Hao-2018")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Vinh-Hao-2018")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url("**/trang-cua-toi")
    assert page.get_by_text("Xã Vĩnh Hảo").first.is_visible()
    assert page.errors == []


def test_phone_width_menu_opens(phone):
    sign_in(phone, "nhansu")
    phone.wait_for_url("**/tong-hop")
    phone.get_by_role("button", name="Mở menu").click()
    phone.get_by_role("link", name="Đơn vị và cán bộ").click()
    phone.wait_for_url("**/don-vi")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_pages_fit_a_360px_phone(phone):
    sign_in(phone, "admin")
    for path in ("/quan-tri/", "/quan-tri/don-vi", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky",
                 "/tong-hop", "/don-vi", "/giang-vien/khoa-hoc", "/khoa-hoc/VPDT"):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
