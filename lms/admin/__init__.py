"""Quản trị: units, users and roles, standards, API tokens, the audit log (routes in blueprint.py)."""
