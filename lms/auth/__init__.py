"""Sign-in, sign-out, passwords (routes in blueprint.py)."""
