"""The home page that sends each role to its first place, and Trang của tôi."""
from flask import Blueprint

from lms.dashboard import views

bp = Blueprint("dashboard", __name__)
bp.add_url_rule("/", view_func=views.home)
bp.add_url_rule("/trang-cua-toi", view_func=views.my_page)
