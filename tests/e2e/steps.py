"""Steps the browser journeys share: signing in and out, waiting for the page's own state."""
import time

from lms.demo import DEMO_PASSWORD


def sign_in(page, username, password=DEMO_PASSWORD):
    page.goto("/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def sign_out(page):
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="Đăng xuất").click()


def wait_until(page, expression: str, timeout: float = 30.0):
    """Poll `expression` with page.evaluate (the page's CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(200)
