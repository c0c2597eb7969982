"""Errors as JSON everywhere under /api/v1: `{"error": "<code>", "message": "<text>"}`."""
from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import MethodNotAllowed, NotFound

API_PREFIX = "/api/v1"


class ApiError(Exception):
    """Stop the request with `status` and a JSON error body (and optional headers)."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Không tìm thấy dữ liệu yêu cầu."))


def _not_found_response() -> Response:
    return error_response(404, "not_found", _("Không có địa chỉ API này. Xem danh sách tại /api/v1/openapi.json."))


def _method_not_allowed_response(error: MethodNotAllowed) -> Response:
    allowed = ", ".join(sorted(error.valid_methods or ()))
    return error_response(405, "method_not_allowed",
                          _("Địa chỉ này chỉ nhận các phương thức: %(methods)s.", methods=allowed),
                          {"Allow": allowed})


def configure_api_errors(bp: Blueprint) -> None:
    """JSON for errors raised by the API's views, and for URLs under the prefix that match
    no API route (which Flask would otherwise answer with the site's HTML pages)."""

    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.headers)

    @bp.errorhandler(400)
    def bad_request_error(_error):
        return error_response(400, "bad_request", _("Yêu cầu không hợp lệ."))

    @bp.errorhandler(404)
    def not_found_error(_error):
        return _not_found_response()

    @bp.errorhandler(405)
    def method_error(error):
        return _method_not_allowed_response(error)

    @bp.errorhandler(413)
    def too_large(_error):
        return error_response(413, "payload_too_large", _("Dữ liệu gửi lên vượt quá dung lượng cho phép."))

    @bp.errorhandler(429)
    def too_many(error):
        headers = {}
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(retry_after)
        return error_response(429, "too_many_requests",
                              _("Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi một phút rồi thử lại."),
                              headers)

    @bp.errorhandler(500)
    def server_error(_error):
        return error_response(500, "server_error",
                              _("Hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau ít phút."))

    @bp.before_app_request
    def unrouted_api_request():
        # A URL that matched no rule has no blueprint, so the handlers above never see it;
        # answer it here, before the site's own hooks (the password guard) can redirect.
        if not request.path.startswith(API_PREFIX + "/") and request.path != API_PREFIX:
            return None
        error = request.routing_exception
        if isinstance(error, MethodNotAllowed):
            return _method_not_allowed_response(error)
        if isinstance(error, NotFound):
            return _not_found_response()
        return None
