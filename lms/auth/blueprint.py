"""Đăng nhập, Đăng xuất, Đổi mật khẩu."""
from flask import Blueprint

from lms.auth import views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/dang-nhap", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/dang-xuat", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/dang-xuat-moi-thiet-bi", view_func=views.logout_everywhere, methods=["POST"])
bp.add_url_rule("/doi-mat-khau", view_func=views.change_password, methods=["GET", "POST"])
