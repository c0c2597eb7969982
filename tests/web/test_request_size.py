"""The overall request size limit: a body larger than MAX_CONTENT_LENGTH is refused (413, a
Vietnamese page) from its Content-Length, before the application reads it; the larger
per-route limits of the roster import and the file posted back in base64 still pass."""
import base64

import pytest

from lms.models import Role

LIMIT = 20 * 1024 * 1024
SIXTY_MB = 60 * 1024 * 1024


class Zeros:
    """A request body of `size` zero bytes, made only as it is read; counts what was read.
    (The test client seeks to the end and back to learn the Content-Length.)"""

    def __init__(self, size: int):
        self.size = size
        self.position = 0
        self.read_bytes = 0

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset if whence == 0 else self.size + offset if whence == 2 else self.position + offset
        return self.position

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.position
        n = left if n is None or n < 0 else min(n, left)
        self.position += n
        self.read_bytes += n
        return b"\0" * n

    def readline(self, limit: int = -1) -> bytes:
        return self.read(limit if limit is not None and limit >= 0 else 65536)


def test_the_limit_is_set(app):
    assert app.config["MAX_CONTENT_LENGTH"] == LIMIT


@pytest.mark.parametrize("path", ["/dang-nhap", "/verify"])
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_body_over_the_limit_is_refused_unread(client, path, content_type):
    body = Zeros(SIXTY_MB)
    response = client.post(path, input_stream=body, content_type=content_type)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Dữ liệu gửi lên quá lớn" in html and "vượt quá dung lượng cho phép" in html
    assert body.read_bytes == 0


def test_a_body_without_a_length_is_cut_off_at_the_limit(client):
    """Chunked uploads (the server marks the input terminated): read only up to the limit."""
    body = Zeros(SIXTY_MB)
    response = client.post("/dang-nhap", input_stream=body, content_type="multipart/form-data; boundary=x",
                           headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert body.read_bytes <= LIMIT + 1024 * 1024


def test_a_body_just_over_the_limit_is_refused_and_one_under_it_is_read(client):
    over = Zeros(LIMIT + 1)
    assert client.post("/verify", input_stream=over,
                       content_type="application/x-www-form-urlencoded").status_code == 413
    data = "serial=x&code=" + "a" * (LIMIT // 2)  # well under: read, and answered as usual
    assert client.post("/verify", data=data, content_type="application/x-www-form-urlencoded").status_code == 200


def test_the_english_page_too(client):
    client.get("/ngon-ngu/en")
    response = client.post("/dang-nhap", input_stream=Zeros(SIXTY_MB),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and "Request too large" in response.get_data(as_text=True)


def test_a_json_request_over_the_limit_gets_a_json_error(client, login_as):
    login_as(Role.TRAINEE)
    response = client.post("/luot-lam-bai/1/luu", input_stream=Zeros(SIXTY_MB),
                           content_type="application/json")
    assert response.status_code == 413 and response.is_json and response.json["error"]


def test_the_roster_keeps_its_own_smaller_limit(client, login_as, district):
    login_as(Role.HR, unit=district["office"])
    size = 12 * 1024 * 1024  # over the roster preview's 11 MB, under the app's 20 MB
    response = client.post("/danh-sach-can-bo/xem-truoc", input_stream=Zeros(size),
                           content_type="multipart/form-data; boundary=x")
    assert response.status_code == 302 and response.headers["Location"] == "/danh-sach-can-bo"


@pytest.mark.parametrize(("path", "extra"), [
    ("/danh-sach-can-bo/nhap", {"filename": "danh-sach.xlsx"}),
    ("/giang-vien/ngan-hang/nhap", {"confirm": "1", "filename": "cau-hoi.gift", "format": "gift"}),
])
def test_a_large_file_posted_back_in_base64_is_read(client, login_as, district, path, extra):
    """The confirmation steps post the file back in a URL-encoded field far larger than
    Flask's MAX_FORM_MEMORY_SIZE (500 kB, which applies to multipart text fields only)."""
    login_as([Role.HR, Role.TRAINER], unit=district["office"])
    payload = base64.b64encode(b"x" * (3 * 1024 * 1024)).decode()  # 4 MB in base64
    response = client.post(path, data={"payload": payload, **extra})
    assert response.status_code in (200, 302)
    page = client.get(response.headers["Location"]).get_data(as_text=True) if response.status_code == 302 else ""
    assert "Tệp lớn hơn" not in page and "quá lớn" not in page
