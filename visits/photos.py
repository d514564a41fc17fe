"""Photos of work: the web process reads only a photo's header; the worker decodes it.

A PNG of 20 KB can say it is 13,000 × 13,000 pixels, and decoding it takes about 1 GB. So a
photo is refused by the size its header gives, before any of its pixels are read, and decoded
only in the worker, already shrunk where the format allows."""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import ImageFile, ImageOps
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile

from .models import PhotoStatus, VisitPhoto

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 2000
# Each format's own class reads just the header. (Image.open would first hold the size against
# Pillow's own global limit, and warn or refuse in its words rather than ours.)
PHOTO_FORMATS = {b"\xff\xd8\xff": JpegImageFile, b"\x89PNG\r\n\x1a\n": PngImageFile}
# What Pillow raises for a file that is not what it says it is, or is cut short.
PHOTO_READ_ERRORS = (OSError, SyntaxError, ValueError, EOFError)
PHOTO_UNREADABLE = "This is not a photo we can read (JPEG or PNG)."


def photo_opened(file) -> ImageFile.ImageFile:
    """The photo with only its header read, if it is one we take; if not, a ValidationError
    that says why."""
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError("The photo is larger than 8 MB.")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    opener = next((cls for magic, cls in PHOTO_FORMATS.items() if head.startswith(magic)), None)
    if opener is None:
        raise ValidationError(PHOTO_UNREADABLE)
    try:
        image = opener(file)
    except PHOTO_READ_ERRORS as error:
        raise ValidationError(PHOTO_UNREADABLE) from error
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            f"This photo is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} "
            f"megapixels); the most we take is {settings.PHOTO_MAX_PIXELS / 1e6:,.0f} "
            "megapixels. Send a smaller copy."
        )
    frames = getattr(image, "n_frames", 1)
    if frames > 1:  # an animated PNG: we would keep only its first frame
        raise ValidationError(f"This photo moves (it has {frames} frames); send a still photo.")
    return image


def _reencoded(file) -> bytes:
    """The photo decoded no larger than it is kept, turned upright, and encoded afresh with only
    its pixels and colour profile: no location, camera details or comment travel with it."""
    image = photo_opened(file)  # the same checks: the worker decodes only what the web takes
    width, height = image.size
    shrink = min(1, PHOTO_MAX_SIDE / max(width, height))
    # A JPEG is decoded at 1/2, 1/4 or 1/8 scale if that is still as large as is kept.
    image.draft("RGB", (int(width * shrink), int(height * shrink)))
    if image.mode in ("1", "P", "PA"):
        # Pillow shrinks these by dropping pixels rather than averaging them.
        image = image.convert("RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    # Phones store a photo on its side with an Orientation tag, which goes with the EXIF.
    image = ImageOps.exif_transpose(image).convert("RGB")
    profile = image.info.get("icc_profile")
    image.info.clear()  # else the encoder carries the sender's comment over
    clean = io.BytesIO()
    image.save(clean, "JPEG", quality=85, icc_profile=profile)
    return clean.getvalue()


def visit_photo_process(*, photo_id: int) -> None:
    """In the worker: re-encode a photo as sent, then delete the file as sent. Run twice, or on
    two workers at once, it re-encodes once (the row is locked), and a second run only deletes
    an original that a worker stopped before deleting."""
    with transaction.atomic():
        photo = VisitPhoto.objects.select_for_update().filter(pk=photo_id).first()
        if photo is None:
            return  # deleted meanwhile
        if photo.status == PhotoStatus.PROCESSING:
            _reencode(photo)
            photo.save(update_fields=["image", "status", "failure"])
    _original_delete(photo)


def _reencode(photo: VisitPhoto) -> None:
    # Outside the try: an original gone from storage is our fault, not the photo's.
    with photo.original.open("rb") as original:
        try:
            clean = _reencoded(original)
        except ValidationError as error:
            _failed(photo, " ".join(error.messages))
        except PHOTO_READ_ERRORS as error:
            _failed(photo, f"It could not be read ({error}).")
        else:
            name = f"{Path(photo.original.name).stem}.jpg"
            photo.image.save(name, ContentFile(clean), save=False)
            photo.status = PhotoStatus.READY


def _failed(photo: VisitPhoto, failure: str) -> None:
    photo.status, photo.failure = PhotoStatus.FAILED, failure[:300]


def _original_delete(photo: VisitPhoto) -> None:
    """Once the photo is ready or failed, and that is committed: the file as sent, with the
    location it may carry, is of no more use."""
    if photo.original and photo.status != PhotoStatus.PROCESSING:
        photo.original.delete(save=False)
        photo.save(update_fields=["original"])


PHOTO_QUEUE_DOWN = "The task queue did not answer; please add the photo again."


def visit_photo_fail(
    *, photo_id: int, failure: str = "Something went wrong; please add it again."
) -> None:
    """After an error nobody foresaw: the photo says it failed rather than look busy for ever,
    and its original goes (the sender adds the photo again)."""
    with transaction.atomic():
        photo = VisitPhoto.objects.select_for_update().filter(pk=photo_id).first()
        if photo is None or photo.status != PhotoStatus.PROCESSING:
            return
        _failed(photo, failure)
        photo.save(update_fields=["status", "failure"])
    _original_delete(photo)
