"""The home page and Trang của tôi (routes in blueprint.py)."""
