"""Time HR's competence statistics against a province's data and print the figures.

Each measure runs once to warm up, then `--repeat` times (best kept), each in a fresh
session as a request would: build_report for the province, for the commune level, for one
district and for a date range; monthly_trend; a drill-down page of 50 people; the CSV
export; the .xlsx export of one district and (once, with its peak memory) of the province.
Then every report query is timed on its own and explained, with the indexes it uses.

    .venv/bin/python bench/stats_bench.py PATH/lms.sqlite3               # a database seed_province.py filled
    .venv/bin/python bench/stats_bench.py --seed                       # seed a temp SQLite first
    .venv/bin/python bench/stats_bench.py --seed postgresql+psycopg://root@127.0.0.1:5432/bench_lms
"""
import argparse
import json
import resource
import shutil
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text

from bench import plans
from bench.seed_province import bench_app, row_counts, seed
from bench.seed_province import parse_args as seed_arguments
from lms.extensions import db
from lms.models import Unit
from lms.reports.queries import Filters, primary_standard
from lms.reports.standings import all_statuses, people_by_id, people_in_report, statuses_for
from lms.reports.statistics import build_report, monthly_trend
from lms.reports.workbook import export_report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", nargs="?", help="SQLite file or SQLAlchemy URL (with --seed: where to seed)")
    parser.add_argument("--seed", action="store_true", help="seed the database first (default: a temp SQLite file)")
    parser.add_argument("--people", type=int, default=100_000, help="with --seed (default 100000)")
    parser.add_argument("--attempts", type=int, default=1_000_000, help="with --seed (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up (best kept)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(), help="report date, YYYY-MM-DD")
    parser.add_argument("--no-province-xlsx", dest="province_xlsx", action="store_false",
                        help="skip the .xlsx of the whole province")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="export the province's .xlsx a second time under tracemalloc (slow: ~5x)")
    parser.add_argument("--no-plans", dest="show_plans", action="store_false", help="print index use, not plans")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="with --seed: keep the temp SQLite file afterwards")
    args = parser.parse_args(argv)
    if not args.seed and not args.database:
        parser.error("give a seeded database, or --seed")
    return args


def database_url(value: str | None) -> str | None:
    if value is None or "://" in value:
        return value
    path = Path(value).resolve()
    if not path.exists():
        raise SystemExit(f"No such database file: {path}")
    return f"sqlite:///{path}"


class Bench:
    def __init__(self, repeat: int):
        self.repeat = repeat
        self.results: list[dict] = []

    def measure(self, label: str, function, repeat: int | None = None):
        """Warm-up run, then `repeat` timed runs, each in a fresh session; prints each time."""
        runs = []
        result = None
        for run in range(1 + (self.repeat if repeat is None else repeat)):
            db.session.remove()
            began = time.perf_counter()
            result = function()
            runs.append(time.perf_counter() - began)
            if run == 0:
                print(f"  {label}: warm-up {_fmt(runs[0])}", end="", flush=True)
            else:
                print(f", {_fmt(runs[-1])}", end="", flush=True)
        timed = runs[1:] or runs
        print(f"  → best {_fmt(min(timed))}", flush=True)
        self.results.append({"label": label, "warmup_s": runs[0], "runs_s": runs[1:], "best_s": min(timed)})
        return result

    def once(self, label: str, function, **extra):
        db.session.remove()
        began = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - began
        print(f"  {label}: {_fmt(elapsed)}", flush=True)
        self.results.append({"label": label, "warmup_s": None, "runs_s": [elapsed], "best_s": elapsed, **extra})
        return result


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _district() -> Unit:
    return db.session.scalar(select(Unit).where(Unit.level == "district").order_by(Unit.id))


def drill_down(filters: Filters, today: date, page: int):
    """What the unit page adds to its report: one page of 50 people and their standing."""
    people = db.paginate(people_in_report(filters), page=page, per_page=50, error_out=False)
    return statuses_for(people_by_id(list(people.items)), primary_standard(), filters, today)


def province_xlsx(bench: Bench, today: date, traced: bool) -> dict:
    """The whole province's workbook, once: its time and the growth of the process's peak
    RSS; with `traced`, once more under tracemalloc for the Python heap's peak (several times
    slower: tracemalloc hooks every allocation)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data, _name = bench.once("export xlsx, province", lambda: export_report(Filters(), "xlsx", today))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory = {"xlsx_bytes": len(data), "maxrss_before_mb": rss_before, "maxrss_after_mb": rss_after}
    note = " (the peak was set earlier, e.g. by --seed: bench a seeded database for this figure)" \
        if rss_after == rss_before else ""
    print(f"    file {len(data) / 2**20:.1f} MB; process max RSS {rss_before:.0f} → {rss_after:.0f} MB{note}",
          flush=True)
    if traced:
        tracemalloc.start()
        began = time.perf_counter()
        db.session.remove()
        export_report(Filters(), "xlsx", today)
        memory["traced_run_s"] = time.perf_counter() - began
        memory["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"    Python heap peak (tracemalloc) {memory['tracemalloc_peak_mb']:.1f} MB "
              f"(that run took {_fmt(memory['traced_run_s'])})", flush=True)
    return memory


def run_timings(bench: Bench, today: date, with_province_xlsx: bool, traced: bool) -> dict:
    district = _district()
    district_id, district_name = district.id, district.name
    recent = Filters(date_from=today - timedelta(days=210), date_to=today - timedelta(days=30))
    print(f"\n== Timings (best of {bench.repeat} after a warm-up; district = {district_name}) ==")
    bench.measure("build_report, province", lambda: build_report(Filters(), today=today))
    bench.measure("build_report, level=commune", lambda: build_report(Filters(level="commune"), today=today))
    bench.measure("build_report, one district", lambda: build_report(Filters(unit_id=district_id), today=today))
    bench.measure(f"build_report, {recent.date_from}..{recent.date_to}", lambda: build_report(recent, today=today))
    bench.measure("monthly_trend, province (12 months)", lambda: monthly_trend(Filters(), today=today))
    bench.measure("drill-down page 1 (50 people), district",
                  lambda: drill_down(Filters(unit_id=district_id), today, 1))
    bench.measure("drill-down page 60 (50 people), district",
                  lambda: drill_down(Filters(unit_id=district_id), today, 60))
    bench.measure("export csv, province", lambda: export_report(Filters(), "csv", today))
    bench.measure("export xlsx, one district", lambda: export_report(Filters(unit_id=district_id), "xlsx", today))
    return province_xlsx(bench, today, traced) if with_province_xlsx else {}


def collect_queries(today: date) -> list[plans.Query]:
    """The statements behind the report (province and one district), the trend, the drill-down
    and one chunk of the export."""
    db.session.remove()
    district = Filters(unit_id=_district().id)
    caught: dict[str, plans.Query] = {}
    with plans.capture(caught):
        build_report(Filters(), today=today)
        monthly_trend(Filters(), today=today, months=1)
        drill_down(district, today, 1)
    with plans.capture(caught, "district, "):
        build_report(district, today=today)
    with plans.capture(caught, "xlsx chunk, "):
        next(iter(all_statuses(Filters(), primary_standard(), today)))
    for query in caught.values():
        plans.time_query(query)
        plans.explain(query)
    db.session.rollback()
    return list(caught.values())


def describe_database() -> dict:
    dialect = db.engine.dialect.name
    info = {"dialect": dialect, "url": db.engine.url.render_as_string(hide_password=True)}
    if dialect == "sqlite":
        info["analyzed"] = bool(db.session.scalar(text(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")))
        info["version"] = db.session.scalar(text("SELECT sqlite_version()"))
    else:
        info["version"] = db.session.scalar(text("SHOW server_version"))
    return info


def print_summary(info: dict, counts: dict, bench: Bench, queries: list[plans.Query], memory: dict) -> None:
    print(f"\n== Summary: {info['dialect']} {info['version']}, {counts['users']:,} users, "
          f"{counts['attempts']:,} attempts ==")
    print(f"  {'measure':<48}{'best':>10}{'warm-up':>10}")
    for row in bench.results:
        warmup = _fmt(row["warmup_s"]) if row["warmup_s"] is not None else "–"
        print(f"  {row['label']:<48}{_fmt(row['best_s']):>10}{warmup:>10}")
    if memory:
        print(f"  {'province xlsx: process max RSS before → after':<48}{memory['maxrss_before_mb']:>7.0f} MB"
              f"{memory['maxrss_after_mb']:>7.0f} MB")
    if "tracemalloc_peak_mb" in memory:
        print(f"  {'province xlsx: Python heap peak (tracemalloc)':<48}{memory['tracemalloc_peak_mb']:>7.0f} MB")
    slowest = sorted(queries, key=lambda query: query.best_ms, reverse=True)[:5]
    print("  slowest single queries: " + "; ".join(f"{q.label} {q.best_ms:.0f} ms" for q in slowest))


def write_json(path: Path, info: dict, counts: dict, bench: Bench, memory: dict, queries: list) -> None:
    queries = [{"label": q.label, "best_ms": q.best_ms, "rows": q.rows, "indexes": q.indexes,
                "full_scans": q.full_scans, "server_ms": q.server_ms} for q in queries]
    path.write_text(json.dumps({"database": info, "rows": counts, "timings": bench.results, "province_xlsx": memory,
                                "queries": queries}, indent=2, default=str))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    app, url, folder = bench_app(database_url(args.database))
    if args.seed:
        seed(app, seed_arguments(["--people", str(args.people), "--attempts", str(args.attempts),
                                  "--today", args.today.isoformat()]))
    with app.test_request_context():  # build_report translates labels (flask_babel)
        info = describe_database()
        counts = row_counts()
        print(f"\nDatabase {info['url']} ({info['dialect']} {info['version']}"
              + (f", ANALYZE statistics: {'yes' if info['analyzed'] else 'no'}" if "analyzed" in info else "") + ")")
        for table, count in counts.items():
            print(f"  {table:<24}{count:>12,}")
        bench = Bench(args.repeat)
        memory = run_timings(bench, args.today, args.province_xlsx, args.tracemalloc)
        queries = collect_queries(args.today)
        plans.report(queries, args.show_plans)
        print_summary(info, counts, bench, queries, memory)
    if args.json:
        write_json(args.json, info, counts, bench, memory, queries)
    with app.app_context():
        db.engine.dispose()
    temp_database = args.seed and not args.database
    if temp_database and args.keep:
        print(f"\nDatabase kept: {url}")
    else:  # the temp instance folder, which holds the database only when --seed made it there
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\nDatabase: {url}" + (" (removed)" if temp_database else ""))


if __name__ == "__main__":
    main()
