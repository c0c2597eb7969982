"""A simulated province as rows for bulk inserts: units, people, their training history,
attempts, results and certificates. Deterministic for a given seed, and consistent the way
the app keeps it: a certificate holder completed every course and passed every final quiz
before the certificate's date; anyone else misses at least one requirement.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from lms.demo import GIVEN, MIDDLE, OFFICES, SURNAMES
from lms.extensions import db
from lms.models import EXTERNAL_KIND_VALUES, Course, Quiz, Role, StaffCategory, Standard, StandardRequirement
from lms.text import ascii_fold

DISTRICTS = ("Thành phố Quy Nhơn", "Thị xã An Nhơn", "Thị xã Hoài Nhơn", "Huyện An Lão", "Huyện Hoài Ân",
             "Huyện Phù Cát", "Huyện Phù Mỹ", "Huyện Tây Sơn", "Huyện Tuy Phước", "Huyện Vân Canh",
             "Huyện Vĩnh Thạnh")
COMMUNES_PER_DISTRICT = 15
COURSES = (("TDCV", "Thư điện tử công vụ"), ("VPDT", "Sử dụng hệ thống văn phòng điện tử"),
           ("CKS", "Chữ ký số"), ("ATTT", "An toàn, an ninh thông tin"))
PASS_PERCENT = 50.0
VALIDITY_YEARS = 2
WINDOW = timedelta(days=548)  # the last 18 months
ACHIEVERS, IDLE, INACTIVE = 0.40, 0.15, 0.01  # shares of trainees
EXPIRED, REVOKED = 0.02, 0.015  # shares of certificate holders
EXTERNAL = 0.05
CATEGORIES = [c.value for c in StaffCategory]
POSITIONS = ("Chuyên viên", "Chuyên viên", "Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Văn thư",
             "Kế toán", "Công chức Văn phòng – Thống kê", "Công chức Địa chính – Xây dựng")
EXTERNAL_ISSUERS = ("Trung tâm Tin học – Trường Đại học Quy Nhơn", "Trung tâm Ngoại ngữ – Tin học tỉnh",
                    "Viện Đào tạo quốc tế")


@dataclass(slots=True)
class Pair:
    """A person's attempts at one quiz, planned: when they may start, when (if) they pass."""

    user_id: int
    quiz: int  # index in COURSES
    after: datetime
    until: datetime
    pass_at: datetime | None


class Plan:
    def __init__(self, people: int, attempts: int, seed: int, today: date):
        self.rng = random.Random(seed)  # noqa: S311  (repeatable data, not secrets)
        self.people, self.attempts, self.today = people, attempts, today
        self.now = datetime.combine(today, time(3, 0))  # naive UTC, as stored: 10:00 in Vietnam
        self.units: list[dict] = []
        self.course_ids: list[int] = []
        self.quiz_ids: list[int] = []
        self.standard_id = 0
        self.staff: list[tuple[int, int, str, date]] = []  # id, unit id, name, birth date
        self.pairs: list[Pair] = []
        self.met: dict[int, tuple[datetime, str]] = {}  # certificate holder → (met at, profile)

    # units ---------------------------------------------------------------------------------------
    def unit_rows(self) -> list[dict]:
        created = self.now - timedelta(days=900)
        units = [self._unit(1, "52", "Tỉnh Bình Định (mô phỏng)", "province", None, 0, created)]
        for d, name in enumerate(DISTRICTS, start=1):
            district_id = len(units) + 1
            units.append(self._unit(district_id, f"H{d:02d}", name, "district", 1, d, created))
            for order, (code, office, _size) in enumerate(OFFICES):
                units.append(self._unit(len(units) + 1, f"H{d:02d}-{code.split('-')[1]}", office,
                                        "district_office", district_id, order, created))
            for c in range(1, COMMUNES_PER_DISTRICT + 1):
                units.append(self._unit(len(units) + 1, f"H{d:02d}-X{c:02d}", f"Xã {name.split()[-1]} {c}",
                                        "commune", district_id, 100 + c, created))
        self.units = units
        return units

    @staticmethod
    def _unit(unit_id, code, name, level, parent_id, order, created) -> dict:
        return {"id": unit_id, "code": code, "name": name, "level": level, "parent_id": parent_id,
                "active": True, "merged_into_id": None, "sort_order": order, "created_at": created}

    # people --------------------------------------------------------------------------------------
    def user_rows(self):
        """The trainees (a third at district level), then a few HR, trainer and admin accounts."""
        district_units = [u["id"] for u in self.units if u["level"] in ("district", "district_office")]
        commune_units = [u["id"] for u in self.units if u["level"] == "commune"]
        rng = self.rng
        for user_id in range(1, self.people + 1):
            units = district_units if rng.random() < 1 / 3 else commune_units
            name, birth = self._name(), date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
            unit_id = rng.choice(units)
            self.staff.append((user_id, unit_id, name, birth))
            yield self._user(user_id, f"cb{user_id:06d}", name, unit_id, birth, rng.random() >= INACTIVE)
        for offset, role in enumerate([Role.ADMIN] + [Role.HR] * 3 + [Role.TRAINER] * 6, start=1):
            yield self._user(self.people + offset, f"{role.value}{offset}", self._name(), 1, None, True)

    def _name(self) -> str:
        sex = self.rng.choice("mf")
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE[sex])} {self.rng.choice(GIVEN[sex])}"

    def _user(self, user_id, username, name, unit_id, birth, active) -> dict:
        return {"id": user_id, "username": username, "email": f"{username}@binhdinh.gov.vn",
                "staff_code": f"CB{user_id:06d}", "full_name": name, "search_name": ascii_fold(name).lower(),
                "date_of_birth": birth, "position": self.rng.choice(POSITIONS), "unit_id": unit_id,
                "staff_category": self.rng.choice(CATEGORIES), "active": active, "password_hash": None,
                "must_change_password": False, "created_at": self.now - WINDOW, "last_login_at": None}

    def role_rows(self):
        for user_id in range(1, self.people + 1):
            yield {"user_id": user_id, "role": Role.TRAINEE.value}
        for offset, role in enumerate([Role.ADMIN] + [Role.HR] * 3 + [Role.TRAINER] * 6, start=1):
            yield {"user_id": self.people + offset, "role": role.value}

    # catalogue -----------------------------------------------------------------------------------
    def insert_catalogue(self) -> int:
        """The four courses, their final quizzes and the standard requiring both (ORM: a few rows)."""
        created = self.now - WINDOW - timedelta(days=400)
        courses = [Course(code=code, title=title, status="published", required_for_standard=True, sort_order=i,
                          created_at=created, updated_at=created) for i, (code, title) in enumerate(COURSES)]
        quizzes = [Quiz(code=f"{code}-CUOI", title=f"Bài kiểm tra cuối khóa – {title}", course=course,
                        kind="final", status="published", pass_percent=PASS_PERCENT, max_attempts=0,
                        time_limit_minutes=30, created_at=created, updated_at=created)
                   for (code, title), course in zip(COURSES, courses, strict=True)]
        standard = Standard(wording="Đã hoàn thành chương trình bồi dưỡng và đạt chuẩn kỹ năng sử dụng CNTT cơ bản",
                            issuing_body="ỦY BAN NHÂN DÂN TỈNH (MÔ PHỎNG)", parent_body=None, place="Quy Nhơn",
                            signer_name="Nguyễn Văn A", signer_title="CHỦ TỊCH", serial_prefix="VT",
                            validity_years=VALIDITY_YEARS, accepted_external=list(EXTERNAL_KIND_VALUES),
                            created_at=created)
        for i, (course, quiz) in enumerate(zip(courses, quizzes, strict=True)):
            standard.requirements.append(StandardRequirement(position=2 * i + 1, course=course))
            standard.requirements.append(StandardRequirement(position=2 * i + 2, quiz=quiz))
        db.session.add_all([*courses, *quizzes, standard])
        db.session.commit()
        self.course_ids, self.quiz_ids = [c.id for c in courses], [q.id for q in quizzes]
        self.standard_id = standard.id
        return len(courses) + len(quizzes) + 1 + len(standard.requirements)

    # progress ------------------------------------------------------------------------------------
    def progress_rows(self):
        """Course progress for everyone; plans the quiz attempts and who earns a certificate."""
        row_id = 0
        for user_id, *_rest in self.staff:
            draw = self.rng.random()
            if draw < ACHIEVERS:
                rows = self._achiever(user_id)
            elif draw < ACHIEVERS + IDLE:
                continue
            else:
                rows = self._learner(user_id)
            for course, started, completed in rows:
                row_id += 1
                yield {"id": row_id, "user_id": user_id, "course_id": self.course_ids[course], "started_at": started,
                       "lessons_completed": 6 if completed else self.rng.randint(0, 5),
                       "percent": 100 if completed else self.rng.randint(0, 90), "completed_at": completed}

    def _span(self, earliest: datetime, latest: datetime, longest: timedelta) -> tuple[datetime, timedelta]:
        start = earliest + (latest - earliest) * self.rng.random()
        return start, min(longest, (self.now - start) * 0.98)

    def _achiever(self, user_id: int):
        rng = self.rng
        profile = "expired" if rng.random() < EXPIRED else "revoked" if rng.random() < REVOKED else "valid"
        if profile == "expired":  # met more than the validity period ago
            start, span = self._span(self.now - timedelta(days=900), self.now - timedelta(days=860), timedelta(120))
        else:
            start, span = self._span(self.now - WINDOW, self.now - timedelta(days=7), timedelta(days=120))
        met = start
        for course in range(len(COURSES)):
            began = rng.random() * 0.5
            done = began + rng.random() * 0.3
            passed = done + rng.random() * 0.2
            started, completed, pass_at = (start + span * f for f in (began, done, passed))
            self.pairs.append(Pair(user_id, course, completed, start + span, pass_at))
            met = max(met, pass_at)
            yield course, started, completed
        self.met[user_id] = (met, profile)

    def _learner(self, user_id: int):
        """Someone on the way: one requirement (the gap) is never met."""
        rng = self.rng
        start, span = self._span(self.now - WINDOW, self.now - timedelta(days=1), timedelta(days=150))
        gap = rng.randrange(len(COURSES))
        for course in range(len(COURSES)):
            if rng.random() > 0.7:
                continue
            began = rng.random() * 0.6
            started = start + span * began
            completed = start + span * (began + rng.random() * 0.4) if rng.random() < 0.65 else None
            if (completed is not None and rng.random() < 0.85) or (completed is None and rng.random() < 0.15):
                after = completed or started
                passes = course != gap and rng.random() < (0.6 if completed else 0.3)
                pass_at = after + (start + span - after) * rng.random() if passes else None
                self.pairs.append(Pair(user_id, course, after, start + span, pass_at))
            if course == gap and rng.random() < 0.7:
                completed = None  # the gap: mostly not completed; if completed, its quiz is never passed
            yield course, started, completed

    # attempts ------------------------------------------------------------------------------------
    def attempt_counts(self) -> list[int]:
        """Attempts per planned pair, adding up to the number asked for (1 each, the rest at random)."""
        if self.attempts < len(self.pairs):
            needed = [p for p in self.pairs if p.user_id in self.met]
            optional = [p for p in self.pairs if p.user_id not in self.met]
            keep = max(0, self.attempts - len(needed))
            self.pairs = needed + self.rng.sample(optional, min(keep, len(optional)))
            if len(needed) > self.attempts:
                print(f"    note: {len(needed):,} attempts at least, for the certificate holders' passes")
        counts = [1] * len(self.pairs)
        for _extra in range(max(0, self.attempts - len(self.pairs))):
            counts[self.rng.randrange(len(counts))] += 1
        return counts

    def attempt_rows(self, results: list[dict]):
        """Every attempt (finished, graded); fills `results` with the QuizResult of each pair."""
        attempt_id = 0
        for pair_id, (pair, count) in enumerate(zip(self.pairs, self.attempt_counts(), strict=True), start=1):
            finishes, grades = self._schedule(pair, count)
            first_pass = next((i for i, grade in enumerate(grades) if grade >= PASS_PERCENT), None)
            for number, (finished, grade) in enumerate(zip(finishes, grades, strict=True), start=1):
                attempt_id += 1
                started = finished - timedelta(minutes=self.rng.randint(5, 29))
                yield {"id": attempt_id, "quiz_id": self.quiz_ids[pair.quiz], "user_id": pair.user_id,
                       "number": number, "state": "finished", "started_at": started,
                       "deadline_at": started + timedelta(minutes=30), "finished_at": finished,
                       "finished_by": "trainee", "marks": round(grade / 5, 2), "max_marks": 20.0,
                       "grade_percent": grade, "needs_grading": False}
            results.append({"id": pair_id, "quiz_id": self.quiz_ids[pair.quiz], "user_id": pair.user_id,
                            "grade_percent": max(grades), "passed": first_pass is not None, "attempts": count,
                            "passed_at": finishes[first_pass] if first_pass is not None else None,
                            "updated_at": finishes[-1]})

    def _schedule(self, pair: Pair, count: int) -> tuple[list[datetime], list[float]]:
        """Finish times and grades: failures before the pass (if any), any grade after it."""
        rng = self.rng
        if pair.pass_at is None:
            finishes = sorted(self._between(pair.after, pair.until) for _ in range(count))
            return finishes, [round(rng.uniform(5, PASS_PERCENT - 0.1), 1) for _ in range(count)]
        passing = rng.randrange(count)
        before = sorted(self._between(pair.after, pair.pass_at) for _ in range(passing))
        after = sorted(self._between(pair.pass_at, min(self.now, pair.pass_at + timedelta(days=30)))
                       for _ in range(count - passing - 1))
        grades = [round(rng.uniform(5, PASS_PERCENT - 0.1), 1) for _ in before]
        grades.append(round(rng.uniform(PASS_PERCENT, 100), 1))
        grades += [round(rng.uniform(20, 100), 1) for _ in after]
        return [*before, pair.pass_at, *after], grades

    def _between(self, start: datetime, end: datetime) -> datetime:
        return start + (max(end, start) - start) * self.rng.random()

    # certificates --------------------------------------------------------------------------------
    def certificate_rows(self) -> tuple[list[dict], dict[int, int]]:
        """The register: each holder's certificate (a few revoked, some of them reissued, a few
        expired), numbered in order of issue within each year."""
        names = {u["id"]: u["name"] for u in self.units}
        staff = {user_id: (unit_id, name, birth) for user_id, unit_id, name, birth in self.staff}
        issues = []
        for user_id, (met, profile) in self.met.items():
            issued = met + timedelta(minutes=self.rng.randint(0, 90))
            revoked = None
            if profile == "revoked":
                revoked = min(self.now, issued + timedelta(days=self.rng.randint(5, 60)))
                again = revoked + timedelta(days=self.rng.randint(1, 20))
                if self.rng.random() < 0.5 and again < self.now:
                    issues.append((again, user_id, None))
            issues.append((issued, user_id, revoked))
        issues.sort()
        counters: dict[int, int] = {}
        rows = []
        for row_id, (issued, user_id, revoked) in enumerate(issues, start=1):
            day = (issued + timedelta(hours=7)).date()  # the date in Vietnam
            counters[day.year] = counters.get(day.year, 0) + 1
            unit_id, name, birth = staff[user_id]
            rows.append(self._certificate(row_id, user_id, issued, day, counters[day.year], revoked,
                                          {"holder_name": name, "date_of_birth": birth.strftime("%d/%m/%Y"),
                                           "unit_name": names[unit_id], "standard_name": "Chuẩn CNTT cơ bản"}))
        return rows, counters

    def _certificate(self, row_id, user_id, issued, day, number, revoked, snapshot) -> dict:
        try:
            until = day.replace(year=day.year + VALIDITY_YEARS)
        except ValueError:  # 29 February
            until = day.replace(year=day.year + VALIDITY_YEARS, day=28)
        return {"id": row_id, "standard_id": self.standard_id, "user_id": user_id, "year": day.year,
                "entry_number": number, "serial": f"VT-{day.year}-{number:06d}",
                "verification_code": f"{self.rng.getrandbits(128):032x}", "snapshot": snapshot,
                "issue_date": day, "issued_at": issued, "issued_by_id": None, "valid_until": until,
                "status": "revoked" if revoked else "valid", "revoked_at": revoked, "revoked_by_id": None,
                "revoke_reason": "Cấp nhầm, thu hồi để cấp lại" if revoked else None, "pdf": None,
                "pdf_sha256": None}

    def external_rows(self):
        """National (basic, advanced) or recognised foreign certificates held by about 5%."""
        holders = self.rng.sample(range(1, self.people + 1), round(self.people * EXTERNAL))
        for row_id, user_id in enumerate(sorted(holders), start=1):
            kind = self.rng.choices(EXTERNAL_KIND_VALUES, weights=(70, 20, 10))[0]
            issued = self.today - timedelta(days=self.rng.randint(30, 2000))
            yield {"id": row_id, "user_id": user_id, "kind": kind, "number": f"{kind[:3].upper()}-{row_id:07d}",
                   "issuer": self.rng.choice(EXTERNAL_ISSUERS), "issued_on": issued, "scan": None,
                   "scan_type": None, "scan_size": None, "created_at": self.now - timedelta(days=30),
                   "created_by_id": None, "updated_at": self.now - timedelta(days=30)}
