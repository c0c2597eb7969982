"""Upload → preview → confirm, without keeping anything on the server between the steps.

The preview page carries the uploaded file back in a hidden field (base64) and, where the
import is planned against the database, a fingerprint of the plan. The confirmation reads
the file again and re-plans it; when the fingerprint differs the database changed since
the preview, and the person is shown the new plan instead of applying it blind. Any app
server can therefore take either step. The roster import and the question import use it.
"""
import base64
import binascii
import hmac

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, MultiDict

from lms.errors import ServiceError

PAYLOAD_FIELD = "payload"
FINGERPRINT_FIELD = "fingerprint"


def read_upload(storage: FileStorage, max_bytes: int, too_large: str) -> bytes:
    """The uploaded file's bytes; ServiceError(too_large) past `max_bytes` (read no further)."""
    data = storage.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(too_large)
    return data


def carry(data: bytes) -> str:
    """The file as the preview page's hidden field holds it."""
    return base64.b64encode(data).decode()


def carried_back(form: MultiDict, max_bytes: int, too_large: str) -> bytes:
    """The file the preview page posted back; ServiceError when it is missing, damaged or
    larger than an upload may be."""
    try:
        data = base64.b64decode(form.get(PAYLOAD_FIELD, ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not data:
        raise ServiceError(_("Dữ liệu tệp không hợp lệ. Vui lòng tải tệp lên lại."))
    if len(data) > max_bytes:
        raise ServiceError(too_large)
    return data


def unchanged_since_preview(form: MultiDict, fingerprint: str) -> bool:
    """Whether the plan made now is the one the person saw (compared in constant time)."""
    return hmac.compare_digest(form.get(FINGERPRINT_FIELD, ""), fingerprint)
