"""Every change a report rests on recomputes it: the programme's data version goes up and the
worker (in-process here) stores the report of the new version, which shows the change. Each
change is made the way people make it: on the portal's pages, in the data admin, by a
register import or by a programme file."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import override_settings
from django.urls import reverse

from evaluation import selectors
from evaluation.engine import FIGURES_VERSION
from evaluation.models import NationalReference, ReportSnapshot
from programmes.models import Cohort
from schools.services import schools_upsert_from_register
from tests.factories import SchoolFactory, WorkGroupFactory
from tests.schools.gias import gias_csv, school_row
from workgroups.models import WorkGroupType


def _entries(snapshot, scope_type, scope_id):
    return snapshot.entries.filter(scope_type=scope_type, scope_id=scope_id)


def _programme_at(snapshot, window="baseline") -> dict:
    return snapshot.entries.get(
        kind="attainment", scope_type="programme", year_group=None, window=window
    ).figures


@pytest.fixture
def data_admin(client, world, reported):
    """The site admin, signed in to the data admin once the report is computed."""
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    return client


def _admin_form(instance, **changes) -> dict:
    """An admin change form as the browser sends it: every field, with these changes."""
    fields = {
        name: "" if value is None else value for name, value in model_to_dict(instance).items()
    }
    fields = {name: value for name, value in fields.items() if value is not False}
    return {**fields, **changes}


def _accept(client, world, programme, school) -> None:
    """A hub lead's invitation enrols a school once accepted (here by a site admin)."""
    client.force_login(world.admin)
    invitation = programme.invitations.get(school=school)
    client.post(reverse("invitations:answer", args=[invitation.pk]), {"answer": "accept"})


def test_enrolling_schools_recomputes_the_report(client, world, reported, recomputed):
    newcomer = SchoolFactory()
    client.post(
        reverse("programmes:enrol", args=[reported.slug]),
        {"cohort": world.cohort.pk, "schools": str(newcomer.urn), "allocation": "uniform",
         "sle_days": "2"},
    )  # fmt: skip
    with recomputed(reported):
        _accept(client, world, reported, newcomer)
    assert reported.enrolments.filter(school=newcomer).exists()


def test_moving_a_school_to_another_cohort_recomputes_the_report(
    client, world, reported, recomputed
):
    later = Cohort.objects.create(
        programme=reported, name="Cohort 2", start_date=date(2026, 1, 5), end_date=date(2026, 7, 20)
    )
    url = reverse("programmes:enrolment_edit", args=[reported.slug, world.school_a.urn])
    with recomputed(reported) as outcome:
        client.post(url, {"cohort": later.pk, "sle_days_allocated": "4", "funding_allocated": "0"})
    assert _entries(outcome.snapshot, "cohort", later.pk).exists()
    assert not _entries(outcome.snapshot, "cohort", world.cohort.pk).exists()


def test_an_allocation_change_alone_leaves_the_report_as_it_is(client, world, reported):
    url = reverse("programmes:enrolment_edit", args=[reported.slug, world.school_a.urn])
    client.post(
        url, {"cohort": world.cohort.pk, "sle_days_allocated": "9", "funding_allocated": "0"}
    )
    version = reported.data_version
    reported.refresh_from_db()
    assert reported.data_version == version


def test_adding_a_comparison_school_recomputes_the_report(client, world, reported, recomputed):
    school = SchoolFactory()
    client.post(reverse("programmes:comparison", args=[reported.slug]), {"schools": school.urn})
    with recomputed(reported):
        _accept(client, world, reported, school)
    assert reported.comparison_schools.filter(school=school).exists()


def test_removing_a_comparison_school_recomputes_the_report(
    client, reported, comparison, recomputed
):
    with recomputed(reported) as outcome:
        client.post(reverse("programmes:comparison_remove", args=[reported.slug, comparison.urn]))
    assert not _entries(outcome.snapshot, "school", comparison.pk).exists()
    assert not outcome.snapshot.entries.filter(scope_type="comparison").exists()


def test_changing_a_work_groups_schools_recomputes_the_report(client, world, reported, recomputed):
    work_group = WorkGroupFactory(programme=reported, lead=world.hub_lead)
    url = reverse("workgroups:edit", args=[reported.slug, work_group.pk])
    form = {"type": work_group.type_id, "name": work_group.name, "academic_year": 2025,
            "lead": world.hub_lead.pk}  # fmt: skip
    with recomputed(reported) as outcome:
        response = client.post(url, {**form, "schools": [world.school_a.pk]})
    assert response.status_code == 302
    assert _entries(outcome.snapshot, "work_group", work_group.pk).exists()
    with recomputed(reported) as outcome:
        client.post(url, form)  # no schools left
    assert not _entries(outcome.snapshot, "work_group", work_group.pk).exists()


def test_creating_a_work_group_with_schools_recomputes_the_report(
    client, world, reported, recomputed
):
    mastery_readiness = WorkGroupType.objects.get(name="Mastery Readiness")
    with recomputed(reported) as outcome:
        client.post(
            reverse("workgroups:create", args=[reported.slug]),
            {"type": mastery_readiness.pk, "name": "Cluster A", "academic_year": 2025,
             "lead": world.hub_lead.pk, "schools": [world.school_a.pk]},
        )  # fmt: skip
    created = reported.work_groups.get(name="Cluster A")
    assert _entries(outcome.snapshot, "work_group", created.pk).exists()


def test_changing_a_windows_scale_in_the_data_admin_recomputes_the_report(
    data_admin, reported, window, recomputed
):
    # Scores 95 to 100: one pupil of six at the expected standard of 100, five at 96.
    assert _programme_at(reported.reports.get())["groups"]["all"]["pct_expected"] == 16.7
    url = reverse("admin:evaluation_assessmentwindow_change", args=[window.pk])
    with recomputed(reported) as outcome:
        response = data_admin.post(url, _admin_form(window, expected_threshold="96"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _programme_at(outcome.snapshot)["groups"]["all"]["pct_expected"] == 83.3


def test_setting_a_windows_national_reference_recomputes_the_report(
    data_admin, reported, window, recomputed
):
    reference = NationalReference.objects.create(
        name="KS1 maths 2025", academic_year=2025, pct_expected_non_disadvantaged=Decimal("81.0")
    )
    url = reverse("admin:evaluation_assessmentwindow_change", args=[window.pk])
    with recomputed(reported) as outcome:
        data_admin.post(url, _admin_form(window, national_reference=reference.pk))
    assert _programme_at(outcome.snapshot)["national"]["reference"] == "KS1 maths 2025"
    url = reverse("admin:evaluation_nationalreference_change", args=[reference.pk])
    with recomputed(reported) as outcome:
        data_admin.post(url, _admin_form(reference, pct_expected_non_disadvantaged="79.5"))
    assert _programme_at(outcome.snapshot)["national"]["pct_expected_non_disadvantaged"] == 79.5


def test_renaming_a_school_recomputes_the_report(data_admin, world, reported, recomputed):
    school = world.school_a
    form = _admin_form(school, name="Oakfield Primary School")
    form = {name: form[name] for name in ("urn", "name", "phase", "establishment_type",
            "local_authority", "trust", "postcode", "number_on_roll", "percentage_fsm",
            "is_open")}  # fmt: skip
    with recomputed(reported) as outcome:
        response = data_admin.post(reverse("schools:edit", args=[school.urn]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    names = {
        entry.figures["scope"]["name"] for entry in _entries(outcome.snapshot, "school", school.pk)
    }
    assert names == {"Oakfield Primary School"}


def test_a_register_import_that_moves_a_school_to_another_authority_recomputes_the_report(
    world, reported, recomputed
):
    school = world.school_a
    row = school_row(school.urn, EstablishmentName=school.name, **{"LA (code)": "209",
                     "LA (name)": "Lewisham"})  # fmt: skip
    with recomputed(reported) as outcome:
        schools_upsert_from_register(content=gias_csv([row]))
    school.refresh_from_db()
    assert school.local_authority.name == "Lewisham"
    assert _entries(outcome.snapshot, "local_authority", school.local_authority_id).exists()
    # A register import that changes nothing a report shows leaves it as it is.
    version = reported.data_version
    schools_upsert_from_register(content=gias_csv([{**row, "NumberOfPupils": "380"}]))
    reported.refresh_from_db()
    assert reported.data_version == version


def test_un_enrolling_a_school_in_the_data_admin_recomputes_the_report(
    data_admin, world, reported, recomputed
):
    enrolment = reported.enrolments.get(school=world.school_a)
    url = reverse("admin:programmes_enrolment_delete", args=[enrolment.pk])
    with recomputed(reported) as outcome:
        data_admin.post(url, {"post": "yes"})
    assert not _entries(outcome.snapshot, "school", world.school_a.pk).exists()


def test_loading_the_programmes_file_recomputes_its_report(
    tmp_path, world, reported, comparison, recomputed
):
    spec = {
        "slug": reported.slug, "name": reported.name, "start_date": "2025-09-01",
        "end_date": "2026-07-31",
        "cohorts": [{"name": world.cohort.name, "start_date": "2025-09-01",
                     "end_date": "2026-07-31", "schools": [world.school_a.urn]}],
        "comparison_schools": [comparison.urn],
        "assessment_windows": [
            {"slug": "baseline", "name": "Baseline", "kind": "baseline", "date": "2025-09-22",
             "scale": {"min": 80, "max": 120, "expected": 96, "higher": 110}},
        ],
    }  # fmt: skip
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(spec))
    with recomputed(reported) as outcome:
        call_command("load_programme", str(path), stdout=StringIO())
    assert _programme_at(outcome.snapshot)["groups"]["all"]["pct_expected"] == 83.3
    version = reported.data_version
    call_command("load_programme", str(path), stdout=StringIO())
    reported.refresh_from_db()
    assert reported.data_version == version  # the same file again changes nothing


def test_a_worker_starting_with_another_threshold_recomputes_reports_of_the_old_one(
    reported, recomputed
):
    from celery.signals import worker_ready

    with override_settings(SUPPRESSION_THRESHOLD=3), recomputed(reported) as outcome:
        worker_ready.send(sender=None)
    assert outcome.snapshot.threshold == 3
    # Started again with the same setting, workers find nothing to do.
    version = reported.data_version
    with override_settings(SUPPRESSION_THRESHOLD=3):
        worker_ready.send(sender=None)
    reported.refresh_from_db()
    assert reported.data_version == version


def test_recompute_reports_computes_those_of_another_threshold_without_a_worker(
    reported, recomputed
):
    with override_settings(SUPPRESSION_THRESHOLD=6), recomputed(reported) as outcome:
        call_command("recompute_reports", stdout=StringIO())
    assert outcome.snapshot.threshold == 6
    assert outcome.snapshot.data_version == reported.data_version


def test_a_report_stored_before_the_engine_gave_intervals_is_out_of_date_and_recomputed(
    reported, recomputed
):
    """A report an older engine stored lacks the figures pages now show (the intervals):
    it no longer counts as current, and a worker's start or recompute_reports replaces it."""
    from celery.signals import worker_ready

    old = selectors.report_status(programme=reported).snapshot
    for before in (None, FIGURES_VERSION - 1):  # before versions were recorded, and older
        ReportSnapshot.objects.filter(pk=old.pk).update(figures_version=before)
        assert not selectors.report_status(programme=reported).current
    with recomputed(reported) as outcome:
        worker_ready.send(sender=None)
    assert outcome.snapshot.data_version == old.data_version + 1
    assert outcome.snapshot.figures_version == FIGURES_VERSION
    all_pupils = _programme_at(outcome.snapshot)["groups"]["all"]
    assert len(all_pupils["pct_expected_ci"]) == 2
    assert selectors.report_status(programme=reported).current
    # Current now: neither the command nor another worker's start computes it again.
    version = reported.data_version
    call_command("recompute_reports", stdout=StringIO())
    worker_ready.send(sender=None)
    reported.refresh_from_db()
    assert reported.data_version == version


def test_renaming_the_programme_or_a_cohort_recomputes_the_report(
    client, world, reported, recomputed
):
    programme_form = {
        "name": "KS1 Mastery, renamed", "slug": reported.slug, "funder": reported.funder,
        "value": "100000", "start_date": "2025-09-01", "end_date": "2026-07-31",
    }  # fmt: skip
    with recomputed(reported) as outcome:
        client.post(reverse("programmes:edit", args=[reported.slug]), programme_form)
    named = outcome.snapshot.entries.filter(scope_type="programme")
    assert set(named.values_list("figures__scope__name", flat=True)) == {"KS1 Mastery, renamed"}
    url = reverse("programmes:cohort_edit", args=[reported.slug, world.cohort.pk])
    cohort_form = {"name": "Autumn starters", "start_date": "2025-09-01", "end_date": "2026-07-31"}
    with recomputed(reported) as outcome:
        client.post(url, cohort_form)
    assert (
        _entries(outcome.snapshot, "cohort", world.cohort.pk)
        .get(year_group=None, window="baseline")
        .figures["scope"]["name"]
        == "Autumn starters"
    )
    version = reported.data_version
    client.post(url, {**cohort_form, "end_date": "2026-07-24"})  # dates are not in the report
    reported.refresh_from_db()
    assert reported.data_version == version
