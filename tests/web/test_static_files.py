"""Static files for slow links: hashed names, gzip, cached for a year, a light first visit."""
import gzip
import re
from pathlib import Path

import pytest

from lms.models import Role
from lms.static_files import hashed_name, publish

ASSET = re.compile(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"')
GZIP = {"Accept-Encoding": "gzip"}
FIRST_VISIT_BUDGET = 150 * 1024


def _assets(html: str) -> list[str]:
    return ASSET.findall(html)


def _fetch(client, url: str, headers: dict | None = None):
    """A static file, read whole and closed (buffered), as a browser would."""
    return client.get(url, headers=headers or {}, buffered=True)


def _source_of(app, url: str) -> Path:
    """The file a hashed static URL was made from."""
    prefix, _, hashed = url.lstrip("/").partition("static/")
    folder = Path(app.blueprints["bootstrap"].static_folder if prefix else app.static_folder)
    name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", hashed)
    return folder / name


def test_every_asset_of_a_page_is_named_by_its_content_and_kept_for_a_year(app, client):
    urls = _assets(client.get("/dang-nhap").text)

    assert len(urls) >= 5  # Bootstrap's CSS and JS, Popper, the app's CSS, JS and icon
    for url in urls:
        response = _fetch(client, url, GZIP)
        assert response.status_code == 200, url
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        assert "immutable" in response.headers["Cache-Control"], url
        assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1]) >= 365 * 24 * 3600
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_text_assets_go_out_gzipped_and_unpack_to_the_source_file(app, client):
    for url in _assets(client.get("/dang-nhap").text):
        source = _source_of(app, url).read_bytes()
        packed = _fetch(client, url, GZIP)
        plain = _fetch(client, url)

        assert packed.headers.get("Content-Encoding") == "gzip", url
        assert packed.headers.get("Vary") == "Accept-Encoding"
        assert gzip.decompress(packed.data) == source
        assert plain.data == source and "Content-Encoding" not in plain.headers


def test_the_unhashed_url_still_answers(client):
    response = _fetch(client, "/static/css/app.css")

    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_name():
    assert hashed_name("css/app.css", b"a") != hashed_name("css/app.css", b"b")
    assert hashed_name("css/app.css", b"a") == hashed_name("css/app.css", b"a")
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed_name("css/app.css", b"a"))
    assert re.fullmatch(r"LICENSE\.[0-9a-f]{12}", hashed_name("LICENSE", b"a"))


def test_an_edited_file_is_published_beside_the_old_one_under_a_new_name(tmp_path):
    source = tmp_path / "app.css"
    source.write_text("body { color: red }\n" * 100)
    first = publish(source, tmp_path / "cache", "css/app.css")
    source.write_text("body { color: blue }\n" * 100)
    second = publish(source, tmp_path / "cache", "css/app.css")

    assert first != second
    assert (tmp_path / "cache" / first).read_text() == "body { color: red }\n" * 100
    assert gzip.decompress((tmp_path / "cache" / f"{second}.gz").read_bytes()) == source.read_bytes()
    assert publish(source, tmp_path / "cache", "css/app.css") == second  # already there: kept
    assert not list((tmp_path / "cache").rglob("*.part"))


@pytest.mark.usefixtures("pack_course")
def test_sign_in_and_the_trainee_home_fit_a_slow_first_visit(app, client, login_as):
    """At 400 kbps, 150 KB is about 3 s: the sign-in page and the first page after it, with
    every file they load, on a browser with an empty cache."""
    fetched: set[str] = set()

    def visit(path: str) -> int:
        page = client.get(path, headers=GZIP)
        assert page.status_code == 200
        size = len(page.data)
        for url in set(_assets(page.text)) - fetched:
            fetched.add(url)
            size += len(_fetch(client, url, GZIP).data)
        return size

    sign_in = visit("/dang-nhap")
    login_as(Role.TRAINEE)
    home = visit("/trang-cua-toi")

    assert sign_in + home <= FIRST_VISIT_BUDGET, (sign_in, home)


@pytest.mark.usefixtures("pack_course")
def test_a_later_page_loads_only_files_the_browser_already_keeps(client, login_as):
    login_as(Role.TRAINEE)
    first = set(_assets(client.get("/trang-cua-toi").text))
    later = set(_assets(client.get("/khoa-hoc").text))

    assert later <= first
