"""Đơn vị → Cán bộ: units and the people in them, for trainers, HR and administrators."""
from flask import Blueprint

from lms.people import views

bp = Blueprint("people", __name__)
bp.add_url_rule("/don-vi", view_func=views.units)
bp.add_url_rule("/don-vi/<int:unit_id>", view_func=views.unit)
bp.add_url_rule("/can-bo/<int:user_id>", view_func=views.person)
