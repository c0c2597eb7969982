"""Competence statistics on a hand-built dataset whose figures are known, checked in the
report, on the dashboard, in the .xlsx and in the CSV (they must agree everywhere)."""
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from lms.models import Certificate, CourseProgress, ExternalCertificate, QuizResult, Role, UnitLevel
from lms.reports.queries import Filters
from lms.reports.standings import all_statuses
from lms.reports.statistics import build_report, monthly_trend, report_as_dict
from lms.reports.workbook import DETAIL_SHEET, MODULE_SHEET, REGISTER_SHEET, SUMMARY_SHEET, export_report
from lms.target_rules import target_status
from lms.targets import set_target, target_for_group

TODAY = date(2026, 11, 25)
_serials = iter(range(1, 1000))


@pytest.fixture
def world(db, make_unit, make_user, standard, pack_course, pack_quiz):
    """Two offices (4 and 2 staff) and two communes (5 and 0 staff) under one district.

    O1: a1 platform certificate; a2 certificate revoked on 1/5; a3 external national basic
        (accepted); a4 nothing; plus a trainer and a deactivated trainee, neither counted.
    O2: b1 a foreign certificate the standard does not accept; b2 completed the course only.
    C1: c1 certificate expired in 2023; c2 and c3 certificates (c3 also has an external one);
        c4 started the course; c5 nothing.
    """
    standard.accepted_external = ["national_basic"]
    province = make_unit("Tỉnh", UnitLevel.PROVINCE)
    district = make_unit("Huyện", UnitLevel.DISTRICT, province)
    o1 = make_unit("Phòng Một", UnitLevel.DISTRICT_OFFICE, district, code="O1")
    o2 = make_unit("Phòng Hai", UnitLevel.DISTRICT_OFFICE, district, code="O2")
    c1 = make_unit("Xã Một", UnitLevel.COMMUNE, district, code="C1")
    c2 = make_unit("Xã Hai", UnitLevel.COMMUNE, district, code="C2")
    people = {name: make_user(unit=unit, full_name=f"Người {name}", staff_category="cong_chuc")
              for name, unit in [("a1", o1), ("a2", o1), ("a3", o1), ("a4", o1), ("b1", o2), ("b2", o2),
                                 ("c1", c1), ("c2", c1), ("c3", c1), ("c4", c1), ("c5", c1)]}
    trainer = make_user(roles=(Role.TRAINER,), unit=o1)
    gone = make_user(unit=o1, active=False)

    def studied(name, completed=True, passed=True, when=datetime(2026, 2, 1)):
        user = people[name] if isinstance(name, str) else name
        db.session.add(CourseProgress(user_id=user.id, course_id=pack_course.id, started_at=when,
                                      completed_at=when if completed else None, percent=100 if completed else 30))
        if passed:
            db.session.add(QuizResult(quiz_id=pack_quiz.id, user_id=user.id, grade_percent=80, passed=True,
                                      attempts=1, passed_at=when))

    def certificate(name, issued, **fields):
        user = people[name] if isinstance(name, str) else name
        number = next(_serials)
        db.session.add(Certificate(standard=standard, user_id=user.id, year=issued.year, entry_number=number,
                                   serial=f"TST-{number}", verification_code=f"code{number}", snapshot={},
                                   issue_date=issued, **fields))

    for name in ("a1", "a2", "c2", "c3"):
        studied(name)
    studied("b2", passed=False)
    studied("c4", completed=False, passed=False)
    studied(trainer)
    certificate("a1", date(2026, 3, 10))
    certificate("a2", date(2026, 4, 1), status="revoked", revoked_at=datetime(2026, 5, 1, 3), revoke_reason="Sai tên")
    certificate("c1", date(2020, 1, 1), valid_until=date(2023, 1, 1))
    certificate("c2", date(2026, 6, 15))
    certificate("c3", date(2026, 9, 1))
    certificate(trainer, date(2026, 3, 1))
    certificate(gone, date(2026, 3, 1))
    for name, kind in (("a3", "national_basic"), ("b1", "foreign"), ("c3", "national_basic")):
        db.session.add(ExternalCertificate(user_id=people[name].id, kind=kind, number=f"CC-{name}",
                                           issuer="Trung tâm thử", issued_on=date(2019, 5, 5)))
    set_target(f"course:{pack_course.code}", "district", 70)
    set_target(f"course:{pack_course.code}", "commune", 50)
    db.session.flush()
    return {"district": district, "o1": o1, "o2": o2, "c1": c1, "c2": c2, "people": people}


def _row(report, code):
    return next(row for row in report.units if row.code == code)


def _level(report, group):
    return next(row for row in report.levels if row.level == group)


def test_unit_figures(world, pack_course, pack_quiz):
    report = build_report(today=TODAY)
    o1, o2, c1, c2 = (_row(report, code).figures for code in ("O1", "O2", "C1", "C2"))
    assert (o1.staff, o1.met_platform, o1.met_external, o1.met, o1.rate) == (4, 1, 1, 2, 50.0)
    assert (o1.enrolled, o1.completed[pack_course.id], o1.passed[pack_quiz.id]) == (2, 2, 2)
    assert dict(o1.certificates) == {"valid": 1, "revoked": 1}
    assert (o2.staff, o2.met, o2.enrolled, o2.completed[pack_course.id], o2.passed[pack_quiz.id]) == (2, 0, 1, 1, 0)
    assert (c1.staff, c1.met_platform, c1.met_external, c1.rate) == (5, 2, 0, 40.0)
    assert dict(c1.certificates) == {"valid": 2, "expired": 1}
    assert (c1.enrolled, c1.completed[pack_course.id]) == (3, 2)
    assert c2.staff == 0 and c2.rate == 0.0


def test_levels_total_targets_and_status(world, pack_course):
    report = build_report(today=TODAY)
    district, commune = _level(report, "district"), _level(report, "commune")
    assert (district.figures.staff, district.figures.met, district.figures.rate, district.target) == (6, 2, 33.3, 95)
    assert (commune.figures.staff, commune.figures.met, commune.figures.rate, commune.target) == (5, 2, 40.0, 65)
    assert district.status == commune.status == "behind"
    assert (report.total.figures.staff, report.total.figures.met, report.total.figures.rate) == (11, 4, 36.4)
    email = district.indicators[1]
    assert (email.count, email.rate, email.target) == (3, 50.0, 70)  # a1, a2, b2 completed the course
    assert commune.indicators[1].target == 50
    # A unit with offices and communes under it has no single target.
    assert _row(report, world["district"].code).target is None
    assert _row(report, "O1").target == 95 and _row(report, "C1").target == 65


@pytest.mark.parametrize(("rate", "target", "status"), [
    (95.0, 95, "met"), (100, 95, "met"), (85.0, 95, "close"), (84.9, 95, "behind"), (0, 0, "met"),
    (55.0, 65, "close"), (54.9, 65, "behind"), (40, None, None),
])
def test_target_status_thresholds(rate, target, status):
    assert target_status(rate, target) == status


def test_filters(world):
    assert build_report(Filters(level="commune"), today=TODAY).total.figures.staff == 5
    only_o1 = build_report(Filters(unit_id=world["o1"].id), today=TODAY)
    assert [row.code for row in only_o1.units] == ["O1"] and only_o1.total.figures.met == 2
    assert build_report(Filters(category="vien_chuc"), today=TODAY).total.figures.staff == 0
    # Events in June–November only: a1 (March) and a3 (2019) drop out.
    recent = build_report(Filters(date_from=date(2026, 6, 1)), today=TODAY)
    assert (_row(recent, "O1").figures.met, _row(recent, "C1").figures.met) == (0, 2)
    # On 15 April a2's certificate was not yet revoked; c2 had none yet, and c3 met the
    # standard through the external certificate until the platform's was issued.
    april = build_report(Filters(date_to=date(2026, 4, 15)), today=TODAY)
    assert (_row(april, "O1").figures.met_platform, _row(april, "O1").figures.met_external) == (2, 1)
    c1 = _row(april, "C1").figures
    assert (c1.met_platform, c1.met_external) == (0, 1) and april.as_of == date(2026, 4, 15)


def test_monthly_trend(world):
    trend = {point["month"]: point for point in monthly_trend(Filters(), today=TODAY)}
    assert len(trend) == 12 and list(trend)[-1] == "11/2026"
    assert trend["04/2026"]["met"] == {"district": 3, "commune": 1}  # a1, a2 (revoked in May), a3; c3
    assert trend["05/2026"]["met"] == {"district": 2, "commune": 1}
    assert trend["11/2026"]["rates"] == {"district": 33.3, "commune": 40.0, "total": 36.4}


def test_people_statuses(world, pack_course):
    statuses = {status.person.full_name: status for status in all_statuses(Filters(), build_report().standard, TODAY)}
    assert len(statuses) == 11
    assert statuses["Người a1"].met_via == "platform" and statuses["Người a1"].certificate[0].startswith("TST-")
    assert statuses["Người a3"].met_via == "external" and statuses["Người a3"].external[1] == "CC-a3"
    assert statuses["Người c3"].met_via == "platform"
    assert statuses["Người b1"].met_via is None and statuses["Người a2"].met_via is None
    assert pack_course.id in statuses["Người b2"].completed


def test_xlsx_and_csv_agree_with_the_report(world, app):
    report = build_report(today=TODAY)
    data, filename = export_report(Filters(), "xlsx", today=TODAY)
    assert filename == "tong-hop-dat-chuan-20261125.xlsx"
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [SUMMARY_SHEET, MODULE_SHEET, DETAIL_SHEET, REGISTER_SHEET]
    modules = {str(row[0]): row for row in workbook[MODULE_SHEET].iter_rows(min_row=2, values_only=True)}
    assert modules["Phòng Một"][2:6] == (4, 2, 2, 2)  # staff, enrolled, TST completed, TST passed
    summary = workbook[SUMMARY_SHEET]
    header = [cell.value for cell in summary[1]]
    assert header[:6] == ["Đơn vị", "Cấp", "Số CBCC", "Đạt chuẩn", "Tỷ lệ (%)", "Chỉ tiêu (%)"]
    assert summary.freeze_panes == "B2" and summary.print_title_rows == "$1:$1"
    rows = {str(row[0]).strip(): row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["Phòng Một"][2:6] == (4, 2, 50.0, 95)
    assert rows["Xã Một"][2:6] == (5, 2, 40.0, 65)
    assert rows["Cấp huyện"][2:6] == (6, 2, 33.3, 95)
    assert rows["Tổng cộng"][2:5] == (11, 4, 36.4)
    assert summary.cell(row=2, column=5).number_format == "0.0"
    detail = list(workbook[DETAIL_SHEET].iter_rows(values_only=True))
    assert len(detail) == 1 + 11
    met_column = detail[0].index("Đạt chuẩn")
    assert sum(row[met_column] == "Có" for row in detail[1:]) == report.total.figures.met
    register = list(workbook[REGISTER_SHEET].iter_rows(values_only=True))
    assert len(register) == 1 + 7  # every certificate of the standard, revoked and expired too
    states = [row[8] for row in register[1:]]
    assert states.count("Đã thu hồi") == 1 and states.count("Hết hạn") == 1

    text, csv_name = export_report(Filters(), "csv", today=TODAY)
    assert csv_name.endswith(".csv") and text.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    by_name = {line[0].strip(): line for line in lines[1:]}
    assert lines[0][:6] == header[:6]
    assert by_name["Phòng Một"][2:6] == ["4", "2", "50.0", "95"]
    assert by_name["Tổng cộng"][2:5] == ["11", "4", "36.4"]


def test_report_as_dict_shape(world):
    data = report_as_dict(build_report(today=TODAY))
    assert data["total"]["met"] == 4 and data["total"]["met_external"] == 1
    assert {level["level"]: level["status"] for level in data["levels"]} == {"district": "behind", "commune": "behind"}
    o1 = next(unit for unit in data["units"] if unit["code"] == "O1")
    assert o1["figures"]["certificates"] == {"valid": 1, "revoked": 1, "expired": 0}
    assert o1["figures"]["modules"][0]["completed"] == 2


def test_hostile_unit_name_is_escaped_in_xlsx_and_dashboard(world, login_as, client):
    world["o2"].name = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"
    data, _name = export_report(Filters(), "xlsx", today=TODAY)
    values = [row[0] for row in load_workbook(io.BytesIO(data))[SUMMARY_SHEET].iter_rows(values_only=True)]
    assert "'" + world["o2"].name in values
    login_as(Role.HR)
    page = client.get("/tong-hop").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_dashboard_shows_the_report(world, login_as, client):
    login_as(Role.HR)
    page = client.get("/tong-hop").get_data(as_text=True)
    assert "Phòng Một" in page and "Xã Một" in page
    assert page.count("<svg") >= 2 and "Chưa đạt" in page
    assert 'href="/tong-hop/xuat.xlsx"' in page


def test_dashboard_filters_refuse_bad_values_clearly(world, login_as, client):
    login_as(Role.HR)
    response = client.get("/tong-hop?unit=999999&level=zzz&date_from=2026-13-01&date_to=x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Không có đơn vị này." in page and "is-invalid" in page
    response = client.get("/tong-hop?date_from=2026-06-01&date_to=2026-01-01")
    assert "“Đến ngày” phải sau “Từ ngày”." in response.get_data(as_text=True)


def test_drill_down_lists_people_with_their_status(world, login_as, client):
    login_as(Role.ADMIN)
    page = client.get(f"/tong-hop/don-vi/{world['o1'].id}").get_data(as_text=True)
    for name in ("Người a1", "Người a2", "Người a3", "Người a4"):
        assert name in page
    assert "CC-a3" in page and "Người b1" not in page
    assert client.get("/tong-hop/don-vi/999999").status_code == 404


def test_export_route_matches_the_dashboard_filters(world, login_as, client):
    login_as(Role.HR)
    response = client.get("/tong-hop/xuat.csv?level=commune")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    names = [line[0] for line in lines[1:]]
    assert "Xã Một" in names and "Phòng Một" not in names
    response = client.get(f"/tong-hop/xuat.xlsx?unit={world['o1'].id}")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert len(list(workbook[DETAIL_SHEET].iter_rows())) == 1 + 4


def test_trainees_and_trainers_cannot_see_hr_figures(world, login_as, client):
    login_as(Role.TRAINER)
    for url in ("/tong-hop", f"/tong-hop/don-vi/{world['o1'].id}", "/tong-hop/xuat.xlsx", "/quan-tri/chi-tieu"):
        assert client.get(url).status_code == 403


def test_admin_sets_targets(world, login_as, client):
    login_as(Role.ADMIN)
    page = client.get("/quan-tri/chi-tieu").get_data(as_text=True)
    assert 'value="95"' in page and 'value="65"' in page
    fields = {"standard__district": "90", "standard__commune": "",
              "course__TST__district": "70", "course__TST__commune": "50"}
    response = client.post("/quan-tri/chi-tieu", data=fields)
    assert response.status_code == 302
    report = build_report(today=TODAY)
    assert (_level(report, "district").target, _level(report, "commune").target) == (90, None)
    assert _level(report, "commune").status is None
    response = client.post("/quan-tri/chi-tieu", data={**fields, "standard__district": "150"})
    assert "Chỉ tiêu từ 0 đến 100%." in response.get_data(as_text=True)
    assert _level(build_report(today=TODAY), "district").target == 90


def test_export_stats_command(world, runner, tmp_path):
    out = tmp_path / "tong-hop.xlsx"
    result = runner.invoke(args=["lms", "export-stats", "--out", str(out), "--unit", "C1"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)[SUMMARY_SHEET].iter_rows(values_only=True))
    assert rows[1][:6] == ("Xã Một", "Cấp xã", 5, 2, 40.0, 65)
    out_csv = tmp_path / "tong-hop.csv"
    assert runner.invoke(args=["lms", "export-stats", "--out", str(out_csv)]).exit_code == 0
    assert out_csv.read_bytes().startswith("\ufeff".encode())
    bad = runner.invoke(args=["lms", "export-stats", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and ".xlsx hoặc .csv" in bad.output
    unknown = runner.invoke(args=["lms", "export-stats", "--out", str(out), "--unit", "KHONGCO"])
    assert unknown.exit_code != 0 and "KHONGCO" in unknown.output


def test_target_for_group_reads_configured_targets(db):
    assert target_for_group("district").percent == 95 and target_for_group(None) is None
    set_target("standard", "commune", 70)
    assert target_for_group("commune").percent == 70
    set_target("standard", "commune", None)
    assert target_for_group("commune") is None


def test_person_page_shows_where_they_stand(world, login_as, client):
    login_as(Role.HR)
    people = world["people"]
    assert "Đạt chuẩn: giấy chứng nhận số TST-" in client.get(f"/can-bo/{people['a1'].id}").get_data(as_text=True)
    assert "Đạt chuẩn nhờ" in client.get(f"/can-bo/{people['a3'].id}").get_data(as_text=True)
    assert "Chưa đạt chuẩn: còn 2/2 yêu cầu." in client.get(f"/can-bo/{people['a4'].id}").get_data(as_text=True)
