"""Tổng hợp and Đơn vị → Cán bộ pages for HR and trainers."""
from lms.models import Role, StaffCategory


def test_overview_counts_staff_by_level_against_targets(client, login_as, make_user, district):
    login_as(Role.HR)
    for _ in range(3):
        make_user(unit=district["office"])
    for _ in range(2):
        make_user(unit=district["commune"])
    make_user(unit=district["commune"], active=False)  # left: not counted
    make_user(unit=district["commune"], roles=[Role.TRAINER])  # not a trainee: not counted
    html = client.get("/tong-hop").get_data(as_text=True)
    assert "95%" in html and "65%" in html
    assert "Cần thêm 3 người để đạt chỉ tiêu." in html  # ceil(3 × 95%), nobody meets it yet
    assert "Cần thêm 2 người để đạt chỉ tiêu." in html  # ceil(2 × 65%)


def test_unit_page_lists_people_with_search_and_category(client, login_as, make_user, district):
    login_as(Role.TRAINER)
    make_user(unit=district["commune"], full_name="Phạm Văn Lộc", staff_category=StaffCategory.CAN_BO)
    make_user(unit=district["commune"], full_name="Lê Thị Hoa", staff_category=StaffCategory.CONG_CHUC)
    url = f"/don-vi/{district['commune'].id}"
    html = client.get(url).get_data(as_text=True)
    assert "Phạm Văn Lộc" in html and "Lê Thị Hoa" in html
    assert "/can-bo/" not in html  # trainers do not open personal records
    html = client.get(url + "?q=loc").get_data(as_text=True)
    assert "Phạm Văn Lộc" in html and "Lê Thị Hoa" not in html
    html = client.get(url + "?loai=cong_chuc").get_data(as_text=True)
    assert "Lê Thị Hoa" in html and "Phạm Văn Lộc" not in html


def test_person_page_shows_history_for_hr(client, login_as, make_user, district):
    login_as(Role.HR)
    person = make_user(unit=district["commune"], full_name="Bùi Thị Yến")
    html = client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "Bùi Thị Yến" in html and "Quá trình công tác" in html and "Xã Thử" in html
    assert "chỉ tiêu 65%" in html
