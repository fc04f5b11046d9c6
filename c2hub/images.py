"""Uploaded photos: the one check every upload of an image goes through (walkabout findings,
case-study photos), by reading the file's content, never trusting its name or declared type."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

#: Image formats accepted (as Pillow names them) and the file extension each is stored with.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_MAX_BYTES = 10 * 1024 * 1024


def check_image(upload: UploadedFile, *, field: str = "photo", max_bytes: int = IMAGE_MAX_BYTES) -> str:
    """The image's format if the upload is a JPEG, PNG, WebP or GIF no larger than ``max_bytes``;
    otherwise a ValidationError on ``field`` saying what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError({field: f"The photo must be smaller than {max_bytes // (1024 * 1024)} MB."})
    wrong_type = ValidationError({field: "The photo must be a JPEG, PNG, WebP or GIF image."})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise wrong_type from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise wrong_type
    return str(image_format)
