from datetime import date

from dashboards.figures import school_figures, schools_needing_attention
from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot

from ..factories import EnrolmentFactory


def _attainment(snapshot, school, window, *, gap, share, n=30, year_group=None, compares=False):
    ReportEntry.objects.create(
        snapshot=snapshot, kind="attainment", scope_type="school", scope_id=school.pk,
        year_group=year_group, window=window,
        figures={
            "scope": {"type": "school", "id": school.pk, "name": school.name,
                      "comparison": compares},
            "groups": {"all": {"n": n, "pct_expected": share}},
            "gap": {"disadvantaged": {"pct_expected_points": gap}},
        },
    )  # fmt: skip


def test_schools_needing_attention_are_those_with_the_widest_gap_at_the_latest_window(
    world, window, comparison
):
    AssessmentWindow.objects.create(
        programme=world.programme, slug="end", name="End", kind="end", date=date(2026, 6, 22)
    )
    schools = [world.school_a] + [
        EnrolmentFactory(cohort=world.cohort, school__name=f"School {n}").school
        for n in range(1, 5)
    ]
    snapshot = ReportSnapshot.objects.create(programme=world.programme, data_version=1)
    a, one, two, three, four = schools
    _attainment(snapshot, a, "end", gap=12.5, share=70.0)
    _attainment(snapshot, one, "end", gap=30.0, share=55.0, n=41)
    _attainment(snapshot, two, "end", gap=12.5, share=60.0)  # tie on the gap: lower share first
    _attainment(snapshot, three, "end", gap=None, share=None)  # withheld: cannot be ranked
    _attainment(snapshot, four, "baseline", gap=50.0, share=20.0)  # not the latest window
    _attainment(snapshot, four, "end", gap=60.0, share=10.0, year_group=6)  # one year group
    # A comparison school, as the report has it, is not the programme's to rank.
    _attainment(snapshot, comparison, "end", gap=90.0, share=5.0, compares=True)

    rows = schools_needing_attention(snapshot=snapshot, programme=world.programme)

    assert [(row["scope"]["name"], row["gap"], row["pct_expected"]) for row in rows] == [
        (one.name, 30.0, 55.0),
        (two.name, 12.5, 60.0),
        (a.name, 12.5, 70.0),
    ]
    assert (rows[0]["n"], rows[0]["urn"], rows[0]["scope"]["id"]) == (41, one.urn, one.pk)
    assert len(schools_needing_attention(
        snapshot=snapshot, programme=world.programme, limit=2
    )) == 2  # fmt: skip


def test_figures_of_a_stored_report_are_read_from_the_database_once(
    world, window, django_assert_num_queries
):
    """A stored report never changes, so pages read its figures once; a newer report is read
    afresh."""
    snapshot = ReportSnapshot.objects.create(programme=world.programme, data_version=1)
    _attainment(snapshot, world.school_a, "baseline", gap=10.0, share=50.0)
    first = school_figures(snapshot=snapshot, school=world.school_a)
    assert first["attainment"][0]["gap"]["disadvantaged"]["pct_expected_points"] == 10.0
    with django_assert_num_queries(0):
        assert school_figures(snapshot=snapshot, school=world.school_a) == first

    newer = ReportSnapshot.objects.create(programme=world.programme, data_version=2)
    _attainment(newer, world.school_a, "baseline", gap=20.0, share=40.0)
    figures = school_figures(snapshot=newer, school=world.school_a)
    assert figures["attainment"][0]["gap"]["disadvantaged"]["pct_expected_points"] == 20.0

    def attention():
        rows = schools_needing_attention(snapshot=newer, programme=world.programme)
        return [row["scope"]["id"] for row in rows]

    assert attention() == [world.school_a.pk]


def test_pages_read_a_reports_figures_from_the_database_while_the_cache_is_down(
    world, window, settings, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    snapshot = ReportSnapshot.objects.create(programme=world.programme, data_version=1)
    _attainment(snapshot, world.school_a, "baseline", gap=10.0, share=50.0)
    figures = school_figures(snapshot=snapshot, school=world.school_a)
    assert figures["attainment"][0]["gap"]["disadvantaged"]["pct_expected_points"] == 10.0
    assert "The cache does not answer" in caplog.text
