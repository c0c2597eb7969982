"""The exam-day bench's trainees: each one an aiohttp session with its own cookie jar doing over
HTTP what a person in a browser does (sign in, open the final, start, answer every question
with autosave, submit), and the figures per operation.

Like the attempt page's script (static/js/attempt.js), a request that gets no answer (a
dropped or refused connection, a worker killed mid-request, a server restarting) or a 5xx
is sent again with backoff until it succeeds: that is the browser's queue of unsent answers.
Every retry is counted apart from errors. Errors are responses of 400 or more (so every 500
and every "database is locked" is one, even when a retry then succeeded), requests with no
answer within REQUEST_TIMEOUT, and requests given up after RETRY_WINDOW.
"""
import asyncio
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.exam_day_checks import Ack
from bench.exam_day_pages import (
    AttemptPage,
    Question,
    Reply,
    attempt_form,
    choose_answer,
    page_ok,
    page_with_token,
    read_page,
    redirect_to,
    saved,
)
from bench.exam_day_server import BENCH_PASSWORD

OPERATIONS = ("sign-in page", "sign-in", "quiz page", "start", "attempt page", "autosave", "submit", "review page")
REQUEST_TIMEOUT = 60  # seconds a person waits for a page before calling it broken
RETRY_WINDOW = 180  # how long a request is resent before it counts as given up (a restart takes seconds)
FIRST_BACKOFF, LONGEST_BACKOFF = 0.5, 8.0


def jittered(seconds: float, rng: random.Random) -> float:
    """`seconds` ± 25 %."""
    return seconds * rng.uniform(0.75, 1.25)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class OpStats:
    times: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        return {"count": len(self.times), "errors": sum(self.errors.values()), "retries": sum(self.retries.values()),
                "p50_ms": round(percentile(self.times, 0.5), 1), "p95_ms": round(percentile(self.times, 0.95), 1),
                "max_ms": round(max(self.times, default=0.0), 1),
                "error_samples": dict(self.errors.most_common(3)), "retry_samples": dict(self.retries.most_common(3))}


class Stats:
    """Milliseconds of every successful request, and the errors and retries, per operation."""

    def __init__(self) -> None:
        self.ops = {name: OpStats() for name in OPERATIONS}

    def errors(self) -> int:
        return sum(sum(op.errors.values()) for op in self.ops.values())

    def retries(self) -> int:
        return sum(sum(op.retries.values()) for op in self.ops.values())

    def summary(self) -> dict:
        return {name: op.summary() for name, op in self.ops.items()}

    def table_lines(self) -> list[str]:
        lines = [f"{'operation':<14} {'count':>7} {'errors':>7} {'retries':>8} "
                 f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
        for name, op in self.ops.items():
            row = op.summary()
            lines.append(f"{name:<14} {row['count']:>7} {row['errors']:>7} {row['retries']:>8} "
                         f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f}")
        for label, attribute in (("errors", "errors"), ("retries", "retries")):
            samples = [f"  {name}: {count} × {text}" for name, op in self.ops.items()
                       for text, count in getattr(op, attribute).most_common(3)]
            if samples:
                lines += [f"{label} (most frequent):", *samples]
        return lines


@dataclass
class Exam:
    """What all trainees of one run share: the server, the quiz, the figures, the answers."""

    base_url: str
    quiz_code: str
    think: float
    connector: aiohttp.BaseConnector
    stats: Stats = field(default_factory=Stats)
    window: Stats | None = None  # capacity mode: the current steady window's own figures
    acks: list[Ack] = field(default_factory=list)
    attempt_ids: set[int] = field(default_factory=set)
    completed: int = 0
    failed: Counter = field(default_factory=Counter)  # trainees stopped, by the operation that failed
    loop_lag_ms: list[float] = field(default_factory=list)

    def _each(self) -> list[Stats]:
        return [self.stats] if self.window is None else [self.stats, self.window]

    def record(self, op: str, ms: float) -> None:
        for stats in self._each():
            stats.ops[op].times.append(ms)

    def error(self, op: str, text: str) -> None:
        for stats in self._each():
            stats.ops[op].errors[text] += 1

    def retry(self, op: str, text: str) -> None:
        for stats in self._each():
            stats.ops[op].retries[text] += 1


# ---------------------------------------------------------------- one trainee


class TraineeFailedError(Exception):
    """A request failed for good; the trainee stops (op: which operation)."""

    def __init__(self, op: str):
        super().__init__(op)
        self.op = op


class Trainee:
    def __init__(self, exam: Exam, username: str, seed: int):
        self.exam, self.username = exam, username
        self.rng = random.Random(seed)  # noqa: S311  (repeatable answers and pauses, not secrets)
        self.http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "Trainee":
        # unsafe=True: aiohttp's jar otherwise refuses cookies from an IP address such as 127.0.0.1.
        self.http = aiohttp.ClientSession(base_url=self.exam.base_url, connector=self.exam.connector,
                                          connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT))
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.http.close()

    async def request(self, op: str, method: str, path: str, check: Callable[[Reply], str | None],
                      **kwargs) -> Reply:
        """Send until answered (see the module docstring), backing off between tries."""
        loop = asyncio.get_running_loop()
        give_up_at, delay, tries = loop.time() + RETRY_WINDOW, FIRST_BACKOFF, 0
        while True:
            tries += 1
            outcome = await self._try(op, method, path, check, kwargs)
            if isinstance(outcome, Reply):
                return outcome
            failure, counted = outcome
            if loop.time() + delay > give_up_at:
                if not counted:
                    self.exam.error(op, f"gave up after {tries} tries: {failure}")
                raise TraineeFailedError(op)
            self.exam.retry(op, failure)
            await asyncio.sleep(jittered(delay, self.rng))
            delay = min(delay * 2, LONGEST_BACKOFF)

    async def _try(self, op: str, method: str, path: str, check: Callable[[Reply], str | None],
                   kwargs: dict) -> Reply | tuple[str, bool]:
        """One try: the reply (its time recorded) when it succeeded; else what went wrong and
        whether that already counted as an error, to try again. A refusal that trying again
        cannot change (4xx, or not the page expected) stops the trainee."""
        began = time.perf_counter()
        try:
            async with self.http.request(method, path, allow_redirects=False, **kwargs) as response:
                reply = Reply(response.status, response.headers.get("Location", ""), await response.text())
        except TimeoutError:
            self.exam.error(op, f"no answer within {REQUEST_TIMEOUT} s")
            return f"no answer within {REQUEST_TIMEOUT} s", True
        except aiohttp.ClientError as error:  # dropped or refused connection: not an error yet
            return f"{type(error).__name__}: {error}"[:120], False
        if reply.status >= 500 or "database is locked" in reply.text:
            self.exam.error(op, reply.describe())
            return reply.describe(), True
        problem = reply.describe() if reply.status >= 400 else check(reply)
        if problem:
            self.exam.error(op, problem)
            raise TraineeFailedError(op)
        self.exam.record(op, (time.perf_counter() - began) * 1000)
        return reply

    async def sign_in(self) -> None:
        reply = await self.request("sign-in page", "GET", "/dang-nhap", page_with_token)
        form = {"csrf_token": read_page(reply.text).csrf, "username": self.username, "password": BENCH_PASSWORD}
        await self.request("sign-in", "POST", "/dang-nhap", redirect_to(r"^/(?!dang-nhap|doi-mat-khau)"), data=form)

    async def open_attempt(self) -> AttemptPage:
        code = self.exam.quiz_code
        reply = await self.request("quiz page", "GET", f"/bai-kiem-tra/{code}", page_with_token)
        token = read_page(reply.text).csrf
        reply = await self.request("start", "POST", f"/bai-kiem-tra/{code}/bat-dau",
                                   redirect_to(r"^/luot-lam-bai/\d+$"), data={"csrf_token": token})
        path = reply.path
        reply = await self.request("attempt page", "GET", path, attempt_form)
        reader = read_page(reply.text)
        page = AttemptPage(path=path, attempt_id=int(path.rsplit("/", 1)[1]), save_path=reader.form["data-save-url"],
                           csrf=reader.form["data-csrf"], questions=[q for q in reader.questions if q.fields])
        self.exam.attempt_ids.add(page.attempt_id)
        return page

    async def answer(self, page: AttemptPage, question: Question) -> None:
        """Autosave one answer as the page's script does (JSON, X-CSRFToken); remember it once
        acknowledged, for the lost-answer check."""
        raw = choose_answer(question, self.rng)
        headers = {"X-CSRFToken": page.csrf, "Accept": "application/json"}
        await self.request("autosave", "POST", page.save_path, saved,
                           json={"position": question.position, "raw": raw}, headers=headers)
        self.exam.acks.append(Ack(page.attempt_id, question.position, raw))

    async def submit(self, page: AttemptPage) -> None:
        reply = await self.request("submit", "POST", f"{page.path}/nop", redirect_to(r"/xem-lai$"),
                                   data={"csrf_token": page.csrf})
        await self.request("review page", "GET", reply.path, page_ok)


# ---------------------------------------------------------------- whole sittings


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - asyncio.get_running_loop().time()))


async def take_exam(exam: Exam, username: str, seed: int, start_at: float) -> None:
    """Sign in at `start_at`, answer every question after a think pause, submit."""
    async with Trainee(exam, username, seed) as trainee:
        try:
            await sleep_until(start_at)
            await trainee.sign_in()
            page = await trainee.open_attempt()
            for question in page.questions:
                await asyncio.sleep(jittered(exam.think, trainee.rng))
                await trainee.answer(page, question)
            await trainee.submit(page)
            exam.completed += 1
        except TraineeFailedError as failure:
            exam.failed[failure.op] += 1


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Wait `seconds`; True as soon as `stop` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


async def sit_exam(exam: Exam, username: str, seed: int, start_at: float, stop: asyncio.Event,
                   settled: Callable[[], None], submit_after: float) -> None:
    """Capacity mode: sign in and start (then call `settled`), save one answer every think
    period (cycling through the questions, changing answers) until `stop`, then submit
    `submit_after` seconds later: spread out as the sign-ins were, since thousands of
    submits at one moment would measure a burst no exam room makes."""
    async with Trainee(exam, username, seed) as trainee:
        try:
            await sleep_until(start_at)
            try:
                await trainee.sign_in()
                page = await trainee.open_attempt()
            finally:
                settled()
            turn = 0
            if not await _stopped(stop, trainee.rng.uniform(0, exam.think)):
                while True:
                    await trainee.answer(page, page.questions[turn % len(page.questions)])
                    turn += 1
                    if await _stopped(stop, jittered(exam.think, trainee.rng)):
                        break
            await asyncio.sleep(submit_after)
            await trainee.submit(page)
            exam.completed += 1
        except TraineeFailedError as failure:
            exam.failed[failure.op] += 1


async def watch_loop_lag(exam: Exam, every: float = 0.1) -> None:
    """How late this client's event loop wakes up: when it is busy, its own latencies grow,
    and the figures say so instead of blaming the server. Runs until cancelled."""
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(every)
        exam.loop_lag_ms.append((loop.time() - before - every) * 1000)
