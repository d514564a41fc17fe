"""A programme's stored report made by hand: one window, one school's attainment entry, for
tests of who sees a school's figures."""

from datetime import date

from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot


def stored_school_report(programme, school, *, comparison: bool) -> ReportSnapshot:
    AssessmentWindow.objects.create(
        programme=programme, slug="start", name="Start", kind="baseline", date=date(2025, 9, 22)
    )
    snapshot = ReportSnapshot.objects.create(programme=programme, data_version=0, threshold=5)
    ReportEntry.objects.create(
        snapshot=snapshot, kind="attainment", scope_type="school", scope_id=school.pk,
        year_group=None, window="start",
        figures={"scope": {"type": "school", "id": school.pk, "name": school.name,
                           "comparison": comparison},
                 "year_group": None, "window": "start",
                 "groups": {"all": {"n": 30, "pct_expected": 61.5}, "disadvantaged": {},
                            "other": {}},
                 "gap": {"disadvantaged": {}, "send": {}}},
    )  # fmt: skip
    return snapshot
