"""Audit entries for pupil data, retention deletions, and small numbers withheld on pages."""

from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from evaluation.models import AssessmentUpload, Pupil, PupilYear, Result, UploadStatus

from .files import pupil_row, results_csv


def _import(world, window, send_file, act, rows):
    upload = send_file(window, results_csv(rows))
    act(upload, "confirm")
    return upload


def test_uploads_imports_rollbacks_and_exports_are_audited(client, world, window, send_file, act):
    client.force_login(world.hub_lead)
    upload = _import(
        world, window, send_file, act, [pupil_row(n, world.school_a.urn) for n in range(3)]
    )
    client.get(reverse("evaluation:upload_errors", args=[upload.pk]))
    act(upload, "rollback")
    events = list(
        AuditEvent.objects.exclude(action=AuditAction.SIGNED_IN)
        .order_by("pk")
        .values_list("action", "actor_name", "details")
    )
    assert [e[0] for e in events] == [
        AuditAction.UPLOADED,
        AuditAction.IMPORTED,
        AuditAction.EXPORTED,
        AuditAction.ROLLED_BACK,
    ]
    assert {e[1] for e in events} == {"lead@example.org"}
    assert events[1][2]["created"] == 3
    assert events[0][2]["sha256"] == upload.file_sha256


def test_a_site_admin_deletes_a_schools_pupil_data(
    client, world, window, school_c, send_file, act, django_capture_on_commit_callbacks
):
    client.force_login(world.hub_lead)
    rows = [pupil_row(n, world.school_a.urn) for n in range(3)]
    rows += [pupil_row(10 + n, school_c.urn) for n in range(2)]
    _import(world, window, send_file, act, rows)
    client.force_login(world.admin)
    url = reverse("evaluation:retention")
    page = client.post(url, {"school": world.school_a.pk, "confirm": "wrong"}).content.decode()
    assert f"Type {world.school_a.urn} to confirm." in page
    assert Result.objects.count() == 5
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            url, {"school": world.school_a.pk, "confirm": str(world.school_a.urn)}, follow=True
        )
    assert f"Deletion of the pupil data of {world.school_a.name} is under way" in (
        response.content.decode()
    )
    assert Result.objects.count() == 5  # the request only queues the deletion for a worker
    with django_capture_on_commit_callbacks(execute=True):
        for task in queued:
            task()
    assert Result.objects.count() == 2
    assert PupilYear.objects.count() == 2
    assert Pupil.objects.count() == 2
    event = AuditEvent.objects.get(action=AuditAction.DELETED_PUPIL_DATA)
    assert (event.actor, event.school, event.details) == (
        world.admin,
        world.school_a,
        {"results": 3, "pupil_years": 3, "pupils": 3},
    )
    world.programme.refresh_from_db()
    assert world.programme.data_version == 2  # the report is recomputed


def test_a_site_admin_deletes_a_programmes_pupil_data(
    client, world, window, school_c, send_file, act, django_capture_on_commit_callbacks
):
    client.force_login(world.hub_lead)
    upload = _import(world, window, send_file, act, [pupil_row(n, school_c.urn) for n in range(4)])
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:retention"),
            {"programme": world.programme.pk, "confirm": world.programme.slug},
        )
    assert (Result.objects.count(), PupilYear.objects.count(), Pupil.objects.count()) == (0, 0, 0)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DELETED
    assert not upload.file
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETED_PUPIL_DATA, programme=world.programme
    ).exists()
    assert AssessmentUpload.objects.count() == 1  # the record that an upload happened stays


def test_small_groups_are_withheld_on_the_dashboard(client, world, window, send_file, act):
    client.force_login(world.hub_lead)
    rows = [
        pupil_row(n, world.school_a.urn, **{"Pupil Premium": "Y" if n < 2 else "N"})
        for n in range(8)
    ]
    _import(world, window, send_file, act, rows)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug])).content.decode()
    # 8 pupils: shown; 2 disadvantaged: their gap is withheld, never a number.
    assert '<td class="text-end">8</td>' in page
    assert '<td class="text-end">Fewer than 5 pupils</td>' in page


def test_small_groups_are_withheld_in_the_export(client, world, window, send_file, act):
    client.force_login(world.hub_lead)
    rows = [
        pupil_row(n, world.school_a.urn, **{"Pupil Premium": "Y" if n < 2 else "N"})
        for n in range(8)
    ]
    _import(world, window, send_file, act, rows)
    lines = (
        client.get(reverse("evaluation:report_csv", args=[world.programme.slug]))
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert lines[0] == (
        "Scope,Name,Year group,Assessment,Group,Pupils,Average,Spread (SD),"
        "% at expected,% at higher"
    )
    programme_rows = [
        line for line in lines if line.startswith("programme,") and ",all,baseline," in line
    ]
    by_group = {line.split(",")[4]: line for line in programme_rows}
    assert by_group["all"].split(",")[5] == "8"
    assert by_group["disadvantaged"].endswith(",Fewer than 5 pupils" * 5)
    assert by_group["other"].endswith(",Fewer than 5 pupils" * 5)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_comparison_schools_show_only_as_a_group_to_hub_leads(
    client, world, window, comparison, send_file, act
):
    client.force_login(world.hub_lead)
    rows = [pupil_row(n, comparison.urn) for n in range(6)] + [
        pupil_row(10 + n, world.school_a.urn) for n in range(6)
    ]
    _import(world, window, send_file, act, rows)
    url = reverse("evaluation:report_csv", args=[world.programme.slug])
    text = client.get(url).content.decode("utf-8-sig")
    assert "comparison," in text  # the group as a whole
    assert comparison.name not in text
    assert world.school_a.name in text
    client.force_login(world.admin)
    assert comparison.name in client.get(url).content.decode("utf-8-sig")
