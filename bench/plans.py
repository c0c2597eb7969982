"""The SQL the reports really run, caught at the cursor, then timed one by one and explained:
EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, with which indexes
each query uses and which tables it reads whole."""
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from lms.extensions import db

# The indexes migration 0005 added for the statistics.
STATISTICS_INDEXES = ("ix_certificates_standard_id_status_user_id", "ix_quiz_results_quiz_id_passed_user_id",
                      "ix_course_progress_course_id_completed_at", "ix_user_roles_role_user_id",
                      "ix_external_certificates_kind_user_id")
_SQLITE_INDEX = re.compile(r"USING (?:AUTOMATIC )?(?:PARTIAL )?(?:COVERING )?INDEX (\w+)|USING (INTEGER PRIMARY KEY)")
_SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$")
_PG_INDEX = re.compile(r"(?:Index Scan|Index Only Scan) using (\w+) on (\w+)|Bitmap Index Scan on (\w+)")
_PG_SEQ = re.compile(r"Seq Scan on (\w+)")
_PERSON_TABLES = ("course_progress", "quiz_results", "certificates", "external_certificates")
_PG_TIME = re.compile(r"Execution Time: ([\d.]+) ms")


@dataclass
class Query:
    label: str
    sql: str
    params: object
    best_ms: float = 0.0
    rows: int = 0
    plan: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)  # index seeks / index-only / bitmap
    full_scans: list[str] = field(default_factory=list)  # tables (or whole indexes) read end to end
    server_ms: float | None = None  # PostgreSQL's own Execution Time


@contextmanager
def capture(into: dict[str, Query], label_prefix: str = ""):
    """Record each distinct statement run inside the block that a report depends on."""
    engine = db.engine

    def before(_conn, _cursor, statement, parameters, _context, executemany):
        label = label_of(statement)
        if label and not executemany and statement not in into:
            into[statement] = Query(f"{label_prefix}{label}", statement, parameters)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield into
    finally:
        event.remove(engine, "before_cursor_execute", before)


def label_of(sql: str) -> str | None:
    """A short name for the report queries worth explaining; None for lookups of a few rows."""
    s = " ".join(sql.lower().split())
    if "order by units.sort_order" in s and "limit" in s:
        return "drill-down page (people_in_report)"
    if s.startswith("select count(*)") and "from (select" in s:
        return "drill-down count"
    if "group by" not in s:
        match = re.search(r"from (\w+)", s)
        table = match.group(1) if match else "?"
        return f"person status: {table}" if table in _PERSON_TABLES and " in (" in s else None
    if " union " in s:
        return "met by level (trend, per month)"
    for needle, name in (("external_certificates", "met via external"), ("case when", "certificates by state"),
                         ("certificates", "met via platform"), ("quiz_results", "quiz passed per module"),
                         ("course_progress.started_at", "enrolled"), ("course_progress", "course completed"),
                         ("units.level", "staff by level")):
        if needle in s:
            return name
    return "staff per unit"


def time_query(query: Query, repeat: int = 3) -> None:
    connection = db.session.connection()
    best = None
    for _ in range(repeat):
        began = time.perf_counter()
        rows = connection.exec_driver_sql(query.sql, query.params).fetchall()
        elapsed = (time.perf_counter() - began) * 1000
        best = elapsed if best is None else min(best, elapsed)
    query.best_ms, query.rows = best, len(rows)


def explain(query: Query) -> None:
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + query.sql, query.params).fetchall()
        depth = {0: -1}
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            query.plan.append("  " * depth[node] + detail)
            _sqlite_access(query, detail)
    else:
        rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + query.sql, query.params).fetchall()
        query.plan = [row[0] for row in rows]
        for line in query.plan:
            _pg_access(query, line)


def _sqlite_access(query: Query, detail: str) -> None:
    for index, primary_key in _SQLITE_INDEX.findall(detail):
        name = index or primary_key
        scan = _SQLITE_SCAN.match(detail)
        if scan and scan.group(2):  # SCAN t USING INDEX i: the whole index, in order
            query.full_scans.append(f"{scan.group(1)} (whole index {scan.group(2)})")
        elif name not in query.indexes:
            query.indexes.append(name)
    scan = _SQLITE_SCAN.match(detail)
    if scan and not scan.group(2):
        query.full_scans.append(scan.group(1))


def _pg_access(query: Query, line: str) -> None:
    for index, _table, bitmap in _PG_INDEX.findall(line):
        name = index or bitmap
        if name not in query.indexes:
            query.indexes.append(name)
    for table in _PG_SEQ.findall(line):
        if table not in query.full_scans:
            query.full_scans.append(table)
    found = _PG_TIME.search(line)
    if found:
        query.server_ms = float(found.group(1))


def report(queries: list[Query], show_plans: bool = True) -> None:
    """Print each query's time and plan, then which statistics index serves which query."""
    print("\n== The report queries, one by one (best of 3, raw SQL) and their plans ==")
    for query in queries:
        server = f", server {query.server_ms:.1f} ms" if query.server_ms is not None else ""
        print(f"\n-- {query.label}: {query.best_ms:.1f} ms, {query.rows:,} rows{server}")
        print(f"   indexes: {', '.join(query.indexes) or 'none'}")
        print(f"   full scans: {', '.join(query.full_scans) or 'none'}")
        if show_plans:
            for line in query.plan:
                print(f"   | {line}")
    print("\n== Statistics indexes (migration 0005) in use ==")
    for index in STATISTICS_INDEXES:
        users = [query.label for query in queries if index in query.indexes]
        print(f"  {index:<46} {'used by: ' + '; '.join(users) if users else 'NOT USED'}")
