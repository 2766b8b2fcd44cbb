"""A petition's cover image, made fit for a phone on a bad connection and for sharing."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from campaign.exceptions import ApplicationError

MAX_SIDE = 1600  # px: sharp on a large screen, and over the 1200 px share previews ask for
MAX_PIXELS = 40_000_000  # what we agree to decode (a 50-megapixel photo is refused)
QUALITY = 82


def TOO_LARGE() -> str:  # noqa: N802 - a message, translated when shown
    return _("This image is too large: 40 megapixels at most.")


def cover_prepared(upload, *, stem: str) -> ContentFile:
    """The upload turned upright (EXIF orientation), scaled down to MAX_SIDE, stripped of
    its metadata (a phone photo carries GPS position and device), as a progressive JPEG,
    or a PNG when it has transparency. Raises ApplicationError for what is not an image."""
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ApplicationError(TOO_LARGE())
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            transparent = image.mode in ("RGBA", "LA") or "transparency" in image.info
            out = io.BytesIO()
            if transparent:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                extension = "png"
            else:
                image.convert("RGB").save(
                    out, "JPEG", quality=QUALITY, optimize=True, progressive=True
                )
                extension = "jpg"
    except (OSError, Image.DecompressionBombError) as error:
        raise ApplicationError(_("This file is not an image we can read.")) from error
    data = out.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:10]
    return ContentFile(data, name=f"{stem[:60]}-{digest}.{extension}")
