"""Names shown for stored codes (levels, roles, staff categories), translated lazily."""
from flask_babel import lazy_gettext as _l

from lms.models import Audience, CourseStatus, Role, StaffCategory, UnitLevel

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
AUDIENCE_LABELS = {
    Audience.ALL: _l("Tất cả cán bộ, công chức"),
    Audience.DISTRICT: _l("Cấp huyện"),
    Audience.COMMUNE: _l("Cấp xã"),
}
COURSE_STATUS_LABELS = {
    CourseStatus.DRAFT: _l("Bản nháp"),
    CourseStatus.PUBLISHED: _l("Đang mở"),
    CourseStatus.ARCHIVED: _l("Lưu trữ"),
}
GRADING_LABELS = {
    "highest": _l("Lấy điểm cao nhất"),
    "average": _l("Lấy điểm trung bình"),
    "first": _l("Lấy điểm lượt đầu"),
    "last": _l("Lấy điểm lượt cuối"),
}
QUESTION_TYPE_LABELS = {
    "multichoice": _l("Trắc nghiệm"),
    "truefalse": _l("Đúng/Sai"),
    "shortanswer": _l("Trả lời ngắn"),
    "numerical": _l("Điền số"),
    "matching": _l("Ghép cặp"),
    "essay": _l("Tự luận"),
    "description": _l("Đoạn mô tả"),
}
EXTERNAL_KIND_LABELS = {
    "national_basic": _l("Chứng chỉ ứng dụng CNTT cơ bản"),
    "national_advanced": _l("Chứng chỉ ứng dụng CNTT nâng cao"),
    "foreign": _l("Chứng chỉ CNTT nước ngoài (TT 44/2017)"),
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
    "user.scope": _l("Thay đổi phạm vi quản lý"),
    "user.deactivate": _l("Khóa tài khoản"),
    "user.activate": _l("Mở khóa tài khoản"),
    "password.reset": _l("Đặt mật khẩu tạm"),
    "password.change": _l("Đổi mật khẩu"),
    "demo.load": _l("Nạp dữ liệu mẫu"),
    "course.create": _l("Tạo khóa học"),
    "course.update": _l("Sửa khóa học"),
    "course.status": _l("Đổi trạng thái khóa học"),
    "course.image": _l("Tải ảnh lên"),
    "course.assign": _l("Giao khóa học"),
    "course.unassign": _l("Bỏ giao khóa học"),
    "lesson.create": _l("Tạo bài học"),
    "lesson.update": _l("Sửa bài học"),
    "lesson.archive": _l("Lưu trữ bài học"),
    "lesson.restore": _l("Khôi phục bài học"),
    "content.import": _l("Nhập nội dung"),
    "attempt.mark": _l("Chấm điểm / sửa điểm"),
    "questions.import": _l("Nhập câu hỏi"),
    "question.edit": _l("Sửa câu hỏi"),
    "certificate.issue": _l("Cấp giấy chứng nhận"),
    "standard.create": _l("Tạo chuẩn kỹ năng"),
    "standard.update": _l("Sửa chuẩn kỹ năng"),
    "certificate.revoke": _l("Thu hồi giấy chứng nhận"),
    "api_token.create": _l("Tạo API token"),
    "api_token.revoke": _l("Thu hồi API token"),
    "external.create": _l("Ghi nhận chứng chỉ CNTT khác"),
    "external.update": _l("Sửa chứng chỉ CNTT khác"),
    "external.delete": _l("Xóa chứng chỉ CNTT khác"),
    "quiz.create": _l("Tạo bài kiểm tra"),
    "quiz.update": _l("Sửa bài kiểm tra"),
    "quiz.status": _l("Đổi trạng thái bài kiểm tra"),
    "roster.import": _l("Nhập danh sách cán bộ"),
    "roster.passwords": _l("Cấp lại mật khẩu tạm (danh sách cán bộ)"),
}

API_SCOPE_LABELS = {
    "units:read": _l("Đọc danh sách đơn vị"),
    "people:read": _l("Đọc danh sách cán bộ (trong phạm vi đơn vị của token)"),
    "statistics:read": _l("Đọc số liệu tổng hợp (trong phạm vi đơn vị của token)"),
}


def label(mapping: dict, value) -> str:
    """The label for `value`, or the value itself when it has none."""
    if value is None:
        return ""
    return str(mapping.get(value, value))
