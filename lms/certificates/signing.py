"""Digital signatures on issued PDF certificates, made with the organisation's PKCS#12 key.

The district People's Committee signs certificates as it signs its e-documents: a PAdES
signature (/SubFilter /ETSI.CAdES.detached, SHA-256) appended to the PDF as an incremental
update, with an optional visible stamp in Vietnamese. Verification says whether the signed
bytes are unchanged and, given the organisation's certificate, whether that certificate signed.

No Flask here: the app passes `LMS_SIGNING_P12` (read as bytes) and `LMS_SIGNING_PASSWORD`.
pyHanko's synchronous calls run their own event loop (`asyncio.run`); where this thread
already runs one, they are moved to a worker thread (`outside_event_loop`).
"""
import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import fontpkg
from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam
SIGNATURE_FIELD = "ChuKySo"
DEFAULT_STAMP_TEXT = "Ký bởi: {signer}\nNgày ký: {signed_at}"
STAMP_FONT_FAMILY = "Be Vietnam Pro"
STAMP_FONT_SIZE = 10
DEVELOPMENT_KEY_BITS = 3072

# pyHanko hands the stamp its signing time as text in this format (see _VietnamTimeStampStyle).
_PYHANKO_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def outside_event_loop(call):
    """Run `call` here, or in a worker thread when this thread already runs an event loop
    (an async server, or a test driving a browser): pyHanko's synchronous API starts its own
    loop with asyncio.run, which refuses to nest."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


class SigningError(Exception):
    """Signing cannot go ahead; `message` (Vietnamese) says what is wrong and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VerificationResult:
    intact: bool  # the signature matches the bytes it covers, and nothing was added after signing
    signer_name: str | None
    signed_at: datetime | None  # as the signer reported it (no timestamp authority), Vietnam time
    trusted: bool  # signed with the trusted certificate given to verify_pdf
    summary: str


# ---------------------------------------------------------------------------- keys


def create_development_key(organisation: str, password: str, valid_days: int = 3650) -> bytes:
    """A PKCS#12 file with a self-signed RSA certificate in the organisation's name.

    For development and tests only: a self-signed certificate proves nothing to anyone
    outside the LMS. In production use the organisation's certificate from a licensed CA.
    """
    if not password:
        raise SigningError("Cần đặt mật khẩu để bảo vệ tệp khóa ký số (PKCS#12).")
    key = rsa.generate_private_key(public_exponent=65537, key_size=DEVELOPMENT_KEY_BITS)
    certificate = _self_signed_certificate(key, organisation, valid_days)
    return pkcs12.serialize_key_and_certificates(
        name=organisation.encode(), key=key, cert=certificate, cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()))


def _self_signed_certificate(key: rsa.RSAPrivateKey, organisation: str, valid_days: int) -> x509.Certificate:
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, organisation),
    ])
    now = datetime.now(UTC)
    key_usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # tolerate a little clock skew
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def load_signer(p12_data: bytes, password: str) -> signers.SimpleSigner:
    """The organisation's signer, refused when its certificate is not valid today."""
    key, certificate, chain = _open_pkcs12(p12_data, password)
    signing_cert = _to_asn1(certificate)
    _check_validity(signing_cert)
    return signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([_to_asn1(ca) for ca in chain]),
    )


def _open_pkcs12(p12_data: bytes, password: str):
    """Key, certificate and CA chain of a PKCS#12 file, or a SigningError saying what is wrong."""
    if not _is_pkcs12(p12_data):
        raise SigningError(
            "Tệp khóa ký số không đọc được: không phải tệp PKCS#12 (.p12/.pfx) hoặc tệp đã bị hỏng. "
            "Hãy xuất lại chứng thư số kèm khóa bí mật ra tệp .p12/.pfx và cấu hình lại LMS_SIGNING_P12.")
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(p12_data, password.encode() or None)
    except ValueError as error:
        raise SigningError(_password_problem(password)) from error
    if key is None:
        raise SigningError(
            "Tệp PKCS#12 không có khóa bí mật (chỉ có chứng thư số) nên không ký được. "
            "Hãy xuất lại chứng thư số của đơn vị kèm khóa bí mật (private key).")
    if certificate is None:
        raise SigningError(
            "Tệp PKCS#12 có khóa bí mật nhưng không có chứng thư số đi kèm. "
            "Hãy xuất lại chứng thư số của đơn vị kèm khóa bí mật.")
    return key, certificate, chain


def _is_pkcs12(data: bytes) -> bool:
    """Whether the bytes are PKCS#12 at all, so that a damaged file is not blamed on the password."""
    try:
        asn1_pkcs12.Pfx.load(data, strict=True).native  # noqa: B018 - parsing is the check
    except (ValueError, TypeError):
        return False
    return True


def _password_problem(password: str) -> str:
    if not password:
        return ("Tệp khóa ký số được bảo vệ bằng mật khẩu nhưng chưa có mật khẩu. "
                "Hãy đặt mật khẩu của tệp vào LMS_SIGNING_PASSWORD.")
    return ("Mật khẩu của tệp khóa ký số không đúng (hoặc tệp đã bị sửa đổi). "
            "Hãy kiểm tra lại LMS_SIGNING_PASSWORD.")


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _check_validity(certificate: asn1_x509.Certificate) -> None:
    now = datetime.now(UTC)
    if now > certificate.not_valid_after:
        raise SigningError(
            f"Chứng thư số đã hết hạn từ ngày {_vietnamese_date(certificate.not_valid_after)}. "
            "Hãy gia hạn hoặc xin cấp chứng thư số mới, rồi cập nhật LMS_SIGNING_P12.")
    if now < certificate.not_valid_before:
        raise SigningError(
            f"Chứng thư số chưa có hiệu lực (có hiệu lực từ {_vietnamese_date(certificate.not_valid_before)}). "
            "Hãy kiểm tra đồng hồ của máy chủ, hoặc chờ đến ngày chứng thư có hiệu lực.")


def _vietnamese_date(moment: datetime) -> str:
    return moment.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------- signing


def sign_pdf(pdf: bytes, signer: signers.Signer, *, field_box: tuple[float, float, float, float] | None,
             reason: str, location: str, stamp_text: str | None) -> bytes:
    """The PDF with a PAdES signature appended as an incremental update.

    `field_box` (x1, y1, x2, y2 in PDF points, on page 1) holds the visible stamp; None makes
    the signature invisible and `stamp_text` is then not used. In `stamp_text` (default
    DEFAULT_STAMP_TEXT), `{signer}` becomes the certificate's name and `{signed_at}` the
    signing time in Vietnam time, ISO 8601.

    The bytes before the signature are kept as they are: any later change to the output
    (even re-saving it with another tool) makes verify_pdf report it as not intact.
    """
    _check_validity(signer.signing_cert)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location)
    pdf_signer = signers.PdfSigner(
        metadata, signer,
        stamp_style=_stamp_style(stamp_text or DEFAULT_STAMP_TEXT),
        new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD, box=field_box, on_page=0))
    try:
        return outside_event_loop(lambda: pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue())
    except PdfError as error:
        raise SigningError(
            "Không đọc được tệp PDF cần ký (tệp hỏng, bị mã hóa hoặc không phải PDF). "
            "Hãy tạo lại tệp chứng nhận rồi ký lại.") from error
    except PyHankoSigningError as error:
        raise SigningError(f"Không ký được tệp PDF: {error}. Hãy tạo lại tệp chứng nhận rồi ký lại.") from error


@dataclass(frozen=True)
class _VietnamTimeStampStyle(TextStampStyle):
    """A text stamp showing the signing time in Vietnam time.

    pyHanko formats the signing time for the stamp in the server's local time zone, so the
    format is fixed to one that parses back, and the time re-expressed in UTC+7.
    """

    timestamp_format: str = _PYHANKO_TIME_FORMAT

    def create_stamp(self, writer, box, text_params):
        signed_at = datetime.strptime(text_params["ts"], self.timestamp_format)
        shown = signed_at.astimezone(VIETNAM_TIME).isoformat(timespec="seconds")
        return super().create_stamp(writer, box, {**text_params, "ts": shown})


def _stamp_style(stamp_text: str) -> _VietnamTimeStampStyle:
    return _VietnamTimeStampStyle(
        stamp_text=_pyhanko_template(stamp_text),
        border_width=1,
        text_box_style=text.TextBoxStyle(font=_VietnameseFont(), font_size=STAMP_FONT_SIZE),
    )


def _pyhanko_template(stamp_text: str) -> str:
    """pyHanko fills the stamp by %-interpolation: a '%' in the caller's text stays literal."""
    return (stamp_text.replace("%", "%%")
            .replace("{signer}", "%(signer)s")
            .replace("{signed_at}", "%(ts)s"))


class _VietnameseFont(FontEngineFactory):
    """Be Vietnam Pro, embedded as a subset, so that the stamp renders Vietnamese everywhere.

    Stands in for pyHanko's GlyphAccumulatorFactory, which opens the font file and never
    closes it (a ResourceWarning on every signature).
    """

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        font = fontpkg.path(STAMP_FONT_FAMILY).read_bytes()
        return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(font), font_size=STAMP_FONT_SIZE,
                                obj_stream=obj_stream)


# ---------------------------------------------------------------------------- verification


def verify_pdf(pdf: bytes, trusted_certificate: bytes | None = None) -> VerificationResult:
    """The state of the PDF's last signature; `trusted_certificate` (PEM or DER) is the
    organisation's certificate, the one the signature must have been made with to be trusted.

    Without a timestamp authority the signing time is the signer's own claim, and trust is
    judged today: once the organisation's certificate expires, earlier signatures stay intact
    but are no longer reported as trusted.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except PdfError as error:
        raise SigningError("Không đọc được tệp PDF: tệp bị hỏng hoặc không phải PDF.") from error
    if not signatures:
        return VerificationResult(False, None, None, False, "Tệp PDF không có chữ ký số.")
    roots = list(load_certs_from_pemder_data(trusted_certificate)) if trusted_certificate else []
    try:
        status = outside_event_loop(lambda: validate_pdf_signature(
            signatures[-1], ValidationContext(trust_roots=roots), skip_diff=True))
    except (PdfError, SignatureValidationError):
        return VerificationResult(False, None, None, False,
                                  "Chữ ký số bị hỏng, không kiểm tra được. Không nên tin nội dung tệp này.")
    intact = status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer_name = _display_name(status.signing_cert.subject)
    signed_at = status.signer_reported_dt.astimezone(VIETNAM_TIME) if status.signer_reported_dt else None
    trusted = intact and bool(roots) and status.trusted
    summary = _summary(intact, trusted, checked_trust=bool(roots), signer_name=signer_name, signed_at=signed_at)
    return VerificationResult(intact, signer_name, signed_at, trusted, summary)


def _display_name(name: asn1_x509.Name) -> str | None:
    attributes = name.native
    return attributes.get("common_name") or attributes.get("organization_name")


def _summary(intact: bool, trusted: bool, *, checked_trust: bool, signer_name: str | None,
             signed_at: datetime | None) -> str:
    if not intact:
        return ("Tài liệu đã bị thay đổi sau khi ký hoặc chữ ký số không khớp với nội dung. "
                "Không nên tin nội dung tệp này.")
    when = signed_at.isoformat(timespec="seconds") if signed_at else "không rõ thời điểm"
    signed = f"Tài liệu do {signer_name} ký số ({when}) và chưa bị thay đổi sau khi ký."
    if trusted:
        return f"{signed} Chữ ký được tạo bằng chứng thư số tin cậy của đơn vị."
    if checked_trust:
        return (f"{signed} Tuy nhiên chứng thư số của người ký không phải chứng thư số tin cậy của đơn vị "
                "(hoặc đã hết hạn): không xác nhận được nguồn gốc.")
    return f"{signed} Chưa đối chiếu với chứng thư số tin cậy của đơn vị."


@contextmanager
def open_token_signer(library: str, token_label: str | None, key_label: str | None, pin: str | None):
    """A signer on a PKCS#11 token (a USB token's driver module, or SoftHSM in tests); the
    session is closed when the block ends. SigningError says what is wrong in Vietnamese."""
    from pkcs11.exceptions import NoSuchKey, NoSuchToken, PinIncorrect, PinLenRange, PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(library, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except (PinIncorrect, PinLenRange) as error:
        raise SigningError("Mã PIN của thiết bị ký số không đúng. Hãy kiểm tra LMS_SIGNING_PKCS11_PIN "
                           "(nhập sai nhiều lần có thể khóa thiết bị).") from error
    except (NoSuchToken, OSError, RuntimeError, PKCS11Error) as error:
        raise SigningError(f"Không mở được thiết bị ký số «{token_label}» qua {library}: {error}. Hãy kiểm tra "
                           "thiết bị đã cắm và LMS_SIGNING_PKCS11_LIB, LMS_SIGNING_PKCS11_TOKEN.") from error
    try:
        try:
            token_signer = PKCS11Signer(session, cert_label=key_label, key_label=key_label)
            _check_validity(outside_event_loop(lambda: token_signer.signing_cert))
        except (NoSuchKey, PKCS11Error) as error:
            raise SigningError(f"Không tìm thấy khóa hoặc chứng thư «{key_label}» trên thiết bị ký số. "
                               "Hãy kiểm tra LMS_SIGNING_PKCS11_KEY.") from error
        yield token_signer
    finally:
        session.close()
