"""No uploaded file outlives its use: after each path an upload can take (checked, invalid,
broken, imported, refused, rolled back, deleted at the end of retention), the store holds no
UPN, name or date of birth, only the staged rows the product still needs. Each test searches
the whole of its own MEDIA_ROOT, gzip and workbook files unpacked; the last runs on Django's
in-memory storage, reached (as S3 is) through the storage API alone. Expiry is in
test_upload_expiry.py."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from evaluation import retention, services, tasks
from evaluation.models import AssessmentUpload, AssessmentWindow, Result, UploadStatus
from tests.factories import EnrolmentFactory

from .files import HEADER, pupil_row, results_csv, results_xlsx
from .stored import (
    IDENTITY,
    assert_no_identity,
    assert_pseudonymised,
    in_storage,
    later,
    on_disk,
    pupils,
    queued,
    staged_name,
)


def test_the_search_finds_what_a_stored_file_holds(media, world, window):
    """The searches below would see an identity if one were left: a file nobody has checked
    yet holds them all, a workbook too."""
    rows = pupils(world)
    for content, name in ((results_csv(rows), "r.csv"), (results_xlsx(rows), "r.xlsx")):
        services.upload_store(
            uploaded_by=None, window=window, school=None, file=ContentFile(content, name=name)
        )
    stored = on_disk(media)
    assert len(stored) == 2
    for text in stored.values():
        for row in rows:
            assert all(row[column] in text for column in IDENTITY)


def test_the_file_goes_once_checked_and_the_staged_rows_once_imported(
    media, client, world, window, school_c, send_file, act
):
    client.force_login(world.hub_lead)
    rows = pupils(world, school_c)
    upload = send_file(window, results_csv(rows))
    assert upload.status == UploadStatus.READY
    stored = on_disk(media)
    assert list(stored) == [staged_name(upload)]  # the original is gone, the staged rows stay
    assert_no_identity(stored, rows)
    assert_pseudonymised(stored[staged_name(upload)], rows=4)
    assert not upload.file
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Here is what importing it will change" in page
    act(upload, "confirm")
    assert upload.status == UploadStatus.IMPORTED
    assert on_disk(media) == {}
    assert (upload.file.name, upload.staged.name) == ("", "")
    assert Result.objects.count() == 4
    assert "Imported" in client.get(upload.get_absolute_url()).content.decode()


@pytest.mark.parametrize("broken", ["a bad row", "a missing column"])
def test_an_invalid_file_is_deleted_once_checked(media, client, world, window, send_file, broken):
    client.force_login(world.hub_lead)
    rows = pupils(world)
    if broken == "a bad row":
        rows[1]["Scaled Score"] = "1000"
        content = results_csv(rows)
    else:
        content = results_csv(rows, header=[column for column in HEADER if column != "URN"])
    upload = send_file(window, content)
    assert upload.status == UploadStatus.INVALID
    assert on_disk(media) == {}
    assert not upload.file
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Correct the file and upload it again." in page
    errors = client.get(reverse("evaluation:upload_errors", args=[upload.pk]))
    assert errors.status_code == 200  # the problems found live on without the file


def test_a_check_that_breaks_deletes_the_file(media, client, world, window, send_file, monkeypatch):
    def broken(stream, **reading):
        raise RuntimeError("the check broke")

    monkeypatch.setattr(services, "read_rows", broken)
    client.force_login(world.hub_lead)
    # Raised inside COPY's read of the staged rows, it comes out as the database's error.
    with pytest.raises(Exception, match="the check broke"):
        send_file(window, results_csv(pupils(world)))
    upload = AssessmentUpload.objects.get()
    assert upload.status == UploadStatus.FAILED
    assert on_disk(media) == {}
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Something went wrong on our side" in page


def test_an_import_that_breaks_deletes_the_staged_rows(
    media, client, world, window, send_file, act, monkeypatch
):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(pupils(world)))
    assert list(on_disk(media)) == [staged_name(upload)]

    def broken(*, programme_id):
        raise RuntimeError("the import broke")

    monkeypatch.setattr(services, "programme_data_changed", broken)
    with pytest.raises(RuntimeError, match="the import broke"):
        act(upload, "confirm")
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED
    assert on_disk(media) == {}


def test_an_import_refused_deletes_the_staged_rows(
    media, client, world, window, school_c, send_file, act
):
    """A school that left the programme between the preview and the confirmation stops the
    import: the upload must be sent again, so its staged rows are of no more use."""
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(pupils(world, school_c)))
    school_c.enrolments.all().delete()
    act(upload, "confirm")
    assert upload.status == UploadStatus.INVALID
    assert on_disk(media) == {}


def test_a_rollback_leaves_no_file(media, client, world, window, send_file, act):
    """Nor of an upload checked before files were deleted once checked, whose original is
    still stored."""
    client.force_login(world.hub_lead)
    rows = pupils(world)
    upload = send_file(window, results_csv(rows))
    act(upload, "confirm")
    upload.file.save("results.csv", ContentFile(results_csv(rows)))  # as kept before
    assert on_disk(media) != {}
    act(upload, "rollback")
    assert upload.status == UploadStatus.ROLLED_BACK
    assert on_disk(media) == {}
    assert "Rolled back" in client.get(upload.get_absolute_url()).content.decode()


def _other_programmes_upload(world) -> AssessmentUpload:
    """School B's results, ready in a programme that school A is not part of."""
    enrolment = EnrolmentFactory(school=world.school_b)
    window = AssessmentWindow.objects.create(
        programme=enrolment.programme, slug="end", name="End", kind="end", date=date(2026, 6, 1)
    )
    rows = [pupil_row(serial, world.school_b.urn) for serial in range(40, 43)]
    upload = services.upload_store(
        uploaded_by=None, window=window, school=None, file=ContentFile(results_csv(rows), "b.csv")
    )
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    return upload


def test_a_schools_retention_deletion_deletes_every_file_that_may_hold_its_pupils(
    media, client, world, window, school_c, send_file, act, django_capture_on_commit_callbacks
):
    client.force_login(world.hub_lead)
    rows = pupils(world, school_c, n=6)
    imported = send_file(window, results_csv(rows))
    act(imported, "confirm")
    imported.file.save("results.csv", ContentFile(results_csv(rows)))  # as kept before
    waiting = send_file(window, results_csv(pupils(world, first=10)))  # ready, unconfirmed
    client.force_login(world.head_a)
    own = send_file(window, results_csv(pupils(world, first=20, n=2)), school=world.school_a.pk)
    unchecked, _ = queued(
        world, window, pupils(world, first=30), django_capture_on_commit_callbacks
    )
    other = _other_programmes_upload(world)
    assert len(on_disk(media)) == 5

    tasks.delete_school_pupil_data(world.school_a.pk, world.admin.pk)
    stored = on_disk(media)
    assert list(stored) == [staged_name(other)]  # untouched: school A's pupils are not in it
    sent = rows + pupils(world, first=10) + pupils(world, first=20, n=2) + pupils(world, first=30)
    assert_no_identity(stored, sent)
    uploads = AssessmentUpload.objects.in_bulk([imported.pk, waiting.pk, own.pk, unchecked.pk])
    assert {pk: upload.status for pk, upload in uploads.items()} == {
        imported.pk: UploadStatus.IMPORTED,  # what it wrote of school C stays
        waiting.pk: UploadStatus.EXPIRED,  # it must not bring school A's pupils back
        own.pk: UploadStatus.EXPIRED,
        unchecked.pk: UploadStatus.EXPIRED,
    }
    assert all(not upload.file and not upload.staged for upload in uploads.values())


def test_a_programmes_retention_deletion_deletes_every_file(
    media, client, world, window, send_file, act, django_capture_on_commit_callbacks
):
    client.force_login(world.hub_lead)
    act(send_file(window, results_csv(pupils(world))), "confirm")
    send_file(window, results_csv(pupils(world, first=10)))
    bad = pupils(world, first=20)
    bad[0]["URN"] = "999999"
    send_file(window, results_csv(bad))
    queued(world, window, pupils(world, first=30), django_capture_on_commit_callbacks)
    tasks.delete_programme_pupil_data(world.programme.pk, world.admin.pk)
    assert on_disk(media) == {}
    assert set(AssessmentUpload.objects.values_list("status", flat=True)) == {UploadStatus.DELETED}


def test_a_check_that_finishes_after_its_programmes_deletion_keeps_nothing(
    media, world, window, monkeypatch
):
    """The deletion commits while a worker is still checking a file of the programme: the
    check must not then store staged rows, ready to import what was deleted."""
    upload = services.upload_store(
        uploaded_by=None,
        window=window,
        school=None,
        file=ContentFile(results_csv(pupils(world)), name="results.csv"),
    )
    real_file = services.File

    def deleted_meanwhile(kept):
        retention.programme_pupil_data_delete(actor=world.admin, programme=world.programme)
        return real_file(kept)

    monkeypatch.setattr(services, "File", deleted_meanwhile)
    services.upload_validate(upload=upload)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DELETED
    assert on_disk(media) == {}


def test_the_import_command_keeps_only_the_staged_rows_of_a_dry_run(media, tmp_path, world, window):
    path = tmp_path / "results.csv"
    path.write_bytes(results_csv(pupils(world)))
    args = [str(path), "--programme", world.programme.slug, "--window", "baseline"]
    call_command("import_assessments", *args, "--dry-run", stdout=StringIO())
    dry_run = AssessmentUpload.objects.get()
    assert list(on_disk(media)) == [staged_name(dry_run)]
    call_command("import_assessments", *args, stdout=StringIO())
    assert list(on_disk(media)) == [staged_name(dry_run)]  # until it expires
    assert AssessmentUpload.objects.latest("pk").status == UploadStatus.IMPORTED


def test_through_the_storage_api_alone_as_on_s3(settings, client, world, window, send_file, act):
    """On Django's in-memory storage, read and deleted only through the storage API, as the
    S3 storage is: each path leaves nothing in it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client.force_login(world.hub_lead)
    rows = pupils(world)
    upload = send_file(window, results_csv(rows))
    stored = in_storage()
    assert list(stored) == [staged_name(upload)]
    assert_no_identity(stored, rows)
    act(upload, "confirm")
    assert in_storage() == {}
    waiting = send_file(window, results_csv(pupils(world, first=10)))
    bad = pupils(world, first=20)
    bad[0]["URN"] = "999999"
    send_file(window, results_csv(bad))
    default_storage.save("assessments/2026/01/left.csv", ContentFile(results_csv(rows)))
    assert len(in_storage()) == 2
    with later(hours=25):
        tasks.expire_uploads()
    waiting.refresh_from_db()
    assert waiting.status == UploadStatus.EXPIRED
    assert in_storage() == {}
