"""Static files for slow commune links: content-hashed names, gzip, cached for a year.

At start the app copies its own static files and the Bootstrap files it uses into a cache
folder under names that carry a hash of their content (`css/app.css` becomes
`css/app.1a2b3c4d5e6f.css`), each with a gzip twin made by WhiteNoise's compressor. WhiteNoise
serves that folder before Flask sees the request, with `Cache-Control: immutable` for a year,
and a `url_defaults` hook makes every `url_for('static', …)` name the hashed file. A changed
file gets a new name, so a browser never keeps a stale one and never revalidates a current
one. A URL without the hash still reaches Flask's own static route.

Several workers may start at once: each file is written under a temporary name and renamed,
and a file already there (same content, same name) is left alone.
"""
import hashlib
import os
import tempfile
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 60 * 60
_HASH_LENGTH = 12
# Bootstrap-Flask ships every Bootswatch theme, icon sprites and source maps; the pages load
# only these.
_BOOTSTRAP_FILES = ("css/bootstrap.min.css", "js/bootstrap.min.js", "js/bootstrap.bundle.min.js",
                    "umd/popper.min.js")


def configure_static_files(app: Flask) -> None:
    """Serve the static files hashed, compressed and cached (call after the blueprints)."""
    cache = Path(app.config["LMS_STATIC_CACHE"])
    sources = {"static": (Path(app.static_folder), _all_files(Path(app.static_folder)))}
    bootstrap = app.blueprints.get("bootstrap")
    if bootstrap is not None and bootstrap.static_folder:
        folder = Path(bootstrap.static_folder)
        sources["bootstrap.static"] = (folder, [name for name in _BOOTSTRAP_FILES if (folder / name).is_file()])
    hashed_names: dict[str, dict[str, str]] = {}
    server = WhiteNoise(app.wsgi_app, max_age=None, immutable_file_test=lambda path, url: True,
                        add_headers_function=_add_security_headers)
    for endpoint, (folder, names) in sources.items():
        target = cache / endpoint.replace(".", "-")
        target.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
        hashed_names[endpoint] = {name: publish(folder / name, target, name) for name in names}
        server.add_files(str(target), prefix=_url_prefix(app, endpoint))
    app.wsgi_app = server

    @app.url_defaults
    def name_hashed_file(endpoint: str, values: dict) -> None:
        names = hashed_names.get(endpoint)
        if names and values.get("filename") in names:
            values["filename"] = names[values["filename"]]


def hashed_name(name: str, content: bytes) -> str:
    """`css/app.css` with a hash of `content` before its extension."""
    digest = hashlib.sha256(content).hexdigest()[:_HASH_LENGTH]
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{digest}.{extension}" if dot and "/" not in extension else f"{name}.{digest}"


def publish(source: Path, target_folder: Path, name: str) -> str:
    """Copy `source` into `target_folder` under its hashed name, with a gzip twin when that
    is smaller; return the hashed name."""
    content = source.read_bytes()
    published = hashed_name(name, content)
    path = target_folder / published
    if not path.exists():
        compressor = Compressor(use_brotli=False, quiet=True)
        if compressor.should_compress(name):
            compressed = compressor.compress_gzip(content)
            if len(compressed) < 0.95 * len(content):
                _write_atomically(Path(f"{path}.gz"), compressed)
        _write_atomically(path, content)  # last: its presence means the twin is there too
    return published


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    with os.fdopen(handle, "wb") as output:
        output.write(content)
    os.replace(temporary, path)


def _all_files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _url_prefix(app: Flask, endpoint: str) -> str:
    """The URL path the endpoint's files live under, e.g. `/bootstrap/static/`."""
    rule = next(app.url_map.iter_rules(endpoint))
    return rule.rule.removesuffix("<path:filename>")


def _add_security_headers(headers: Headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
