"""Photos of work: refused by their header before any decoding, re-encoded by the worker."""

import io
import resource
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from mathsprog.celery import app
from tests.factories import RecordOfVisitFactory, UserFactory, give_role
from visits.forms import VisitPhotoForm
from visits.models import PhotoStatus, VisitPhoto
from visits.photos import PHOTO_MAX_SIDE
from visits.tasks import process_visit_photo

from ..broker import NOBODY_LISTENS, broker

GPS_IFD = 0x8825


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _black_png(width: int, height: int) -> bytes:
    """A 1-bit black PNG written chunk by chunk, so that its pixels never exist in this
    process: rows of zeros compress about a thousandfold."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the row's pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _photo_with_location(size=(3000, 1500)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "JPEG", exif=exif, comment="At 10 Acacia Ave")
    return buffer.getvalue()


def _peak_rss_growth_mb(run) -> float:
    """How far this process's peak memory rose while `run` ran. Linux lets the peak be reset
    first, so that an earlier test's peak cannot hide this one's."""
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():
        clear_refs.write_text("5")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024


@pytest.fixture
def visit(world):
    return RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)


def _add(client, visit, content: bytes, name="work.jpg"):
    upload = SimpleUploadedFile(name, content, "image/jpeg")
    url = reverse("visits:photo", args=[visit.pk])
    return client.post(url, {"image": upload, "caption": "Bar models"}, follow=True)


@pytest.mark.parametrize(("width", "height"), [(13_000, 13_000), (20_000, 20_000)])
def test_it_refuses_a_photo_of_too_many_pixels_without_decoding_it(
    client, world, visit, width, height
):
    bomb = _black_png(width, height)
    assert len(bomb) < 100 * 1024  # as small on disk as the one that took the web process to 1 GB
    client.force_login(world.sle)
    responses = []
    growth = _peak_rss_growth_mb(lambda: responses.append(_add(client, visit, bomb, "a.png")))
    page = responses[0].content.decode()
    assert f"This photo is {width:,} × {height:,} pixels" in page
    assert "the most we take is 60 megapixels" in page
    assert growth < 100  # decoding it would take at least width × height bytes
    assert not VisitPhoto.objects.exists()


def test_the_form_says_why_it_refuses_a_photo(world):
    form = VisitPhotoForm(files={"image": SimpleUploadedFile("a.png", _black_png(13_000, 13_000))})
    assert not form.is_valid()
    assert form.errors["image"] == [
        "This photo is 13,000 × 13,000 pixels (169 megapixels); the most we take is "
        "60 megapixels. Send a smaller copy."
    ]


def test_it_refuses_what_is_not_a_single_jpeg_or_png(client, world, visit):
    gif, animated = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    frames[0].save(animated, "PNG", save_all=True, append_images=frames[1:])
    client.force_login(world.sle)
    for content in (b"<?php evil(); ?>", gif.getvalue(), _black_png(10, 10)[:40]):
        page = _add(client, visit, content).content.decode()
        assert "This is not a photo we can read (JPEG or PNG)." in page
    page = _add(client, visit, animated.getvalue(), "a.png").content.decode()
    assert "This photo moves (it has 2 frames); send a still photo." in page
    url = reverse("visits:photo", args=[visit.pk])
    assert "Choose a photo (JPEG or PNG)." in client.post(url, follow=True).content.decode()
    assert not VisitPhoto.objects.exists()


def test_a_photo_waits_as_processing_and_the_worker_re_encodes_it(
    client, world, visit, django_capture_on_commit_callbacks
):
    client.force_login(world.sle)
    with django_capture_on_commit_callbacks() as queued:
        page = _add(client, visit, _photo_with_location()).content.decode()
    photo = VisitPhoto.objects.get()
    original = Path(settings.MEDIA_ROOT) / photo.original.name
    assert (photo.status, photo.image.name, len(queued)) == (PhotoStatus.PROCESSING, "", 1)
    assert original.exists()
    assert "Photo added: it shows here once it has been processed." in page
    assert "Processing…" in page
    assert "<img" not in page

    queued[0]()  # the worker's turn
    photo.refresh_from_db()
    assert (photo.status, photo.original.name, photo.failure) == (PhotoStatus.READY, "", "")
    assert not original.exists()  # and with it the location the photo carried
    with photo.image.open("rb") as stored, Image.open(stored) as kept:
        assert kept.format == "JPEG"
        assert kept.size == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE // 2)
        assert not kept.getexif()
        assert "exif" not in kept.info
        assert "comment" not in kept.info
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert f'src="{photo.image.url}"' in page
    assert "Processing…" not in page


def test_running_the_worker_twice_does_no_harm(
    client, world, visit, django_capture_on_commit_callbacks
):
    client.force_login(world.sle)
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, visit, _photo_with_location((40, 30)))
    photo = VisitPhoto.objects.get()
    process_visit_photo(photo.pk)
    again = VisitPhoto.objects.get()
    assert (again.status, again.image.name) == (PhotoStatus.READY, photo.image.name)
    assert again.image.storage.exists(again.image.name)
    # A worker that stopped after saving the photo but before deleting the original: the next
    # run deletes it.
    left_behind = Path(settings.MEDIA_ROOT) / "visits" / "originals" / f"visit-{visit.pk}-left"
    left_behind.write_bytes(b"as sent")
    VisitPhoto.objects.filter(pk=photo.pk).update(original=f"visits/originals/{left_behind.name}")
    process_visit_photo(photo.pk)
    assert not left_behind.exists()
    assert VisitPhoto.objects.get().original.name == ""
    process_visit_photo(photo.pk + 1000)  # deleted meanwhile: nothing to do


def test_a_photo_queued_by_the_tasks_old_name_is_still_processed(client, world, visit):
    client.force_login(world.sle)
    _add(client, visit, _photo_with_location((40, 30)))  # not committed: nothing sent
    photo = VisitPhoto.objects.get()
    # What a worker does with a message queued before the task moved out of schools/.
    app.tasks["schools.tasks.process_visit_photo"].apply(args=[photo.pk])
    assert VisitPhoto.objects.get().status == PhotoStatus.READY


def test_a_photo_that_passes_its_header_but_cannot_be_decoded_ends_failed(
    client, world, visit, django_capture_on_commit_callbacks
):
    # 36 megapixels by its header, under the limit, in 45 bytes: it has no pixels at all.
    header_only = _chunk(b"IHDR", struct.pack(">IIBBBBB", 6000, 6000, 8, 0, 0, 0, 0))
    empty = b"\x89PNG\r\n\x1a\n" + header_only + _chunk(b"IEND", b"")
    client.force_login(world.sle)
    with django_capture_on_commit_callbacks() as queued:
        _add(client, visit, empty, "a.png")
    original = Path(settings.MEDIA_ROOT) / VisitPhoto.objects.get().original.name
    queued[0]()
    photo = VisitPhoto.objects.get()
    assert (photo.status, photo.image.name, photo.original.name) == (PhotoStatus.FAILED, "", "")
    assert photo.failure == "It could not be read (cannot load this image)."
    assert not original.exists()
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "This photo could not be processed. It could not be read" in page
    assert "<img" not in page


def test_the_worker_holds_a_photo_to_the_limits_in_force_when_it_runs(
    client, world, visit, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.sle)
    with django_capture_on_commit_callbacks() as queued:
        _add(client, visit, _photo_with_location((40, 30)))
    settings.PHOTO_MAX_PIXELS = 1000
    queued[0]()
    photo = VisitPhoto.objects.get()
    assert (photo.status, photo.original.name) == (PhotoStatus.FAILED, "")
    assert photo.failure.startswith("This photo is 40 × 30 pixels")


def test_an_error_nobody_foresaw_marks_the_photo_failed_and_is_raised(
    client, world, visit, django_capture_on_commit_callbacks
):
    client.force_login(world.sle)
    with django_capture_on_commit_callbacks() as queued:
        _add(client, visit, _photo_with_location((40, 30)))
    photo = VisitPhoto.objects.get()
    (Path(settings.MEDIA_ROOT) / photo.original.name).unlink()  # storage lost it
    with pytest.raises(FileNotFoundError):
        queued[0]()
    photo.refresh_from_db()
    assert (photo.status, photo.original.name) == (PhotoStatus.FAILED, "")
    assert photo.failure == "Something went wrong; please add it again."


def test_only_the_visits_sle_adds_photos(client, world, visit):
    """Everyone else who may read the record, another SLE of the school among them, is
    answered 404, and the page does not offer them the form."""
    other_sle = UserFactory()
    give_role(other_sle, Role.SLE, programme=world.programme, school=world.school_a)
    for person in (world.head_a, world.governor_a, world.hub_lead, other_sle):
        client.force_login(person)
        assert _add(client, visit, _photo_with_location((40, 30))).status_code == 404
        page = client.get(reverse("visits:detail", args=[visit.pk]))
        assert page.status_code == 200
        assert not page.context["can_add_photos"]
    assert not VisitPhoto.objects.exists()
    client.force_login(world.sle)
    assert client.get(reverse("visits:detail", args=[visit.pk])).context["can_add_photos"]


def test_a_photo_is_never_ready_without_its_image_nor_processing_without_its_original(visit):
    for status, fields in ((PhotoStatus.READY, {}), (PhotoStatus.PROCESSING, {"image": "a.jpg"})):
        with pytest.raises(IntegrityError), transaction.atomic():
            VisitPhoto.objects.create(visit=visit, status=status, **fields)


def test_a_photo_sent_while_the_broker_is_down_says_it_failed(
    client, world, visit, settings, django_capture_on_commit_callbacks
):
    client.force_login(world.sle)
    with broker(NOBODY_LISTENS), django_capture_on_commit_callbacks(execute=True):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        response = _add(client, visit, _photo_with_location())
    assert response.status_code == 200
    photo = VisitPhoto.objects.get()
    assert (photo.status, photo.failure, photo.original.name) == (
        PhotoStatus.FAILED,
        "The task queue did not answer; please add the photo again.",
        "",
    )
    page = client.get(response.request["PATH_INFO"]).content.decode()
    assert "The task queue did not answer" in page
