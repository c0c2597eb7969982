"""An HR officer with a scope (one district of a province) sees and changes only that
district's people: the dashboard, its exports, people pages, certificates, certificates from
elsewhere and the roster import. Outside the scope is "not found"."""
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lms.models import AuditEntry, Certificate, Role, UnitLevel


@pytest.fixture
def province(db, make_unit, make_user, district, standard):
    other = make_unit("Huyện Khác", UnitLevel.DISTRICT, district["province"], code="HK")
    far_commune = make_unit("Xã Xa", UnitLevel.COMMUNE, other, code="XX")
    near = make_user(unit=district["commune"], full_name="Người Trong Huyện", staff_code="TRONG-1")
    far = make_user(unit=far_commune, full_name="Người Huyện Khác", staff_code="XA-1")
    certificates = {}
    for number, person in enumerate((near, far), start=1):
        certificates[person.staff_code] = Certificate(
            standard=standard, user_id=person.id, year=2026, entry_number=number, serial=f"S-{number}",
            verification_code=f"scope{number}", snapshot={}, issue_date=date(2026, 3, 1), pdf=b"%PDF-1.4")
        db.session.add(certificates[person.staff_code])
    db.session.flush()
    return {**district, "other": other, "far_commune": far_commune, "near": near, "far": far,
            "certificates": certificates}


@pytest.fixture
def scoped_hr(login_as, province):
    return login_as(Role.HR, scope_unit=province["district"])


def test_the_dashboard_and_its_exports_keep_to_the_scope(client, scoped_hr, province):
    page = client.get("/tong-hop").get_data(as_text=True)
    assert "Xã Thử" in page and "Xã Xa" not in page and "Huyện Khác" not in page
    asked_outside = client.get(f"/tong-hop?unit={province['far_commune'].id}").get_data(as_text=True)
    assert "Không có đơn vị này." in asked_outside and "Xã Xa</a>" not in asked_outside
    assert client.get(f"/tong-hop/don-vi/{province['far_commune'].id}").status_code == 404
    assert client.get(f"/tong-hop/don-vi/{province['commune'].id}").status_code == 200
    workbook = load_workbook(io.BytesIO(client.get("/tong-hop/xuat.xlsx").get_data()))
    names = [row[1] for row in workbook["Chi tiết"].iter_rows(min_row=2, values_only=True)]
    assert "Người Trong Huyện" in names and "Người Huyện Khác" not in names


def test_people_pages_outside_the_scope_are_not_found(client, scoped_hr, province):
    assert client.get(f"/can-bo/{province['near'].id}").status_code == 200
    assert client.get(f"/can-bo/{province['far'].id}").status_code == 404
    assert client.get(f"/don-vi/{province['far_commune'].id}").status_code == 404
    assert "Xã Xa" not in client.get("/don-vi").get_data(as_text=True)
    assert client.get(f"/can-bo/{province['far'].id}/chung-chi-cntt/them").status_code == 404


def test_certificates_outside_the_scope_are_neither_listed_nor_touched(client, scoped_hr, province, db):
    near, far = province["certificates"]["TRONG-1"], province["certificates"]["XA-1"]
    register = client.get("/so-cap-giay-chung-nhan").get_data(as_text=True)
    assert near.serial in register and far.serial not in register
    assert client.get(f"/giay-chung-nhan/{far.id}.pdf").status_code == 404
    assert client.get(f"/giay-chung-nhan/{near.id}.pdf").status_code == 200
    response = client.post(f"/giay-chung-nhan/{far.id}/thu-hoi", data={"reason": "Thử"})
    assert response.status_code == 404 and db.session.get(Certificate, far.id).status == "valid"
    assert client.get(f"/so-cap-giay-chung-nhan/zip?don-vi={province['far_commune'].id}").status_code == 404


def _roster(*rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(("Họ và tên", "Mã cán bộ", "Mã đơn vị"))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_roster_import_refuses_units_and_people_outside_the_scope(client, scoped_hr, province):
    data = _roster(("Người Mới", "MOI-1", "XX"), ("Người Huyện Khác", "XA-1", province["commune"].code))
    response = client.post("/danh-sach-can-bo/xem-truoc", data={"file": (io.BytesIO(data), "ds.xlsx")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Xã Xa nằm ngoài phạm vi bạn quản lý" in page
    assert "không tìm thấy người có mã cán bộ hoặc thư điện tử này trong các đơn vị bạn quản lý" in page
    assert "Người Huyện Khác" not in page.split("không tìm thấy người")[1][:300]  # nothing about who holds it
    assert "thuộc đơn vị ngoài phạm vi" not in page
    assert 'action="/danh-sach-can-bo/nhap"' not in page


def test_hr_without_a_scope_and_administrators_see_every_unit(client, login_as, province, login):
    login_as(Role.HR)
    assert client.get(f"/can-bo/{province['far'].id}").status_code == 200
    assert "Xã Xa" in client.get("/tong-hop").get_data(as_text=True)
    login_as(Role.ADMIN, scope_unit=province["district"])  # a scope means nothing to an administrator
    assert client.get(f"/tong-hop/don-vi/{province['far_commune'].id}").status_code == 200


def test_the_administrator_sets_a_scope_and_it_is_audited(client, login_as, make_user, province, db):
    login_as(Role.ADMIN)
    officer = make_user(roles=(Role.HR,), unit=province["office"], username="nhansu2")
    form = {"username": "nhansu2", "full_name": officer.full_name, "unit_id": province["office"].id,
            "staff_category": "", "roles": ["hr"], "active": "y", "scope_unit_id": province["district"].id}
    assert client.post(f"/quan-tri/nguoi-dung/{officer.id}/sua", data=form).status_code == 302
    db.session.refresh(officer)
    assert officer.scope_unit_id == province["district"].id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.scope"))
    assert entry is not None and entry.target_id == officer.id
    page = client.get(f"/quan-tri/nguoi-dung/{officer.id}/sua").get_data(as_text=True)
    assert "Phạm vi quản lý" in page


def test_course_progress_and_quiz_results_keep_to_the_scope(client, scoped_hr, province, pack_course, pack_quiz):
    progress = client.get(f"/giang-vien/khoa-hoc/{pack_course.id}/tien-do.csv").get_data(as_text=True)
    assert "Người Trong Huyện" in progress and "Người Huyện Khác" not in progress
    page = client.get(f"/giang-vien/khoa-hoc/{pack_course.id}/tien-do").get_data(as_text=True)
    assert "Xã Thử" in page and "Xã Xa" not in page
    results = client.get(f"/giang-vien/bai-kiem-tra/{pack_quiz.id}/ket-qua").get_data(as_text=True)
    assert "Xã Xa" not in results
