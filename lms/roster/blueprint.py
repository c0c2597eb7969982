"""Danh sách cán bộ: HR's roster import and the temporary passwords of new accounts."""
from flask import Blueprint

from lms.roster import views

bp = Blueprint("roster", __name__)
bp.url_value_preprocessor(views.limit_request_size)
bp.register_error_handler(413, views.too_large)

bp.add_url_rule("/danh-sach-can-bo", view_func=views.index)
bp.add_url_rule("/danh-sach-can-bo/mau.xlsx", view_func=views.template)
bp.add_url_rule("/danh-sach-can-bo/xem-truoc", view_func=views.preview, methods=["POST"])
bp.add_url_rule("/danh-sach-can-bo/nhap", view_func=views.confirm, methods=["POST"])
bp.add_url_rule("/danh-sach-can-bo/tai-khoan-moi.xlsx", view_func=views.credentials, methods=["POST"])
bp.add_url_rule("/danh-sach-can-bo/cap-lai-mat-khau", view_func=views.reissue, methods=["POST"])
