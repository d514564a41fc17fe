"""A school's targets on its dashboard and in its governor report (issue 19): its own target
where it has set one, else the programme's, checked against the school's own figures, with
the status in words and the points still needed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import AssessmentWindow
from evaluation.targets import school_targets_on_track, target_set
from programmes.models import Programme, ReportFigure
from tests.factories import EnrolmentFactory
from tests.targets_data import report_by_hand, target_windows

ALL, DISADVANTAGED, GAP = (
    ReportFigure.EXPECTED_ALL,
    ReportFigure.EXPECTED_DISADVANTAGED,
    ReportFigure.DISADVANTAGED_GAP,
)


@pytest.fixture
def targets(world):
    """The programme's targets for all three figures; school A's own for disadvantaged pupils.
    The programme's figures differ from school A's, so a check against the wrong ones shows.
    Half way from the baseline to the end window (see target_windows), the lines are at:
    - all pupils, programme's target 70 from the school's 50: 60; the school has 58.5,
      1.5 behind (slightly), 11.5 to go;
    - disadvantaged, the school's own 60 from 40: 50; it has 52, on track, 8 to go;
    - the gap, programme's target 10 from the school's 20: 15; it has 21, 6 behind (off
      track), 11 still to close."""
    windows = target_windows(world.programme)
    for measure, value, school, by in (
        (ALL, "70", None, world.hub_lead),
        (DISADVANTAGED, "55", None, world.hub_lead),
        (GAP, "10", None, world.hub_lead),
        (DISADVANTAGED, "60", world.school_a, world.head_a),
    ):
        target_set(window=windows["end"], measure=measure, value=Decimal(value), school=school,
                   set_by=by)  # fmt: skip
    snapshot = report_by_hand(world.programme, {"baseline": (50.0, 40.0, 20.0),
                                     "interim": (58.5, 52.0, 21.0)},
                   scopes=[("school", world.school_a.pk)])  # fmt: skip
    report_by_hand(world.programme, {"baseline": (10.0, 10.0, 10.0),
                                     "interim": (90.0, 90.0, 0.0)}, snapshot=snapshot)  # fmt: skip
    return world


def _interim_checks(world, programmes):
    [(programme, found)] = school_targets_on_track(school=world.school_a, programmes=programmes)
    return programme, {p.target.measure: (p.target, p.checks[0]) for p in found}


def test_a_school_is_checked_against_its_own_target_or_else_the_programmes(targets):
    programme, found = _interim_checks(targets, Programme.objects.all())
    assert programme == targets.programme
    checks = {m: (t.school_id, c.line, c.figure, c.status, c.behind, c.to_target)
              for m, (t, c) in found.items()}  # fmt: skip
    school = targets.school_a.pk
    assert checks == {
        ALL: (None, 60.0, 58.5, "Slightly behind", 1.5, 11.5),
        DISADVANTAGED: (school, 50.0, 52.0, "On track", 0.0, 8.0),
        GAP: (None, 15.0, 21.0, "Off track", 6.0, 11.0),
    }


def test_a_school_outside_the_programme_has_no_targets_in_it(targets):
    assert (
        school_targets_on_track(school=targets.school_b, programmes=Programme.objects.all()) == []
    )


def _targets_section(page: str) -> str:
    return page[page.index('id="targets-heading"') :]


def test_the_dashboard_shows_each_target_in_words_to_the_schools_leaders(client, targets):
    url = reverse("dashboards:school", args=[targets.school_a.urn])
    own = reverse("evaluation:school_targets", args=[targets.programme.slug, targets.school_a.urn])
    client.force_login(targets.head_a)
    section = _targets_section(client.get(url).content.decode())
    assert section.count("The programme's target, set by lead@example.org") == 2
    assert section.count("The school's own target, set by head.a@example.org") == 1
    for words in ("Slightly behind", "On track", "Off track", "11.5", "58.5"):
        assert words in section
    assert own in section
    client.force_login(targets.governor_a)  # governors read, and do not set targets
    section = _targets_section(client.get(url).content.decode())
    assert "Off track" in section
    assert own not in section


def test_the_governor_report_gives_the_targets(client, targets):
    client.force_login(targets.governor_a)
    page = client.get(reverse("dashboards:governor_report", args=[targets.school_a.urn]))
    section = _targets_section(page.content.decode())
    assert "Targets: " + targets.school_a.name in section
    assert "Slightly behind" in section
    assert "Off track" in section


def test_the_targets_of_every_programme_take_three_queries(
    client, targets, django_assert_num_queries, django_assert_max_num_queries
):
    second = EnrolmentFactory(school=targets.school_a).programme
    end = AssessmentWindow.objects.create(programme=second, slug="end", name="End", kind="end",
                                          date=date(2026, 7, 1))  # fmt: skip
    AssessmentWindow.objects.create(programme=second, slug="start", name="Start",
                                    kind="baseline", date=date(2025, 9, 1))  # fmt: skip
    target_set(window=end, measure=ALL, value=Decimal("80"), set_by=targets.admin)
    with django_assert_num_queries(3):
        found = school_targets_on_track(school=targets.school_a, programmes=Programme.objects.all())
    assert [(p, len(progress)) for p, progress in found] == [(targets.programme, 3), (second, 1)]
    client.force_login(targets.admin)
    url = reverse("dashboards:school", args=[targets.school_a.urn])
    client.get(url)  # the session's first reads, once
    # 25 in two programmes, of which 3 are the targets' (and one CPD coverage a programme).
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert _targets_section(page).count("The programme's target") == 3
