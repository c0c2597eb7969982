"""Competence standards, issuance on the last requirement, the register, revocation and the
public verification page."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.certificates import register
from lms.certificates.standards import evaluate, meets
from lms.courses.progress import complete_lesson
from lms.errors import ServiceError
from lms.models import AuditEntry, Certificate, Role
from lms.quizzes import attempts as engine
from tests.web.test_attempts import answer_all_right


def finish_course(user, course):
    for lesson in course.active_lessons:
        complete_lesson(user, lesson)


def pass_quiz(user, quiz):
    attempt = engine.start_attempt(quiz, user)
    answer_all_right(attempt, user)
    engine.submit_attempt(attempt, user)


def test_standard_shows_each_requirement_met_or_missing(standard, make_user, pack_course):
    trainee = make_user()
    assert [status.met for status in evaluate(standard, trainee)] == [False, False]
    finish_course(trainee, pack_course)
    assert [status.met for status in evaluate(standard, trainee)] == [True, False]
    assert not meets(standard, trainee)


def test_certificate_is_issued_when_the_last_requirement_is_met(standard, make_user, pack_course, pack_quiz,
                                                               district, db):
    trainee = make_user(unit=district["commune"], full_name="Nguyễn Thị Ánh Tuyết")
    pass_quiz(trainee, pack_quiz)
    assert db.session.scalar(select(Certificate)) is None  # course still missing
    finish_course(trainee, pack_course)  # the last requirement: issued in the same transaction
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == trainee.id))
    assert certificate.serial == f"TST-{date.today().year}-000001" and certificate.entry_number == 1
    assert certificate.snapshot["holder_name"] == "Nguyễn Thị Ánh Tuyết"
    assert certificate.snapshot["unit_name"] == "Xã Thử"
    assert certificate.valid_until.year == date.today().year + 3
    assert len(certificate.verification_code) >= 16
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issue"))


def test_register_numbers_run_on_without_gaps_and_restart_each_year(standard, make_user, pack_course, pack_quiz, db):
    people = [make_user() for _ in range(4)]
    for person in people[:3]:
        finish_course(person, pack_course)
        pass_quiz(person, pack_quiz)
    numbers = db.session.scalars(select(Certificate.entry_number).order_by(Certificate.id)).all()
    assert numbers == [1, 2, 3]
    standard.active = False  # the last one is issued by hand, dated next year
    finish_course(people[3], pack_course)
    pass_quiz(people[3], pack_quiz)
    assert register.valid_certificate(standard, people[3]) is None
    standard.active = True
    certificate = register.issue(standard, people[3], today=date(date.today().year + 1, 1, 2))
    assert certificate.entry_number == 1 and certificate.serial.endswith("-000001")


def test_snapshot_does_not_follow_later_changes(standard, make_user, pack_course, pack_quiz, db):
    trainee = make_user(full_name="Lê Văn Cũ")
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    trainee.full_name = "Lê Văn Mới"
    standard.name = "Tên chuẩn mới"
    db.session.flush()
    certificate = register.valid_certificate(standard, trainee)
    db.session.refresh(certificate)
    assert certificate.snapshot["holder_name"] == "Lê Văn Cũ"
    assert certificate.snapshot["standard_name"] == "Chuẩn kỹ năng sử dụng CNTT cơ bản"


def test_issue_refuses_someone_who_does_not_qualify_and_never_duplicates(standard, make_user, pack_course,
                                                                         pack_quiz, db):
    trainee = make_user()
    with pytest.raises(ServiceError, match="chưa đạt đủ các yêu cầu"):
        register.issue(standard, trainee)
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    first = register.valid_certificate(standard, trainee)
    assert register.issue(standard, trainee).id == first.id
    assert len(db.session.scalars(select(Certificate)).all()) == 1


def _issued(standard, make_user, pack_course, pack_quiz):
    trainee = make_user(full_name="Trần Văn Xác", date_of_birth=date(1980, 5, 17))
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    return register.valid_certificate(standard, trainee)


def test_verify_page_states(client, standard, make_user, pack_course, pack_quiz, db):
    certificate = _issued(standard, make_user, pack_course, pack_quiz)
    page = client.get(f"/verify/{certificate.verification_code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Còn hiệu lực" in html and "Trần Văn Xác" in html
    assert "1980" not in html  # no date of birth for the public
    data = client.get(f"/verify/{certificate.verification_code}.json").get_json()
    assert data["state"] == "valid" and data["serial"] == certificate.serial and "date_of_birth" not in data
    certificate.valid_until = date.today() - timedelta(days=1)
    db.session.flush()
    assert "Đã hết hạn" in client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    unknown = client.get("/verify/khong-co-ma-nay-trong-so")
    assert unknown.status_code == 404 and "Không tìm thấy" in unknown.get_data(as_text=True)
    assert client.get("/verify/%3Cscript%3E").status_code == 404


def test_hr_revokes_and_the_verify_page_says_so_at_once(client, login_as, standard, make_user, pack_course,
                                                        pack_quiz, db):
    certificate = _issued(standard, make_user, pack_course, pack_quiz)
    login_as(Role.HR)
    html = client.get("/so-cap-giay-chung-nhan").get_data(as_text=True)
    assert certificate.serial in html and "17/05/1980" in html
    refused = client.post(f"/giay-chung-nhan/{certificate.id}/thu-hoi", data={"reason": " "}, follow_redirects=True)
    assert "Vui lòng ghi lý do thu hồi." in refused.get_data(as_text=True)
    client.post(f"/giay-chung-nhan/{certificate.id}/thu-hoi", data={"reason": "Cấp nhầm người"})
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Đã bị thu hồi" in page
    db.session.refresh(certificate)
    assert certificate.status == "revoked" and certificate.revoke_reason == "Cấp nhầm người"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))


def test_verify_form_needs_serial_and_code_together(client, standard, make_user, pack_course, pack_quiz):
    certificate = _issued(standard, make_user, pack_course, pack_quiz)
    wrong = client.post("/verify", data={"serial": certificate.serial, "code": "x" * 22}, follow_redirects=True)
    assert "Không tìm thấy giấy chứng nhận" in wrong.get_data(as_text=True)
    right = client.post("/verify", data={"serial": certificate.serial.lower(), "code": certificate.verification_code})
    assert right.headers["Location"] == f"/verify/{certificate.verification_code}"


def test_verify_is_rate_limited(client):
    statuses = [client.get(f"/verify/{'a' * 22}").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_trainee_sees_requirements_and_certificate(client, login_as, standard, pack_course, pack_quiz):
    trainee = login_as(Role.TRAINEE)
    html = client.get("/giay-chung-nhan").get_data(as_text=True)
    assert "○ Khóa học thử" in html and "Bạn chưa có giấy chứng nhận nào." in html
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    html = client.get("/giay-chung-nhan").get_data(as_text=True)
    assert "✓ Khóa học thử" in html and "Bạn đã đạt chuẩn" in html


def test_issue_certificates_command(runner, standard, make_user, pack_course, pack_quiz, district, db):
    standard.active = False  # people qualify while nothing issues automatically
    db.session.flush()
    qualified = [make_user(unit=district["commune"]) for _ in range(2)]
    for person in qualified:
        finish_course(person, pack_course)
        pass_quiz(person, pack_quiz)
    make_user(unit=district["office"])  # not yet
    standard.active = True
    db.session.flush()
    dry = runner.invoke(args=["lms", "issue-certificates", "--dry-run"])
    assert "Chạy thử: sẽ cấp 2 giấy chứng nhận." in dry.output
    assert db.session.scalar(select(Certificate)) is None
    only_office = runner.invoke(args=["lms", "issue-certificates", "--unit", district["office"].code])
    assert "Đã cấp 0 giấy chứng nhận." in only_office.output
    result = runner.invoke(args=["lms", "issue-certificates"])
    assert "Đã cấp 2 giấy chứng nhận." in result.output and "chưa đạt chuẩn: 1" in result.output
    again = runner.invoke(args=["lms", "issue-certificates"])
    assert "Đã cấp 0 giấy chứng nhận." in again.output and "Đã có từ trước: 2" in again.output


@pytest.fixture
def signing_key(app):
    """A development key under the test instance folder, removed afterwards."""
    from pathlib import Path

    from lms.certificates.documents import DEV_KEY_NAME, create_key_file

    key = Path(app.config["INSTANCE_PATH"]) / DEV_KEY_NAME
    password = create_key_file(key, "ỦY BAN NHÂN DÂN HUYỆN THỬ")
    yield key
    key.unlink()
    password.unlink()


def test_pdf_is_signed_stored_and_served_byte_for_byte(client, login_as, standard, pack_course, pack_quiz,
                                                       signing_key):
    import io

    from pypdf import PdfReader

    from lms.certificates.signing import verify_pdf

    trainee = login_as(Role.TRAINEE, full_name="Đặng Hữu Lộc")
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    certificate = register.valid_certificate(standard, trainee)
    result = verify_pdf(certificate.pdf)
    assert result.intact and result.signer_name == "ỦY BAN NHÂN DÂN HUYỆN THỬ"
    assert "Đặng Hữu Lộc" in PdfReader(io.BytesIO(certificate.pdf)).pages[0].extract_text()
    download = client.get(f"/giay-chung-nhan/{certificate.id}.pdf")
    assert download.status_code == 200 and download.data == certificate.pdf
    assert download.headers["Content-Type"] == "application/pdf"
    tampered = bytearray(certificate.pdf)
    tampered[len(tampered) // 3] ^= 0x01
    assert not verify_pdf(bytes(tampered)).intact


def test_someone_elses_certificate_cannot_be_downloaded(client, login_as, standard, make_user, pack_course,
                                                        pack_quiz):
    certificate = _issued(standard, make_user, pack_course, pack_quiz)
    login_as(Role.TRAINEE)
    assert client.get(f"/giay-chung-nhan/{certificate.id}.pdf").status_code == 403


def test_a_broken_key_issues_nothing_and_says_why(app, standard, make_user, pack_course, pack_quiz, db):
    app.config.update(LMS_SIGNING_P12=str(app.config["INSTANCE_PATH"]) + "/khong-co.p12")
    try:
        trainee = make_user()
        finish_course(trainee, pack_course)
        pass_quiz(trainee, pack_quiz)  # the result stands; the certificate waits for a working key
        assert register.valid_certificate(standard, trainee) is None
        with pytest.raises(ServiceError, match="không ký số được"):
            register.issue(standard, trainee)
        assert db.session.scalar(select(Certificate)) is None
        from lms.models import RegisterCounter

        assert db.session.scalar(select(RegisterCounter.last_number)) in (None, 0)  # no gap left behind
    finally:
        app.config.update(LMS_SIGNING_P12=None)


def test_my_page_shows_the_checklist_then_the_certificate(client, login_as, standard, pack_course, pack_quiz):
    trainee = login_as(Role.TRAINEE)
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Còn 2/2 yêu cầu để đạt chuẩn" in html and "○ Khóa học thử" in html
    finish_course(trainee, pack_course)
    pass_quiz(trainee, pack_quiz)
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Bạn đã đạt chuẩn. Giấy chứng nhận số TST-" in html and "Tải giấy chứng nhận (PDF)" in html


def test_hr_downloads_a_units_certificates_as_zip(client, login_as, standard, make_user, pack_course, pack_quiz,
                                                  district):
    import io
    import zipfile

    holders = []
    for _ in range(2):
        person = make_user(unit=district["commune"])
        finish_course(person, pack_course)
        pass_quiz(person, pack_quiz)
        holders.append(register.valid_certificate(standard, person))
    login_as(Role.HR)
    response = client.get(f"/so-cap-giay-chung-nhan/zip?don-vi={district['district'].id}")  # the commune is below
    assert response.headers["Content-Type"] == "application/zip"
    assert int(response.headers["Content-Length"]) == len(response.data)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{c.serial}.pdf" for c in holders)
        assert archive.read(f"{holders[0].serial}.pdf") == holders[0].pdf
    empty = client.get(f"/so-cap-giay-chung-nhan/zip?don-vi={district['office'].id}", follow_redirects=True)
    assert "chưa có giấy chứng nhận nào còn hiệu lực" in empty.get_data(as_text=True)


def test_reissue_revokes_the_old_and_numbers_the_new(client, login_as, standard, make_user, pack_course,
                                                     pack_quiz, db):
    certificate = _issued(standard, make_user, pack_course, pack_quiz)
    certificate.user.full_name = "Trần Văn Xác Đúng Tên"
    db.session.flush()
    login_as(Role.HR)
    response = client.post(f"/giay-chung-nhan/{certificate.id}/cap-lai", data={"reason": "Sửa họ tên"},
                           follow_redirects=True)
    assert "Đã cấp lại" in response.get_data(as_text=True)
    db.session.expire_all()
    old = db.session.get(Certificate, certificate.id)
    new = register.valid_certificate(standard, old.user)
    assert old.status == "revoked" and old.revoke_reason == "Sửa họ tên"
    assert new.entry_number == old.entry_number + 1 and new.snapshot["holder_name"] == "Trần Văn Xác Đúng Tên"


def test_hr_issues_in_bulk_from_the_register(client, login_as, standard, make_user, pack_course, pack_quiz,
                                             district, db):
    standard.active = False
    db.session.flush()
    person = make_user(unit=district["commune"])
    finish_course(person, pack_course)
    pass_quiz(person, pack_quiz)
    standard.active = True
    db.session.flush()
    login_as(Role.HR)
    response = client.post("/so-cap-giay-chung-nhan/cap", data={"don-vi": district["commune"].id},
                           follow_redirects=True)
    assert "Đã cấp 1 giấy chứng nhận" in response.get_data(as_text=True)
    assert register.valid_certificate(standard, person) is not None


def test_export_certificates_writes_the_stored_pdfs(runner, standard, make_user, pack_course, pack_quiz, district,
                                                    tmp_path):
    holder = make_user(unit=district["commune"])
    finish_course(holder, pack_course)
    pass_quiz(holder, pack_quiz)
    certificate = register.valid_certificate(standard, holder)
    result = runner.invoke(args=["lms", "export-certificates", "--out", str(tmp_path / "pdf"),
                                 "--unit", district["commune"].code])
    assert "Đã ghi 1 tệp PDF" in result.output
    assert (tmp_path / "pdf" / f"{certificate.serial}.pdf").read_bytes() == certificate.pdf
    office_only = runner.invoke(args=["lms", "export-certificates", "--out", str(tmp_path / "none"),
                                      "--unit", district["office"].code])
    assert "Đã ghi 0 tệp PDF" in office_only.output
