"""Khóa học: the catalogue and lesson reader for trainees, authoring and progress for trainers."""
from flask import Blueprint

from lms.courses import trainer_views, views
from lms.courses.rendering import MEDIA_ROUTE

bp = Blueprint("courses", __name__)
bp.add_url_rule("/khoa-hoc", view_func=views.catalogue)
bp.add_url_rule("/khoa-hoc/<code>", view_func=views.course)
bp.add_url_rule("/khoa-hoc/<code>/bai/<slug>", view_func=views.lesson)
bp.add_url_rule("/khoa-hoc/<code>/bai/<slug>/hoan-thanh", view_func=views.complete, methods=["POST"])
bp.add_url_rule(MEDIA_ROUTE, view_func=views.media)
bp.add_url_rule("/giang-vien/khoa-hoc", view_func=trainer_views.manage)
bp.add_url_rule("/giang-vien/khoa-hoc/moi", view_func=trainer_views.course_new, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/sua",
                view_func=trainer_views.course_edit, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>", view_func=trainer_views.manage_course)
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/trang-thai",
                view_func=trainer_views.course_status, methods=["POST"])
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/bai/moi",
                view_func=trainer_views.lesson_new, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/bai/<int:lesson_id>/sua", view_func=trainer_views.lesson_edit, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/bai/<int:lesson_id>/di-chuyen", view_func=trainer_views.lesson_move, methods=["POST"])
bp.add_url_rule("/giang-vien/bai/<int:lesson_id>/luu-tru", view_func=trainer_views.lesson_archive, methods=["POST"])
bp.add_url_rule("/giang-vien/bai/<int:lesson_id>/lich-su", view_func=trainer_views.lesson_history)
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/anh", view_func=trainer_views.image_upload, methods=["POST"])
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/giao", view_func=trainer_views.assignment_add, methods=["POST"])
bp.add_url_rule("/giang-vien/giao/<int:assignment_id>/xoa", view_func=trainer_views.assignment_remove, methods=["POST"])
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/tien-do", view_func=trainer_views.progress)
bp.add_url_rule("/giang-vien/khoa-hoc/<int:course_id>/tien-do.csv", view_func=trainer_views.progress_csv)
