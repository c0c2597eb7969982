"""Quản trị: the administrator's pages (units, users and roles, standards, API tokens, audit log)."""
from flask import Blueprint

from lms.admin import audit_views, standard_views, token_views, unit_views, user_views

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
bp.add_url_rule("/", view_func=audit_views.index)
bp.add_url_rule("/don-vi", view_func=unit_views.units)
bp.add_url_rule("/don-vi/moi", view_func=unit_views.unit_new, methods=["GET", "POST"])
bp.add_url_rule("/don-vi/<int:unit_id>/sua", view_func=unit_views.unit_edit, methods=["GET", "POST"])
bp.add_url_rule("/don-vi/<int:unit_id>/trang-thai", view_func=unit_views.unit_toggle, methods=["POST"])
bp.add_url_rule("/don-vi/<int:unit_id>/sap-nhap", view_func=unit_views.unit_merge, methods=["GET", "POST"])
bp.add_url_rule("/don-vi/<int:unit_id>/xoa", view_func=unit_views.unit_delete, methods=["POST"])
bp.add_url_rule("/nguoi-dung", view_func=user_views.users)
bp.add_url_rule("/nguoi-dung/moi", view_func=user_views.user_new, methods=["GET", "POST"])
bp.add_url_rule("/nguoi-dung/<int:user_id>/sua", view_func=user_views.user_edit, methods=["GET", "POST"])
bp.add_url_rule("/nguoi-dung/<int:user_id>/mat-khau-tam", view_func=user_views.user_reset_password, methods=["POST"])
bp.add_url_rule("/chuan-ky-nang", view_func=standard_views.standards)
bp.add_url_rule("/chuan-ky-nang/moi", view_func=standard_views.standard_new, methods=["GET", "POST"])
bp.add_url_rule("/chuan-ky-nang/<int:standard_id>", view_func=standard_views.standard_edit, methods=["GET", "POST"])
bp.add_url_rule("/chuan-ky-nang/<int:standard_id>/yeu-cau", view_func=standard_views.requirement_add, methods=["POST"])
bp.add_url_rule("/yeu-cau-chuan/<int:requirement_id>/xoa",
                view_func=standard_views.requirement_remove, methods=["POST"])
bp.add_url_rule("/api-tokens", view_func=token_views.api_tokens)
bp.add_url_rule("/api-tokens/moi", view_func=token_views.api_token_new, methods=["GET", "POST"])
bp.add_url_rule("/api-tokens/<int:token_id>/thu-hoi", view_func=token_views.api_token_revoke, methods=["POST"])
bp.add_url_rule("/nhat-ky", view_func=audit_views.audit_log)
