"""Browser tests: a real server on a free local port, Debian's chromium driven by Playwright.

They skip, saying why, where chromium is absent, unless LMS_REQUIRE_BROWSER=1 (CI), where
a missing browser is a failure.
"""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from lms import create_app

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium_path() -> str | None:
    return os.environ.get("LMS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # The browser drops connections on purpose (offline tests, navigation mid-load);
            # the development server then leaves a static file for the garbage collector to
            # close, which Python reports as an unraisable ResourceWarning. Not our code.
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))


@pytest.fixture(scope="session")
def live_app(live_server):
    return live_server.app


class LiveServer(str):
    """The base URL, carrying the app it serves (to prepare data in a test)."""

    app = None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on its own SQLite file with the demo data, served from a thread."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "e2e-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'lms.sqlite3'}",
                      "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    result = app.test_cli_runner().invoke(args=["lms", "init", "--demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = app
    yield url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("LMS_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed: browser tests need Debian's chromium package")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    yield tab
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN",
                                  viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()
