"""Bài kiểm tra: taking quizzes (trainees), the question bank and quiz building (trainers)."""
from flask import Blueprint

from lms.quizzes import bank_views, trainer_views, views

bp = Blueprint("quizzes", __name__)
bp.add_url_rule("/bai-kiem-tra", view_func=views.index)
bp.add_url_rule("/bai-kiem-tra/<code>", view_func=views.quiz)
bp.add_url_rule("/bai-kiem-tra/<code>/bat-dau", view_func=views.start, methods=["POST"])
bp.add_url_rule("/luot-lam-bai/<int:attempt_id>", view_func=views.attempt, methods=["GET", "POST"])
bp.add_url_rule("/luot-lam-bai/<int:attempt_id>/luu", view_func=views.save, methods=["POST"])
bp.add_url_rule("/luot-lam-bai/<int:attempt_id>/nop", view_func=views.submit, methods=["POST"])
bp.add_url_rule("/luot-lam-bai/<int:attempt_id>/xem-lai", view_func=views.review)
bp.add_url_rule("/giang-vien/ngan-hang", view_func=bank_views.bank)
bp.add_url_rule("/giang-vien/cau-hoi/<int:question_id>", view_func=bank_views.question)
bp.add_url_rule("/giang-vien/cau-hoi/<int:question_id>/sua",
                view_func=bank_views.question_edit, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/ngan-hang/nhap", view_func=bank_views.bank_import, methods=["POST"])
bp.add_url_rule("/giang-vien/ngan-hang/<int:category_id>/xuat.<any(gift, xml):extension>",
                view_func=bank_views.bank_export)
bp.add_url_rule("/giang-vien/bai-kiem-tra", view_func=trainer_views.manage)
bp.add_url_rule("/giang-vien/bai-kiem-tra/moi", view_func=trainer_views.quiz_new, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/sua",
                view_func=trainer_views.quiz_edit, methods=["GET", "POST"])
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>", view_func=trainer_views.quiz_detail)
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/nhom", view_func=trainer_views.rule_add, methods=["POST"])
bp.add_url_rule("/giang-vien/nhom-rut-cau/<int:rule_id>/xoa", view_func=trainer_views.rule_remove, methods=["POST"])
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/trang-thai",
                view_func=trainer_views.quiz_status, methods=["POST"])
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/ket-qua", view_func=trainer_views.results)
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/ket-qua.<any(csv, xlsx):extension>",
                view_func=trainer_views.results_export)
bp.add_url_rule("/giang-vien/bai-kiem-tra/<int:quiz_id>/thong-ke", view_func=trainer_views.statistics)
bp.add_url_rule("/giang-vien/cham-bai", view_func=trainer_views.grading_queue)
bp.add_url_rule("/giang-vien/luot-lam-bai/<int:attempt_id>",
                view_func=trainer_views.attempt_marking, methods=["GET", "POST"])
