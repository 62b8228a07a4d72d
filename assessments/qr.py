"""QR codes for the villagers' rating slips, rendered as inline SVG (no outside assets)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """An SVG path image of ``url``; the text is ours (a code we generated), so it is safe."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # noqa: S308 - generated from our own URL, no user text
