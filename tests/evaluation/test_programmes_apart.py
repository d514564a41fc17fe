"""One child in two programmes is two pupils (see evaluation.pseudonym): a programme's figures
rest on its own uploads only, and no upload of one programme reveals, counts or changes the
pupils of another. Programme A holds 150 pupils at school A; school B's headteacher then
uploads 120 of the same children to programme B, at school B, as other year groups."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db.models import F

from dashboards.coverage import coverage_year_groups
from evaluation import retention
from evaluation.models import AssessmentWindow, Pupil, PupilYear, ReportSnapshot, Result
from programmes.models import Programme
from schools.models import School

from ..factories import EnrolmentFactory
from .files import pupil_row, results_csv

OURS, THEIRS = 150, 120


@pytest.fixture
def other(world):
    """Programme B, with school B (world.head_b's) enrolled, assessed in the same year as A."""
    programme = EnrolmentFactory(school=world.school_b).cohort.programme
    window = AssessmentWindow.objects.create(
        programme=programme,
        slug="baseline",
        name="Baseline",
        kind="baseline",
        date=date(2025, 10, 6),
    )
    return SimpleNamespace(programme=programme, window=window)


def _rows(count: int, urn: int, **overrides) -> bytes:
    return results_csv([pupil_row(serial, urn, **overrides) for serial in range(count)])


def _details(window) -> list[tuple]:
    """What the report of the window's programme reads of its pupils: their details for the
    year and their results."""
    years = PupilYear.objects.filter(pupil__results__window=window).order_by("pupil_id")
    results = Result.objects.filter(window=window).order_by("pupil_id")
    return [
        list(years.values_list("pupil_id", "school_id", "year_group", "disadvantaged", "send",
                               "eal", "gender")),
        list(results.values_list("pupil_id", "score", "standard")),
    ]  # fmt: skip


def _pupils_at(programme, school) -> int:
    """Pupils at the school in the programme's latest report, for all year groups."""
    version = Programme.objects.get(pk=programme.pk).data_version
    snapshot = ReportSnapshot.objects.get(programme=programme, data_version=version)
    entry = snapshot.entries.filter(
        kind="attainment", scope_type="school", scope_id=school.pk, year_group=None
    ).first()
    return 0 if entry is None else entry.figures["groups"]["all"]["n"]  # no entry: no results


@pytest.fixture
def ours(client, world, window, send_file, act):
    """A's 150 pupils, uploaded by A's hub lead: what A's report rests on."""
    client.force_login(world.hub_lead)
    act(send_file(window, _rows(OURS, world.school_a.urn)), "confirm")
    assert _pupils_at(world.programme, world.school_a) == OURS
    return _details(window)


def _theirs(client, world, other, send_file, act, *, confirm=True):
    client.force_login(world.head_b)
    upload = send_file(
        other.window,
        _rows(THEIRS, world.school_b.urn, **{"Year Group": "Year 3", "Pupil Premium": "Y"}),
        school=world.school_b.pk,
    )
    if confirm:
        act(upload, "confirm")
    return upload


def test_another_programmes_preview_counts_every_child_as_new(
    client, world, window, other, ours, send_file, act
):
    upload = _theirs(client, world, other, send_file, act, confirm=False)
    # Nothing says that A holds these children already.
    assert upload.summary["totals"] == {
        "rows": THEIRS, "new_pupils": THEIRS, "created": THEIRS, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    page = client.get(upload.get_absolute_url()).content.decode()
    assert f'<td class="text-end">{THEIRS}</td><td class="text-end">{THEIRS}</td>' in page
    act(upload, "confirm")
    assert (upload.new_pupils, upload.created, upload.updated) == (THEIRS, THEIRS, 0)


def test_another_programmes_import_changes_none_of_our_pupils(
    client, world, window, other, ours, send_file, act
):
    _theirs(client, world, other, send_file, act)
    assert _details(window) == ours
    assert _pupils_at(world.programme, world.school_a) == OURS
    assert _pupils_at(other.programme, world.school_b) == THEIRS
    assert Pupil.objects.count() == OURS + THEIRS
    assert not PupilYear.objects.exclude(programme=F("pupil__programme")).exists()
    # B's pupils are at school B in Year 3, as B's file has them.
    theirs = PupilYear.objects.filter(pupil__results__window=other.window)
    assert set(theirs.values_list("school", "year_group", "disadvantaged")) == {
        (world.school_b.pk, 3, True)
    }


def test_rolling_back_another_programmes_upload_changes_none_of_ours(
    client, world, window, other, ours, send_file, act
):
    upload = _theirs(client, world, other, send_file, act)
    # A corrects its file after B's import: rolling B back must not undo A's correction.
    client.force_login(world.hub_lead)
    corrected = _rows(OURS, world.school_a.urn, **{"Scaled Score": "101", "SEN": "E"})
    act(send_file(window, corrected, name="corrected.csv"), "confirm")
    after_correction = _details(window)
    assert after_correction != ours
    client.force_login(world.head_b)
    act(upload, "rollback")
    assert _details(window) == after_correction
    assert _pupils_at(world.programme, world.school_a) == OURS
    assert _pupils_at(other.programme, world.school_b) == 0
    assert Pupil.objects.count() == OURS


def test_deleting_another_programmes_pupil_data_leaves_ours(
    client, world, window, other, ours, send_file, act, django_capture_on_commit_callbacks
):
    _theirs(client, world, other, send_file, act)
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.programme_pupil_data_delete(actor=world.admin, programme=other.programme)
    assert counts == {"results": THEIRS, "pupil_years": THEIRS, "pupils": THEIRS}
    assert _details(window) == ours
    assert _pupils_at(world.programme, world.school_a) == OURS
    assert Pupil.objects.count() == OURS


def test_a_school_in_both_programmes_keeps_each_programmes_details_of_its_pupils(
    client, world, window, other, ours, send_file, act
):
    EnrolmentFactory(cohort=other.programme.cohorts.get(), school=world.school_a)
    client.force_login(world.head_a)
    upload = send_file(
        other.window,
        _rows(THEIRS, world.school_a.urn, **{"Year Group": "Year 3", "Pupil Premium": "Y"}),
        school=world.school_a.pk,
    )
    assert upload.summary["totals"]["new_pupils"] == THEIRS
    act(upload, "confirm")
    assert _details(window) == ours
    assert _pupils_at(world.programme, world.school_a) == OURS
    assert _pupils_at(other.programme, world.school_a) == THEIRS
    # The visit coverage shows the year groups of each programme's own pupils.
    schools = School.objects.filter(pk=world.school_a.pk)
    assert coverage_year_groups(programme=world.programme, schools=schools) == [2]
    assert coverage_year_groups(programme=other.programme, schools=schools) == [3]


def test_deleting_a_schools_pupil_data_deletes_it_in_every_programme(
    client, world, window, other, school_c, send_file, act
):
    EnrolmentFactory(cohort=other.programme.cohorts.get(), school=world.school_a)
    client.force_login(world.hub_lead)
    rows = [pupil_row(n, world.school_a.urn) for n in range(3)]
    rows += [pupil_row(10 + n, school_c.urn) for n in range(2)]
    act(send_file(window, results_csv(rows)), "confirm")
    client.force_login(world.head_a)
    act(send_file(other.window, _rows(3, world.school_a.urn), school=world.school_a.pk), "confirm")
    counts = retention.school_pupil_data_delete(actor=world.admin, school=world.school_a)
    assert counts == {"results": 6, "pupil_years": 6, "pupils": 6}
    assert list(PupilYear.objects.values_list("school", flat=True)) == [school_c.pk] * 2
