"""Time exam day's hot paths in-process and print the medians and SQL statement counts.

The demo data (four courses, their question banks) goes into a throwaway SQLite file; the
demo trainee starts the final quiz with the most questions, then the attempt page, an
autosave, the quiz page, the quiz list and the trainee home are each requested `--tries`
times, taking turns so a busy machine slows them alike. No network and no gunicorn: this
measures the app's own work per request (tests/web/test_hot_paths.py keeps the statement
counts from creeping back; the HTTP load test is a separate bench).

    .venv/bin/python bench/hot_paths.py [--tries 30]
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select

from bench.throwaway import parse_tries, throwaway_app
from lms.extensions import db
from lms.models import Quiz

TRAINEE, PASSWORD = "hocvien", "Demo@2018"  # the demo's own account


def demo_app(folder: Path):
    app = throwaway_app(folder)
    result = app.test_cli_runner().invoke(args=["lms", "init", "--demo"])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return app


def largest_final(app) -> tuple[str, int]:
    with app.app_context():
        finals = db.session.scalars(select(Quiz).where(Quiz.kind == "final", Quiz.status == "published")).all()
        quiz = max(finals, key=lambda item: item.questions_per_attempt)
        return quiz.code, quiz.questions_per_attempt


def main(argv: list[str] | None = None) -> None:
    args = parse_tries(__doc__, 30, "requests per path", argv)
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        code, questions = largest_final(app)
        client = app.test_client()
        client.post("/dang-nhap", data={"username": TRAINEE, "password": PASSWORD})
        attempt_url = client.post(f"/bai-kiem-tra/{code}/bat-dau").headers["Location"]
        first_question = {"position": 1, "raw": {}}
        paths = {
            f"attempt page ({questions} questions)": lambda: client.get(attempt_url),
            "autosave": lambda: client.post(f"{attempt_url}/luu", json=first_question),
            "quiz page": lambda: client.get(f"/bai-kiem-tra/{code}"),
            "quiz list": lambda: client.get("/bai-kiem-tra"),
            "trainee home": lambda: client.get("/trang-cua-toi"),
        }
        statements: list[str] = []
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *call: statements.append(call[2]))
        timings = {name: [] for name in paths}
        counts = {}
        for _ in range(args.tries):
            for name, request in paths.items():
                statements.clear()
                start = time.perf_counter()
                response = request()
                timings[name].append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {response.status_code}")
                counts[name] = len(statements)
        print(f"{'path':<32} {'median ms':>10} {'p95 ms':>8} {'statements':>11}")
        for name, values in timings.items():
            p95 = statistics.quantiles(values, n=20)[-1]
            print(f"{name:<32} {statistics.median(values):>10.1f} {p95:>8.1f} {counts[name]:>11}")


if __name__ == "__main__":
    main()
