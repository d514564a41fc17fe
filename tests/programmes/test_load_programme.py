import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditAction, AuditEvent
from evaluation.models import AssessmentWindow
from programmes import services
from programmes.models import Cohort, ComparisonSchool, Enrolment, Programme
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return [SchoolFactory(urn=300001 + n) for n in range(5)]


def _spec(**overrides) -> dict:
    spec = {
        "slug": "ks1-mastery-2026",
        "name": "KS1 Mastery 2026",
        "funder": "Greater London Authority",
        "funding_reference": "LSEF-2",
        "value": 250000,
        "start_date": "2026-09-01",
        "end_date": "2027-07-21",
        "allocation": {"sle_days": 4, "funding": 2500},
        "cohorts": [
            {
                "name": "Cohort 1",
                "start_date": "2026-09-01",
                "end_date": "2027-07-21",
                "schools": [300001, 300002],
            },
            {
                "name": "Cohort 2",
                "start_date": "2027-01-04",
                "end_date": "2027-07-21",
                "schools": ["300003"],
            },
        ],
        "comparison_schools": [300004],
        "assessment_windows": [
            {"slug": "baseline", "name": "Baseline", "kind": "baseline", "date": "2026-09-21"},
            {
                "slug": "end",
                "name": "End",
                "kind": "end",
                "date": "2027-06-21",
                "scale": {"min": 70, "max": 141, "expected": 100, "higher": 115},
            },
        ],
    }
    spec.update(overrides)
    return spec


def _load(tmp_path, spec) -> tuple[str, str]:
    path = tmp_path / "programme.json"
    path.write_text(spec if isinstance(spec, str) else json.dumps(spec))
    out, err = StringIO(), StringIO()
    try:
        call_command("load_programme", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return "", err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


def _snapshot():
    return (
        list(Programme.objects.values_list("slug", "name", "value")),
        list(Cohort.objects.values_list("name", "start_date")),
        list(Enrolment.objects.values_list("school__urn", "cohort__name", "sle_days_allocated")),
        list(ComparisonSchool.objects.values_list("school__urn", flat=True)),
        list(AssessmentWindow.objects.values_list("slug", "scale_min", "higher_threshold")),
    )


def test_it_creates_a_programme_from_its_file(tmp_path, schools):
    out, _ = _load(tmp_path, _spec())
    assert out.splitlines() == [
        "Programme ks1-mastery-2026:",
        "  programme   created 1, updated 0, unchanged 0",
        "  cohorts     created 2, updated 0, unchanged 0",
        "  schools     created 3, updated 0, unchanged 0",
        "  comparison  created 1, updated 0, unchanged 0",
        "  windows     created 2, updated 0, unchanged 0",
    ]
    enrolments = Enrolment.objects.values_list("school__urn", "cohort__name", "sle_days_allocated")
    assert sorted(enrolments) == [
        (300001, "Cohort 1", 4),
        (300002, "Cohort 1", 4),
        (300003, "Cohort 2", 4),
    ]
    baseline, end = AssessmentWindow.objects.order_by("date")
    assert (baseline.scale_min, baseline.scale_max, baseline.expected_threshold) == (80, 120, 100)
    assert (end.scale_min, end.scale_max, end.higher_threshold) == (70, 141, 115)


def test_it_changes_nothing_when_loaded_again(tmp_path, schools):
    _load(tmp_path, _spec())
    before = _snapshot()
    out, _ = _load(tmp_path, _spec())
    assert "created 0, updated 0" in out
    assert "created" not in out.replace("created 0", "")
    assert _snapshot() == before


def test_it_updates_what_changed_and_keeps_adjusted_allocations(tmp_path, schools):
    _load(tmp_path, _spec())
    Enrolment.objects.filter(school__urn=300001).update(sle_days_allocated=9)
    spec = _spec(name="KS1 Mastery 2026/27")
    spec["cohorts"][1]["schools"] = [300003, 300001]
    spec["cohorts"][0]["schools"] = [300002, 300005]
    out, _ = _load(tmp_path, spec)
    assert "  programme   created 0, updated 1, unchanged 0" in out
    assert "  schools     created 1, updated 1, unchanged 2" in out
    assert Enrolment.objects.get(school__urn=300001).cohort.name == "Cohort 2"
    assert Enrolment.objects.get(school__urn=300001).sle_days_allocated == 9
    assert Programme.objects.get().name == "KS1 Mastery 2026/27"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "Not A Slug"}, "slug: use lower-case letters, digits and hyphens only"),
        ({"start_date": "1 Sept 2026"}, "start_date: should be a date as YYYY-MM-DD"),
        ({"value": "lots"}, "value: should be a number"),
        ({"name": None}, "name: is missing"),
        (
            {"comparison_schools": [300001]},
            "comparison_schools[0]: URN 300001 is already listed at cohorts[0].schools[0]",
        ),
        ({"comparison_schools": [12]}, "comparison_schools[0]: is not a 6-digit URN"),
        (
            {"comparison_schools": [999999]},
            "no school with URN 999999: import the register of schools first",
        ),
        ({"end_date": "2026-01-01"}, "programme: The end date must not be before the start date."),
    ],
)
def test_it_explains_what_is_wrong_and_changes_nothing(tmp_path, schools, change, message):
    _, err = _load(tmp_path, _spec(**change))
    assert message in err
    assert "Nothing was changed" in err
    assert not Programme.objects.exists()


def test_it_places_errors_inside_lists(tmp_path, schools):
    spec = _spec()
    spec["cohorts"][1]["end_date"] = "soon"
    spec["assessment_windows"][0]["kind"] = "midterm"
    spec["assessment_windows"][1]["scale"]["top"] = 3
    _, err = _load(tmp_path, spec)
    assert "cohorts[1].end_date: should be a date as YYYY-MM-DD" in err
    assert "assessment_windows[0].kind: should be one of baseline, interim, end" in err
    assert "assessment_windows[1].scale: has unknown keys top" in err


def test_it_refuses_a_file_that_is_not_json(tmp_path):
    _, err = _load(tmp_path, "{ not json")
    assert "the file is not valid JSON" in err


def test_it_leaves_a_half_valid_file_unwritten(tmp_path, schools):
    """The windows come last; a window that breaks a rule still undoes the programme."""
    spec = _spec()
    spec["assessment_windows"][1]["scale"] = {"min": 100, "max": 90}
    _, err = _load(tmp_path, spec)
    assert "assessment_windows[1]" in err
    assert _snapshot() == ([], [], [], [], [])


def test_it_enrols_at_once_and_records_each_enrolment_in_the_audit_log(tmp_path, schools):
    _load(tmp_path, _spec())
    enrolled = AuditEvent.objects.filter(action=AuditAction.SCHOOL_ENROLLED)
    assert sorted(enrolled.values_list("school__urn", flat=True)) == [300001, 300002, 300003]
    assert {(e.actor_name, e.details["source"]) for e in enrolled} == {("system", "load_programme")}
    assert AuditEvent.objects.get(action=AuditAction.COMPARISON_ADDED).school.urn == 300004
    _load(tmp_path, _spec())
    assert AuditEvent.objects.count() == 4  # loaded again: nothing enrolled, nothing recorded


def test_it_leaves_a_school_with_an_invitation_awaiting_its_answer_to_answer(tmp_path, schools):
    _load(tmp_path, _spec())
    programme = Programme.objects.get()
    services.comparison_invitations_send(programme=programme, schools=[schools[4]], invited_by=None)
    spec = _spec()
    spec["cohorts"][0]["schools"].append(300005)
    _, err = _load(tmp_path, spec)
    assert "URN 300005 has an invitation to this programme awaiting its answer." in err
    assert "Nothing was changed" in err
    assert not Enrolment.objects.filter(school__urn=300005).exists()
