"""Visit photos: resized with Pillow, the EXIF capture time kept in a field."""

from __future__ import annotations

import io
import warnings
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.errors import DomainError
from core.uploads import require_size

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
    """Resize an upload to at most MAX_SIDE pixels; return (JPEG file, taken_at, w, h).

    Refused with a message: a file over VISIT_PHOTO_MAX_MB, or an image of more than
    PHOTO_MAX_PIXELS (a 20000 x 20000 PNG once raised DecompressionBombError, a 500).
    """
    require_size(upload, max_mb=settings.VISIT_PHOTO_MAX_MB)
    try:
        image = Image.open(upload)
        width, height = image.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise DomainError(
                _("The photo has too many pixels (%(w)s x %(h)s); send a smaller one.")
                % {"w": width, "h": height}
            )
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DomainError(_("The photo has too many pixels; send a smaller one.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
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
