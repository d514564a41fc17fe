"""Trends over years (issue 19): a programme's and a school's figures at each academic
year's end window, from stored reports made by hand, over three years."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import selectors, trends
from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot
from tests.factories import EnrolmentFactory, ProgrammeFactory


def _window(programme, slug, kind, on):
    return AssessmentWindow.objects.create(
        programme=programme, slug=slug, name=slug.title(), kind=kind, date=on
    )


def _entry(snapshot, scope, window, year_group, share, mean, gap, *, withheld=False):
    group = {
        "n": 30,
        "mean": mean,
        "pct_expected": share,
        "pct_expected_ci": [share - 9, share + 9],
    }
    if withheld:
        group = {"n": None, "mean": None, "pct_expected": None, "suppressed": True}
    ReportEntry.objects.create(
        snapshot=snapshot, kind="attainment", scope_type=scope["type"], scope_id=scope["id"],
        year_group=year_group, window=window,
        figures={"scope": scope, "year_group": year_group, "window": window,
                 "groups": {"all": group, "disadvantaged": {"n": 10, "pct_expected": share - gap},
                            "other": {"n": 20, "pct_expected": share + gap / 2},
                            "send": {"n": 5, "pct_expected": share - 2 * gap}},
                 "gap": {"disadvantaged": {"pct_expected_points": gap,
                                           "pct_expected_points_ci": [gap - 4, gap + 4]},
                         "send": {"pct_expected_points": 2 * gap}}},
    )  # fmt: skip


@pytest.fixture
def years(world):
    """World's programme over 2024/25 to 2026/27 (an end window each year; 2025/26 has two,
    of which July's stands for the year), and a predecessor programme of school A's in
    2023/24."""
    programme, school = world.programme, world.school_a
    _window(programme, "start", "baseline", date(2024, 9, 20))
    _window(programme, "mid", "interim", date(2025, 2, 1))
    for slug, on in [("end-2025", date(2025, 7, 1)), ("early-2026", date(2026, 3, 1)),
                     ("end-2026", date(2026, 7, 1)), ("end-2027", date(2027, 7, 1))]:  # fmt: skip
        _window(programme, slug, "end", on)
    snapshot = ReportSnapshot.objects.create(programme=programme, data_version=0, threshold=5)
    ours = {"type": "programme", "id": programme.pk, "name": programme.name}
    at_school = {"type": "school", "id": school.pk, "name": school.name, "comparison": False}
    figures = {"start": 40.0, "mid": 45.0, "end-2025": 50.0, "early-2026": 1.0,
               "end-2026": 60.0, "end-2027": 70.0}  # fmt: skip
    for slug, share in figures.items():
        _entry(snapshot, ours, slug, None, share, 100 + share / 10, 20 - share / 10)
        _entry(snapshot, ours, slug, 2, share + 5, 101.0, 8.0)
        _entry(snapshot, at_school, slug, 2, share - 5, 99.0, 6.0, withheld=slug == "end-2026")
    before = EnrolmentFactory(school=school, cohort__programme=ProgrammeFactory(name="Early"))
    earlier = before.programme
    _window(earlier, "end-2024", "end", date(2024, 6, 30))
    old = ReportSnapshot.objects.create(programme=earlier, data_version=0, threshold=10)
    _entry(old, at_school, "end-2024", 2, 33.0, 98.0, 7.0)
    return world


def test_it_gives_a_programme_its_end_of_year_figures_by_year(years):
    rows = selectors.end_of_year_attainment(programmes=[years.programme])
    shown = trends.year_trends(rows)
    assert shown["years"] == ["2024/25", "2025/26", "2026/27"]
    share, mean, gap, send = shown["tables"]
    # Year groups in order, all first; July 2026 (60%) stands for 2025/26, not March.
    assert [name for name, _ in share["rows"]] == ["All year groups", "Year 2"]
    assert [c.values["pct_expected"] for c in share["rows"][0][1]] == [50.0, 60.0, 70.0]
    assert [c.values["pct_expected"] for c in share["rows"][1][1]] == [55.0, 65.0, 75.0]
    assert [c.interval for c in share["rows"][0][1]] == [[41.0, 59.0], [51.0, 69.0], [61.0, 79.0]]
    assert [c.values["mean"] for c in mean["rows"][0][1]] == [105.0, 106.0, 107.0]
    assert [c.values["pct_expected_points"] for c in gap["rows"][0][1]] == [15.0, 14.0, 13.0]
    assert [c.values["pct_expected_points"] for c in send["rows"][0][1]] == [30.0, 28.0, 26.0]
    attainment = {s["key"]: s for s in shown["charts"]["attainment"]["datasets"]}
    assert attainment["all"]["data"] == [50.0, 60.0, 70.0]
    assert attainment["disadvantaged"]["data"] == [35.0, 46.0, 57.0]
    gaps = {s["key"]: s for s in shown["charts"]["gap"]["datasets"]}
    assert gaps["disadvantaged"]["intervals"] == [[11.0, 19.0], [10.0, 18.0], [9.0, 17.0]]


def test_it_follows_a_school_through_successive_programmes(years):
    rows = selectors.end_of_year_attainment(
        programmes=[
            years.programme,
            *years.school_a.enrolments.values_list("programme", flat=True),
        ],
        school=years.school_a,
    )
    shown = trends.year_trends(rows)
    name = years.programme.name
    assert shown["years"] == ["2023/24, Early", f"2024/25, {name}", f"2025/26, {name}",
                              f"2026/27, {name}"]  # fmt: skip
    share = shown["tables"][0]
    assert [n for n, _ in share["rows"]] == ["Year 2"]
    cells = share["rows"][0][1]
    assert [c.values["pct_expected"] for c in cells] == [33.0, 45.0, None, 65.0]
    assert cells[2].values["suppressed"]
    assert cells[2].threshold == 5
    assert cells[0].threshold == 10


def test_it_shows_trends_on_the_dashboards_with_withheld_figures(
    client, years, django_assert_max_num_queries
):
    client.force_login(years.head_a)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("dashboards:school", args=[years.school_a.urn])).content.decode()
    trend = page[page.index('id="trends-heading"') :]
    assert "2023/24, Early" in trend
    assert "Fewer than 5 pupils" in trend
    assert "45.0%" in trend
    assert "65.0%" in trend
    client.force_login(years.hub_lead)
    url = reverse("dashboards:programme", args=[years.programme.slug])
    page = client.get(url).content.decode()
    trend = page[page.index('id="trends-heading"') :]
    assert "2026/27" in trend
    assert "70.0%" in trend
    assert "95% CI 61.0 to 79.0" in trend
    download = client.get(url + "?export=chart-trend-attainment&format=csv")
    assert download.status_code == 200
    assert "70" in download.content.decode()


def test_it_shows_no_trend_of_a_single_year(client, world):
    at_school = {"type": "school", "id": world.school_a.pk, "name": world.school_a.name}
    _window(world.programme, "end-2026", "end", date(2026, 7, 1))
    snapshot = ReportSnapshot.objects.create(programme=world.programme, data_version=0)
    _entry(snapshot, at_school, "end-2026", 2, 60.0, 101.0, 8.0)
    assert (
        trends.year_trends(
            selectors.end_of_year_attainment(programmes=[world.programme], school=world.school_a)
        )
        is None
    )
    client.force_login(world.head_a)
    page = client.get(reverse("dashboards:school", args=[world.school_a.urn])).content.decode()
    assert 'id="trends-heading"' not in page


def test_it_reads_every_years_trends_in_one_query(client, years):
    def queries_of(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    school = reverse("dashboards:school", args=[years.school_a.urn])
    programme = reverse("dashboards:programme", args=[years.programme.slug])
    client.force_login(years.admin)
    queries_of(school), queries_of(programme)  # the session's first reads, once
    before = queries_of(school), queries_of(programme)
    _window(years.programme, "end-2028", "end", date(2028, 7, 1))
    snapshot = years.programme.reports.get()
    ours = {"type": "programme", "id": years.programme.pk, "name": years.programme.name}
    for year_group in (None, 1, 2):
        _entry(snapshot, ours, "end-2028", year_group, 80.0, 108.0, 4.0)
    _entry(snapshot, {"type": "school", "id": years.school_a.pk, "name": "A"}, "end-2028", 2,
           75.0, 104.0, 3.0)  # fmt: skip
    queries_of(school), queries_of(programme)  # figures cached by the latest window, once
    assert (queries_of(school), queries_of(programme)) == before
    assert "2027/28" in client.get(programme).content.decode()
