"""Signing with a key on a PKCS#11 token, as the government CA's USB tokens work. SoftHSM
(Debian's softhsm2) stands in for the token; pkcs11-tool (opensc) puts the certificate on it."""
import io
import os
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.signing import SigningError, create_development_key, open_token_signer, sign_pdf, verify_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
ORGANISATION = "ỦY BAN NHÂN DÂN HUYỆN THỬ"
PIN = "246810"


def _run(*command):
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    if not (shutil.which("softhsm2-util") and shutil.which("pkcs11-tool") and os.path.exists(MODULE)):
        pytest.skip("softhsm2 and opensc are not installed (apt-get install softhsm2 opensc)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read when the module is first loaded
    _run("softhsm2-util", "--init-token", "--free", "--label", "lms", "--pin", PIN, "--so-pin", "13579135")
    key, certificate, _chain = pkcs12.load_key_and_certificates(create_development_key(ORGANISATION, "pw"), b"pw")
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    (folder / "cert.der").write_bytes(certificate.public_bytes(serialization.Encoding.DER))
    _run("softhsm2-util", "--import", str(folder / "key.pem"), "--token", "lms", "--label", "orgkey", "--id", "01",
         "--pin", PIN)
    _run("pkcs11-tool", "--module", MODULE, "--token-label", "lms", "--login", "--pin", PIN, "--write-object",
         str(folder / "cert.der"), "--type", "cert", "--label", "orgkey", "--id", "01")
    return MODULE


def _pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Giay chung nhan")
    canvas.save()
    return buffer.getvalue()


def test_a_token_key_signs_and_the_signature_holds(token):
    with open_token_signer(token, "lms", "orgkey", PIN) as signer:
        signed = sign_pdf(_pdf(), signer, field_box=(300, 100, 500, 170), reason="Cấp giấy chứng nhận",
                          location="Thử", stamp_text=None)
    result = verify_pdf(signed)
    assert result.intact and result.signer_name == ORGANISATION


@pytest.mark.parametrize(("token_label", "key_label", "pin", "message"), [
    ("lms", "orgkey", "000000", "Mã PIN của thiết bị ký số không đúng"),
    ("lms", "khac", PIN, "Không tìm thấy khóa hoặc chứng thư «khac»"),
    ("khong-co", "orgkey", PIN, "Không mở được thiết bị ký số «khong-co»"),
])
def test_token_problems_are_explained(token, token_label, key_label, pin, message):
    with pytest.raises(SigningError) as error, open_token_signer(token, token_label, key_label, pin):
        pass
    assert message in error.value.message


def test_the_app_signs_with_the_configured_token(token, tmp_path):
    from lms import create_app
    from lms.certificates.documents import signer

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "LMS_SIGNING_PKCS11_LIB": token, "LMS_SIGNING_PKCS11_TOKEN": "lms",
                      "LMS_SIGNING_PKCS11_KEY": "orgkey", "LMS_SIGNING_PKCS11_PIN": PIN})
    with app.app_context(), signer() as organisation:
        signed = sign_pdf(_pdf(), organisation, field_box=None, reason="Thử", location="Thử", stamp_text=None)
    assert verify_pdf(signed).signer_name == ORGANISATION
    with app.app_context():
        from lms.extensions import db

        db.engine.dispose()
