"""The exam-day bench's server side: a throwaway instance with the demo data and bench
trainees, gunicorn started as the README's production section does, and the faults the
bench injects into it (a killed worker, a full restart, an online backup).

Used by bench/exam_day.py; the after-run database checks are in exam_day_checks.py.
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

PROJECT = Path(__file__).resolve().parent.parent
BIN = PROJECT / ".venv" / "bin"
GUNICORN_TIMEOUT = 120  # as in the README's production command
BENCH_PASSWORD = "Thi-cuoi-khoa@2026"  # noqa: S105  (throwaway accounts on a throwaway database)
BENCH_PREFIX = "thutai"  # the bench trainees' usernames: thutai00001, …
ENV_NAMES = ("LMS_INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY", "LMS_STATIC_CACHE", "LMS_RATELIMIT_STORAGE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Instance:
    """A temporary instance folder and its database (a SQLite file in the folder by default)."""

    folder: Path
    database_url: str = ""
    secret_key: str = field(default_factory=lambda: os.urandom(32).hex())

    def __post_init__(self) -> None:
        self.database_url = self.database_url or f"sqlite:///{self.folder / 'lms.sqlite3'}"

    @property
    def backend(self) -> str:
        return make_url(self.database_url).get_backend_name()

    @property
    def sqlite_path(self) -> Path | None:
        return Path(make_url(self.database_url).database) if self.backend == "sqlite" else None

    def env(self) -> dict[str, str]:
        """The environment of the flask commands and of gunicorn: this instance, nothing inherited
        that could point the app elsewhere."""
        env = {key: value for key, value in os.environ.items() if key not in ENV_NAMES and not key.startswith("FLASK_")}
        env.update(LMS_INSTANCE_PATH=str(self.folder), DATABASE_URL=self.database_url, SECRET_KEY=self.secret_key)
        return env

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(BIN / "flask"), "--app", "wsgi", *args]
        result = subprocess.run(command, cwd=PROJECT, env=self.env(), capture_output=True, text=True,  # noqa: S603
                                check=False)
        if check and result.returncode != 0:
            raise SystemExit(f"{' '.join(command[1:])} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def app(self):
        """The app in this process, on the same database (seeding and the after-run checks)."""
        from lms import create_app

        return create_app({"INSTANCE_PATH": str(self.folder), "SQLALCHEMY_DATABASE_URI": self.database_url,
                           "SECRET_KEY": self.secret_key})


# ---------------------------------------------------------------- PostgreSQL database


def _admin_connection(database_url: str):
    import psycopg

    url = make_url(database_url).set(drivername="postgresql", database="postgres")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def recreate_database(database_url: str) -> None:
    """Drop and create the PostgreSQL database the URL names (connected to `postgres`)."""
    from psycopg import sql

    name = sql.Identifier(make_url(database_url).database)
    with _admin_connection(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(database_url: str) -> None:
    from psycopg import sql

    name = sql.Identifier(make_url(database_url).database)
    with _admin_connection(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@contextmanager
def throwaway_instance(prefix: str, database_url: str | None) -> Iterator[Instance]:
    """A temporary instance folder, with a fresh PostgreSQL database when `database_url`
    names one (dropped afterwards, whatever happened)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        if database_url:
            recreate_database(database_url)
        try:
            yield Instance(Path(folder), database_url or "")
        finally:
            if database_url:
                drop_database(database_url)


# ---------------------------------------------------------------- demo data and trainees


def bench_usernames(count: int) -> list[str]:
    return [f"{BENCH_PREFIX}{index:05d}" for index in range(1, count + 1)]


def seed_trainees(app, count: int) -> str:
    """Add `count` trainee accounts spread round-robin over the demo's district offices and
    communes, each with its membership row, as lms/demo.py makes its trainees. One password
    hash with the app's own method (LMS_PASSWORD_METHOD) is shared by all, so seeding costs one hash while every sign-in
    still costs the server a full check. Returns the method used."""
    from lms.auth.passwords import hash_password
    from lms.extensions import db
    from lms.models import Role, StaffCategory, Unit, UnitLevel, UnitMembership, User, UserRole

    with app.app_context():
        units = db.session.scalars(select(Unit).where(
            Unit.active, Unit.level.in_((UnitLevel.DISTRICT_OFFICE.value, UnitLevel.COMMUNE.value)))
            .order_by(Unit.sort_order, Unit.id)).all()
        method = app.config["LMS_PASSWORD_METHOD"]
        password_hash = hash_password(BENCH_PASSWORD, method)
        people = []
        for index, username in enumerate(bench_usernames(count)):
            person = User(username=username, full_name=f"Học viên thử tải {index + 1:05d}",
                          unit=units[index % len(units)], staff_code=f"TT{index + 1:05d}",
                          staff_category=StaffCategory.CONG_CHUC,
                          position="Chuyên viên", password_hash=password_hash)
            person.role_rows.append(UserRole(role=Role.TRAINEE))
            people.append(person)
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(UnitMembership(user_id=person.id, unit_id=person.unit_id, reason="bench")
                           for person in people)
        db.session.commit()
    return method


@dataclass(frozen=True)
class QuizFacts:
    code: str
    questions: int
    time_limit_minutes: int | None
    max_attempts: int


def exam_quiz(app, code: str | None) -> QuizFacts:
    """The quiz to sit: `code`, or the published final with the most questions (first by code),
    shown on one page. Finals allow several attempts; placement quizzes only one."""
    from lms.extensions import db
    from lms.models import Quiz

    with app.app_context():
        query = select(Quiz).where(Quiz.status == "published")
        query = query.where(Quiz.code == code) if code else query.where(Quiz.kind == "final")
        quizzes = [quiz for quiz in db.session.scalars(query).all() if not quiz.one_question_per_page]
        if not quizzes:
            raise SystemExit(f"No published quiz {code or '(final)'} shown on one page in the demo data.")
        quiz = min(quizzes, key=lambda item: (-item.questions_per_attempt, item.code))
        return QuizFacts(quiz.code, quiz.questions_per_attempt, quiz.time_limit_minutes, quiz.max_attempts)


# ---------------------------------------------------------------- gunicorn


class Gunicorn:
    """gunicorn as the README's production section runs it, on a free port of 127.0.0.1."""

    def __init__(self, instance: Instance, workers: int, port: int | None = None, app_spec: str = "wsgi:app",
                 ready_path: str = "/dang-nhap"):
        self.instance, self.workers, self.port = instance, workers, port or free_port()
        self.app_spec, self.ready_path = app_spec, ready_path
        self.log_path = instance.folder / f"gunicorn-{app_spec.partition(':')[0]}.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "--workers", str(self.workers), "--timeout", str(GUNICORN_TIMEOUT),
                "--bind", f"127.0.0.1:{self.port}", self.app_spec]

    def start(self, ready_within: float = 90) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=PROJECT, env=self.instance.env(),  # noqa: S603
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {ready_within:.0f} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}{self.ready_path}", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """SIGTERM to the master (graceful: workers finish their requests), then wait."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> tuple[float, float]:
        """Stop the whole server and start it again on the same port; returns the seconds the
        stop took (in-flight requests finish) and the seconds until it answered again."""
        began = time.monotonic()
        self.stop()
        stopped = time.monotonic()
        self.start()
        return stopped - began, time.monotonic() - stopped

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (Linux)."""
        master = self.process.pid if self.process else -1
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
        return sorted(pids)

    def kill_worker(self) -> int | None:
        """SIGKILL one worker (never the master); gunicorn's master starts a new one."""
        pids = self.worker_pids()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_findings(self) -> dict:
        """What the server's log says went wrong: tracebacks (their last line as a sample),
        worker timeouts, "database is locked", and how many workers were booted."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        lines = text.splitlines()
        samples = []
        for index, line in enumerate(lines):
            if line.startswith("Traceback") and len(samples) < 3:
                tail = next((later for later in lines[index + 1:] if later and not later.startswith(" ")), "?")
                samples.append(tail[:200])
        return {"tracebacks": text.count("Traceback (most recent call last)"),
                "worker_timeouts": text.count("WORKER TIMEOUT"),
                "database_locked": text.count("database is locked"),
                "workers_booted": text.count("Booting worker"),
                "samples": samples}
