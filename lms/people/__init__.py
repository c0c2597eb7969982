"""Units and their people, as pages (routes in blueprint.py)."""
