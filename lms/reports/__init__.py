"""Competence statistics for HR: figures, charts and exports."""
