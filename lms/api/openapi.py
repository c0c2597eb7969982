"""The OpenAPI 3.0.3 document served at /api/v1/openapi.json. It must say exactly what the
views do: tests compare its paths with the URL map and validate real responses against it,
and CI runs schemathesis against the running app (.ci/api-contract)."""
from lms.api.params import (
    DATE_PATTERN,
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_SEARCH_LENGTH,
    UNIT_CODE_PATTERN,
)
from lms.certificates.verification import CODE_PATTERN as CERTIFICATE_CODE_PATTERN
from lms.models import StaffCategory, UnitLevel

JSON = "application/json"
TARGET_GROUPS = ["district", "commune"]
TARGET_STATUSES = ["met", "close", "behind", None]


def _obj(properties: dict, required: list | None = None, **extra) -> dict:
    """A closed object: every property listed, all required unless told otherwise."""
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(properties) if required is None else required, **extra}


def _nullable(schema: dict) -> dict:
    schema = {**schema, "nullable": True}
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
DATE_PARAM = {"type": "string", "format": "date", "pattern": DATE_PATTERN}

SCHEMAS = {
    "Error": _obj({
        "error": {"type": "string", "description": "Mã lỗi ổn định (bad_request, missing_token, invalid_token, "
                                                   "insufficient_scope, not_found, too_many_requests…)."},
        "message": {"type": "string", "description": "Giải thích bằng tiếng Việt."},
    }),
    "Unit": _obj({
        "code": STRING,
        "name": STRING,
        "level": {"type": "string", "enum": [level.value for level in UnitLevel]},
        "parent_code": _nullable(STRING),
        "active": BOOLEAN,
    }),
    "Person": _obj({
        "id": INTEGER,
        "staff_code": _nullable(STRING),
        "full_name": STRING,
        "email": _nullable(STRING),
        "position": _nullable(STRING),
        "unit_code": _nullable(STRING),
        "staff_category": _nullable({"type": "string", "enum": [category.value for category in StaffCategory]}),
        "active": BOOLEAN,
    }),
    "Certificate": _obj({
        "state": {"type": "string", "enum": ["valid", "revoked", "expired"]},
        "serial": STRING,
        "register_number": {"type": "string", "description": "Số vào sổ, dạng <số>/<năm>."},
        "holder_name": STRING,
        "unit": STRING,
        "standard": STRING,
        "issuing_body": STRING,
        "issue_date": DATE,
        "valid_until": _nullable(DATE),
        "revoked_on": _nullable(DATE),
    }),
    "Figures": _obj({
        "staff": COUNT, "enrolled": COUNT, "met": COUNT, "met_platform": COUNT, "met_external": COUNT,
        "rate_percent": {"type": "number", "minimum": 0, "maximum": 100},
        "certificates": _obj({"valid": COUNT, "revoked": COUNT, "expired": COUNT}),
        "modules": {"type": "array", "items": _obj({
            "code": STRING, "title": STRING, "completed": _nullable(COUNT), "passed": _nullable(COUNT),
        })},
    }),
    "Statistics": _obj({
        "standard": _nullable(_obj({"id": INTEGER, "name": STRING})),
        "as_of": DATE,
        "filters": _obj({
            "unit": _nullable(STRING),
            "level": _nullable({"type": "string", "enum": TARGET_GROUPS}),
            "category": _nullable({"type": "string", "enum": [category.value for category in StaffCategory]}),
            "from": _nullable(DATE),
            "to": _nullable(DATE),
        }),
        "total": _ref("Figures"),
        "levels": {"type": "array", "items": _obj({
            "level": {"type": "string", "enum": TARGET_GROUPS},
            "target_percent": _nullable({"type": "number"}),
            "status": _nullable({"type": "string", "enum": TARGET_STATUSES}),
            "figures": _ref("Figures"),
        })},
        "units": {"type": "array", "items": _obj({
            "code": STRING, "name": STRING,
            "level": {"type": "string", "enum": [level.value for level in UnitLevel]},
            "parent_code": _nullable(STRING),
            "depth": COUNT,
            "target_percent": _nullable({"type": "number"}),
            "status": _nullable({"type": "string", "enum": TARGET_STATUSES}),
            "figures": _ref("Figures"),
        })},
    }),
}


def _page_of(item: str) -> dict:
    return _obj({
        "items": {"type": "array", "items": _ref(item)},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "total": COUNT,
        "pages": COUNT,
    })


SCHEMAS["UnitPage"] = _page_of("Unit")
SCHEMAS["PersonPage"] = _page_of("Person")


def _error(description: str, **headers) -> dict:
    response = {"description": description, "content": {JSON: {"schema": _ref("Error")}}}
    if headers:
        response["headers"] = headers
    return response


WWW_AUTHENTICATE = {"description": "Bearer realm=\"LMS API\" (và error=… khi token sai).", "required": True,
                    "schema": {"type": "string"}}
RESPONSES = {
    "BadRequest": _error("Tham số không hợp lệ (kiểu, miền giá trị, ngày không đúng dạng YYYY-MM-DD, "
                         "tham số truyền hai lần)."),
    "Unauthorized": _error("Thiếu token, token sai, đã hết hạn hoặc đã bị thu hồi.",
                           **{"WWW-Authenticate": WWW_AUTHENTICATE}),
    "Forbidden": _error("Token không có quyền (scope) cần cho yêu cầu này.",
                        **{"WWW-Authenticate": WWW_AUTHENTICATE}),
    "NotFound": _error("Không tìm thấy — kể cả khi đối tượng nằm ngoài phạm vi đơn vị của token "
                       "(API không cho biết nó có tồn tại hay không)."),
    "TooManyRequests": _error("Quá nhiều yêu cầu (30 mỗi phút cho mỗi địa chỉ IP); thử lại sau Retry-After giây.",
                              **{"Retry-After": {"description": "Số giây cần đợi.", "required": True,
                                                 "schema": {"type": "integer", "minimum": 0}}}),
}

PARAMETERS = {
    "page": {"name": "page", "in": "query", "description": "Trang, bắt đầu từ 1. Quá trang cuối: danh sách rỗng.",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    "per_page": {"name": "per_page", "in": "query", "description": "Số mục mỗi trang.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                            "default": DEFAULT_PER_PAGE}},
    "unit": {"name": "unit", "in": "query",
             "description": "Mã đơn vị; gồm cả các đơn vị cấp dưới. Đơn vị không có hoặc ngoài phạm vi của token: 404.",
             "schema": {"type": "string", "pattern": UNIT_CODE_PATTERN}, "example": "546"},
}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _ok(schema: dict, description: str, paginated: bool = False) -> dict:
    response = {"description": description, "content": {JSON: {"schema": schema}}}
    if paginated:
        response["headers"] = {"Link": {
            "description": "RFC 8288: địa chỉ trang sau (rel=\"next\") và trang trước (rel=\"prev\"), nếu có.",
            "schema": {"type": "string"}}}
    return response


def _protected(scope: str, operation: tuple[str, str], description: str, parameters: list, ok: dict,
               errors: list) -> dict:
    """A GET that needs a token with `scope`; `operation` is (operationId, summary)."""
    operation_id, summary = operation
    responses = {"200": ok, "401": {"$ref": "#/components/responses/Unauthorized"},
                 "403": {"$ref": "#/components/responses/Forbidden"}}
    for code, name in (("400", "BadRequest"), ("404", "NotFound")):
        if code in errors:
            responses[code] = {"$ref": f"#/components/responses/{name}"}
    return {"get": {
        "summary": summary, "description": f"{description}\n\nQuyền cần có: `{scope}`.",
        "operationId": operation_id, "tags": [scope.split(":")[0]], "x-required-scope": scope,
        "security": [{"bearerAuth": []}], "parameters": parameters,
        "responses": dict(sorted(responses.items())),
    }}


def _path_param(name: str, schema: dict, description: str, example) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema,
            "example": example}


def _paths() -> dict:
    unit_code = {"type": "string", "pattern": UNIT_CODE_PATTERN}
    return {
        "/openapi.json": {"get": {
            "summary": "Tài liệu OpenAPI", "operationId": "openapi", "tags": ["meta"], "security": [],
            "description": "Tài liệu này.",
            "responses": {"200": _ok({"type": "object"}, "Tài liệu OpenAPI 3.0.3.")},
        }},
        "/units": _protected(
            "units:read", ("listUnits", "Danh sách đơn vị"),
            "Các đơn vị (cả cây, không phụ thuộc đơn vị của token), theo mã.",
            [{"name": "level", "in": "query", "description": "Cấp của đơn vị.",
              "schema": {"type": "string", "enum": [level.value for level in UnitLevel]}},
             {"name": "active", "in": "query", "description": "Chỉ đơn vị đang (true) hoặc đã ngừng (false) hoạt động; "
                                                              "bỏ trống: tất cả.", "schema": BOOLEAN},
             _param("page"), _param("per_page")],
            _ok(_ref("UnitPage"), "Một trang đơn vị.", paginated=True), ["400"]),
        "/units/{code}": _protected(
            "units:read", ("getUnit", "Một đơn vị"), "Một đơn vị theo mã (phân biệt chữ hoa, chữ thường).",
            [_path_param("code", unit_code, "Mã đơn vị.", "21787")], _ok(_ref("Unit"), "Đơn vị."), ["404"]),
        "/people": _protected(
            "people:read", ("listPeople", "Danh sách cán bộ"),
            "Cán bộ, theo tên. Token gắn với một đơn vị chỉ thấy người của đơn vị đó và các đơn vị cấp dưới; "
            "token không gắn đơn vị thấy mọi tài khoản. Không bao giờ trả mật khẩu hay ngày sinh.",
            [_param("unit"),
             {"name": "q", "in": "query", "description": "Tìm theo họ tên (không phân biệt dấu), tên đăng nhập hoặc "
                                                         "mã cán bộ.",
              "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH}},
             {"name": "include_inactive", "in": "query", "description": "Gồm cả tài khoản đã khóa.",
              "schema": {"type": "boolean", "default": False}},
             _param("page"), _param("per_page")],
            _ok(_ref("PersonPage"), "Một trang cán bộ.", paginated=True), ["400", "404"]),
        "/people/{id}": _protected(
            "people:read", ("getPerson", "Một cán bộ"), "Một cán bộ theo mã số; ngoài phạm vi đơn vị của token: 404.",
            [_path_param("id", {"type": "integer", "minimum": 1}, "Mã số (id) của cán bộ.", 1)],
            _ok(_ref("Person"), "Cán bộ."), ["404"]),
        "/statistics": _protected(
            "statistics:read", ("getStatistics", "Số liệu đạt chuẩn"),
            "Số liệu đạt chuẩn theo đơn vị, theo cấp và tổng cộng, so với chỉ tiêu — cùng số liệu với trang "
            "Tổng hợp và tệp Excel. Token gắn với một đơn vị: mặc định là đơn vị đó, và chỉ được chọn đơn vị "
            "trong phạm vi của nó.",
            [_param("unit"),
             {"name": "level", "in": "query", "description": "Cấp tính chỉ tiêu.",
              "schema": {"type": "string", "enum": TARGET_GROUPS}},
             {"name": "category", "in": "query", "description": "Loại cán bộ.",
              "schema": {"type": "string", "enum": [category.value for category in StaffCategory]}},
             {"name": "from", "in": "query", "description": "Từ ngày (YYYY-MM-DD, năm 1900–2099).",
              "schema": DATE_PARAM, "example": "2018-01-01"},
             {"name": "to", "in": "query", "description": "Đến ngày (YYYY-MM-DD, năm 1900–2099); là ngày báo cáo, "
                                                         "mặc định hôm nay.", "schema": DATE_PARAM,
              "example": "2018-12-31"}],
            _ok(_ref("Statistics"), "Báo cáo."), ["400", "404"]),
        "/certificates/{code}": {"get": {
            "summary": "Xác minh giấy chứng nhận", "operationId": "verifyCertificate", "tags": ["certificates"],
            "security": [],
            "description": "Xác minh giấy chứng nhận theo mã xác minh (in trên giấy và trong mã QR), như trang "
                           "/verify: không cần token, không bao giờ trả ngày sinh.",
            "parameters": [_path_param("code", {"type": "string", "pattern": CERTIFICATE_CODE_PATTERN},
                                       "Mã xác minh.", "BdBayvvLB3OdHnW00L7DPg")],
            "responses": {"200": _ok(_ref("Certificate"), "Giấy chứng nhận."),
                          "404": {"$ref": "#/components/responses/NotFound"},
                          "429": {"$ref": "#/components/responses/TooManyRequests"}},
        }},
    }


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "LMS Vĩnh Thạnh — API",
            "version": "1.0.0",
            "description": "API chỉ đọc cho hệ thống khác: đơn vị, cán bộ, số liệu đạt chuẩn, xác minh giấy chứng "
                           "nhận. Gửi token do quản trị hệ thống cấp trong tiêu đề `Authorization: Bearer <token>`. "
                           "Mọi lỗi là JSON `{\"error\": \"<mã>\", \"message\": \"<lời giải thích>\"}`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in ("units", "people", "statistics", "certificates", "meta")],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "lms_…",
                "description": "Token do quản trị hệ thống cấp (Quản trị → API tokens)."}},
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "parameters": PARAMETERS,
        },
    }
