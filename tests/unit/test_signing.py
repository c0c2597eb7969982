"""Signing certificates: a development key in the organisation's Vietnamese name, PAdES
signatures that pyHanko and poppler's pdfsig both accept, tampering detected by both, the
visible stamp in Vietnamese with the time in Vietnam time, and a clear error for every key
that cannot sign."""
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtensionOID, NameOID
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from lms.certificates.signing import (
    VIETNAM_TIME,
    SigningError,
    create_development_key,
    load_signer,
    sign_pdf,
    verify_pdf,
)

ORGANISATION = "ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH"
PASSWORD = "Mat-khau-ky-so-2018"
BOX = (300.0, 40.0, 560.0, 110.0)
PAGE_TEXT = b"CHUNG NHAN HOAN THANH KHOA HOC"


def make_pdf() -> bytes:
    """One page, its content stream left uncompressed so a test can find and change its text."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 720, PAGE_TEXT.decode())
    page.showPage()
    page.save()
    return out.getvalue()


def sign(signer, **options) -> bytes:
    arguments = {"field_box": BOX, "reason": "Cấp chứng nhận", "location": "Vĩnh Thạnh, Bình Định",
                 "stamp_text": None} | options
    return sign_pdf(make_pdf(), signer, **arguments)


def tamper(pdf: bytes) -> bytes:
    """One character of the page's text changed: inside the signed byte range, same length."""
    at = pdf.index(PAGE_TEXT)
    return pdf[:at] + b"X" + pdf[at + 1:]


def certificate_of(p12_data: bytes) -> x509.Certificate:
    return pkcs12.load_key_and_certificates(p12_data, PASSWORD.encode())[1]


def p12_with(certificate: x509.Certificate, key, password: str = PASSWORD) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"test", key, certificate, None, serialization.BestAvailableEncryption(password.encode()))


def certificate_for(key, *, not_before: datetime, not_after: datetime) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ORGANISATION)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))


def run_poppler(tool: str, pdf: bytes, tmp_path) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (Debian's poppler-utils) is not installed: apt-get install poppler-utils")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    arguments = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(arguments, capture_output=True, text=True, check=True, timeout=60).stdout


def pdfsig_validation(pdf: bytes, tmp_path) -> str:
    """pdfsig's verdict on the signature itself (not on trust: the development key is self-signed)."""
    [verdict] = re.findall(r"- Signature Validation: (.*)", run_poppler("pdfsig", pdf, tmp_path))
    return verdict.strip()


def signature_widget(pdf: bytes):
    [widget] = [annotation.get_object() for annotation in PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"]]
    assert widget["/FT"] == "/Sig"
    return widget


@pytest.fixture(scope="module")
def p12() -> bytes:
    return create_development_key(ORGANISATION, PASSWORD)


@pytest.fixture(scope="module")
def signer(p12):
    return load_signer(p12, PASSWORD)


@pytest.fixture(scope="module")
def signed(signer) -> bytes:
    return sign(signer)


@pytest.fixture(scope="module")
def certificate_pem(p12) -> bytes:
    return certificate_of(p12).public_bytes(serialization.Encoding.PEM)


# The development key.


def test_development_certificate_is_in_the_organisations_vietnamese_name(p12):
    certificate = certificate_of(p12)
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == ORGANISATION
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORGANISATION
    assert certificate.issuer == certificate.subject


def test_development_certificate_may_only_sign_documents(p12):
    usage = certificate_of(p12).extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    assert usage.digital_signature and usage.content_commitment
    assert not (usage.key_encipherment or usage.key_cert_sign)


def test_development_key_needs_a_password():
    with pytest.raises(SigningError, match="mật khẩu"):
        create_development_key(ORGANISATION, "")


def test_development_certificate_is_valid_from_now_for_ten_years(p12):
    certificate = certificate_of(p12)
    now = datetime.now(UTC)
    assert now - timedelta(minutes=6) < certificate.not_valid_before_utc <= now  # a little clock skew allowed
    assert certificate.not_valid_after_utc - certificate.not_valid_before_utc > timedelta(days=3650)


# Signing and verifying.


def test_signed_pdf_is_intact_and_signed_by_the_organisation(signed):
    result = verify_pdf(signed)
    assert result.intact
    assert result.signer_name == ORGANISATION
    assert result.signed_at.utcoffset() == timedelta(hours=7)
    assert abs(datetime.now(UTC) - result.signed_at) < timedelta(minutes=5)
    assert not result.trusted
    assert ORGANISATION in result.summary


def test_signature_is_trusted_only_against_the_organisations_certificate(signed, certificate_pem):
    assert verify_pdf(signed, certificate_pem).trusted
    other = certificate_of(create_development_key("Người khác", PASSWORD))
    result = verify_pdf(signed, other.public_bytes(serialization.Encoding.DER))
    assert result.intact
    assert not result.trusted
    assert "không phải chứng thư số tin cậy" in result.summary


def test_signature_is_pades_over_the_whole_file(signed):
    [field] = PdfReader(io.BytesIO(signed)).get_fields().values()
    signature = field["/V"]
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature["/Reason"] == "Cấp chứng nhận"
    start, _first_length, second_start, second_length = signature["/ByteRange"]
    assert start == 0 and second_start + second_length == len(signed)


def test_pdfsig_reports_the_signature_valid(signed, tmp_path):
    output = run_poppler("pdfsig", signed, tmp_path)
    assert "Signature Validation: Signature is Valid." in output
    assert "Signing Hash Algorithm: SHA-256" in output
    assert "Signature Type: ETSI.CAdES.detached" in output
    assert "Total document signed" in output


def test_one_changed_byte_makes_the_signature_not_intact(signed, certificate_pem):
    result = verify_pdf(tamper(signed), certificate_pem)
    assert not result.intact
    assert not result.trusted
    assert "bị thay đổi" in result.summary


def test_pdfsig_reports_a_changed_byte(signed, tmp_path):
    assert pdfsig_validation(tamper(signed), tmp_path) == "Digest Mismatch."


def test_unsigned_pdf_is_reported_as_such():
    result = verify_pdf(make_pdf())
    assert (result.intact, result.signer_name, result.trusted) == (False, None, False)
    assert "không có chữ ký số" in result.summary


# The stamp.


def test_visible_stamp_is_drawn_in_the_field_box(signed):
    widget = signature_widget(signed)
    assert [float(value) for value in widget["/Rect"]] == list(BOX)
    appearance = widget["/AP"]["/N"].get_object()
    assert appearance.get_data().strip()


def test_stamp_embeds_the_vietnamese_font(signed):
    appearance = signature_widget(signed)["/AP"]["/N"].get_object()
    fonts = [font.get_object() for font in appearance["/Resources"]["/Font"].values()]
    assert any("BeVietnamPro" in font["/BaseFont"] for font in fonts)


def test_stamp_text_is_vietnamese_with_the_signing_time_in_vietnam_time(signed, tmp_path):
    signed_at = verify_pdf(signed).signed_at.isoformat(timespec="seconds")
    shown = run_poppler("pdftotext", signed, tmp_path)
    assert f"Ký bởi: {ORGANISATION}" in shown
    assert f"Ngày ký: {signed_at}" in shown
    assert signed_at.endswith("+07:00")


def test_stamp_text_of_the_caller_keeps_percent_signs(signer, tmp_path):
    pdf = sign(signer, stamp_text="Hoàn thành 100% khóa học\nKý bởi: {signer}")
    shown = run_poppler("pdftotext", pdf, tmp_path)
    assert "Hoàn thành 100% khóa học" in shown
    assert f"Ký bởi: {ORGANISATION}" in shown


def test_signature_without_field_box_is_invisible(signer):
    pdf = sign(signer, field_box=None)
    assert [float(value) for value in signature_widget(pdf)["/Rect"]] == [0.0, 0.0, 0.0, 0.0]
    assert verify_pdf(pdf).intact


def test_vietnam_time_has_no_daylight_saving():
    assert datetime(2018, 7, 1, tzinfo=VIETNAM_TIME).utcoffset() == timedelta(hours=7)


# Keys and files that cannot sign.


def test_wrong_password_is_named(p12):
    with pytest.raises(SigningError) as raised:
        load_signer(p12, "sai-mat-khau")
    assert "Mật khẩu" in raised.value.message and "LMS_SIGNING_PASSWORD" in raised.value.message


def test_missing_password_is_named(p12):
    with pytest.raises(SigningError) as raised:
        load_signer(p12, "")
    assert "chưa có mật khẩu" in raised.value.message


@pytest.mark.parametrize("data", [b"", b"not a PKCS#12 file", b"-----BEGIN CERTIFICATE-----\n"])
def test_unreadable_key_file_is_not_blamed_on_the_password(data):
    with pytest.raises(SigningError) as raised:
        load_signer(data, PASSWORD)
    assert "PKCS#12" in raised.value.message and "LMS_SIGNING_P12" in raised.value.message


def test_truncated_key_file_is_unreadable(p12):
    with pytest.raises(SigningError, match="không đọc được"):
        load_signer(p12[:-1], PASSWORD)


def test_expired_certificate_cannot_sign():
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    expired = certificate_for(key, not_before=now - timedelta(days=400), not_after=now - timedelta(days=35))
    with pytest.raises(SigningError) as raised:
        load_signer(p12_with(expired, key), PASSWORD)
    assert "hết hạn" in raised.value.message
    assert (now - timedelta(days=35)).astimezone(VIETNAM_TIME).strftime("%d/%m/%Y") in raised.value.message


def test_certificate_not_yet_valid_cannot_sign():
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    future = certificate_for(key, not_before=now + timedelta(days=2), not_after=now + timedelta(days=30))
    with pytest.raises(SigningError, match="chưa có hiệu lực"):
        load_signer(p12_with(future, key), PASSWORD)


def test_certificate_without_private_key_cannot_sign(p12):
    certificate_only = pkcs12.serialize_key_and_certificates(
        b"test", None, certificate_of(p12), None, serialization.BestAvailableEncryption(PASSWORD.encode()))
    with pytest.raises(SigningError, match="không có khóa bí mật"):
        load_signer(certificate_only, PASSWORD)


def test_key_without_certificate_cannot_sign():
    key_only = pkcs12.serialize_key_and_certificates(
        b"test", ec.generate_private_key(ec.SECP256R1()), None, None,
        serialization.BestAvailableEncryption(PASSWORD.encode()))
    with pytest.raises(SigningError, match="không có chứng thư số"):
        load_signer(key_only, PASSWORD)


def test_garbage_pdf_cannot_be_signed_or_verified(signer):
    with pytest.raises(SigningError, match="PDF"):
        sign_pdf(b"%PDF-garbage", signer, field_box=BOX, reason="x", location="y", stamp_text=None)
    with pytest.raises(SigningError, match="PDF"):
        verify_pdf(b"%PDF-garbage")
