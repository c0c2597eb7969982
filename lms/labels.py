"""Names shown for stored codes (levels, roles, staff categories), translated lazily."""
from flask_babel import lazy_gettext as _l

from lms.models import Role, StaffCategory, UnitLevel

LEVEL_LABELS = {
    UnitLevel.PROVINCE: _l("Cấp tỉnh"),
    UnitLevel.DISTRICT: _l("Cấp huyện"),
    UnitLevel.DISTRICT_OFFICE: _l("Cơ quan cấp huyện"),
    UnitLevel.COMMUNE: _l("Cấp xã"),
}
TARGET_GROUP_LABELS = {"district": _l("Cấp huyện"), "commune": _l("Cấp xã")}
ROLE_LABELS = {
    Role.TRAINEE: _l("Học viên"),
    Role.TRAINER: _l("Giảng viên"),
    Role.HR: _l("Cán bộ tổ chức"),
    Role.ADMIN: _l("Quản trị hệ thống"),
}
CATEGORY_LABELS = {
    StaffCategory.CAN_BO: _l("Cán bộ"),
    StaffCategory.CONG_CHUC: _l("Công chức"),
    StaffCategory.VIEN_CHUC: _l("Viên chức"),
    StaffCategory.NGUOI_LAO_DONG: _l("Người lao động"),
}
AUDIT_ACTION_LABELS = {
    "unit.create": _l("Tạo đơn vị"),
    "unit.update": _l("Sửa đơn vị"),
    "unit.deactivate": _l("Ngừng hoạt động đơn vị"),
    "unit.activate": _l("Kích hoạt lại đơn vị"),
    "unit.merge": _l("Sáp nhập đơn vị"),
    "unit.delete": _l("Xóa đơn vị"),
    "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa thông tin người dùng"),
    "user.roles": _l("Thay đổi vai trò"),
    "user.deactivate": _l("Khóa tài khoản"),
    "user.activate": _l("Mở khóa tài khoản"),
    "password.reset": _l("Đặt mật khẩu tạm"),
    "password.change": _l("Đổi mật khẩu"),
    "demo.load": _l("Nạp dữ liệu mẫu"),
}


def label(mapping: dict, value) -> str:
    """The label for `value`, or the value itself when it has none."""
    if value is None:
        return ""
    return str(mapping.get(value, value))
