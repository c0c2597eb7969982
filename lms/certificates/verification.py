"""Looking a certificate up by its verification code, and what anyone may see of it: the
public verify page, its JSON twin and the API's certificate lookup all answer from here."""
from datetime import date

from sqlalchemy import select

from lms.extensions import db, limiter
from lms.models import Certificate

VERIFY_LIMIT = "30 per minute"
CODE_PATTERN = r"^[A-Za-z0-9_-]{16,40}$"  # the shape of a verification code, for the API document


def lookup_limit(**options):
    """VERIFY_LIMIT per address for all ways of looking a code up together (the verify page,
    its JSON twin, the typed-in form and the API): one bucket, so switching between them
    gives no more guesses. `options` as for Flask-Limiter's shared_limit (e.g. methods)."""
    return limiter.shared_limit(VERIFY_LIMIT, scope="certificate-lookup", **options)


def find_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code; None for anything else (a code of the
    wrong shape is not even looked up)."""
    if not 16 <= len(code) <= 40 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def public_view(certificate: Certificate | None) -> dict:
    """What anyone may see: state, name, unit, standard, dates; never the date of birth."""
    if certificate is None:
        return {"state": "unknown"}
    snapshot = certificate.snapshot
    return {
        "state": certificate.state(date.today()),
        "serial": certificate.serial,
        "register_number": certificate.register_label,
        "holder_name": snapshot["holder_name"],
        "unit": snapshot["unit_name"],
        "standard": snapshot["standard_name"],
        "issuing_body": snapshot["issuing_body"],
        "issue_date": certificate.issue_date.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
    }
