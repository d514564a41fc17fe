"""The question before a rollback or a retention deletion: what it would remove, counted
before anything is removed, and nothing removed without the answer."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from evaluation.models import AssessmentWindow, Pupil, PupilYear, Result, UploadStatus

from .files import pupil_row, results_csv


def _rows(world, school_c, n=6):
    # Even serials at school A, odd ones at school C.
    urns = [world.school_a.urn, school_c.urn]
    return [pupil_row(serial, urns[serial % 2]) for serial in range(n)]


@pytest.fixture
def two_uploads(client, world, window, school_c, send_file, act):
    """Six pupils imported (serials 0 to 5), then a second file that changes the scores of
    pupils 0 (school A) and 1 (school C) and adds pupil 99 at school A."""
    client.force_login(world.hub_lead)
    rows = _rows(world, school_c)
    first = send_file(window, results_csv(rows))
    act(first, "confirm")
    rows[0]["Scaled Score"], rows[1]["Scaled Score"] = "111", "112"
    rows.append(pupil_row(99, world.school_a.urn))
    second = send_file(window, results_csv(rows), name="second.csv")
    act(second, "confirm")
    assert second.status == UploadStatus.IMPORTED
    return first, second


def _question(client, upload) -> str:
    response = client.get(upload.get_absolute_url(), {"step": "rollback"})
    assert response.status_code == 200
    return response.content.decode()


def test_it_asks_before_a_rollback_saying_what_it_removes(
    client, world, school_c, two_uploads, django_assert_max_num_queries
):
    first, second = two_uploads
    with django_assert_max_num_queries(8):
        page = _question(client, second)
    # By hand: the second file added one result (pupil 99, school A) and changed two (pupil 0
    # at school A, pupil 1 at school C); it alone named one pupil (99).
    assert "1 result it added will be removed" in page
    assert "2 results it changed will be put back as they were before" in page
    assert "1 pupil it alone named will be removed" in page
    assert f"the reports of {world.programme.name} will be recalculated" in page
    for name, removed, restored in sorted([(world.school_a.name, 1, 1), (school_c.name, 0, 1)]):
        row = (
            f'<th scope="row">{name}</th><td class="text-end">{removed}</td>'
            f'<td class="text-end">{restored}</td>'
        )
        assert row in page
    rollback = reverse("evaluation:upload_rollback", args=[second.pk])
    assert f'action="{rollback}"' in page
    assert "csrfmiddlewaretoken" in page
    assert f'href="{second.get_absolute_url()}">Cancel' in page
    second.refresh_from_db()
    assert second.status == UploadStatus.IMPORTED  # asking removes nothing
    assert Result.objects.count() == 7


def test_the_upload_page_asks_rather_than_rolls_back(client, two_uploads):
    _, second = two_uploads
    page = client.get(second.get_absolute_url()).content.decode()
    assert f'href="{second.get_absolute_url()}?step=rollback"' in page
    assert reverse("evaluation:upload_rollback", args=[second.pk]) not in page


def test_confirming_rolls_back(client, two_uploads, act):
    first, second = two_uploads
    act(second, "rollback")
    assert second.status == UploadStatus.ROLLED_BACK
    assert Result.objects.count() == 6


def test_the_rollback_stays_post_only(client, two_uploads):
    _, second = two_uploads
    response = client.get(reverse("evaluation:upload_rollback", args=[second.pk]))
    assert response.status_code == 405
    second.refresh_from_db()
    assert second.status == UploadStatus.IMPORTED


def test_it_offers_no_rollback_while_a_later_upload_builds_on_it(client, two_uploads):
    first, _ = two_uploads
    page = _question(client, first)
    assert "second.csv was imported later for the same year" in page
    assert reverse("evaluation:upload_rollback", args=[first.pk]) not in page


def test_an_upload_not_imported_has_no_question(client, world, window, school_c, send_file):
    client.force_login(world.hub_lead)
    upload = send_file(window, results_csv(_rows(world, school_c)))
    assert upload.status == UploadStatus.READY
    response = client.get(upload.get_absolute_url(), {"step": "rollback"})
    assert (response.status_code, response["Location"]) == (302, upload.get_absolute_url())


def test_the_rollback_question_is_refused_outside_the_uploads_scope(client, world, two_uploads):
    _, second = two_uploads
    client.force_login(world.head_b)
    response = client.get(second.get_absolute_url(), {"step": "rollback"})
    assert response.status_code == 404


@pytest.fixture
def moved(client, world, window, school_c, send_file, act):
    """Pupils 0 to 4 in 2025/26 (0, 2, 4 at school A; 1, 3 at school C), imported by the hub
    lead; then in 2026/27 pupil 0 has moved to school C."""
    client.force_login(world.hub_lead)
    act(send_file(window, results_csv(_rows(world, school_c, n=5))), "confirm")
    later = AssessmentWindow.objects.create(
        programme=world.programme,
        slug="summer",
        name="Summer",
        kind="endpoint",
        date=date(2026, 9, 28),
    )
    rows = [pupil_row(0, school_c.urn, **{"Year Group": "Year 3"})]
    act(send_file(later, results_csv(rows), name="later.csv"), "confirm")
    client.force_login(world.admin)
    return later


def _deletion_question(client, **choice) -> str:
    response = client.get(reverse("evaluation:retention"), choice)
    assert response.status_code == 200
    return response.content.decode()


def test_it_asks_before_deleting_a_schools_data(
    client, world, moved, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_max_num_queries(10):
        page = _deletion_question(client, school=world.school_a.pk)
    assert f"Delete the pupil data of {world.school_a.name}?" in page
    assert f"URN {world.school_a.urn}" in page
    # By hand: school A had pupils 0, 2 and 4 in 2025/26, one result each; pupil 0 is at
    # school C in 2026/27, so their details stay, and two pupils are left with nothing.
    # Both of the hub lead's uploads (for no one school) may hold its pupils.
    assert "3 results of its pupils" in page
    assert "3 records of pupils' details" in page
    assert "2 pupils left with no other data" in page
    assert "the files and problem lists of 2 uploads" in page
    assert f"The reports of {world.programme.name} will be recalculated." in page
    assert 'type="hidden" name="school"' in page
    assert Result.objects.count() == 6  # asking deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:retention"),
            {"school": world.school_a.pk, "confirm": str(world.school_a.urn)},
        )
    event = AuditEvent.objects.get(action=AuditAction.DELETED_PUPIL_DATA)
    assert event.details == {"results": 3, "pupil_years": 3, "pupils": 2}  # as the page said


def test_it_asks_before_deleting_a_programmes_data(
    client, world, moved, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        page = _deletion_question(client, programme=world.programme.pk)
    assert f"Delete the pupil data of {world.programme.name}?" in page
    assert f"({world.programme.slug})" in page
    # By hand: six results (five, then pupil 0 again), six years' details, five pupils, and
    # the two uploads.
    assert "6 results of the programme" in page
    assert "6 records of pupils' details" in page
    assert "5 pupils left with no other data" in page
    assert "the files and problem lists of 2 uploads" in page


@pytest.mark.parametrize("confirm", [None, "", "wrong"])
def test_a_deletion_not_confirmed_deletes_nothing(
    client, world, moved, confirm, django_capture_on_commit_callbacks
):
    data = {"school": world.school_a.pk}
    if confirm is not None:
        data["confirm"] = confirm
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("evaluation:retention"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Nothing of {world.school_a.name} has been deleted: it was not confirmed." in page
    assert "3 results of its pupils" in page  # the question again
    assert queued == []
    assert (Result.objects.count(), PupilYear.objects.count(), Pupil.objects.count()) == (6, 6, 5)


def test_the_first_page_only_chooses(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("evaluation:retention")).content.decode()
    assert page.count('<form method="get"') == 2
    assert 'name="confirm"' not in page


def test_no_such_school_is_asked_again(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("evaluation:retention"), {"school": 999999})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_deletion_question_is_for_site_admins_only(client, world, method):
    client.force_login(world.hub_lead)
    data = {"school": world.school_a.pk, "confirm": str(world.school_a.urn)}
    response = getattr(client, method)(reverse("evaluation:retention"), data)
    assert response.status_code == 404
