"""The sign-in limits hold exactly when two gunicorn workers share their counters in Redis,
as in production (README, Production deployment): the real app under gunicorn, on its own
SQLite file seeded through the app's CLI, signed in to as a browser would (a cookie jar and
the form's CSRF token per session), over many connections that both workers answer.

Skips, saying why, where no Redis server answers on 127.0.0.1:6379 (a fresh machine), unless
LMS_REQUIRE_REDIS=1 (CI, which has one): there the missing server is a failure.
"""
import concurrent.futures
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

from lms.config import PROJECT_ROOT
from lms.rate_limits import PER_PROCESS_WARNING

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
CLAIM = "lms-tests:throttling-gunicorn"
A, B, C = "10.0.0.1", "10.0.0.2", "10.0.0.3"  # client addresses, via X-Forwarded-For (LMS_PROXY_COUNT=1)


def _gunicorn() -> str:
    """gunicorn is pinned in requirements.txt: the one beside this Python, else on PATH."""
    beside_python = Path(sys.executable).with_name("gunicorn")
    found = str(beside_python) if beside_python.exists() else shutil.which("gunicorn")
    assert found, "gunicorn is missing: pip install -r requirements.txt"
    return found


def _without_redis(reason: str) -> None:
    """Skip on a machine without Redis; fail where the run promised one (CI)."""
    if os.environ.get("LMS_REQUIRE_REDIS") == "1":
        pytest.fail(f"LMS_REQUIRE_REDIS=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_db():
    """An empty Redis database claimed for this test, flushed when it ends."""
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=1).ping()
    except (redis.exceptions.RedisError, OSError) as error:
        _without_redis(f"no Redis server at {REDIS_HOST}:{REDIS_PORT} ({error})")
    token = secrets.token_hex(8)
    for number in range(15, 0, -1):  # leave database 0 alone; take an empty one
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=2)
        try:
            if client.dbsize() == 0 and client.set(CLAIM, token, nx=True, ex=300):
                break
        except redis.exceptions.ResponseError:  # fewer databases configured
            continue
    else:
        _without_redis("no empty Redis database (1-15) to use for the test")
    yield number
    client.flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "lms", *args], cwd=PROJECT_ROOT,
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def served(tmp_path, redis_db):
    """Two gunicorn workers with one seeded account; yields (base URL, account, password, logs)."""
    gunicorn = _gunicorn()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}", "LMS_INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": secrets.token_hex(16), "LMS_RATELIMIT_STORAGE": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
           "LMS_PROXY_COUNT": "1", "LMS_BASE_URL": "http://127.0.0.1", "TZ": "UTC"}
    _cli(env, "init")
    output = _cli(env, "create-user", "kiemtra", "--name", "Người Kiểm Tra", "--email", "kiem.tra@example.gov.vn")
    password = re.search(r"Mật khẩu dùng một lần: (\S+)", output).group(1)
    port, access_log, errors = _free_port(), tmp_path / "access.log", tmp_path / "gunicorn.err"
    with errors.open("w") as error_stream:
        server = subprocess.Popen(
            [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=error_stream)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{base}/dang-nhap", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None and time.monotonic() < deadline, errors.read_text()
            time.sleep(0.2)
        yield base, "kiemtra", password, {"access": access_log, "errors": errors}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Browser:
    """One browser at one address: its own cookie jar, the form's CSRF token, a fresh
    connection per request (gunicorn's sync workers close each one)."""

    def __init__(self, base: str, address: str):
        self.base, self.session = base, requests.Session()
        self.session.headers["X-Forwarded-For"] = address

    def sign_in(self, username: str, password: str) -> int:
        page = self.session.get(f"{self.base}/dang-nhap", timeout=10).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = self.session.post(f"{self.base}/dang-nhap", allow_redirects=False, timeout=20,
                                     data={"username": username, "password": password, "csrf_token": token})
        return response.status_code


def test_two_workers_share_the_sign_in_limits_in_redis(served):
    base, username, password, logs = served
    email = "KIEM.TRA@example.gov.vn"
    at_a = [Browser(base, A) for _ in range(3)]
    # 5 failures on the account from A, naming it either way, on three browsers: then A waits,
    # even with the right password; the owner at B still signs in.
    statuses = [at_a[number % 3].sign_in([username, email][number % 2], "sai-mat-khau") for number in range(5)]
    assert statuses == [401] * 5
    assert at_a[0].sign_in(username, password) == 429
    assert at_a[1].sign_in(email, password) == 429
    assert Browser(base, B).sign_in(email, password) == 302
    # 30 failures from C (any names), 2 at a time so both workers are busy: then C waits.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda number: Browser(base, C).sign_in(f"khong-co-{number}", "sai"), range(28)))
    statuses += [Browser(base, C).sign_in(f"khong-co-{number}", "sai") for number in (28, 29)]
    assert statuses == [401] * 30
    assert Browser(base, C).sign_in(username, password) == 429
    assert Browser(base, B).sign_in("khong-co-ai", "sai") == 401  # B has its own count
    workers = {line.split()[0] for line in logs["access"].read_text().splitlines() if " POST /dang-nhap " in line}
    assert len(workers) == 2, "both workers should have answered sign-ins"
    assert PER_PROCESS_WARNING not in logs["errors"].read_text()
