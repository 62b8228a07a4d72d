"""Visit photos: resized with Pillow, the EXIF capture time kept in a field."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.errors import DomainError

MAX_SIDE = 1600
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME = 0x0132


def exif_taken_at(image: Image.Image) -> datetime | None:
    """EXIF DateTimeOriginal (or DateTime) as an aware datetime in the local time zone."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block is no reason to refuse a photo
        return None
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive)


def prepare_photo(upload) -> tuple[ContentFile, datetime | None, int, int]:
    """Resize an upload to at most MAX_SIDE pixels; return (JPEG file, taken_at, w, h)."""
    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise DomainError(_("The photo could not be read; upload a JPEG or PNG.")) from error
    taken_at = exif_taken_at(image)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    name = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(buffer.getvalue(), name=f"{name[:40]}.jpg"), taken_at, *image.size
