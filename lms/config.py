"""Settings read from the environment, with defaults that run out of the box.

Environment variables:
  DATABASE_URL            SQLAlchemy URL; default: SQLite file instance/lms.sqlite3
  SECRET_KEY              signs sessions; default: generated once, kept in instance/secret_key
  LMS_BASE_URL            public address, used in links and QR codes
  LMS_ORG_NAME            the organisation shown in the header (default UBND huyện Vĩnh Thạnh)
  LMS_RATELIMIT_STORAGE   limiter storage: memory:// (default) or redis://host:6379/0
  LMS_PROXY_COUNT         number of trusted reverse proxies in front of the app (default 0)
  LMS_STATIC_CACHE        folder for the hashed, compressed static files (default instance/static-cache)
  LMS_PASSWORD_METHOD     how new passwords are hashed: argon2id (default) or argon2id:<KiB>:<passes>:<lanes>
"""
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """Folder for the SQLite database, the generated secret key and uploads."""
    return Path(os.environ.get("LMS_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def load_or_create_secret_key(folder: Path) -> str:
    """Return the key stored in `folder/secret_key`, creating it (mode 0600) on first use.

    Every worker on the machine reads the same file, so sessions survive restarts and are
    valid across workers. Several machines must share SECRET_KEY through the environment.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def default_database_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'lms.sqlite3'}"


def build_config(overrides: dict | None = None) -> dict:
    """The application's settings: `overrides` first (tests), then the environment, then
    defaults. The secret key file is only created when no key is given."""
    overrides = overrides or {}
    env = os.environ
    folder = Path(overrides.get("INSTANCE_PATH") or instance_path())
    base_url = env.get("LMS_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    config = {
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or default_database_url(folder),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "LMS_BASE_URL": base_url,
        "LMS_STATIC_CACHE": env.get("LMS_STATIC_CACHE") or str(folder / "static-cache"),
        "LMS_ORG_NAME": env.get("LMS_ORG_NAME", "UBND huyện Vĩnh Thạnh"),
        "LMS_ISSUE_PLACE": env.get("LMS_ISSUE_PLACE", "Vĩnh Thạnh"),
        "LMS_SIGNER_NAME": env.get("LMS_SIGNER_NAME", "Nguyễn Văn Thành"),
        "LMS_SIGNER_TITLE": env.get("LMS_SIGNER_TITLE", "CHỦ TỊCH"),
        "LMS_SERIAL_PREFIX": env.get("LMS_SERIAL_PREFIX", "VT"),
        "LMS_SIGNING_P12": env.get("LMS_SIGNING_P12"),
        "LMS_SIGNING_PASSWORD": env.get("LMS_SIGNING_PASSWORD", ""),
        "LMS_SIGNING_PKCS11_LIB": env.get("LMS_SIGNING_PKCS11_LIB"),
        "LMS_SIGNING_PKCS11_TOKEN": env.get("LMS_SIGNING_PKCS11_TOKEN"),
        "LMS_SIGNING_PKCS11_KEY": env.get("LMS_SIGNING_PKCS11_KEY"),
        "LMS_SIGNING_PKCS11_PIN": env.get("LMS_SIGNING_PKCS11_PIN"),
        "LMS_PROXY_COUNT": int(env.get("LMS_PROXY_COUNT", "0")),
        # Argon2id with OWASP's settings (19 MiB, 2 passes): about 23 ms a check here, so a
        # whole room signing in at once does not starve the exam of CPU. Hashes made with an
        # older method (werkzeug's scrypt) still verify and are replaced at the next sign-in.
        "LMS_PASSWORD_METHOD": env.get("LMS_PASSWORD_METHOD", "argon2id"),
        # Temporary passwords are random (12 of 55 symbols, ~69 bits) and die at first sign-in,
        # so a lighter scrypt (about 10 ms) is safe; it lets HR create a commune's 400 accounts
        # in one request instead of half a minute.
        "LMS_TEMPORARY_PASSWORD_METHOD": "scrypt:4096:8:1",
        "LMS_SQLITE_BUSY_TIMEOUT_MS": 15000,
        "RATELIMIT_STORAGE_URI": env.get("LMS_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins: per account from one address (so a stranger elsewhere cannot lock
        # the owner out), per account from all addresses together, and per address.
        "LMS_LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
        "LMS_LOGIN_LIMIT_ACCOUNT_CEILING": "50 per 15 minutes",
        "LMS_LOGIN_LIMIT_PER_IP": "30 per 15 minutes",
        # Wrong current passwords on the password-change page, per account.
        "LMS_PASSWORD_CHECK_LIMIT": "5 per 15 minutes",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Whole request bodies: a bigger one is refused (413) from its Content-Length, before it
        # is read. The largest legitimate one is the roster import's confirmation (up to 16 MB,
        # lms/roster/views.py _BODY_LIMITS, which also sets its own smaller per-route limits);
        # question files and certificate scans are 5 MB, course images 2 MB. Forms posting a
        # file back in base64 are URL-encoded, which MAX_FORM_MEMORY_SIZE (500 kB, Flask's
        # default, for multipart text fields) does not limit.
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LMS_LANGUAGES": {"vi": "Tiếng Việt", "en": "English"},
        "LMS_PAGE_SIZE": 50,
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = load_or_create_secret_key(folder)
    return config
