"""The demo's second academic year, teacher assessments, targets and a KPI the report fills
in: each gives the pages something real to show (issue 19)."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q

from accounts.models import User
from dashboards import selectors, trends
from demo import loader
from evaluation import reports
from evaluation.models import AssessmentWindow, ReportEntry, Result, Target, WindowKind
from evaluation.standards import STANDARDS
from programmes.models import Kpi, Programme, ReportFigure
from schools.academic_year import academic_year_of
from schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme() -> Programme:
    loader.load_demo()
    return Programme.objects.get(slug=loader.DEMO_SLUG)


@pytest.fixture
def reported(programme) -> Programme:
    # load_demo queues the report once its transaction commits, which a test's never does.
    reports.report_compute(programme_id=programme.pk)
    return programme


def _share_expected(results) -> float:
    """Percent at the expected standard (100 on the demo's scale), counted from the results."""
    counts = results.aggregate(n=Count("pk"), at=Count("pk", filter=Q(score__gte=100)))
    return round(100 * counts["at"] / counts["n"], 1)


def _results(programme, slug: str, year: int, **pupil_year):
    """The results at a window of the pupils whose details that year match `pupil_year`."""
    return Result.objects.filter(
        window__programme=programme,
        window__slug=slug,
        pupil__years__academic_year=year,
        **{f"pupil__years__{key}": value for key, value in pupil_year.items()},
    )


def test_it_has_end_windows_in_two_academic_years_each_in_the_stored_report(reported):
    scored_ends = AssessmentWindow.objects.filter(
        programme=reported, kind=WindowKind.END, teacher_assessment=False
    )
    assert {academic_year_of(w.date) for w in scored_ends} == {2024, 2025}
    stored = set(
        ReportEntry.objects.filter(
            snapshot__programme=reported, kind="attainment", scope_type="programme"
        ).values_list("window", flat=True)
    )
    assert {"end-2025", "end-2026"} <= stored


def test_it_shows_the_programme_and_a_school_trends_over_two_years(reported):
    over_years = trends.year_trends(selectors.end_of_year_attainment(programmes=[reported]))
    assert over_years["years"] == ["2024/25", "2025/26"]
    share = over_years["tables"][0]
    assert share["title"] == "Share at the expected standard"
    all_year_groups = dict(share["rows"])["All year groups"]
    enrolled = {"school__enrolments__programme": reported}
    assert [cell.values["pct_expected"] for cell in all_year_groups] == [
        _share_expected(_results(reported, "end-2025", 2024, **enrolled)),
        _share_expected(_results(reported, "end-2026", 2025, **enrolled)),
    ]

    school = School.objects.get(urn=100100)
    rows = selectors.end_of_year_attainment(programmes=[reported], school=school)
    over_years = trends.year_trends(rows)
    assert over_years["years"] == ["2024/25", "2025/26"]
    all_year_groups = dict(over_years["tables"][0]["rows"])["All year groups"]
    assert [cell.values["pct_expected"] for cell in all_year_groups] == [
        _share_expected(_results(reported, "end-2025", 2024, school=school)),
        _share_expected(_results(reported, "end-2026", 2025, school=school)),
    ]
    # Before the programme its schools did no better than the year after.
    assert all_year_groups[0].values["pct_expected"] < all_year_groups[1].values["pct_expected"]


def test_it_imports_year_2_teacher_assessments_that_follow_the_pupils_scores(programme):
    window = AssessmentWindow.objects.get(programme=programme, slug="ta-2026")
    assert window.teacher_assessment
    judged = Result.objects.filter(window=window)
    assert not judged.filter(score__isnull=False).exists()
    # Every Year 2 pupil at the end-of-year test, and no one else, has a judgement.
    year_2 = dict(_results(programme, "end-2026", 2025, year_group=2).values_list("pupil", "score"))
    codes = dict(judged.values_list("pupil", "standard"))
    assert codes.keys() == year_2.keys()
    # Each code's pupils scored higher on average at the test than the code below's.
    scores = {code: [] for code in STANDARDS}
    for pupil, code in codes.items():
        scores[code].append(year_2[pupil])
    means = [sum(of) / len(of) for of in scores.values()]
    assert means == sorted(means)


def test_it_sets_targets_by_their_setters_and_fills_a_kpi_from_the_report(reported):
    end = AssessmentWindow.objects.get(programme=reported, slug="end-2026")
    targets = Target.objects.filter(window=end)
    hub_lead = User.objects.get(email="hub.lead@example.org")
    head = User.objects.get(email="head.100100@example.org")
    programme_targets = targets.filter(school=None)
    assert set(programme_targets.values_list("measure", flat=True)) == set(ReportFigure.values)
    assert set(programme_targets.values_list("set_by", flat=True)) == {hub_lead.pk}
    assert set(targets.exclude(school=None).values_list("school__urn", "set_by")) == {
        (100100, head.pk)
    }
    # Set before the interim window, where their on-track status is first shown.
    assert all(t.set_at.date() < date_of(reported, "interim-2026") for t in targets)

    kpi = Kpi.objects.get(programme=reported, report_figure=ReportFigure.EXPECTED_DISADVANTAGED)
    disadvantaged = _results(reported, "end-2026", 2025, disadvantaged=True,
                             school__enrolments__programme=reported)  # fmt: skip
    assert (kpi.achieved, kpi.achieved_on) == (
        Decimal(str(_share_expected(disadvantaged))),
        end.date,
    )


def date_of(programme, slug: str):
    return AssessmentWindow.objects.get(programme=programme, slug=slug).date
