"""The data admin (site admins with Django admin access): it never enrols a school, and what it
un-enrols is recorded in the audit log."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent


@pytest.fixture
def data_admin(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


def test_it_enrols_no_school(data_admin):
    assert data_admin.get(reverse("admin:programmes_enrolment_add")).status_code == 403


def test_it_records_the_schools_a_deleted_cohort_takes_with_it(data_admin, world):
    programme, cohort = world.programme, world.cohort
    form = {
        "name": programme.name, "slug": programme.slug, "funder": programme.funder,
        "value": str(programme.value), "start_date": "2025-09-01", "end_date": "2026-07-31",
        "cohorts-TOTAL_FORMS": "1", "cohorts-INITIAL_FORMS": "1",
        "cohorts-MIN_NUM_FORMS": "0", "cohorts-MAX_NUM_FORMS": "1000",
        "cohorts-0-id": str(cohort.pk), "cohorts-0-programme": str(programme.pk),
        "cohorts-0-name": cohort.name, "cohorts-0-start_date": "2025-09-01",
        "cohorts-0-end_date": "2026-07-31", "cohorts-0-DELETE": "on",
    }  # fmt: skip
    response = data_admin.post(
        reverse("admin:programmes_programme_change", args=[programme.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not programme.enrolments.exists()
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_UNENROLLED)
    assert (event.actor, event.school, event.programme) == (world.admin, world.school_a, programme)
