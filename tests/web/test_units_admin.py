"""Quản trị → Đơn vị: the unit-tree rules, through the pages an administrator uses."""
from sqlalchemy import func, select

from lms.models import AuditEntry, Role, Unit, UnitLevel, UnitMembership, User


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_units_page_shows_the_tree(client, login_as, district):
    login_as(Role.ADMIN)
    html = client.get("/quan-tri/don-vi").get_data(as_text=True)
    assert html.index("Tỉnh Thử") < html.index("Huyện Thử") < html.index("Xã Thử")
    assert 'class="depth-2">Xã Thử' in html


def test_create_unit_under_a_parent(client, login_as, district, db):
    login_as(Role.ADMIN)
    response = client.post("/quan-tri/don-vi/moi", data={
        "name": "  Xã   Vĩnh Sơn ", "code": "21787", "level": "commune",
        "parent_id": district["district"].id})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "21787"))
    assert unit.name == "Xã Vĩnh Sơn" and unit.parent_id == district["district"].id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.create"))


def test_create_unit_rejects_bad_input_and_changes_nothing(client, login_as, district, db):
    login_as(Role.ADMIN)
    before = _count(db, Unit)
    cases = [
        ({"name": "Xã Mới", "code": district["commune"].code, "level": "commune",
          "parent_id": district["district"].id}, "đã được dùng cho Xã Thử"),
        ({"name": "Xã Mới", "code": "có dấu", "level": "commune", "parent_id": 0},
         "Mã đơn vị chỉ gồm chữ cái không dấu"),
        ({"name": "Huyện Con", "code": "HC1", "level": "district", "parent_id": district["commune"].id},
         "Đơn vị cấp trên phải ở cấp cao hơn"),
        ({"name": "", "code": "X1", "level": "commune", "parent_id": 0}, "Vui lòng nhập tên đơn vị."),
    ]
    for data, message in cases:
        response = client.post("/quan-tri/don-vi/moi", data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert _count(db, Unit) == before


def test_rename_and_move_keep_people(client, login_as, district, make_user, make_unit, db):
    login_as(Role.ADMIN)
    other_district = make_unit("Huyện Khác", UnitLevel.DISTRICT, district["province"])
    person = make_user(unit=district["commune"])
    response = client.post(f"/quan-tri/don-vi/{district['commune'].id}/sua", data={
        "name": "Xã Thử Mới", "code": district["commune"].code, "level": "commune",
        "parent_id": other_district.id})
    assert response.status_code == 302
    db.session.expire_all()
    commune = db.session.get(Unit, district["commune"].id)
    assert commune.name == "Xã Thử Mới" and commune.parent_id == other_district.id
    assert db.session.get(User, person.id).unit_id == commune.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.update"))
    assert entry.details["changes"]["name"] == ["Xã Thử", "Xã Thử Mới"]


def test_moving_a_unit_under_its_own_child_is_refused(client, login_as, district, db):
    login_as(Role.ADMIN)
    response = client.post(f"/quan-tri/don-vi/{district['district'].id}/sua", data={
        "name": "Huyện Thử", "code": district["district"].code, "level": "district",
        "parent_id": district["commune"].id})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Không thể chuyển đơn vị Huyện Thử vào chính nó hoặc vào đơn vị cấp dưới của nó." in html
    db.session.expire_all()
    assert db.session.get(Unit, district["district"].id).parent_id == district["province"].id


def test_level_change_that_would_break_children_is_refused(client, login_as, district):
    login_as(Role.ADMIN)
    response = client.post(f"/quan-tri/don-vi/{district['district'].id}/sua", data={
        "name": "Huyện Thử", "code": district["district"].code, "level": "commune",
        "parent_id": district["province"].id})
    assert "phải ở cấp thấp hơn cấp mới" in response.get_data(as_text=True)


def test_deactivate_refused_while_people_work_there(client, login_as, district, make_user, db):
    login_as(Role.ADMIN)
    make_user(unit=district["commune"])
    response = client.post(f"/quan-tri/don-vi/{district['commune'].id}/trang-thai", follow_redirects=True)
    assert "Đơn vị còn 1 cán bộ đang làm việc" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, district["commune"].id).active is True


def test_deactivate_and_reactivate_an_empty_unit(client, login_as, district, db):
    login_as(Role.ADMIN)
    unit_id = district["commune"].id
    client.post(f"/quan-tri/don-vi/{unit_id}/trang-thai")
    db.session.expire_all()
    assert db.session.get(Unit, unit_id).active is False
    client.post(f"/quan-tri/don-vi/{unit_id}/trang-thai")
    db.session.expire_all()
    assert db.session.get(Unit, unit_id).active is True


def test_merge_moves_people_and_keeps_history(client, login_as, district, make_unit, make_user, db):
    login_as(Role.ADMIN)
    target = make_unit("Xã Nhận", UnitLevel.COMMUNE, district["district"])
    people = [make_user(unit=district["commune"]) for _ in range(3)]
    response = client.post(f"/quan-tri/don-vi/{district['commune'].id}/sap-nhap",
                           data={"target_id": target.id}, follow_redirects=True)
    assert "chuyển 3 người" in response.get_data(as_text=True)
    db.session.expire_all()
    source = db.session.get(Unit, district["commune"].id)
    assert source.active is False and source.merged_into_id == target.id
    for person in people:
        assert db.session.get(User, person.id).unit_id == target.id
        memberships = db.session.scalars(select(UnitMembership).where(
            UnitMembership.user_id == person.id).order_by(UnitMembership.id)).all()
        assert [m.unit_id for m in memberships] == [source.id, target.id]
        assert memberships[0].ended_at is not None and memberships[1].reason == "merged"


def test_merge_into_itself_or_a_descendant_is_refused(client, login_as, district, db):
    login_as(Role.ADMIN)
    response = client.post(f"/quan-tri/don-vi/{district['district'].id}/sap-nhap",
                           data={"target_id": district["commune"].id})
    assert "Không thể sáp nhập đơn vị vào đơn vị cấp dưới của nó." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, district["district"].id).active is True


def test_delete_unit_with_people_is_refused(client, login_as, district, make_user, db):
    login_as(Role.ADMIN)
    make_user(unit=district["commune"])
    response = client.post(f"/quan-tri/don-vi/{district['commune'].id}/xoa", follow_redirects=True)
    assert "Không thể xóa đơn vị đã có cán bộ" in response.get_data(as_text=True)
    assert db.session.get(Unit, district["commune"].id) is not None


def test_delete_unit_with_children_is_refused(client, login_as, district):
    login_as(Role.ADMIN)
    response = client.post(f"/quan-tri/don-vi/{district['district'].id}/xoa", follow_redirects=True)
    assert "Không thể xóa đơn vị còn đơn vị cấp dưới." in response.get_data(as_text=True)


def test_delete_an_unused_unit(client, login_as, make_unit, db):
    login_as(Role.ADMIN)
    unit_id = make_unit("Đơn vị tạo nhầm").id
    client.post(f"/quan-tri/don-vi/{unit_id}/xoa")
    db.session.expunge_all()
    assert db.session.get(Unit, unit_id) is None
