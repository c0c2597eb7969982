"""Finding what a roster row names in the database: its unit, the person it is about, and a
free username for a new account. Everything is loaded in a few queries up front, so that
planning a roster of thousands of rows does not ask the database once per row."""
import re
from collections import defaultdict
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Unit, User
from lms.org.accounts import USERNAME_PATTERN
from lms.text import ascii_fold, clean_text, first_free

_CHUNK = 500  # values per IN (…): well under every database's limit on bound parameters
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_NOT_USERNAME = re.compile(r"[^a-z0-9._-]+")
_USERNAME_ROOM = 70  # leaves room for a numeric suffix within the 80 characters allowed


def folded(text: str) -> str:
    """'Xã Vĩnh  Hoà', 'xa vinh hoa', 'XÃ VĨNH HÒA' → 'xavinhhoa'."""
    return _NOT_KEY.sub("", ascii_fold(text).lower())


def chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class UnitFinder:
    """Units by code (any letter case), else by name: first as written (ignoring letter case
    and spacing), then ignoring accents and punctuation too. Only active units are matched;
    an inactive one is named in the problem so that HR knows where its people went."""

    def __init__(self) -> None:
        units = db.session.scalars(select(Unit)).all()
        self.by_code = {unit.code.lower(): unit for unit in units}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self.by_folded: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_name[clean_text(unit.name).casefold()].append(unit)
            self.by_folded[folded(unit.name)].append(unit)

    def find(self, text: str) -> Unit | str:
        """The active unit `text` names, or the problem to report (a message)."""
        unit = self.by_code.get(clean_text(text).lower())
        if unit is not None:
            return unit if unit.active else _inactive(unit)
        for candidates in (self.by_name.get(clean_text(text).casefold(), []), self.by_folded.get(folded(text), [])):
            active = [unit for unit in candidates if unit.active]
            if len(active) == 1:
                return active[0]
            if len(active) > 1:
                names = "; ".join(_("%(name)s (mã %(code)s)", name=unit.name, code=unit.code) for unit in active)
                return _("“%(text)s” khớp với nhiều đơn vị: %(names)s. Hãy ghi mã đơn vị.", text=text, names=names)
            if candidates:
                return _inactive(candidates[0])
        return _("không có đơn vị “%(text)s” trong hệ thống. Hãy ghi đúng mã đơn vị hoặc tên đơn vị như trên "
                 "trang Đơn vị và cán bộ.", text=text)


def _inactive(unit: Unit) -> str:
    if unit.merged_into is not None:
        return _("đơn vị %(name)s đã được sáp nhập vào %(target)s; hãy ghi đơn vị mới.",
                 name=unit.name, target=unit.merged_into.name)
    return _("đơn vị %(name)s đã ngừng hoạt động; hãy ghi đơn vị hiện nay của người này.", name=unit.name)


class PeopleFinder:
    """The existing accounts a roster names, by staff code and by email (any letter case)."""

    def __init__(self, staff_codes: Iterable[str], emails: Iterable[str]) -> None:
        self.by_code = self._load(User.staff_code, staff_codes)
        self.by_email = self._load(User.email, emails)

    @staticmethod
    def _load(column, values: Iterable[str]) -> dict[str, User]:
        wanted = sorted({value.lower() for value in values if value})
        found: dict[str, User] = {}
        for chunk in chunks(wanted):
            for user in db.session.scalars(select(User).where(func.lower(column).in_(chunk))):
                found[getattr(user, column.key).lower()] = user
        return found

    def everyone(self) -> set[User]:
        return set(self.by_code.values()) | set(self.by_email.values())

    def by_staff_code(self, code: str | None) -> User | None:
        return self.by_code.get(code.lower()) if code else None

    def by_address(self, email: str | None) -> User | None:
        return self.by_email.get(email.lower()) if email else None


class Usernames:
    """Free usernames for new accounts: the email's local part, else the name without accents
    ('Nguyễn Văn Đạt' → 'nguyenvandat'), with 2, 3, … appended while taken."""

    def __init__(self) -> None:
        self.taken = set(db.session.scalars(select(func.lower(User.username))))

    def claim(self, full_name: str, email: str | None) -> str:
        base = _from_email(email) or _from_name(full_name)
        candidate = first_free(base, self.taken, separator="")
        self.taken.add(candidate)
        return candidate


def _from_email(email: str | None) -> str | None:
    if not email:
        return None
    local = _NOT_USERNAME.sub("", ascii_fold(email.split("@", 1)[0]).lower()).lstrip("._-")[:_USERNAME_ROOM]
    return local if USERNAME_PATTERN.match(local) else None


def _from_name(full_name: str) -> str:
    base = _NOT_KEY.sub("", ascii_fold(full_name).lower())[:_USERNAME_ROOM] or "canbo"
    return base if len(base) >= 3 else f"canbo{base}"
