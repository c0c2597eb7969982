"""Producing a certificate's PDF at issue: drawn from its snapshot, then signed with the
organisation's key when one is configured. The bytes are stored and served as they are."""
import hashlib
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from lms.certificates.pdf import SIGNATURE_BOX, CertificateContent, render_certificate
from lms.certificates.signing import (
    SigningError,
    create_development_key,
    load_signer,
    open_token_signer,
    sign_pdf,
)
from lms.models import Certificate

DEV_KEY_NAME = "signing-key.p12"
DEV_PASSWORD_NAME = "signing-key.password"  # noqa: S105  (a file name, not a password)


def content_of(certificate: Certificate) -> CertificateContent:
    snapshot = certificate.snapshot
    return CertificateContent(
        serial=certificate.serial, register_number=certificate.register_label,
        holder_name=snapshot["holder_name"], date_of_birth=snapshot["date_of_birth"],
        unit_name=snapshot["unit_name"], title=snapshot["title"], wording=snapshot["wording"],
        standard_name=snapshot["standard_name"], results=tuple(tuple(item) for item in snapshot["results"]),
        issuing_body=snapshot["issuing_body"], parent_body=snapshot["parent_body"], place=snapshot["place"],
        issue_date=certificate.issue_date, signer_title=snapshot["signer_title"],
        signer_name=snapshot["signer_name"], verify_url=snapshot["verify_url"], valid_until=certificate.valid_until,
    )


def key_location() -> tuple[Path | None, str]:
    """The configured PKCS#12 file and password; else the development key `lms signing-key`
    or `lms init --demo` left under instance/; else (None, "") and certificates go unsigned."""
    configured = current_app.config.get("LMS_SIGNING_P12")
    if configured:
        return Path(configured), current_app.config.get("LMS_SIGNING_PASSWORD", "")
    folder = Path(current_app.config["INSTANCE_PATH"])
    if (folder / DEV_KEY_NAME).exists():
        return folder / DEV_KEY_NAME, (folder / DEV_PASSWORD_NAME).read_text().strip()
    return None, ""


@contextmanager
def signer():
    """The organisation's signer for as long as the block runs, or None when no key is set.

    A token (LMS_SIGNING_PKCS11_LIB: the USB token's PKCS#11 module, as the government CA
    issues them) takes precedence over a PKCS#12 file; its session is closed afterwards."""
    config = current_app.config
    if config.get("LMS_SIGNING_PKCS11_LIB"):
        with open_token_signer(config["LMS_SIGNING_PKCS11_LIB"], config.get("LMS_SIGNING_PKCS11_TOKEN"),
                               config.get("LMS_SIGNING_PKCS11_KEY"), config.get("LMS_SIGNING_PKCS11_PIN")) as token:
            yield token
        return
    path, password = key_location()
    if path is None:
        yield None
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"Không đọc được tệp khóa ký số {path}: {error.strerror}. "
                           "Hãy kiểm tra LMS_SIGNING_P12.") from error
    yield load_signer(data, password)


def attach_pdf(certificate: Certificate) -> None:
    """Draw, sign (if a key is configured) and store the PDF; SigningError when the key is
    unusable (wrong password or PIN, expired, token missing), so nothing is issued half-signed."""
    pdf = render_certificate(content_of(certificate))
    with signer() as organisation:
        if organisation is not None:
            pdf = sign_pdf(pdf, organisation, field_box=SIGNATURE_BOX, reason="Cấp giấy chứng nhận",
                           location=certificate.snapshot["place"], stamp_text=None)
    certificate.pdf = pdf
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()


def create_key_file(out: Path, organisation: str) -> Path:
    """A self-signed development key (PKCS#12) with a random password written beside it."""
    password = secrets.token_urlsafe(18)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(create_development_key(organisation, password))
    password_file = out.with_suffix(".password")
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return password_file
