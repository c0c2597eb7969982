"""Error pages in Vietnamese (or English), and the exception services raise for bad input."""
from typing import ClassVar

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


class ServiceError(Exception):
    """A rule was broken; `message` is shown to the person as is, nothing has been changed.

    `field` names the form field the message belongs beside; `status` is the HTTP status a
    JSON client gets (422 by default: the request was understood but breaks a rule)."""

    status = 422
    details: ClassVar[dict] = {}  # extra keys for the JSON error body

    def __init__(self, message: str, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


def configure_error_pages(app: Flask) -> None:
    def page(code: int, title: str, message: str):
        if request.is_json or request.accept_mimetypes.best == "application/json":
            return jsonify({"error": message}), code  # as a refused JSON request (lms.unit_of_work)
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(_error):
        return page(400, _("Yêu cầu không hợp lệ"),
                    _("Dữ liệu gửi lên không hợp lệ. Vui lòng quay lại trang trước và thử lại."))

    @app.errorhandler(403)
    def forbidden(_error):
        return page(403, _("Không có quyền truy cập"),
                    _("Tài khoản của bạn không có quyền mở trang này. "
                      "Nếu cần quyền, vui lòng liên hệ quản trị hệ thống."))

    @app.errorhandler(404)
    def not_found(_error):
        return page(404, _("Không tìm thấy trang"),
                    _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page(405, _("Thao tác không hợp lệ"),
                    _("Trang này không nhận thao tác đó. Vui lòng quay lại và thử lại."))

    @app.errorhandler(413)
    def too_large(_error):
        return page(413, _("Dữ liệu gửi lên quá lớn"),
                    _("Dữ liệu gửi lên vượt quá dung lượng cho phép. Vui lòng chọn tệp nhỏ hơn "
                      "hoặc chia thành nhiều tệp rồi gửi lại."))

    @app.errorhandler(429)
    def too_many_requests(_error):
        if request.path.endswith(".json"):  # the certificate page's JSON twin (the API has its own)
            return jsonify({"error": "too_many_requests", "message": _(
                "Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi một phút rồi thử lại.")}), 429
        return page(429, _("Quá nhiều lần thử"),
                    _("Bạn đã thử quá nhiều lần. Vui lòng đợi khoảng 15 phút rồi thử lại, "
                      "hoặc liên hệ quản trị hệ thống để được hỗ trợ."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return page(400, _("Phiên làm việc đã hết hạn"),
                    _("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại."))

    @app.errorhandler(500)
    def server_error(_error):
        return page(500, _("Đã có lỗi xảy ra"),
                    _("Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu của bạn chưa bị thay đổi. "
                      "Vui lòng thử lại sau ít phút."))
