"""Uploads are judged by their content, not their name (issue 11, findings 4 and 14).

An ``.exe`` renamed ``.jpg`` was stored and served as an image, and an HTML page named
``.pdf`` was accepted. Here the first bytes decide what a file is, and archives (xlsx)
are measured unpacked before anything reads them.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.errors import DomainError

PDF, JPEG, PNG, GIF, WEBP, ZIP, OLE = "pdf", "jpeg", "png", "gif", "webp", "zip", "ole"
IMAGE_KINDS = frozenset({JPEG, PNG, GIF, WEBP})
DOCUMENT_KINDS = frozenset({PDF, ZIP, OLE}) | IMAGE_KINDS

CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    GIF: "image/gif",
    WEBP: "image/webp",
}


def sniff(upload) -> str | None:
    """The kind of a file from its first bytes, or None for anything we do not accept."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return ZIP  # xlsx, docx, pptx
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE  # legacy xls, doc, ppt
    return None


def require_kind(upload, allowed: frozenset[str]) -> str:
    """The file's kind when its content is one of ``allowed``; else a refusal that says so."""
    kind = sniff(upload)
    if kind not in allowed:
        raise DomainError(
            _("%(name)s is not a file of an accepted kind (its content was checked).")
            % {"name": getattr(upload, "name", "") or _("The file")}
        )
    return kind


def require_size(upload, *, max_mb: float, name: str | None = None) -> None:
    if upload.size > max_mb * 1024 * 1024:
        raise DomainError(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name or getattr(upload, "name", ""), "mb": max_mb}
        )


def require_small_archive(upload) -> None:
    """An xlsx is a zip: refuse one that unpacks beyond ROSTER_MAX_UNCOMPRESSED_MB (a zip
    bomb of 47 KB once expanded to 300,000 rows and 531 MB)."""
    limit = settings.ROSTER_MAX_UNCOMPRESSED_MB * 1024 * 1024
    position = upload.tell()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise DomainError(_("The file is not an .xlsx workbook.")) from error
    finally:
        upload.seek(position)
    if total > limit:
        raise DomainError(
            _("The workbook unpacks to more than %(mb)s MB; split it into smaller files.")
            % {"mb": settings.ROSTER_MAX_UNCOMPRESSED_MB}
        )
