"""Checking uploaded images by their bytes, never by their name or the type the browser
claims: a network's logo (`networks.services.network_logo_set`) and the import of an
exchange file that carries one (`networks.exchange`).

Only PNG and JPEG are accepted. SVG is not: it is a document that may carry scripts and
references to other files, and the logo goes into e-mails and PDFs."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .errors import DomainError

PNG = "image/png"
JPEG = "image/jpeg"
# content type → the file name ending it is stored under
IMAGE_TYPES: dict[str, str] = {PNG: ".png", JPEG: ".jpg"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"


def sniff_image(head: bytes) -> str | None:
    """The content type the bytes start like: PNG (its 8-byte signature followed by the
    IHDR chunk) or JPEG (start-of-image marker and the next marker), else None."""
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(_JPEG_SIGNATURE):
        return JPEG
    return None


@dataclass(frozen=True)
class CheckedImage:
    name: str  # the uploaded file's own name (kept as data only)
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return IMAGE_TYPES[self.content_type]


def check_image(upload: Any, *, max_bytes: int, field: str = "file") -> CheckedImage:
    """The uploaded image's bytes and type, or a `DomainError` at `field` with a German
    message: nothing uploaded, empty, larger than `max_bytes`, or not a PNG or JPEG."""
    if upload is None:
        raise DomainError.for_field(field, _("Bitte wählen Sie eine Bilddatei aus."))
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(field, max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if not data:
        raise DomainError.for_field(field, _("Die Datei ist leer."))
    if len(data) > max_bytes:
        raise _too_large(field, max_bytes)
    content_type = sniff_image(data[:64])
    if content_type is None:
        raise DomainError.for_field(
            field, _("Die Datei ist kein Bild im Format PNG oder JPEG (SVG ist nicht erlaubt).")
        )
    name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable()).strip()[:255]
    return CheckedImage(
        name=name or f"logo{IMAGE_TYPES[content_type]}", content_type=content_type, data=data
    )


def limit_text(max_bytes: int) -> str:
    """A size limit as people read it: "1 MB", "1,5 MB", "500 KB"."""
    if max_bytes >= 1024 * 1024:
        return _("%(mb)s MB") % {"mb": f"{max_bytes / (1024 * 1024):g}".replace(".", ",")}
    return _("%(kb)s KB") % {"kb": max_bytes // 1024}


def _too_large(field: str, max_bytes: int) -> DomainError:
    return DomainError.for_field(
        field, _("Die Datei ist zu groß (höchstens %(limit)s).") % {"limit": limit_text(max_bytes)}
    )
