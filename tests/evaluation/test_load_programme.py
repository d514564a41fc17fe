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
        ({"end_date": "2026-01-01"}, "end_date: should not be before start_date"),
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


def test_it_reports_every_problem_at_once_with_its_place(tmp_path, schools):
    spec = _spec(name="", value=-1, allocation={"sle_days": 1.25, "funding": "lots"})
    del spec["start_date"]
    spec["cohorts"][0]["schools"] = [300001, True, 300001.0]
    spec["cohorts"][1] = {**spec["cohorts"][1], "schools": "300003", "end_date": "2027-01-01"}
    spec["cohorts"].append("Cohort 3")
    spec["assessment_windows"][0].update(date=20260921, teacher_assessment="yes")
    spec["assessment_windows"][1]["scale"].update(expected=150, top=3, bottom=0)
    _, err = _load(tmp_path, spec)
    assert err.splitlines() == [
        "start_date: is missing",
        "name: is missing",
        "value: should be at least 0",
        "allocation.sle_days: has too many decimal places (at most 1)",
        "allocation.funding: should be a number",
        "cohorts[0].schools[1]: is not a 6-digit URN",
        "cohorts[0].schools[2]: is not a 6-digit URN",
        "cohorts[1].end_date: should not be before start_date",
        "cohorts[1].schools: should be a list",
        "cohorts[2]: should be an object",
        "assessment_windows[0].date: should be a date as YYYY-MM-DD",
        "assessment_windows[0].teacher_assessment: should be true or false",
        "assessment_windows[1].scale: has unknown keys bottom, top",
        "Nothing was changed: 13 problem(s).",
    ]


@pytest.mark.parametrize(
    ("scale", "in_order"),
    [
        ({"min": 100, "max": 90}, False),
        ({"min": 100, "max": 100, "expected": 100, "higher": 100}, False),
        ({"expected": 111}, False),  # above the default higher standard, 110
        ({"min": 100, "max": 110, "expected": 100}, True),  # thresholds may sit on the ends
    ],
)
def test_it_checks_a_scale_is_in_order(tmp_path, schools, scale, in_order):
    spec = _spec()
    spec["assessment_windows"][1]["scale"] = scale
    _, err = _load(tmp_path, spec)
    message = "assessment_windows[1].scale: should run from min to max, with expected and "
    assert (message not in err) == in_order
    assert Programme.objects.exists() == in_order


def test_it_refuses_names_listed_twice(tmp_path, schools):
    spec = _spec()
    spec["cohorts"][1]["name"] = "Cohort 1"
    spec["assessment_windows"][1]["slug"] = "baseline"
    _, err = _load(tmp_path, spec)
    assert "cohorts[1]: 'Cohort 1' appears twice" in err
    assert "assessment_windows[1]: 'baseline' appears twice" in err


def test_it_reads_a_key_left_blank_as_left_out(tmp_path, schools):
    spec = _spec(funder=None, aims="", value="", allocation=None)
    spec["assessment_windows"][1]["scale"] = None
    out, _ = _load(tmp_path, spec)
    assert "  programme   created 1" in out
    programme = Programme.objects.get()
    assert (programme.funder, programme.value) == ("", 0)
    assert Enrolment.objects.filter(sle_days_allocated=0).count() == 3
    assert AssessmentWindow.objects.get(slug="end").scale_max == 120


def test_it_refuses_a_file_that_is_not_json(tmp_path):
    _, err = _load(tmp_path, "{ not json")
    assert "the file is not valid JSON" in err


def test_it_leaves_a_half_valid_file_unwritten(tmp_path, schools):
    """The windows come last; a window that breaks a rule of the database (one the file
    reader does not check) still undoes the programme."""
    spec = _spec()
    spec["assessment_windows"][1]["name"] = "x" * 101
    _, err = _load(tmp_path, spec)
    assert "assessment_windows[1]: Ensure this value has at most 100 characters" in err
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
