"""Thumbnails of uploaded photos (JPEG, PNG), made safely and cached.

* Only a file whose content check said JPEG or PNG is opened, and only after its sha256
  matches the recorded one (a thumbnail never shows a file that was changed on disk).
* Decompression bombs: the pixel count is read from the header and refused above
  ``MAX_PIXELS`` before anything is decoded; Pillow's own bomb warning is an error here.
* EXIF orientation is applied (phones store portrait photos sideways) and no metadata is
  written back (no GPS position in a thumbnail).
* The result — a JPEG of at most ``SIZE`` pixels a side — is stored once per content hash
  under ``thumbs/`` in the default storage; later requests read it from there.

``thumbnail(file, sha256)`` returns the JPEG bytes, or None when the image cannot be made
(not an image, damaged, too large, changed on disk)."""

import io
import logging
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from .uploads import file_sha256

log = logging.getLogger(__name__)

SIZE = 480  # pixels, the longer side: sharp on a phone's 2× screen at 240 CSS pixels
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; beyond that the header is lying or it is a bomb
FORMATS = ("JPEG", "PNG")
QUALITY = 80
THUMBNAIL_TYPES = ("image/jpeg", "image/png")


def cache_name(sha256: str) -> str:
    return f"thumbs/{sha256[:2]}/{sha256}-{SIZE}.jpg"


def render(source) -> bytes | None:
    """The thumbnail of an open binary file (None: not a usable JPEG / PNG)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source, formats=FORMATS) as img:
                width, height = img.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    return None
                img.draft("RGB", (SIZE, SIZE))  # JPEG: decode at a reduced scale (cheap)
                img = ImageOps.exif_transpose(img)
                img.thumbnail((SIZE, SIZE))
                if img.mode not in ("RGB", "L"):
                    background = Image.new("RGB", img.size, "white")
                    background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
                    img = background
                out = io.BytesIO()
                img.save(out, "JPEG", quality=QUALITY, optimize=True)
                return out.getvalue()
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                OSError, ValueError, SyntaxError, EOFError) as exc:
            log.info("no thumbnail: %s", exc)
            return None


def thumbnail(field_file, sha256: str) -> bytes | None:
    """The cached thumbnail of a stored file (made on first use)."""
    name = cache_name(sha256)
    try:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as f:
                return f.read()
    except OSError:
        pass
    try:
        if file_sha256(field_file) != sha256:
            return None
        with field_file.open("rb") as source:
            data = render(source)
    except OSError:
        return None
    if data is not None:
        try:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(data))
        except OSError:
            log.warning("could not cache thumbnail %s", name, exc_info=True)
    return data
