"""Targets and on-track status (issue 19), with every expected figure worked out by hand in the
comments, and KPIs filled in from the report."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEvent
from evaluation import targets
from evaluation.models import (
    AssessmentWindow,
    Pupil,
    PupilYear,
    Result,
)
from evaluation.reports import report_compute
from evaluation.targets import kpi_report_link, kpis_fill_from_report, target_set
from programmes.models import Kpi, ReportFigure
from programmes.services import programme_data_version_bump
from tests.factories import KpiFactory
from tests.targets_data import report_by_hand, target_windows

ALL, DISADVANTAGED, GAP = (
    ReportFigure.EXPECTED_ALL,
    ReportFigure.EXPECTED_DISADVANTAGED,
    ReportFigure.DISADVANTAGED_GAP,
)


@pytest.fixture
def windows(world):
    return target_windows(world.programme)


def _set(world, windows, measure, value, school=None, by=None):
    return target_set(
        window=windows["end"], school=school, measure=measure, value=Decimal(value),
        set_by=by or world.hub_lead,
    )  # fmt: skip


def _interim(world, school=None) -> dict:
    """Each measure's check at the interim window."""
    found = targets.targets_on_track(programme=world.programme, school=school)
    return {p.target.measure: p.checks[0] for p in found}


@pytest.mark.parametrize(
    ("interim", "status", "behind", "needed"),
    [
        # From 50 at the baseline to a target of 70: half way, the line is at 60.
        (62.0, "On track", 0.0, 8.0),  # ahead: 2 above the line, 70 - 62 = 8 to go
        (60.0, "On track", 0.0, 10.0),  # exactly on the line
        (58.5, "Slightly behind", 1.5, 11.5),  # 60 - 58.5 = 1.5, within 3 points
        (55.0, "Off track", 5.0, 15.0),  # 60 - 55 = 5, more than 3
    ],
)
def test_it_says_whether_a_share_is_on_track(world, windows, interim, status, behind, needed):
    _set(world, windows, ALL, "70")
    report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0), "interim": (interim, 0, 0)})
    check = _interim(world)[ALL]
    assert (check.line, check.status, check.behind, check.to_target) == (
        60.0, status, behind, needed,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("interim", "status", "behind", "needed"),
    [
        # A gap from 20 to a target of 10: half way, the line is at 15; smaller is beyond it.
        (14.0, "On track", 0.0, 4.0),  # 1 below the line; 14 - 10 = 4 still to close
        (15.0, "On track", 0.0, 5.0),  # on the line
        (16.0, "Slightly behind", 1.0, 6.0),  # 16 - 15 = 1 above the line
        (19.0, "Off track", 4.0, 9.0),  # 19 - 15 = 4
    ],
)
def test_a_smaller_gap_is_beyond_the_line(world, windows, interim, status, behind, needed):
    _set(world, windows, GAP, "10")
    report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0), "interim": (0, 0, interim)})
    check = _interim(world)[GAP]
    assert (check.line, check.status, check.behind, check.to_target) == (
        15.0, status, behind, needed,
    )  # fmt: skip


def test_the_line_runs_by_date(world, windows):
    """At 1 Jan 2026, 122 of 300 days in, from 40 to 70: 40 + 30 x 122 / 300 = 52.2."""
    windows["interim"].date = date(2026, 1, 1)
    windows["interim"].save()
    _set(world, windows, DISADVANTAGED, "70")
    report_by_hand(world.programme, {"baseline": (0, 40.0, 0), "interim": (0, 52.2, 0)})
    check = _interim(world)[DISADVANTAGED]
    assert (check.line, check.status) == (52.2, "On track")


def test_the_end_window_checks_the_target_itself(world, windows):
    _set(world, windows, ALL, "70")
    report_by_hand(world.programme, {"baseline": (50.0, 0, 0), "end": (69.0, 0, 0)})
    [progress] = targets.targets_on_track(programme=world.programme)
    by_window = {c.window.slug: c for c in progress.checks}
    assert by_window["interim"].status == "No figure"  # not in the report
    assert (by_window["end"].line, by_window["end"].behind) == (70.0, 1.0)


def test_a_school_is_checked_on_its_own_figures(world, windows):
    _set(world, windows, ALL, "80", school=world.school_a, by=world.head_a)
    report_by_hand(world.programme, {"baseline": (40.0, 0, 0), "interim": (60.0, 0, 0)},
                   scopes=[("school", world.school_a.pk)])  # fmt: skip
    # The school's own line: from 40 to 80, half way at 60, which it reached.
    assert _interim(world, world.school_a)[ALL].status == "On track"
    assert targets.targets_on_track(programme=world.programme) == []  # no programme target


def test_the_selector_reads_three_queries(world, windows, django_assert_num_queries):
    for measure in (ALL, DISADVANTAGED, GAP):
        _set(world, windows, measure, "10")
    report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0), "interim": (55.0, 45.0, 15.0)})
    with django_assert_num_queries(3):
        assert len(targets.targets_on_track(programme=world.programme)) == 3


def test_it_keeps_every_target_set_with_who_and_when(client, world, windows):
    client.force_login(world.hub_lead)
    url = reverse("evaluation:targets", args=[world.programme.slug])
    client.post(url, {"targets": "1", f"targets-{ALL}": "70"})
    client.force_login(world.admin)
    client.post(url, {"targets": "1", f"targets-{ALL}": "75", f"targets-{GAP}": "-2.5"})
    rows = world.programme.assessment_windows.get(slug="end").targets.order_by("pk")
    assert [(r.measure, r.value, r.set_by_name) for r in rows] == [
        (ALL, Decimal("70.0"), world.hub_lead.email),
        (ALL, Decimal("75.0"), world.admin.email),
        (GAP, Decimal("-2.5"), world.admin.email),
    ]
    assert AuditEvent.objects.filter(action="target_set").count() == 3
    [share, _] = targets.targets_on_track(programme=world.programme)
    assert share.target.value == Decimal("75.0")
    assert [r.value for r in share.history] == [Decimal("75.0"), Decimal("70.0")]
    page = client.get(url).content.decode()
    assert world.hub_lead.email in page
    assert world.admin.email in page


def test_a_school_leader_sets_their_schools_targets(client, world, windows):
    client.force_login(world.maths_lead_a)
    url = reverse("evaluation:school_targets", args=[world.programme.slug, world.school_a.urn])
    response = client.post(url, {"targets": "1", f"targets-{DISADVANTAGED}": "65"})
    assert response.status_code == 302
    target = windows["end"].targets.get()
    assert (target.school, target.value, target.set_by) == (
        world.school_a, Decimal("65.0"), world.maths_lead_a,
    )  # fmt: skip


@pytest.mark.parametrize("persona", ["sle", "governor_a", "head_b", "outsider", "head_a"])
def test_only_hub_leads_set_a_programmes_targets(client, world, windows, persona):
    client.force_login(getattr(world, persona))
    url = reverse("evaluation:targets", args=[world.programme.slug])
    assert client.post(url, {"targets": "1", f"targets-{ALL}": "70"}).status_code == 404
    assert not windows["end"].targets.exists()


@pytest.mark.parametrize("persona", ["hub_lead", "sle", "governor_a", "head_b"])
def test_only_a_schools_leaders_set_its_targets(client, world, windows, persona):
    client.force_login(getattr(world, persona))
    url = reverse("evaluation:school_targets", args=[world.programme.slug, world.school_a.urn])
    assert client.post(url, {"targets": "1", f"targets-{ALL}": "70"}).status_code == 404
    assert not windows["end"].targets.exists()


def test_a_target_is_set_only_at_an_end_window(world, windows):
    with pytest.raises(ValidationError, match="end window"):
        target_set(window=windows["interim"], measure=ALL, value=Decimal(70),
                   set_by=world.hub_lead)  # fmt: skip


def test_a_schools_target_is_for_a_school_in_the_programme(world, windows):
    with pytest.raises(ValidationError, match="own schools"):
        _set(world, windows, ALL, "70", school=world.school_b, by=world.head_b)


@pytest.mark.parametrize(("measure", "value"), [(ALL, "-1"), (ALL, "100.1"), (GAP, "-100.1")])
def test_the_database_keeps_targets_in_range(world, windows, measure, value):
    end = windows["end"]
    with pytest.raises(IntegrityError), transaction.atomic():
        end.targets.create(measure=measure, value=Decimal(value), set_by_name="x")


def test_the_page_keeps_to_its_queries(client, world, windows, django_assert_max_num_queries):
    for measure in (ALL, DISADVANTAGED, GAP):
        _set(world, windows, measure, "10")
    KpiFactory.create_batch(3, programme=world.programme)
    report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0), "interim": (55.0, 45.0, 15.0)})
    client.force_login(world.hub_lead)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluation:targets", args=[world.programme.slug]))
    # Gap from 20 to 10: half way the line is at 15, and 15 is on it.
    assert "On track" in page.content.decode()


def _pupils(world, window, scores: list[tuple[float, bool]]) -> None:
    """Pupils at school A in Year 6, with their scores at the window and whether each is
    disadvantaged."""
    for n, (score, disadvantaged) in enumerate(scores):
        pupil = Pupil.objects.create(programme=world.programme, upn_hash=f"{n:064d}")
        PupilYear.objects.create(
            pupil=pupil, programme=world.programme, academic_year=2025, school=world.school_a,
            year_group=6, disadvantaged=disadvantaged,
        )  # fmt: skip
        Result.objects.create(pupil=pupil, window=window, score=score)


def test_a_kpi_is_filled_in_from_the_report_and_kept_up_to_date(world, windows):
    # Disadvantaged: 2 of 5 at 100 or more (40%); others 4 of 5 (80%): a gap of 40 points.
    _pupils(
        world,
        windows["baseline"],
        [
            (90, True),
            (95, True),
            (99, True),
            (100, True),
            (104, True),
            (90, False),
            (100, False),
            (101, False),
            (108, False),
            (112, False),
        ],
    )
    programme_data_version_bump(programme_id=world.programme.pk)
    report_compute(programme_id=world.programme.pk)
    kpi = KpiFactory(programme=world.programme, name="Gap at most 5 points", target=5)
    by_hand = KpiFactory(programme=world.programme, achieved=Decimal(3))
    kpi_report_link(kpi=kpi, report_figure=GAP)
    kpi.refresh_from_db()
    assert (kpi.achieved, kpi.achieved_on) == (Decimal("40.00"), date(2025, 9, 1))
    # One disadvantaged pupil reaches 100: 3 of 5 (60%), so the gap is 80 - 60 = 20.
    Result.objects.filter(score=90, pupil__years__disadvantaged=True).update(score=100)
    programme_data_version_bump(programme_id=world.programme.pk)
    kpis_fill_from_report(snapshot=report_compute(programme_id=world.programme.pk))
    kpi.refresh_from_db()
    by_hand.refresh_from_db()
    assert kpi.achieved == Decimal("20.00")
    assert by_hand.achieved == Decimal(3)  # entered by hand, left alone


def test_storing_a_report_fills_its_kpis_in(world, windows):
    kpi = KpiFactory(programme=world.programme, report_figure=ALL)
    # 1 of 5 pupils at 100 or more: 20%.
    _pupils(world, windows["baseline"], [(100, False), (90, False), (90, True), (90, True),
                                         (90, False)])  # fmt: skip
    programme_data_version_bump(programme_id=world.programme.pk)
    report_compute(programme_id=world.programme.pk)
    kpi.refresh_from_db()
    assert kpi.achieved == Decimal("20.00")


def test_a_hub_lead_links_a_kpi_on_the_page(client, world, windows):
    kpi = KpiFactory(programme=world.programme)
    report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0), "interim": (55.0, 45.5, 15.0)})
    client.force_login(world.hub_lead)
    url = reverse("evaluation:targets", args=[world.programme.slug])
    client.post(url, {"kpis": "1", "kpis-kpi": kpi.pk, "kpis-report_figure": DISADVANTAGED})
    kpi = Kpi.objects.get(pk=kpi.pk)
    # The latest window with the figure is the interim one (29 Jan 2026): 45.5%.
    assert (kpi.report_figure, kpi.achieved, kpi.achieved_on) == (
        DISADVANTAGED, Decimal("45.50"), date(2026, 1, 29),
    )  # fmt: skip


def test_a_line_starts_at_the_latest_baseline_and_skips_teacher_assessments(world, windows):
    """A programme in its second year: last year's baseline and end come before this year's
    baseline, and a teacher-assessment window sits before the end test. The line runs from
    this year's baseline (50) to the target (70), checked at the interim (half way: 60) and
    the end only."""
    for slug, kind, on, assessed in (
        ("baseline-2024", "baseline", date(2024, 9, 1), False),
        ("end-2025", "end", date(2025, 6, 30), False),
        ("teacher-2026", "end", date(2026, 6, 1), True),
    ):
        AssessmentWindow.objects.create(
            programme=world.programme, slug=slug, name=slug, kind=kind, date=on,
            teacher_assessment=assessed,
        )  # fmt: skip
    _set(world, windows, ALL, "70")
    report_by_hand(world.programme, {"baseline-2024": (10.0, 0, 0), "end-2025": (90.0, 0, 0),
                                     "baseline": (50.0, 0, 0), "interim": (61.0, 0, 0),
                                     "teacher-2026": (5.0, 0, 0)})  # fmt: skip
    [progress] = targets.targets_on_track(programme=world.programme)
    assert (progress.baseline.slug, progress.baseline_figure) == ("baseline", 50.0)
    assert [(c.window.slug, c.line, c.status) for c in progress.checks] == [
        ("interim", 60.0, "On track"), ("end", None, "No figure"),
    ]  # fmt: skip
