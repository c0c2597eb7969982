"""Fill a fresh database with a province's worth of data, to measure the HR statistics.

One province, 11 districts each with 13 offices and 15 communes (320 units), `--people`
trainees (a third at district level, two thirds in communes), the four district courses and
their final quizzes, the standard requiring them, course progress over the last 18 months,
`--attempts` finished quiz attempts with the QuizResult each (quiz, person) implies,
certificates for about 40% of people (a few revoked, a few expired) and external
certificates for about 5%.

The schema comes from the app's own migrations. Rows go in with bulk Core inserts in
batches of 10,000: 100,000 people and a million attempts take about 30 s on SQLite and
80 s on PostgreSQL (2 cores).

    .venv/bin/python bench/seed_province.py                       # temp SQLite file
    .venv/bin/python bench/seed_province.py --database-url postgresql+psycopg://root@127.0.0.1:5432/bench_lms
"""
import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, inspect, text

from bench import province
from lms import create_app
from lms.extensions import db
from lms.models import (
    Attempt,
    Certificate,
    CourseProgress,
    ExternalCertificate,
    QuizResult,
    RegisterCounter,
    Unit,
    User,
    UserRole,
)

BATCH = 10_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL of an EMPTY database (default: a temp SQLite file)")
    parser.add_argument("--people", type=int, default=100_000, help="trainees (default 100000)")
    parser.add_argument("--attempts", type=int, default=1_000_000, help="finished quiz attempts (default 1000000)")
    parser.add_argument("--seed", type=int, default=2018, help="random seed (the data is reproducible)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(), help="YYYY-MM-DD")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="skip ANALYZE at the end (SQLite then plans without statistics)")
    return parser.parse_args(argv)


def bench_app(database_url: str | None):
    """The app on `database_url`, or on a new SQLite file in a new temp folder (its instance
    folder either way); returns (app, url, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    url = database_url or f"sqlite:///{folder / 'lms.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "bench-only", "LMS_ORG_NAME": "UBND tỉnh (mô phỏng)"})
    return app, url, folder


class Steps:
    """Prints each step's time and row count as it goes."""

    def __init__(self):
        self.started = time.perf_counter()
        self.times: dict[str, float] = {}

    def run(self, name: str, function, *args):
        print(f"… {name}", flush=True)
        began = time.perf_counter()
        result = function(*args)
        self.times[name] = time.perf_counter() - began
        rows = f" ({result:,} rows)" if isinstance(result, int) else ""
        print(f"  {name}: {self.times[name]:.1f} s{rows}", flush=True)
        return result

    def total(self) -> float:
        return time.perf_counter() - self.started


def bulk_insert(model, rows: Iterable[dict], label: str = "") -> int:
    """Insert `rows` in batches of BATCH with one executemany each; commit; return the count."""
    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        db.session.execute(insert(model.__table__), batch)
        count += len(batch)
        if label and count % (BATCH * 10) == 0:
            print(f"    {label}: {count:,}", flush=True)
    db.session.commit()
    return count


def migrate_fresh(app) -> None:
    """Create the schema with the app's migrations, in a database that has no tables yet (a
    bench must never touch, or even upgrade, a real one)."""
    from flask_migrate import upgrade

    tables = inspect(db.engine).get_table_names()
    if tables:
        raise SystemExit(f"The database already has {len(tables)} tables: seed only a fresh, empty database.")
    upgrade(directory=app.extensions["migrate"].directory)


def insert_units(plan: province.Plan) -> int:
    return bulk_insert(Unit, plan.unit_rows())


def insert_people(plan: province.Plan) -> int:
    count = bulk_insert(User, plan.user_rows(), "users")
    bulk_insert(UserRole, plan.role_rows())
    return count


def insert_progress(plan: province.Plan) -> int:
    return bulk_insert(CourseProgress, plan.progress_rows(), "course_progress")


def insert_attempts(plan: province.Plan) -> int:
    results: list[dict] = []
    count = bulk_insert(Attempt, plan.attempt_rows(results), "attempts")
    print(f"    quiz_results: {bulk_insert(QuizResult, results):,}", flush=True)
    return count


def insert_certificates(plan: province.Plan) -> int:
    certificates, counters = plan.certificate_rows()
    count = bulk_insert(Certificate, certificates)
    bulk_insert(RegisterCounter, ({"year": year, "last_number": last} for year, last in counters.items()))
    return count


def insert_external(plan: province.Plan) -> int:
    return bulk_insert(ExternalCertificate, plan.external_rows())


def fix_sequences() -> None:
    """PostgreSQL: move each serial past the ids given explicitly, so later inserts work."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("units", "users", "courses", "quizzes", "standards", "standard_requirements",
                  "course_progress", "attempts", "quiz_results", "certificates", "external_certificates"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
    db.session.commit()


def analyze() -> None:
    """Planner statistics: PostgreSQL's autovacuum gathers them by itself, SQLite never does."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def row_counts() -> dict[str, int]:
    tables = ("units", "users", "user_roles", "courses", "quizzes", "standards", "standard_requirements",
              "course_progress", "attempts", "quiz_results", "certificates", "register_counters",
              "external_certificates")
    return {table: db.session.scalar(text(f"SELECT COUNT(*) FROM {table}")) for table in tables}  # noqa: S608


def seed(app, args: argparse.Namespace) -> dict:
    """Migrate, fill and analyse; returns the step times (seconds) and row counts."""
    steps = Steps()
    with app.app_context():
        steps.run("migrate", migrate_fresh, app)
        plan = province.Plan(args.people, args.attempts, args.seed, args.today)
        steps.run("units", insert_units, plan)
        steps.run("people + roles", insert_people, plan)
        steps.run("courses, quizzes, standard", plan.insert_catalogue)
        steps.run("course progress", insert_progress, plan)
        steps.run("attempts + quiz results", insert_attempts, plan)
        steps.run("certificates", insert_certificates, plan)
        steps.run("external certificates", insert_external, plan)
        fix_sequences()
        if args.analyze:
            steps.run("analyze", analyze)
        counts = row_counts()
    print(f"Seeded in {steps.total():.1f} s")
    for table, count in counts.items():
        print(f"  {table:<24}{count:>12,}")
    return {"seconds": steps.total(), "steps": steps.times, "rows": counts}


def main(argv: list[str] | None = None) -> str:
    args = parse_args(argv)
    app, url, folder = bench_app(args.database_url)
    print(f"Seeding {url} with {args.people:,} people and {args.attempts:,} attempts (today = {args.today})")
    try:
        seed(app, args)
    finally:
        if args.database_url:  # the temp folder only served as the app's instance folder
            shutil.rmtree(folder, ignore_errors=True)
    print(f"Database: {url}")
    return url


if __name__ == "__main__":
    main()
