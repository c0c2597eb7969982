"""Time failed sign-ins for the three kinds of name and print the medians.

A wrong password for a name that is no account, for an account with a normal password and
for one still holding an unused temporary password (hashed with the lighter method) must
take the same time, or timing tells an attacker which accounts are worth guessing at
(tests/web/test_throttling.py checks the work done; this measures the time). The app runs
with the production hash methods from lms/config.py on a throwaway SQLite file; the three
kinds take turns so that a busy machine slows them alike.

    .venv/bin/python bench/login_timing.py [--tries 15]
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from bench.throwaway import parse_tries, throwaway_app
from lms.auth.passwords import hash_password
from lms.extensions import db
from lms.models import User

PASSWORD = "Mat-khau-that-2018"  # noqa: S105 (a throwaway account)
KINDS = ("unknown", "normal", "temporary")


def bench_app(folder: Path):
    app = throwaway_app(folder)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        for username, method, temporary in (("binhthuong", "LMS_PASSWORD_METHOD", False),
                                            ("matkhautam", "LMS_TEMPORARY_PASSWORD_METHOD", True)):
            db.session.add(User(username=username, full_name=username, active=True, must_change_password=temporary,
                                password_hash=hash_password(PASSWORD, app.config[method])))
        db.session.commit()
    return app


def time_failed_sign_ins(app, tries: int) -> dict[str, list[float]]:
    """Seconds per failed sign-in, by kind; the kinds take turns, after one warm-up each."""
    names = {"unknown": "khong-ton-tai", "normal": "binhthuong", "temporary": "matkhautam"}
    client = app.test_client()
    timings = {kind: [] for kind in KINDS}
    for round_number in range(tries + 1):
        for kind in KINDS:
            started = time.perf_counter()
            response = client.post("/dang-nhap", data={"username": names[kind], "password": "sai-mat-khau"})
            elapsed = time.perf_counter() - started
            assert response.status_code == 401, response.status_code
            if round_number:
                timings[kind].append(elapsed)
    return timings


def main(argv: list[str] | None = None) -> int:
    args = parse_tries(__doc__, 15, "sign-ins per kind", argv)
    with tempfile.TemporaryDirectory(prefix="lms-login-bench-") as folder:
        app = bench_app(Path(folder))
        print(f"hash methods: normal {app.config['LMS_PASSWORD_METHOD']}, "
              f"temporary {app.config['LMS_TEMPORARY_PASSWORD_METHOD']}; {args.tries} tries per kind")
        timings = time_failed_sign_ins(app, args.tries)
        with app.app_context():
            db.engine.dispose()
    medians = {kind: statistics.median(values) * 1000 for kind, values in timings.items()}
    for kind in KINDS:
        values = sorted(value * 1000 for value in timings[kind])
        print(f"  {kind:<10} median {medians[kind]:7.1f} ms   (min {values[0]:.1f}, max {values[-1]:.1f})")
    spread = (max(medians.values()) - min(medians.values())) / min(medians.values()) * 100
    print(f"spread of the medians: {spread:.1f}% (must stay under 10%)")
    return 0 if spread < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
