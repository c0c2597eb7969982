"""Tổng hợp: HR's statistics against the targets, their exports, and the target settings."""
from flask import Blueprint

from lms.reports import target_views, views

bp = Blueprint("reports", __name__)
bp.add_url_rule("/tong-hop", view_func=views.dashboard)
bp.add_url_rule("/tong-hop/don-vi/<int:unit_id>", view_func=views.unit)
bp.add_url_rule("/tong-hop/xuat.<any(xlsx, csv):extension>", view_func=views.export)
bp.add_url_rule("/quan-tri/chi-tieu", view_func=target_views.targets, methods=["GET", "POST"])
