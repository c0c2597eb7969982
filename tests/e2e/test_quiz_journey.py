"""A trainee takes a timed quiz through a dropped connection without losing an answer."""

from playwright.sync_api import expect

from tests.e2e.steps import sign_in, wait_until

ANSWERED = """() => [...document.querySelectorAll('fieldset.question')].filter(f =>
    [...f.querySelectorAll('input, select, textarea')].some(e =>
      (e.type === 'radio' || e.type === 'checkbox') ? e.checked : (e.value && e.value !== ''))).length"""
UNSENT = "Object.keys(JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]) || '{}')).length"


def _answer(page, fieldset):
    """Give some answer to the question in `fieldset`, whatever its type."""
    if fieldset.locator("input[type=radio]").count():
        fieldset.locator("input[type=radio]").first.check()
    elif fieldset.locator("input[type=checkbox]").count():
        fieldset.locator("input[type=checkbox]").first.check()
    elif fieldset.locator("select").count():
        for select in fieldset.locator("select").all():
            select.select_option(index=1)
    elif fieldset.locator("textarea").count():
        fieldset.locator("textarea").fill("Trả lời")
    else:
        fieldset.locator("input[type=text]").fill("3")


def test_offline_answers_are_kept_and_sent_when_back(page):
    sign_in(page, "hocvien")
    page.goto("/bai-kiem-tra/ATTT-DAUVAO")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/luot-lam-bai/*")
    assert page.locator("#countdown").is_visible()
    questions = page.locator("fieldset.question")
    total = questions.count()
    assert total == 12
    for index in range(4):
        _answer(page, questions.nth(index))
    expect(page.locator("#save-status")).to_contain_text("Đã lưu", timeout=20000)

    page.context.set_offline(True)
    for index in range(4, total):
        _answer(page, questions.nth(index))
    expect(page.locator("#save-status")).to_contain_text("Mất kết nối", timeout=20000)
    wait_until(page, f"{UNSENT} >= {total - 4}")  # every offline answer waits in the browser

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "Object.keys(localStorage).length === 0")
    page.reload()  # what the server holds is what the page shows
    assert page.evaluate(ANSWERED) == total

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url("**/xem-lai")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Xem lại bài làm")
    assert page.locator("article.question").count() == total
    assert [error for error in page.errors if "ERR_INTERNET_DISCONNECTED" not in error] == []


def test_answers_refused_by_a_busy_server_are_kept_and_sent_again(page):
    """A proxy's 502 or a restarting worker must not cost an answer: it stays queued in the
    browser and goes out again on its own once the server answers."""
    sign_in(page, "hocvien")
    page.goto("/bai-kiem-tra/VPDT-DAUVAO")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/luot-lam-bai/*")
    refused = []

    def bad_gateway(route):
        refused.append(route.request.url)
        route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")

    page.route("**/luu", bad_gateway)
    questions = page.locator("fieldset.question")
    for index in range(3):
        _answer(page, questions.nth(index))
    expect(page.locator("#save-status")).to_contain_text("Máy chủ đang bận", timeout=20000)
    wait_until(page, f"{UNSENT} === 3")
    assert refused

    page.unroute("**/luu")  # the server is back: the queue empties without the trainee doing anything
    wait_until(page, "Object.keys(localStorage).length === 0", timeout=40)
    page.reload()
    assert page.evaluate(ANSWERED) == 3
    assert [error for error in page.errors if "502 (Bad Gateway)" not in error] == []
