"""Exam day on a commune's slow link (400 kbps, 400 ms round trip): the attempt page becomes
usable in time, every answer given is saved, the countdown shows the time really left, and
a reload fetches no static file again."""
import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from lms.extensions import db
from lms.models import Attempt
from lms.models.base import utcnow
from lms.quizzes.types import question_type
from tests.e2e.steps import sign_in, wait_until

QUIZ = "VPDT-CUOI"  # a final quiz with a 30-minute limit that no other browser test takes
LATENCY_MS = 400
THROUGHPUT = 400_000 // 8  # 400 kbit/s in bytes per second, down and up
# From navigation start (the start form's POST) to a page one can answer on. Even with every
# static file cold, ~70 KB compressed take ~1.4 s at 400 kbps; add the attempt's HTML (~40 KB,
# sent uncompressed: ~0.8 s) and a few 0.4 s round trips (POST, redirect, HTML, script): about
# 3 s at worst (measured: 2.2 s, 2.6 s with an empty cache). 15 s leaves room for a slow CI
# machine and is still the most a trainee should have to wait on exam day.
USABLE_BUDGET_S = 15
ANSWERS = 4
# The page sets its clock from the server's time at rendering against the moment the page
# began to arrive; the rest is half a round trip (0.2 s) and the countdown's whole seconds.
# Set from the script's start instead, it showed 1.6–2.0 s too much here.
CLOCK_TOLERANCE_S = 1.2
STATIC_PREFIXES = ("/static/", "/bootstrap/static/")
CLOCK = re.compile(r"(\d+):([0-5]\d)")
# The first answer field is shown and enabled, and attempt.js runs: it turns the server's
# "30 phút" into a ticking m:ss, and only from then on is an answer saved as it is given.
USABLE = """(() => {
  const field = document.querySelector('fieldset.question :is(input, select, textarea)');
  const clock = document.getElementById('countdown');
  return !!field && !field.disabled && field.checkVisibility()
    && !!clock && /^\\d+:\\d\\d$/.test(clock.textContent.trim());
})()"""


class StaticFetches:
    """Static files the browser fetched from the server rather than from its cache, as the
    DevTools protocol tells (Playwright's own request events include cache hits)."""

    def __init__(self, cdp):
        self.requested: dict[str, str] = {}  # request id → URL
        self.cached: set[str] = set()
        self.done: set[str] = set()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", lambda event: self.cached.add(event["requestId"]))
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", lambda event: self.done.add(event["requestId"]))
        cdp.on("Network.loadingFailed", lambda event: self.done.add(event["requestId"]))

    def _sent(self, event):
        if urlsplit(event["request"]["url"]).path.startswith(STATIC_PREFIXES):
            self.requested[event["requestId"]] = event["request"]["url"]

    def _received(self, event):
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromMemoryCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def paths(self) -> set[str]:
        return {urlsplit(url).path for url in self.requested.values()}

    def from_server(self) -> list[str]:
        return sorted(urlsplit(url).path for request, url in self.requested.items() if request not in self.cached)

    def settle(self, page, quiet_ms: int = 500, timeout: float = 10.0):
        """Wait until every static request seen has ended and no new one came for `quiet_ms`:
        the browser asks for the favicon after the page's load event, and a cache hit's
        response event can come a few milliseconds after its request event."""
        deadline = time.monotonic() + timeout
        seen = None
        while seen != len(self.requested) or self.requested.keys() - self.done:
            assert time.monotonic() < deadline, f"still loading: {sorted(self.requested.keys() - self.done)}"
            seen = len(self.requested)
            page.wait_for_timeout(quiet_ms)

    def forget(self):
        self.requested.clear()
        self.cached.clear()
        self.done.clear()


def _throttle(page):
    """The slow link, set before the first navigation so that the cold first visit is slow too."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": THROUGHPUT, "uploadThroughput": THROUGHPUT})
    return cdp


def _seconds_shown(page) -> int:
    text = page.locator("#countdown").inner_text().strip()
    match = CLOCK.fullmatch(text)
    assert match, f"the countdown shows {text!r}"
    return int(match[1]) * 60 + int(match[2])


def test_attempt_page_stays_usable_on_a_slow_link(page, live_app):
    cdp = _throttle(page)
    fetches = StaticFetches(cdp)
    sign_in(page, "hocvien")
    page.wait_for_url("**/trang-cua-toi")
    page.goto(f"/bai-kiem-tra/{QUIZ}")
    page.once("dialog", lambda dialog: dialog.accept())
    fetches.forget()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/luot-lam-bai/*", wait_until="commit")
    wait_until(page, USABLE, timeout=USABLE_BUDGET_S + 5)
    usable_after = page.evaluate("performance.now()") / 1000  # since the POST started the navigation
    assert usable_after <= USABLE_BUDGET_S, f"the attempt page became usable after {usable_after:.1f} s"
    attempt_page_files = fetches.from_server()
    assert any("/js/attempt." in path for path in attempt_page_files)  # the throttled link brought it

    # Answers, each clicked as a trainee does and saved, as the page's indicator says.
    status = page.locator("#save-status")
    chosen = {}  # position → value of the option clicked
    for fieldset in page.locator("fieldset.question").all():
        if not fieldset.locator("input[type=radio]").count():
            continue
        option = fieldset.locator(".option").last
        option.locator("label").click()
        expect(option.locator("input")).to_be_checked()
        expect(status).to_have_text("Đang lưu…")  # a change of this answer, not the last one's "saved"
        expect(status).to_have_text("Đã lưu")
        chosen[int(fieldset.get_attribute("data-position"))] = option.locator("input").get_attribute("value")
        if len(chosen) == ANSWERS:
            break
    assert len(chosen) == ANSWERS

    attempt_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.user.username, attempt.quiz.code, attempt.state) == ("hocvien", QUIZ, "in_progress")
        deadline = attempt.deadline_at
        answered = {slot.position: slot for slot in attempt.slots if slot.response is not None}
        assert sorted(answered) == sorted(chosen)
        for position, value in chosen.items():
            slot, question = answered[position], answered[position].version.content
            clicked = question_type(question.type).parse_response(question, slot.layout, {"choice": [value]})
            assert slot.response == clicked, f"question {position}"
            assert slot.answered_at is not None

    # The countdown: the time really left by the database's deadline, and running.
    assert page.locator("#countdown").get_attribute("data-deadline") == f"{deadline.isoformat()}Z"
    shown = _seconds_shown(page)
    really_left = (deadline - utcnow()).total_seconds()
    read_at = time.monotonic()
    assert abs(shown - really_left) <= CLOCK_TOLERANCE_S, f"shows {shown} s left, {really_left:.1f} s really"
    page.wait_for_timeout(2500)
    shown_later = _seconds_shown(page)
    elapsed = time.monotonic() - read_at
    assert abs((shown - shown_later) - elapsed) < 1.5, f"{shown} s then {shown_later} s, {elapsed:.1f} s apart"

    # A second view of the page, still throttled: its static files come from the cache.
    fetches.forget()
    page.reload()
    wait_until(page, USABLE, timeout=USABLE_BUDGET_S)
    fetches.settle(page)
    named = page.evaluate("[...document.querySelectorAll('link[href], script[src]')].map(e => e.href || e.src)")
    named = {urlsplit(url).path for url in named if urlsplit(url).path.startswith(STATIC_PREFIXES)}
    assert set(attempt_page_files) <= named <= fetches.paths()  # all asked for again: the next check means something
    assert fetches.from_server() == []
    for position, value in chosen.items():  # the page shows what the server holds
        expect(page.locator(f"fieldset[data-position='{position}'] input[value='{value}']")).to_be_checked()
    assert page.errors == []
