"""Exam day over real HTTP: trainees sit a 20-question final against gunicorn, then the
database is checked for every acknowledged answer.

A throwaway instance (temporary folder; SQLite there, or a fresh PostgreSQL database created
and dropped with --database-url) gets the demo data (`flask --app wsgi lms init --demo`) and
the bench trainees; gunicorn is started as the README's production section does. Each
trainee (one aiohttp session and cookie jar) opens the sign-in page and signs in (spread
evenly over --ramp seconds), opens the quiz, starts it, opens the attempt page, autosaves an
answer to every question after --think seconds (±25 %), submits and opens the review. The
figures per operation (count, errors, retries, p50/p95/max) are printed as a table; after
the run every acknowledged answer is compared with what the database holds. Exit status 1
on any error, lost answer, unfinished attempt, or a retry in a run without injected faults.

--capacity instead looks for the most trainees whose autosaves keep p95 ≤ --target-ms with
one answer per --think seconds (default 30): trainees join at --join-rate a second up to
each of --levels, then one steady window of --window seconds is measured per level; at the
end they submit at the same rate.

Faults, in seconds from the first sign-in: --kill-worker-at (SIGKILL one gunicorn worker),
--restart-at (SIGTERM gunicorn, wait, start it again on the same port), --backup-at (SQLite:
`lms backup` during the run, then integrity_check and row counts of the copy).

    .venv/bin/python bench/exam_day.py --trainees 40 --ramp 5 --think 0.5
    .venv/bin/python bench/exam_day.py --trainees 2000 --think 10 --ramp 60 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_exam
    .venv/bin/python bench/exam_day.py --capacity --levels 500,1000,2000,3000
"""
import argparse
import asyncio
import json
import resource
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

from bench.exam_day_checks import answer_lines, backup_lines, check_answers, check_backup
from bench.exam_day_client import Exam, Stats, percentile, sit_exam, take_exam, watch_loop_lag
from bench.exam_day_server import (
    Gunicorn,
    Instance,
    bench_usernames,
    exam_quiz,
    seed_trainees,
    throwaway_instance,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=350, help="trainees sitting the exam (default 350)")
    parser.add_argument("--ramp", type=float, default=30, help="seconds over which sign-ins are spread (default 30)")
    parser.add_argument("--think", type=float, help="pause before each answer, ±25 %% (default 2; 30 with --capacity)")
    parser.add_argument("--database-url", help="postgresql+psycopg://…/<db>, created and dropped (default SQLite)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as the README)")
    parser.add_argument("--quiz", help="quiz code (default: the published final with the most questions)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--kill-worker-at", type=float, metavar="SECONDS", help="SIGKILL one gunicorn worker")
    parser.add_argument("--restart-at", type=float, metavar="SECONDS", help="stop gunicorn and start it again")
    parser.add_argument("--backup-at", type=float, metavar="SECONDS", help="run `lms backup` (SQLite only)")
    capacity = parser.add_argument_group("capacity mode")
    capacity.add_argument("--capacity", action="store_true", help="find the most trainees meeting --target-ms")
    capacity.add_argument("--levels", default="500,1000,2000,3000", help="trainee counts to try, in order")
    capacity.add_argument("--window", type=float, default=75, help="steady seconds measured per level (default 75)")
    capacity.add_argument("--join-rate", type=float, default=10, help="sign-ins a second while joining (default 10)")
    capacity.add_argument("--target-ms", type=float, default=200, help="autosave p95 to stay under (default 200)")
    args = parser.parse_args(argv)
    args.think = args.think if args.think is not None else (30.0 if args.capacity else 2.0)
    args.levels = sorted(int(level) for level in args.levels.split(","))
    if args.backup_at is not None and args.database_url and not args.database_url.startswith("sqlite"):
        parser.error("--backup-at copies a SQLite database; on PostgreSQL use pg_dump")
    return args


def raise_open_files_limit() -> int:
    """Each trainee holds a socket while it waits for an answer: lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- faults


async def _fault(at: float, offset: float, events: list[str], action, describe) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, at - loop.time()))
    began = time.monotonic()
    outcome = await asyncio.to_thread(action)
    events.append(f"+{offset:.1f} s  {describe(outcome, time.monotonic() - began)}")


def fault_tasks(args, server: Gunicorn, instance: Instance, t0: float, events: list[str]) -> list:
    backup = instance.folder / "backup.sqlite3"
    plans = (
        (args.kill_worker_at, server.kill_worker,
         lambda pid, _took: f"SIGKILL worker {pid} (its requests in flight are dropped; the master starts another)"),
        (args.restart_at, server.restart,
         lambda took, _all: f"gunicorn stopped (SIGTERM, {took[0]:.1f} s) and started again on port "
                            f"{server.port} (answering {took[1]:.1f} s later)"),
        (args.backup_at, lambda: instance.flask("lms", "backup", "--out", str(backup), check=False),
         lambda result, took: f"lms backup took {took:.2f} s, exit {result.returncode}: "
                              f"{(result.stdout or result.stderr).strip()[-160:]}"),
    )
    return [asyncio.create_task(_fault(t0 + at, at, events, action, describe))
            for at, action, describe in plans if at is not None]


# ---------------------------------------------------------------- the two modes


def _exam(args, server: Gunicorn, quiz_code: str) -> Exam:
    # One connector for all sessions, no limit on connections (each trainee has at most one
    # request in flight); force_close because gunicorn's sync workers close after each response.
    return Exam(server.base_url, quiz_code, args.think, aiohttp.TCPConnector(limit=0, force_close=True))


async def run_exam(args, server: Gunicorn, instance: Instance, quiz_code: str, events: list[str]) -> Exam:
    exam = _exam(args, server, quiz_code)
    loop = asyncio.get_running_loop()
    t0 = loop.time() + 0.5
    lag = asyncio.create_task(watch_loop_lag(exam))
    faults = fault_tasks(args, server, instance, t0, events)
    spacing = args.ramp / max(args.trainees, 1)
    await asyncio.gather(*(take_exam(exam, name, index, t0 + index * spacing)
                           for index, name in enumerate(bench_usernames(args.trainees))))
    await asyncio.gather(*faults)
    lag.cancel()
    await exam.connector.close()
    return exam


class Gate:
    """Counts trainees that are in their attempt (or failed getting there) up to a target."""

    def __init__(self) -> None:
        self.count, self.target, self.event = 0, 0, asyncio.Event()

    def settled(self) -> None:
        self.count += 1
        if self.count >= self.target:
            self.event.set()

    async def wait_for(self, target: int) -> None:
        self.target = target
        if self.count < target:
            self.event.clear()
            await self.event.wait()


async def run_capacity(args, server: Gunicorn, quiz_code: str, levels: list[dict]) -> Exam:
    """Raise the number of trainees level by level; measure a steady window at each; stop at
    the first level over the target (more trainees would not do better)."""
    exam, gate, stop = _exam(args, server, quiz_code), Gate(), asyncio.Event()
    loop = asyncio.get_running_loop()
    lag = asyncio.create_task(watch_loop_lag(exam))
    names, tasks = bench_usernames(args.levels[-1]), []
    for level in args.levels:
        began, first = loop.time(), len(tasks)
        tasks += [asyncio.create_task(sit_exam(exam, name, first + step, began + step / args.join_rate, stop,
                                               gate.settled, submit_after=(first + step) / args.join_rate))
                  for step, name in enumerate(names[first:level])]
        await gate.wait_for(level)
        joined = loop.time() - began
        exam.window = Stats()
        await asyncio.sleep(args.window)
        window, exam.window = exam.window, None
        levels.append(_level_row(args, level, joined, window, exam))
        print(_level_line(levels[-1]), flush=True)
        if not levels[-1]["met"]:
            break
    stop.set()
    await asyncio.gather(*tasks)
    lag.cancel()
    await exam.connector.close()
    return exam


def _level_row(args, level: int, joined: float, window: Stats, exam: Exam) -> dict:
    saves = window.ops["autosave"]
    p95 = percentile(saves.times, 0.95)
    in_attempt = level - sum(exam.failed.values())
    return {"trainees": level, "in_attempt": in_attempt, "joined_in_s": round(joined, 1),
            "saves_per_s": round(len(saves.times) / args.window, 1), "p50_ms": round(percentile(saves.times, 0.5), 1),
            "p95_ms": round(p95, 1), "max_ms": round(max(saves.times, default=0), 1),
            "errors": window.errors(), "retries": window.retries(),
            "met": p95 <= args.target_ms and not window.errors() and in_attempt == level}


def _level_line(row: dict) -> str:
    return (f"{row['trainees']:>8} {row['in_attempt']:>10} {row['joined_in_s']:>8.1f} {row['saves_per_s']:>8.1f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} {row['errors']:>7} "
            f"{'yes' if row['met'] else 'NO':>5}")


# ---------------------------------------------------------------- setting up and reporting


def prepare(args, instance: Instance) -> tuple:
    began = time.monotonic()
    instance.flask("lms", "init", "--demo")
    app = instance.app()
    count = args.levels[-1] if args.capacity else args.trainees
    method = seed_trainees(app, count)
    quiz = exam_quiz(app, args.quiz)
    print(f"instance: demo data and {count} bench trainees in {time.monotonic() - began:.1f} s "
          f"({instance.backend}, {instance.folder})")
    print(f"quiz: {quiz.code}, {quiz.questions} questions, {quiz.time_limit_minutes or '∞'} min, "
          f"{quiz.max_attempts or '∞'} attempts")
    print(f"password hashes: {method} (the app's LMS_PASSWORD_METHOD): one hash shared by the bench accounts; "
          f"every sign-in costs the server a full check")
    print(f"sign-in throttling: left as configured. lms/config.py reads no setting to lift it from the environment, "
          f"and it counts refused sign-ins only (lms/auth/throttling.py), so {count} right passwords from "
          f"127.0.0.1 never reach the 30-per-address limit; a 429 would show as an error")
    _warn_about_time(args, quiz)
    return app, quiz


def _warn_about_time(args, quiz) -> None:
    if not quiz.time_limit_minutes:
        return
    if args.capacity:
        longest = 2 * args.levels[-1] / args.join_rate + len(args.levels) * (args.window + 60) + args.think
    else:
        longest = args.ramp + quiz.questions * args.think * 1.25 + 30
    if longest > quiz.time_limit_minutes * 60:
        print(f"WARNING: the run may last {longest:.0f} s, longer than the {quiz.time_limit_minutes}-minute time "
              f"limit: answers after the deadline are refused (409)")


def failures(args, exam: Exam, check, log: dict, backup: dict | None) -> list[str]:
    problems = []
    if exam.stats.errors():
        problems.append(f"{exam.stats.errors()} errors")
    if exam.failed:
        problems.append(f"{sum(exam.failed.values())} trainees stopped ({dict(exam.failed)})")
    if check.lost or check.finished != check.attempts or check.attempts_per_trainee_over_one:
        problems.append("answers lost or attempts unfinished")
    injected = any(value is not None for value in (args.kill_worker_at, args.restart_at))
    if exam.stats.retries() and not injected:
        problems.append(f"{exam.stats.retries()} retries in a run without an injected fault")
    if log["tracebacks"] or log["database_locked"] or log["worker_timeouts"]:
        problems.append("errors in the server's log")
    if args.backup_at is not None and backup is None:
        problems.append("no backup copy was made")
    if backup is not None and not backup["ok"]:
        problems.append("backup copy not consistent")
    return problems


def report(args, exam: Exam, elapsed: float, events: list[str], check, log: dict, backup: dict | None) -> list[str]:
    requests = sum(len(op.times) for op in exam.stats.ops.values())
    print(f"\n{exam.completed} trainees finished in {elapsed:.1f} s ({requests / elapsed:.1f} requests/s); "
          f"client loop lag p95 {percentile(exam.loop_lag_ms, 0.95):.1f} ms, "
          f"max {max(exam.loop_lag_ms, default=0):.1f} ms")
    for line in events:
        print(f"fault {line}")
    print("\n".join(exam.stats.table_lines()))
    print("\n".join(answer_lines(check)))
    print(f"server log: {log['tracebacks']} tracebacks, {log['worker_timeouts']} worker timeouts, "
          f"{log['database_locked']} 'database is locked', {log['workers_booted']} workers booted")
    for sample in log["samples"]:
        print(f"  {sample}")
    if backup is not None:
        print("\n".join(backup_lines(backup)))
    problems = failures(args, exam, check, log, backup)
    print("FAILED: " + "; ".join(problems) if problems else "OK: no errors, no lost answers")
    return problems


def write_json(path: Path, args, exam: Exam, elapsed: float, events, check, log, backup, levels) -> None:
    options = {key: value for key, value in vars(args).items() if key != "json"}
    options["database_url"] = options["database_url"] or "sqlite (temporary)"
    body = {"options": options, "elapsed_s": round(elapsed, 1), "completed": exam.completed,
            "failed": dict(exam.failed), "operations": exam.stats.summary(), "faults": events,
            "answers": vars(check), "server_log": log, "backup": backup, "capacity": levels,
            "loop_lag_ms": {"p95": round(percentile(exam.loop_lag_ms, 0.95), 1),
                            "max": round(max(exam.loop_lag_ms, default=0), 1)}}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Stopped with SIGTERM, still stop gunicorn and drop the database (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"open files limit: {raise_open_files_limit()}")
    with throwaway_instance("exam-day-", args.database_url) as instance:
        return run(args, instance)


def run(args, instance: Instance) -> int:
    app, quiz = prepare(args, instance)
    server = Gunicorn(instance, args.workers)
    server.start()
    print(f"server: {' '.join(server.command()[1:])} (ready)")
    events, levels = [], []
    began = time.monotonic()
    try:
        if args.capacity:
            print_capacity_header(args)
            exam = asyncio.run(run_capacity(args, server, quiz.code, levels))
        else:
            exam = asyncio.run(run_exam(args, server, instance, quiz.code, events))
    finally:
        elapsed = time.monotonic() - began
        server.stop()
    check = check_answers(app, exam.acks, exam.attempt_ids, quiz.code)
    copy = instance.folder / "backup.sqlite3"
    backup = check_backup(instance.sqlite_path, copy) if copy.exists() else None
    if args.capacity:
        met = [row["trainees"] for row in levels if row["met"]]
        print(f"capacity: {max(met) if met else 'none'} trainees met autosave p95 ≤ {args.target_ms:.0f} ms "
              f"(levels tried: {', '.join(str(row['trainees']) for row in levels)})")
    log = server.log_findings()
    problems = report(args, exam, elapsed, events, check, log, backup)
    if args.json:
        write_json(args.json, args, exam, elapsed, events, check, log, backup, levels)
    return 1 if problems else 0


def print_capacity_header(args) -> None:
    print(f"capacity: one answer per {args.think:.0f} s per trainee, autosave p95 target {args.target_ms:.0f} ms, "
          f"{args.window:.0f} s steady window per level")
    print(f"{'trainees':>8} {'in attempt':>10} {'joined s':>8} {'saves/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8} {'errors':>7} {'met':>5}")


if __name__ == "__main__":
    sys.exit(main())
