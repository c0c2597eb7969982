"""Quizzes: question bank, import/export, attempts, grading, statistics."""
