"""What the in-process benches share: a throwaway app and their one option, --tries."""
import argparse
from pathlib import Path

from flask import Flask

from lms import create_app


def throwaway_app(folder: Path) -> Flask:
    """The app on a fresh SQLite file in `folder`, with no CSRF and no rate limits (a bench
    sends many requests from one client); the schema is the caller's to create."""
    return create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'lms.sqlite3'}",
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})


def parse_tries(doc: str, default: int, what: str, argv: list[str] | None = None) -> argparse.Namespace:
    """`--tries N` (how many timed `what`), with the script's first docstring paragraph as help."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--tries", type=int, default=default, help=f"timed {what} (default {default})")
    return parser.parse_args(argv)
