"""Results and pupil years link to pupils without a database constraint (a million-row import
would spend most of its time in the constraint's per-row checks). What keeps the links whole
is a lock: imports hold it shared while they link, whatever deletes pupils holds it alone."""

import threading
from contextlib import contextmanager

import pytest
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction

from evaluation import retention, services, staging
from evaluation.models import AssessmentUpload, Pupil, Result, UploadStatus

from ..factories import ProgrammeFactory
from ..services import require_postgresql
from .files import pupil_row, results_csv


@contextmanager
def held_elsewhere(*, exclusive: bool):
    """The pupils' lock, held by another connection (another worker) until the block ends."""
    held, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                staging.hold_pupils(exclusive=exclusive)
                held.set()
                done.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(20)
    try:
        yield
    finally:
        done.set()
        thread.join()


@contextmanager
def waiting_at_most_300_ms():
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.mark.parametrize(
    "delete_pupils",
    [retention._delete_orphan_pupils, lambda: staging.roll_back(AssessmentUpload(pk=0))],
    ids=["retention", "rollback"],
)
@pytest.mark.django_db(transaction=True)
def test_no_pupil_is_deleted_while_an_import_is_linking(delete_pupils):
    require_postgresql()
    orphan = Pupil.objects.create(programme=ProgrammeFactory(), upn_hash="a" * 64)
    with (
        held_elsewhere(exclusive=False),
        waiting_at_most_300_ms(),
        pytest.raises(OperationalError, match="lock timeout"),
        transaction.atomic(),
    ):
        delete_pupils()
    assert Pupil.objects.filter(pk=orphan.pk).exists()
    with transaction.atomic():  # the import done, the deletion goes ahead
        delete_pupils()
    if delete_pupils is retention._delete_orphan_pupils:
        assert not Pupil.objects.filter(pk=orphan.pk).exists()


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_an_import_waits_while_pupils_are_being_deleted(world, window, school_c):
    require_postgresql()
    content = results_csv([pupil_row(serial, world.school_a.urn) for serial in range(3)])
    upload = services.upload_store(
        uploaded_by=None, window=window, school=None, file=ContentFile(content, "r.csv")
    )
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    with (
        held_elsewhere(exclusive=True),
        waiting_at_most_300_ms(),
        pytest.raises(OperationalError, match="lock timeout"),
    ):
        services.upload_import_now(upload=upload)
    assert not Result.objects.exists()
