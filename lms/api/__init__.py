"""The JSON API under /api/v1, for other systems (routes in blueprint.py)."""
