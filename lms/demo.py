"""Demo data: the 2018 Vĩnh Thạnh district (Bình Định) with 360 trainees and four accounts.

Deterministic: the same names, units and codes every time (a fixed random seed).
"""
import random
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from lms import audit
from lms.auth.passwords import hash_password
from lms.extensions import db
from lms.models import Role, StaffCategory, Unit, UnitLevel, UnitMembership, User, UserRole
from lms.text import ascii_fold, first_free

DEMO_PASSWORD = "Demo@2018"  # noqa: S105  (demo-only, published in the README)
EMAIL_DOMAIN = "vinhthanh.binhdinh.gov.vn"
TRAINEE_COUNT = 360
DISTRICT_SHARE = 1 / 3

PROVINCE = ("52", "Tỉnh Bình Định")
DISTRICT = ("546", "Huyện Vĩnh Thạnh")
# (code, name, relative size)
OFFICES = (
    ("546-VP", "Văn phòng HĐND và UBND huyện", 3),
    ("546-NV", "Phòng Nội vụ", 2),
    ("546-TP", "Phòng Tư pháp", 1),
    ("546-TCKH", "Phòng Tài chính – Kế hoạch", 2),
    ("546-TNMT", "Phòng Tài nguyên và Môi trường", 2),
    ("546-LDTBXH", "Phòng Lao động – Thương binh và Xã hội", 2),
    ("546-VHTT", "Phòng Văn hóa và Thông tin", 1),
    ("546-GDDT", "Phòng Giáo dục và Đào tạo", 2),
    ("546-YT", "Phòng Y tế", 1),
    ("546-TTR", "Thanh tra huyện", 1),
    ("546-KTHT", "Phòng Kinh tế và Hạ tầng", 2),
    ("546-NNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", 2),
    ("546-DT", "Phòng Dân tộc", 1),
)
COMMUNES = (
    ("21786", "Thị trấn Vĩnh Thạnh"),
    ("21787", "Xã Vĩnh Sơn"),
    ("21790", "Xã Vĩnh Kim"),
    ("21796", "Xã Vĩnh Hiệp"),
    ("21799", "Xã Vĩnh Hảo"),
    ("21801", "Xã Vĩnh Hòa"),
    ("21802", "Xã Vĩnh Thịnh"),
    ("21804", "Xã Vĩnh Thuận"),
    ("21805", "Xã Vĩnh Quang"),
)

SURNAMES = ("Nguyễn",) * 8 + ("Trần",) * 4 + ("Lê",) * 4 + ("Phạm",) * 2 + (
    "Huỳnh", "Hoàng", "Võ", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Đinh", "Đinh", "Lý", "Trương", "Mai", "Cao", "Tạ", "Lương", "Đoàn")
MIDDLE = {
    "m": ("Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Trọng"),
    "f": ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Bích"),
}
GIVEN = {
    "m": ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khoa", "Long", "Minh", "Nam",
          "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu",
          "Trung", "Thành", "Lộc", "Toàn", "Hoàng", "Tâm", "Nhân", "Kiên", "Hưng", "Khánh"),
    "f": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên",
          "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
          "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Hiền", "Nhi", "Thơ"),
}
OFFICE_POSITIONS = (("Trưởng phòng", 1), ("Phó Trưởng phòng", 2), ("Chuyên viên", 10),
                    ("Kế toán", 1), ("Văn thư", 1))
COMMUNE_CAN_BO = ("Chủ tịch UBND", "Phó Chủ tịch UBND", "Chủ tịch Hội Nông dân",
                  "Bí thư Đoàn Thanh niên", "Chủ tịch Hội Liên hiệp Phụ nữ")
COMMUNE_CONG_CHUC = ("Văn phòng – Thống kê", "Địa chính – Xây dựng", "Tài chính – Kế toán",
                     "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Chỉ huy trưởng Quân sự")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit_code: str
    position: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Quản trị hệ thống", Role.ADMIN, "546-VHTT", "Quản trị hệ thống"),
    DemoAccount("giangvien", "Trần Minh Khoa", Role.TRAINER, "546-VHTT", "Chuyên viên CNTT"),
    DemoAccount("nhansu", "Lê Thị Thu Hà", Role.HR, "546-NV", "Chuyên viên tổ chức cán bộ"),
    DemoAccount("hocvien", "Nguyễn Văn Bình", Role.TRAINEE, "21787", "Văn phòng – Thống kê"),
)


def demo_present() -> bool:
    return db.session.scalar(select(func.count(Unit.id)).where(Unit.code == DISTRICT[0])) > 0


def database_empty() -> bool:
    units = db.session.scalar(select(func.count(Unit.id)))
    users = db.session.scalar(select(func.count(User.id)))
    return units == 0 and users == 0


def load_demo() -> dict:
    """Add the demo tree and people to an empty database; return what was added."""
    units = _build_units()
    password_hash = hash_password(DEMO_PASSWORD, current_app.config["LMS_PASSWORD_METHOD"])
    rng = random.Random(546)  # noqa: S311  (repeatable demo names, not secrets)
    taken: set[str] = set()
    people = [_demo_account(account, units, password_hash, taken) for account in DEMO_ACCOUNTS]
    for index, (unit, position, category) in enumerate(_trainee_slots(units, rng), start=1):
        people.append(_trainee(index, unit, position, category, rng, password_hash, taken))
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(
        UnitMembership(user_id=person.id, unit_id=person.unit_id, reason="demo") for person in people
    )
    db.session.flush()
    summary = {"units": len(units), "people": len(people)}
    audit.record("demo.load", summary="Vĩnh Thạnh 2018", **summary)
    return summary


def _build_units() -> dict[str, Unit]:
    province = Unit(code=PROVINCE[0], name=PROVINCE[1], level=UnitLevel.PROVINCE)
    district = Unit(code=DISTRICT[0], name=DISTRICT[1], level=UnitLevel.DISTRICT, parent=province)
    units = {province.code: province, district.code: district}
    for order, (code, name, _size) in enumerate(OFFICES):
        units[code] = Unit(code=code, name=name, level=UnitLevel.DISTRICT_OFFICE,
                           parent=district, sort_order=order)
    for order, (code, name) in enumerate(COMMUNES, start=100):
        units[code] = Unit(code=code, name=name, level=UnitLevel.COMMUNE,
                           parent=district, sort_order=order)
    db.session.add_all(units.values())
    db.session.flush()
    return units


def _trainee_slots(units: dict[str, Unit], rng: random.Random):
    """(unit, position, staff category) for each demo trainee: a third at district level."""
    district_total = round(TRAINEE_COUNT * DISTRICT_SHARE)
    codes = [code for code, _name, _size in OFFICES]
    weights = [size for _code, _name, size in OFFICES]
    positions = [position for position, _weight in OFFICE_POSITIONS]
    position_weights = [weight for _position, weight in OFFICE_POSITIONS]
    for index in range(district_total):
        # Every office gets someone, then the rest by office size.
        code = codes[index] if index < len(codes) else rng.choices(codes, weights)[0]
        position = rng.choices(positions, position_weights)[0]
        category = StaffCategory.CONG_CHUC
        if position == "Văn thư" and rng.random() < 0.5:
            category = StaffCategory.NGUOI_LAO_DONG
        yield units[code], position, category
    for index in range(TRAINEE_COUNT - district_total):
        code = COMMUNES[index % len(COMMUNES)][0]
        if rng.random() < 0.3:
            yield units[code], rng.choice(COMMUNE_CAN_BO), StaffCategory.CAN_BO
        else:
            yield units[code], rng.choice(COMMUNE_CONG_CHUC), StaffCategory.CONG_CHUC


def _unique_username(base: str, taken: set[str]) -> str:
    candidate = first_free(base, taken, separator="")
    taken.add(candidate)
    return candidate


def _username_for(full_name: str) -> str:
    """Vietnamese office convention: given name + initials, 'Nguyễn Văn An' -> 'annv'."""
    words = ascii_fold(full_name).lower().split()
    return words[-1] + "".join(word[0] for word in words[:-1])


def _demo_account(account: DemoAccount, units, password_hash, taken) -> User:
    taken.add(account.username)
    user = User(username=account.username, full_name=account.full_name,
                email=f"{account.username}@{EMAIL_DOMAIN}", position=account.position,
                unit=units[account.unit_code], staff_category=StaffCategory.CONG_CHUC,
                password_hash=password_hash)
    user.role_rows.append(UserRole(role=account.role))
    return user


def _trainee(index, unit, position, category, rng, password_hash, taken) -> User:
    sex = rng.choice("mf")
    full_name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
    username = _unique_username(_username_for(full_name), taken)
    born = date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
    user = User(username=username, full_name=full_name, email=f"{username}@{EMAIL_DOMAIN}",
                staff_code=f"VT{index:04d}", date_of_birth=born, position=position, unit=unit,
                staff_category=category, password_hash=password_hash)
    user.role_rows.append(UserRole(role=Role.TRAINEE))
    return user
