"""Saturation: each exam-day path's requests per second as a share of a hello-world Flask
app's, both served by the README's gunicorn command on this machine in the same run.

wrk (Debian's package `wrk`) holds `--connections` connections open for `--seconds` per
measurement. Each path is measured in `--pairs` interleaved pairs (hello world, then the
path), so a machine that slows down mid-run slows both sides of a pair; the figure is the
median of the pairs' ratios, printed beside the target of the exam-day issue (#13). Any
response that is not 2xx/3xx makes the measurement count as failed.

The LMS runs on a throwaway instance with the demo data and one bench trainee, who signs
in and starts the largest final; its attempt page and autosave are measured first, well
inside the quiz's time limit.

    .venv/bin/python bench/saturation.py [--pairs 3] [--seconds 10] [--connections 32]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/lms_bench] [--only autosave ...]
"""
import argparse
import http.cookiejar
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.exam_day_pages import choose_answer, read_page
from bench.exam_day_server import (
    BENCH_PASSWORD,
    Gunicorn,
    Instance,
    bench_usernames,
    exam_quiz,
    seed_trainees,
    throwaway_instance,
)


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    share: float  # the target: at least this share of hello world's requests per second
    signed_in: bool = True
    method: str = "GET"
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Session:
    """The bench trainee, signed in, with an attempt open on the largest final."""

    cookie: str
    quiz_code: str
    course_code: str
    attempt_path: str
    save_path: str
    csrf: str
    answer: dict
    questions: int


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs per path (default 3)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, as the README runs it (default 4)")
    parser.add_argument("--database-url", default="", help="PostgreSQL database to recreate and use (default SQLite)")
    parser.add_argument("--only", nargs="*", default=[], help="measure only these paths (names as printed)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


# ---------------------------------------------------------------- the trainee's session


def _opener() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _post(opener, url: str, fields: dict) -> tuple[str, str]:
    """POST a form, follow the redirect; the final address and the page."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310  (the bench's own server)
    with opener.open(request, timeout=30) as response:
        return response.geturl(), response.read().decode()


def _get(opener, url: str) -> str:
    with opener.open(url, timeout=30) as response:
        return response.read().decode()


def course_of(app, quiz_code: str) -> str:
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import Quiz

    with app.app_context():
        return db.session.scalar(select(Quiz).where(Quiz.code == quiz_code)).course.code


def open_session(base_url: str, username: str, quiz_code: str, course_code: str) -> Session:
    opener, jar = _opener()
    token = read_page(_get(opener, f"{base_url}/dang-nhap")).csrf
    _post(opener, f"{base_url}/dang-nhap", {"csrf_token": token, "username": username, "password": BENCH_PASSWORD})
    token = read_page(_get(opener, f"{base_url}/bai-kiem-tra/{quiz_code}")).csrf
    address, page = _post(opener, f"{base_url}/bai-kiem-tra/{quiz_code}/bat-dau", {"csrf_token": token})
    if not re.search(r"/luot-lam-bai/\d+$", address):
        raise SystemExit(f"starting {quiz_code} led to {address}, not an attempt page")
    reader = read_page(page)
    questions = [question for question in reader.questions if question.fields]
    answer = {"position": questions[0].position, "raw": choose_answer(questions[0], random.Random(1))}  # noqa: S311
    return Session(cookie="; ".join(f"{cookie.name}={cookie.value}" for cookie in jar), quiz_code=quiz_code,
                   course_code=course_code, attempt_path=urllib.parse.urlsplit(address).path,
                   save_path=reader.form["data-save-url"], csrf=reader.form["data-csrf"], answer=answer,
                   questions=len(reader.questions))


def targets(session: Session) -> list[Target]:
    """The exam-day paths and the issue's target share for each, attempt page and autosave first."""
    json_headers = (("Content-Type", "application/json"), ("Accept", "application/json"),
                    ("X-CSRFToken", session.csrf))
    return [
        Target("autosave", session.save_path, 0.25, method="POST", body=json.dumps(session.answer),
               headers=json_headers),
        Target(f"attempt page ({session.questions} questions)", session.attempt_path, 0.10),
        Target("trainee home", "/trang-cua-toi", 0.20),
        Target("course page", f"/khoa-hoc/{session.course_code}", 0.20),
        Target("quiz list", "/bai-kiem-tra", 0.20),
        Target("quiz page", f"/bai-kiem-tra/{session.quiz_code}", 0.20),
        Target("sign-in page", "/dang-nhap", 0.30, signed_in=False),
    ]


# ---------------------------------------------------------------- wrk


def _lua(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for this text


def wrk_script(target: Target, cookie: str, folder: Path) -> Path:
    lines = [f"wrk.method = {_lua(target.method)}"]
    if target.body:
        lines.append(f"wrk.body = {_lua(target.body)}")
    headers = [*target.headers, *((("Cookie", cookie),) if target.signed_in else ())]
    lines += [f"wrk.headers[{_lua(name)}] = {_lua(value)}" for name, value in headers]
    script = folder / f"{re.sub(r'[^a-z]+', '-', target.name.lower())}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def wrk(url: str, script: Path | None, args) -> tuple[float, int]:
    """Requests per second and the count of failed responses (non-2xx/3xx, socket errors)."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failed = sum(int(number) for number in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed += sum(int(number) for number in socket.groups()) if socket else 0
    return rate, failed


def measure(target: Target, lms: Gunicorn, hello: Gunicorn, session: Session, folder: Path, args) -> dict:
    script = wrk_script(target, session.cookie, folder)
    url = f"{lms.base_url}{target.path}"
    wrk_warm = argparse.Namespace(**{**vars(args), "seconds": 2})
    wrk(url, script, wrk_warm)  # every worker has loaded what the path needs
    pairs = []
    for _ in range(args.pairs):
        hello_rate, _failed = wrk(f"{hello.base_url}/", None, args)
        rate, failed = wrk(url, script, args)
        pairs.append({"hello": hello_rate, "path": rate, "failed": failed, "ratio": rate / hello_rate})
    ratio = statistics.median(pair["ratio"] for pair in pairs)
    failed = sum(pair["failed"] for pair in pairs)
    return {"name": target.name, "path": target.path, "target": target.share, "ratio": ratio, "failed": failed,
            "hello_rps": statistics.median(pair["hello"] for pair in pairs),
            "path_rps": statistics.median(pair["path"] for pair in pairs),
            "pairs": pairs, "met": ratio >= target.share and failed == 0}


def print_row(row: dict) -> None:
    verdict = "yes" if row["met"] else ("FAILED REQUESTS" if row["failed"] else "NO")
    print(f"{row['name']:<28} {row['hello_rps']:>9.0f} {row['path_rps']:>9.0f} {row['ratio']:>7.3f} "
          f"{row['target']:>7.2f} {verdict:>5}", flush=True)


# ---------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with throwaway_instance("lms-saturation-", args.database_url) as instance:
        return run(args, instance)


def run(args, instance: Instance) -> int:
    instance.flask("lms", "init", "--demo")
    app = instance.app()
    seed_trainees(app, 1)
    quiz = exam_quiz(app, None)
    lms = Gunicorn(instance, args.workers)
    hello = Gunicorn(instance, args.workers, app_spec="bench.hello_world:app", ready_path="/")
    lms.start()
    hello.start()
    try:
        session = open_session(lms.base_url, bench_usernames(1)[0], quiz.code, course_of(app, quiz.code))
        print(f"gunicorn --workers {args.workers} --timeout 120 ({instance.backend}); wrk -t{args.threads} "
              f"-c{args.connections} -d{args.seconds}s, {args.pairs} interleaved pairs per path")
        print(f"{'path':<28} {'hello/s':>9} {'path/s':>9} {'ratio':>7} {'target':>7} {'met':>5}")
        rows = []
        for target in targets(session):
            if args.only and target.name.split(" (")[0] not in args.only:
                continue
            rows.append(measure(target, lms, hello, session, instance.folder, args))
            print_row(rows[-1])
    finally:
        lms.stop()
        hello.stop()
    if args.json:
        settings = {name: str(value) for name, value in vars(args).items()}
        args.json.write_text(json.dumps({"backend": instance.backend, "args": settings, "rows": rows}, indent=2))
    return 0 if all(row["met"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
