"""The demo data: the 2018 Vĩnh Thạnh tree and its people."""
from collections import Counter

import pytest
from sqlalchemy import select

from lms import demo
from lms.models import Role, Unit, UnitMembership, User


@pytest.fixture
def demo_data(app, db):
    demo.load_demo()
    return db


def _trainees(db):
    return [u for u in db.session.scalars(select(User)).all() if Role.TRAINEE.value in u.roles]


def test_tree_matches_the_district(demo_data):
    db = demo_data
    units = {u.code: u for u in db.session.scalars(select(Unit)).all()}
    assert units["546"].name == "Huyện Vĩnh Thạnh" and units["546"].parent.code == "52"
    communes = [u for u in units.values() if u.level == "commune"]
    offices = [u for u in units.values() if u.level == "district_office"]
    assert len(communes) == 9 and len(offices) == 13
    assert {u.code for u in communes} == {"21786", "21787", "21790", "21796", "21799",
                                          "21801", "21802", "21804", "21805"}
    assert units["21787"].name == "Xã Vĩnh Sơn" and units["21786"].name == "Thị trấn Vĩnh Thạnh"
    assert all(u.parent.code == "546" for u in communes + offices)


def test_people_counts_and_levels(demo_data):
    trainees = _trainees(demo_data)
    assert len(trainees) == 361  # 360 demo trainees and the `hocvien` account
    assert all(t.unit is not None and t.active for t in trainees)
    groups = Counter(t.target_group for t in trainees)
    assert set(groups) == {"district", "commune"}
    assert 110 <= groups["district"] <= 130  # roughly a third at district level
    assert all(t.full_name and t.username == t.username.lower() for t in trainees)
    per_unit = Counter(t.unit.code for t in trainees)
    assert min(per_unit.values()) >= 1 and len(per_unit) == 22


def test_every_person_has_a_membership_history(demo_data):
    db = demo_data
    people = db.session.scalars(select(User)).all()
    memberships = db.session.scalars(select(UnitMembership)).all()
    assert {m.user_id for m in memberships} == {p.id for p in people}


def test_demo_accounts_have_their_roles_and_password(demo_data, client):
    expected = {"admin": "/quan-tri/", "giangvien": "/don-vi", "nhansu": "/tong-hop",
                "hocvien": "/trang-cua-toi"}
    for username, landing in expected.items():
        response = client.post("/dang-nhap", data={"username": username, "password": demo.DEMO_PASSWORD})
        assert response.headers["Location"] == landing, username
        client.post("/dang-xuat")


def test_demo_is_deterministic(demo_data):
    db = demo_data
    first = [(u.username, u.full_name, u.unit.code) for u in
             db.session.scalars(select(User).order_by(User.id)).all()]
    db.session.rollback()
    demo.load_demo()
    again = [(u.username, u.full_name, u.unit.code) for u in
             db.session.scalars(select(User).order_by(User.id)).all()]
    assert first == again
