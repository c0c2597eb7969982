"""Chứng chỉ ứng dụng CNTT khác: the service HR (and the roster import) record them with,
the scan checks, HR's pages, who may open a scan, what the holder sees, and standards that
accept them in place of their requirements."""
import io
import re
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from lms.certificates import external, register
from lms.certificates.external import accepted_external_for, check_scan, delete_external, save_external, update_external
from lms.certificates.standards import meets, meets_through_external, standing
from lms.errors import ServiceError
from lms.labels import AUDIT_ACTION_LABELS, EXTERNAL_KIND_LABELS
from lms.models import AuditEntry, Certificate, ExternalCertificate, Role, Standard

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
ISSUED = date(2017, 5, 12)


def _audit(action: str, db) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def _save(user, acting=None, **overrides):
    values = {"kind": "national_basic", "number": "CNTT-2017-000123", "issuer": "Trường Đại học Quy Nhơn",
              "issued_on": ISSUED}
    values.update(overrides)
    return save_external(user, **values, acting=acting)


# --- the service -------------------------------------------------------------------------------

def test_save_creates_a_certificate_with_cleaned_text_and_an_audit_row(make_user, db):
    holder, hr = make_user(), make_user(roles=[Role.HR])
    decomposed = unicodedata.normalize("NFD", "  Trường   Đại học Quy Nhơn ")
    certificate, changed = _save(holder, acting=hr, number="  CNTT-2017-000123 ", issuer=decomposed)
    assert changed is True
    assert (certificate.user_id, certificate.kind, certificate.number, certificate.issuer, certificate.issued_on) == (
        holder.id, "national_basic", "CNTT-2017-000123", "Trường Đại học Quy Nhơn", ISSUED)
    assert certificate.issuer == unicodedata.normalize("NFC", certificate.issuer)
    assert certificate.created_by_id == hr.id and not certificate.has_scan
    [entry] = _audit("external.create", db)
    assert (entry.actor_id, entry.target_id) == (hr.id, certificate.id)
    assert "CNTT-2017-000123" in entry.summary and holder.full_name in entry.summary


def test_save_updates_the_same_kind_and_number_in_place_ignoring_case(make_user, db):
    holder = make_user()
    first, _changed = _save(holder)
    second, changed = _save(holder, number="cntt-2017-000123", issuer="Sở Thông tin và Truyền thông")
    assert second.id == first.id and changed is True
    assert second.issuer == "Sở Thông tin và Truyền thông" and second.number == "cntt-2017-000123"
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 1
    assert len(_audit("external.update", db)) == 1


def test_saving_the_same_values_again_changes_nothing(make_user, db):
    holder = make_user()
    first, _changed = _save(holder, scan=None)
    again, changed = _save(holder, number=" CNTT-2017-000123", issuer="Trường Đại học  Quy Nhơn")
    assert again is first and changed is False
    assert len(_audit("external.create", db)) == 1 and _audit("external.update", db) == []


def test_another_kind_or_number_is_another_certificate(make_user, db):
    holder, other = make_user(), make_user()
    _save(holder)
    _save(holder, kind="national_advanced")
    _save(holder, number="CNTT-2017-000124")
    _save(other)  # the same number held by someone else is their own record
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 4


def test_the_scan_is_stored_kept_and_replaced(make_user, db):
    holder = make_user()
    certificate, _changed = save_external(holder, kind="foreign", number="ICDL-77", issuer=None, issued_on=ISSUED,
                                          scan=PDF)
    assert (certificate.scan, certificate.scan_type, certificate.scan_size) == (PDF, "application/pdf", len(PDF))
    assert _save(holder, kind="foreign", number="ICDL-77", issuer=None, scan=PDF)[1] is False
    assert _save(holder, kind="foreign", number="ICDL-77", issuer=None)[1] is False  # None keeps the scan
    assert certificate.scan == PDF
    assert _save(holder, kind="foreign", number="ICDL-77", issuer=None, scan=PNG)[1] is True
    assert (certificate.scan_type, certificate.scan_size) == ("image/png", len(PNG))


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"kind": "tin_hoc_a"}, "kind", "Loại chứng chỉ không hợp lệ"),
    ({"number": "   "}, "number", "Vui lòng nhập số chứng chỉ."),
    ({"number": "9" * 101}, "number", "Số chứng chỉ dài quá 100 ký tự."),
    ({"issuer": "x" * 201}, "issuer", "Nơi cấp dài quá 200 ký tự."),
    ({"issued_on": None}, "issued_on", "Vui lòng nhập ngày cấp"),
    ({"issued_on": "2017-05-12"}, "issued_on", "Vui lòng nhập ngày cấp"),
    ({"issued_on": date.today() + timedelta(days=1)}, "issued_on", "là ngày trong tương lai"),
    ({"issued_on": date(1989, 12, 31)}, "issued_on", "31/12/1989 quá sớm"),
    ({"scan": HTML}, "scan", "không phải PDF, JPEG hoặc PNG"),
])
def test_bad_input_is_refused_with_the_field_named(make_user, db, overrides, field, message):
    with pytest.raises(ServiceError) as caught:
        _save(make_user(), **overrides)
    assert caught.value.field == field and message in caught.value.message
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 0


def test_limits_themselves_are_accepted(make_user):
    certificate, _changed = _save(make_user(), number="9" * 100, issuer="x" * 200, issued_on=date(1990, 1, 1))
    assert len(certificate.number) == 100


def test_update_corrects_the_number_but_refuses_a_duplicate(make_user, db):
    holder = make_user()
    first, _changed = _save(holder)
    second, _changed = _save(holder, number="CNTT-2017-999")
    assert update_external(first, kind="national_basic", number="CNTT-2017-000321", issuer=None,
                           issued_on=ISSUED) is True
    assert first.number == "CNTT-2017-000321" and first.issuer is None
    with pytest.raises(ServiceError) as caught:
        update_external(second, kind="national_basic", number=" cntt-2017-000321", issuer=None, issued_on=ISSUED)
    assert caught.value.field == "number"


def test_delete_removes_the_certificate_and_is_audited(make_user, db):
    holder, hr = make_user(), make_user(roles=[Role.HR])
    certificate, _changed = _save(holder, scan=None)
    certificate_id = certificate.id
    delete_external(certificate, hr)
    assert db.session.get(ExternalCertificate, certificate_id) is None
    [entry] = _audit("external.delete", db)
    assert (entry.actor_id, entry.target_id, entry.details["number"]) == (hr.id, certificate_id, "CNTT-2017-000123")


def test_audit_actions_and_kinds_have_labels():
    for action in ("external.create", "external.update", "external.delete"):
        assert action in AUDIT_ACTION_LABELS
    assert set(EXTERNAL_KIND_LABELS) == {"national_basic", "national_advanced", "foreign"}


# --- scan checks -------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "content_type"), [
    (PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")])
def test_pdf_jpeg_and_png_scans_are_accepted_by_their_first_bytes(data, content_type):
    assert check_scan(data, "tep-bat-ky.bin") == content_type


@pytest.mark.parametrize(("data", "message"), [
    (HTML, "Tệp gia-mao.pdf không phải PDF, JPEG hoặc PNG."),
    (b"", "Tệp gia-mao.pdf trống."),
    (PDF + b"\x00" * (6 * 1024 * 1024), "Tệp gia-mao.pdf lớn hơn 5 MB."),
    (b"GIF89a" + b"\x00" * 20, "không phải PDF, JPEG hoặc PNG"),
])
def test_other_files_are_refused_naming_the_file(data, message):
    with pytest.raises(ServiceError) as caught:
        check_scan(data, "gia-mao.pdf")
    assert message in caught.value.message and caught.value.field == "scan"


def test_exactly_five_megabytes_is_accepted():
    assert check_scan(PDF + b"\x00" * (external.MAX_SCAN_BYTES - len(PDF)), "vua.pdf") == "application/pdf"


# --- HR's pages --------------------------------------------------------------------------------

def _form(**overrides):
    data = {"kind": "national_basic", "number": "CNTT-2017-000123", "issuer": "Trường Đại học Quy Nhơn",
            "issued_on": "2017-05-12"}
    data.update(overrides)
    return data


def test_hr_adds_a_certificate_with_its_scan_from_the_person_page(client, login_as, make_user, district, db):
    hr = login_as(Role.HR)
    person = make_user(unit=district["commune"], full_name="Trần Thị Bích Hạnh")
    page = client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "Chứng chỉ ứng dụng CNTT khác" in page and "Chưa ghi nhận chứng chỉ nào." in page
    assert f'href="/can-bo/{person.id}/chung-chi-cntt/them"' in page
    form_page = client.get(f"/can-bo/{person.id}/chung-chi-cntt/them").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form_page and "Trần Thị Bích Hạnh" in form_page
    response = client.post(f"/can-bo/{person.id}/chung-chi-cntt/them",
                           data=_form(scan=(io.BytesIO(JPEG), "ban-scan.jpg")), content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/can-bo/{person.id}#chung-chi-cntt"
    certificate = db.session.scalar(select(ExternalCertificate).where(ExternalCertificate.user_id == person.id))
    assert (certificate.number, certificate.scan_type, certificate.scan, certificate.created_by_id) == (
        "CNTT-2017-000123", "image/jpeg", JPEG, hr.id)
    page = client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "Chứng chỉ ứng dụng CNTT cơ bản" in page and "CNTT-2017-000123" in page and "12/05/2017" in page
    assert "Trường Đại học Quy Nhơn" in page
    assert f'href="/chung-chi-cntt/{certificate.id}/ban-scan"' in page
    assert f'href="/chung-chi-cntt/{certificate.id}/sua"' in page
    assert f'href="/chung-chi-cntt/{certificate.id}/xoa"' in page


def test_a_file_that_is_not_a_scan_is_refused_beside_the_field(client, login_as, make_user, db):
    login_as(Role.HR)
    person = make_user()
    response = client.post(f"/can-bo/{person.id}/chung-chi-cntt/them",
                           data=_form(scan=(io.BytesIO(HTML), "trang-web.pdf")), content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tệp trang-web.pdf không phải PDF, JPEG hoặc PNG." in html and "is-invalid" in html
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 0


def test_a_future_date_is_refused_beside_the_field(client, login_as, make_user, db):
    login_as(Role.HR)
    person = make_user()
    future = date.today() + timedelta(days=3)
    html = client.post(f"/can-bo/{person.id}/chung-chi-cntt/them",
                       data=_form(issued_on=future.isoformat())).get_data(as_text=True)
    assert f"Ngày cấp {future:%d/%m/%Y} là ngày trong tương lai." in html
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 0


def test_hr_edits_a_certificate_and_keeps_its_scan(client, login_as, make_user, db):
    login_as(Role.HR)
    person = make_user()
    certificate, _changed = save_external(person, kind="national_basic", number="CNTT-1", issuer=None,
                                          issued_on=ISSUED, scan=PDF)
    db.session.commit()
    page = client.get(f"/chung-chi-cntt/{certificate.id}/sua").get_data(as_text=True)
    assert 'value="CNTT-1"' in page and 'value="2017-05-12"' in page and "Xem bản scan" in page
    response = client.post(f"/chung-chi-cntt/{certificate.id}/sua",
                           data=_form(kind="national_advanced", number="CNTT-NC-2", issuer="Sở TT&TT"))
    assert response.headers["Location"] == f"/can-bo/{person.id}#chung-chi-cntt"
    db.session.refresh(certificate)
    assert (certificate.kind, certificate.number, certificate.issuer, certificate.scan) == (
        "national_advanced", "CNTT-NC-2", "Sở TT&TT", PDF)
    again = client.post(f"/chung-chi-cntt/{certificate.id}/sua", follow_redirects=True,
                        data=_form(kind="national_advanced", number="CNTT-NC-2", issuer="Sở TT&TT"))
    assert "Thông tin chứng chỉ không thay đổi." in again.get_data(as_text=True)


def test_hr_deletes_a_certificate_after_confirming(client, login_as, make_user, db):
    login_as(Role.ADMIN)
    person = make_user()
    certificate, _changed = _save(person)
    db.session.commit()
    certificate_id = certificate.id
    confirm = client.get(f"/chung-chi-cntt/{certificate_id}/xoa").get_data(as_text=True)
    assert "Xóa chứng chỉ số CNTT-2017-000123" in confirm and 'method="post"' in confirm
    assert db.session.get(ExternalCertificate, certificate_id) is not None  # the GET only asks
    response = client.post(f"/chung-chi-cntt/{certificate_id}/xoa")
    assert response.headers["Location"] == f"/can-bo/{person.id}#chung-chi-cntt"
    db.session.expire_all()
    assert db.session.get(ExternalCertificate, certificate_id) is None
    assert len(_audit("external.delete", db)) == 1


def test_forms_need_the_csrf_token(app, client, login_as, make_user, monkeypatch, db):
    login_as(Role.HR)
    person = make_user()
    certificate, _changed = _save(person)
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/can-bo/{person.id}/chung-chi-cntt/them", data=_form(number="X-1")).status_code == 400
    assert client.post(f"/chung-chi-cntt/{certificate.id}/xoa").status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ExternalCertificate.id))) == 1


# --- the scan, to HR, administrators and the holder only ---------------------------------------

@pytest.mark.parametrize(("visitor", "status"), [
    (Role.HR, 200), (Role.ADMIN, 200), ("holder", 200), (Role.TRAINEE, 403), (Role.TRAINER, 403), (None, 302)])
def test_scan_is_served_only_to_hr_admin_and_the_holder(client, login, login_as, make_user, db, visitor, status):
    holder = make_user()
    certificate, _changed = _save(holder, scan=PNG)
    db.session.commit()
    if visitor == "holder":
        login(holder.username)
    elif visitor is not None:
        login_as(visitor)
    response = client.get(f"/chung-chi-cntt/{certificate.id}/ban-scan")
    assert response.status_code == status
    if status == 200:
        assert response.data == PNG
        assert response.headers["Content-Type"] == "image/png"
        assert parse_options_header(response.headers["Content-Disposition"]) == (
            "inline", {"filename": "chung-chi-cntt-2017-000123.png"})
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"
    elif status == 302:
        assert response.headers["Location"].startswith("/dang-nhap")
    else:
        assert PNG not in response.data


def test_a_pdf_scan_is_downloaded_and_a_missing_scan_is_not_found(client, login_as, make_user, db):
    login_as(Role.HR)
    holder = make_user()
    with_pdf, _changed = _save(holder, scan=PDF)
    without, _changed = _save(holder, number="KHONG-SCAN")
    db.session.commit()
    response = client.get(f"/chung-chi-cntt/{with_pdf.id}/ban-scan")
    assert response.data == PDF and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/chung-chi-cntt/{without.id}/ban-scan").status_code == 404
    assert client.get("/chung-chi-cntt/999999/ban-scan").status_code == 404


# --- what the holder sees ----------------------------------------------------------------------

def test_holder_sees_their_certificates_and_scan_on_giay_chung_nhan(client, login_as, standard, make_user, db):
    standard.accepted_external = ["national_basic"]
    trainee = login_as(Role.TRAINEE)
    empty = client.get("/giay-chung-nhan").get_data(as_text=True)
    assert "Chứng chỉ ứng dụng CNTT khác" not in empty
    certificate, _changed = _save(trainee, scan=PDF)
    _save(make_user(), number="CUA-NGUOI-KHAC")
    db.session.commit()
    html = client.get("/giay-chung-nhan").get_data(as_text=True)
    assert "Chứng chỉ ứng dụng CNTT khác" in html and "CNTT-2017-000123" in html and "12/05/2017" in html
    assert f'href="/chung-chi-cntt/{certificate.id}/ban-scan"' in html
    assert f"Được công nhận đạt {standard.name}" in html
    assert "CUA-NGUOI-KHAC" not in html
    assert f"/chung-chi-cntt/{certificate.id}/sua" not in html  # read-only for the holder


def test_my_page_says_the_standard_is_met_through_an_accepted_certificate(client, login_as, standard, db):
    standard.accepted_external = ["national_basic", "foreign"]
    trainee = login_as(Role.TRAINEE)
    _save(trainee)
    db.session.commit()
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Bạn đã đạt chuẩn nhờ Chứng chỉ ứng dụng CNTT cơ bản số CNTT-2017-000123, cấp ngày 12/05/2017." in html
    assert "Khóa học thử" in html and "Còn 2/2 yêu cầu" in html  # the course progress is still there


def test_my_page_says_nothing_when_the_standard_does_not_accept_the_kind(client, login_as, standard, db):
    standard.accepted_external = ["foreign"]
    trainee = login_as(Role.TRAINEE)
    _save(trainee)  # national_basic
    db.session.commit()
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Bạn đã đạt chuẩn nhờ" not in html and "Còn 2/2 yêu cầu" in html


# --- standards ---------------------------------------------------------------------------------

def test_meets_through_external_only_when_the_standard_accepts_the_kind(standard, make_user, db):
    holder = make_user()
    advanced, _changed = _save(holder, kind="national_advanced", issued_on=date(2019, 1, 1))
    assert standard.accepted_external == [] and meets_through_external(standard, holder) is None
    assert standing(standard, holder) is None
    standard.accepted_external = ["national_basic"]
    assert meets_through_external(standard, holder) is None
    standard.accepted_external = ["national_basic", "national_advanced"]
    assert meets_through_external(standard, holder) is advanced
    basic, _changed = _save(holder, kind="national_basic", issued_on=date(2016, 1, 1))
    assert accepted_external_for(standard, holder) is basic  # the earliest issued
    assert standing(standard, holder) == "external"
    assert meets_through_external(standard, make_user()) is None


def test_an_external_certificate_never_issues_a_giay_chung_nhan(standard, make_user, db):
    standard.accepted_external = ["national_basic", "national_advanced", "foreign"]
    holder = make_user()
    _save(holder)
    assert meets(standard, holder) is False  # the platform's requirements, unchanged
    assert register.issue_if_qualified(holder) == []
    assert register.issue_to_qualified()["issued"] == 0
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def _standard_form(**overrides):
    data = {"name": "Chuẩn thử", "active": "y", "validity_years": "", "certificate_title": "GIẤY CHỨNG NHẬN",
            "wording": "Đạt chuẩn.", "parent_body": "TỈNH THỬ", "issuing_body": "ỦY BAN NHÂN DÂN HUYỆN THỬ",
            "place": "Thử", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn Ký", "serial_prefix": "tst"}
    data.update(overrides)
    return data


def test_admin_chooses_the_accepted_kinds_of_a_standard(client, login_as, db):
    login_as(Role.ADMIN)
    new_page = client.get("/quan-tri/chuan-ky-nang/moi").get_data(as_text=True)
    assert "Chấp nhận thay cho các yêu cầu của chuẩn" in new_page
    assert new_page.count('name="accepted_external"') == 3 and new_page.count("checked") == 4  # + "active"
    client.post("/quan-tri/chuan-ky-nang/moi", data=_standard_form(accepted_external=["foreign", "national_basic"]))
    standard = db.session.scalar(select(Standard).where(Standard.name == "Chuẩn thử"))
    assert standard.accepted_external == ["national_basic", "foreign"]
    edit = client.get(f"/quan-tri/chuan-ky-nang/{standard.id}").get_data(as_text=True)
    ticked = re.findall(r'<input checked class="form-check-input" id="accepted_external-\d" name="accepted_external" '
                        r'type="checkbox" value="(\w+)">', edit)
    assert ticked == ["national_basic", "foreign"]
    client.post(f"/quan-tri/chuan-ky-nang/{standard.id}", data=_standard_form())  # none ticked
    db.session.refresh(standard)
    assert standard.accepted_external == []
    refused = client.post(f"/quan-tri/chuan-ky-nang/{standard.id}",
                          data=_standard_form(accepted_external=["tin_hoc_b"])).get_data(as_text=True)
    assert "tin_hoc_b" in refused and "not a valid choice" in refused  # a tampered form: WTForms says so
    db.session.refresh(standard)
    assert standard.accepted_external == []
