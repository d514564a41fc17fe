"""Stored reports and windows made by hand for the targets' tests (issue 19)."""

from datetime import date

from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot


def target_windows(programme) -> dict[str, AssessmentWindow]:
    """Baseline on 1 Sep 2025, the end window 300 days later (28 Jun 2026: 122 days to 1 Jan,
    then 31 + 28 + 31 + 30 + 31 + 27), and an interim window half way, at day 150 (29 Jan)."""
    made = {}
    for slug, kind, on in (
        ("baseline", "baseline", date(2025, 9, 1)),
        ("interim", "interim", date(2026, 1, 29)),
        ("end", "end", date(2026, 6, 28)),
    ):
        made[slug] = AssessmentWindow.objects.create(
            programme=programme, slug=slug, name=slug.capitalize(), kind=kind, date=on
        )
    return made


def report_by_hand(programme, figures: dict, *, scopes=(("programme", None),),
                   snapshot=None) -> ReportSnapshot:  # fmt: skip
    """A stored report by hand (or more entries of `snapshot`): by window, (% all,
    % disadvantaged, gap) at the expected standard, the same for each of `scopes`, every year
    group together."""
    if snapshot is None:
        version = ReportSnapshot.objects.filter(programme=programme).count()
        snapshot = ReportSnapshot.objects.create(
            programme=programme, data_version=version, threshold=5
        )
    for scope_type, scope_id in scopes:
        scope_id = scope_id or programme.pk
        for slug, (every, disadvantaged, gap) in figures.items():
            ReportEntry.objects.create(
                snapshot=snapshot, kind="attainment", scope_type=scope_type, scope_id=scope_id,
                year_group=None, window=slug,
                figures={"scope": {"type": scope_type, "id": scope_id}, "year_group": None,
                         "window": slug,
                         "groups": {"all": {"pct_expected": every},
                                    "disadvantaged": {"pct_expected": disadvantaged}},
                         "gap": {"disadvantaged": {"pct_expected_points": gap}}},
            )  # fmt: skip
    return snapshot
