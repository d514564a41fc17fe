"""The programme dashboard's summary at the top: the five figures a hub lead looks at first,
each the report's or the programme's own, each a link to the section below that has it."""

import re
from datetime import date

from django.urls import reverse
from statsmodels.stats.proportion import proportion_confint

from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot
from tests.factories import (
    EnrolmentFactory,
    EventFactory,
    RecordOfVisitFactory,
    StaffMemberFactory,
)
from workgroups.models import Attendance, EventKind

# Three windows whose slugs are not their names, stored in an order that is not their dates'.
WINDOWS = [
    ("summer-2026", "End of year", date(2026, 6, 22)),
    ("baseline-2025", "Baseline", date(2025, 9, 22)),
    ("spring-2026", "Spring check", date(2026, 1, 19)),
]


def _group(n, pct=None, ci=None, mean=None):
    return {"n": n, "mean": mean, "pct_expected": pct, "pct_expected_ci": ci}


def _attainment(programme, window, *, n, pct, ci, gap, scope="programme"):
    return {
        "scope": {"type": scope, "id": programme.pk, "name": str(programme)},
        "year_group": None,
        "window": window,
        "groups": {
            "all": _group(n, pct, ci, mean=101.5),
            "disadvantaged": _group(n // 4),
            "send": _group(n // 8),
        },
        "gap": {
            "disadvantaged": {"pct_expected_points": gap, "gap_index": 0.25},
            "send": {"pct_expected_points": None, "gap_index": None},
        },
        "coverage": {"pupils": n, "assessed": n},
    }


def _progress(programme, earlier, later, *, change, ci, scope="programme"):
    return {
        "scope": {"type": scope, "id": programme.pk, "name": str(programme)},
        "year_group": None,
        "from": earlier,
        "to": later,
        "n_matched": 6400,
        "groups": {"all": {"n": 6400, "mean_gain": 2.5}, "disadvantaged": {"mean_gain": 3.75}},
        "gap_change": {"disadvantaged": {"mean_points": change, "mean_points_ci": ci}},
        "effect_size": None,
        "attrition": None,
    }


def stored_report(programme, *, results=7200) -> ReportSnapshot:
    """A stored report of the programme over WINDOWS: 7,200 pupils assessed at the end of
    the year (14,400 at its comparison schools) and the progress between the windows."""
    for slug, name, when in WINDOWS:
        AssessmentWindow.objects.create(
            programme=programme, slug=slug, name=name, kind="end", date=when
        )
    snapshot = ReportSnapshot.objects.create(
        programme=programme, data_version=programme.data_version, results=results, threshold=5
    )
    entries = [
        ("attainment", "summer-2026", _attainment(programme, "summer-2026", n=7200, pct=52.5,
                                                  ci=[51.3, 53.7], gap=12.5)),
        ("attainment", "summer-2026", _attainment(programme, "summer-2026", n=14400, pct=61.0,
                                                  ci=[60.2, 61.8], gap=9.5, scope="comparison")),
        ("attainment", "baseline-2025", _attainment(programme, "baseline-2025", n=7000, pct=40.0,
                                                    ci=[38.9, 41.1], gap=15.0)),
        ("attainment", "spring-2026", _attainment(programme, "spring-2026", n=7100, pct=45.0,
                                                  ci=[43.8, 46.2], gap=14.0)),
        ("progress", "summer-2026", _progress(programme, "spring-2026", "summer-2026",
                                              change=-0.5, ci=[-1.5, 0.5])),
        ("progress", "summer-2026", _progress(programme, "baseline-2025", "summer-2026",
                                              change=-1.25, ci=[-2.5, -0.5])),
        ("progress", "spring-2026", _progress(programme, "baseline-2025", "spring-2026",
                                              change=-0.75, ci=[-1.5, 0.0])),
    ]  # fmt: skip
    for kind, window, figures in entries:
        ReportEntry.objects.create(
            snapshot=snapshot, kind=kind, scope_type=figures["scope"]["type"],
            scope_id=programme.pk, year_group=None, window=window,
            from_window=figures.get("from", ""), figures=figures,
        )  # fmt: skip
    return snapshot


def summary_of(page: str) -> str:
    start = page.index('aria-labelledby="summary-heading"')
    return page[start : page.index("</section>", start)]


def figure_in(summary: str, name: str) -> str | None:
    match = re.search(rf'data-figure="{name}">(.*?)</span>', summary, re.S)
    return " ".join(match.group(1).split()) if match else None


def _links_go_to_headings(page: str, summary: str) -> set[str]:
    targets = set(re.findall(r'href="#([^"]+)"', summary))
    ids = set(re.findall(r'<h[1-6][^>]* id="([^"]+)"', page))
    assert targets <= ids, targets - ids
    return targets


def test_it_sums_up_the_programme_from_its_report_and_its_delivery(
    client, world, reported, school_c, comparison, django_assert_max_num_queries
):
    for _ in range(3):  # 3 half days
        RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    staff = [StaffMemberFactory(school=world.school_a) for _ in range(3)]
    StaffMemberFactory(school=world.school_b)  # not in the programme: not counted
    launch = EventFactory(programme=world.programme, kind=EventKind.LAUNCH_TRAINING)
    Attendance.objects.create(event=launch, staff_member=staff[0], present=True)
    Attendance.objects.create(event=launch, staff_member=staff[1], present=False)
    url = reverse("dashboards:programme", args=[world.programme.slug])

    client.get(url)  # reads the stored report's figures once, into the cache
    with django_assert_max_num_queries(28):  # with its targets (two queries) and trends (one)
        page = client.get(url).content.decode()

    summary = summary_of(page)
    # School A and school C enrolled; one comparison school.
    assert figure_in(summary, "schools") == "2"
    assert figure_in(summary, "comparison") == "and 1 comparison school"
    # Six pupils at school A score 95 to 100: only the 100 reaches the expected standard
    # (100), 1 of 6 = 16.7%, with its Wilson interval.
    low, high = (round(100 * bound, 1) for bound in proportion_confint(1, 6, method="wilson"))
    assert figure_in(summary, "expected") == "16.7%"
    assert figure_in(summary, "expected-ci") == f"95% confidence interval {low}% to {high}%"
    # Two disadvantaged pupils (serials 0 and 3), under 5: the gap stays withheld.
    assert figure_in(summary, "gap") == "Fewer than 5 pupils"
    assert figure_in(summary, "gap-change") is None  # one window: no change to show
    # 1.5 of the 4 + 4 days allocated; 1 of the 3 staff of school A at the launch.
    assert figure_in(summary, "sle-days") == "1.50 of 8"
    assert figure_in(summary, "cpd") == "1 of 3"
    targets = _links_go_to_headings(page, summary)
    assert {"la-heading", "attainment-heading", "money-heading", "delivery-heading"} <= targets


def test_it_shows_the_latest_window_and_the_change_since_the_first(client, world):
    stored_report(world.programme)
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    summary = summary_of(page.content.decode())

    # The end of the year is the latest window by date, though stored first; the programme's
    # own figures, not its comparison schools' (61.0%).
    assert figure_in(summary, "expected") == "52.5%"
    assert figure_in(summary, "expected-ci") == "95% confidence interval 51.3% to 53.7%"
    assert "of pupils at End of year" in summary
    assert figure_in(summary, "gap") == "12.5 points"
    # From the first window (Baseline) to the latest: -1.25, its interval turned round.
    assert figure_in(summary, "gap-change") == (
        "Since Baseline, the gap in average scores narrowed by 1.25 points "
        "(95% confidence interval 0.5 to 2.5): unlikely to be chance."
    )
    assert "progress-heading" in _links_go_to_headings(page.content.decode(), summary)


def test_it_says_there_are_no_results_yet_without_a_report(client, world):
    EnrolmentFactory(cohort=world.cohort)
    client.force_login(world.hub_lead)
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    summary = summary_of(page.content.decode())
    assert figure_in(summary, "schools") == "2"
    assert figure_in(summary, "comparison") == "No comparison schools"
    assert figure_in(summary, "expected") is None
    assert summary.count("No results yet") == 2
    assert figure_in(summary, "sle-days") == "0 of 8"
    assert "evaluation-heading" in _links_go_to_headings(page.content.decode(), summary)


def test_its_list_of_sections_reaches_every_section(client, world, reported):
    page = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    page = page.content.decode()
    contents = page[page.index('aria-labelledby="contents-heading"') :]
    contents = contents[: contents.index("</nav>")]
    sections = set(re.findall(r'<h2[^>]* id="([^"]+)"', page)) - {"summary-heading"}
    assert set(re.findall(r'href="#([^"]+)"', contents)) == sections
