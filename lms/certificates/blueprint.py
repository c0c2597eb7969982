"""Giấy chứng nhận: verification (anyone), the trainee's certificates, the register (HR), and
the certificates a person holds from elsewhere (recorded on the person's page)."""
from flask import Blueprint

from lms.certificates import external_views, views
from lms.certificates.standards import meets_through_external

bp = Blueprint("certificates", __name__)
# Other features' pages (the person page, the holder's own pages) show external certificates.
bp.add_app_template_global(external_views.external_certificates_of)
bp.add_app_template_global(external_views.external_standards_met)
bp.add_app_template_global(meets_through_external)

bp.add_url_rule("/verify/<code>", view_func=views.verify)
bp.add_url_rule("/verify/<code>.json", view_func=views.verify_json)
bp.add_url_rule("/verify", view_func=views.verify_form, methods=["GET", "POST"])
bp.add_url_rule("/giay-chung-nhan", view_func=views.mine)
bp.add_url_rule("/giay-chung-nhan/<int:certificate_id>.pdf", view_func=views.download)
bp.add_url_rule("/so-cap-giay-chung-nhan", view_func=views.register_page)
bp.add_url_rule("/giay-chung-nhan/<int:certificate_id>/thu-hoi", view_func=views.revoke, methods=["POST"])
bp.add_url_rule("/giay-chung-nhan/<int:certificate_id>/cap-lai", view_func=views.reissue, methods=["POST"])
bp.add_url_rule("/so-cap-giay-chung-nhan/cap", view_func=views.issue_bulk, methods=["POST"])
bp.add_url_rule("/so-cap-giay-chung-nhan/zip", view_func=views.unit_zip)
bp.add_url_rule("/can-bo/<int:user_id>/chung-chi-cntt/them",
                view_func=external_views.external_new, methods=["GET", "POST"])
bp.add_url_rule("/chung-chi-cntt/<int:external_id>/sua",
                view_func=external_views.external_edit, methods=["GET", "POST"])
bp.add_url_rule("/chung-chi-cntt/<int:external_id>/xoa",
                view_func=external_views.external_delete, methods=["GET", "POST"])
bp.add_url_rule("/chung-chi-cntt/<int:external_id>/ban-scan", view_func=external_views.external_scan)
