"""Targets for the end of 2025/26 and a KPI the report fills in. The hub lead set the
programme's targets when the year began and revised one once the baseline was in; one
school's headteacher set the school's own, so that on-track status (at the interim window and
at the end) shows for the programme and for a school, each with its history."""

from datetime import UTC, datetime
from decimal import Decimal

from evaluation.models import AssessmentWindow, Target
from evaluation.targets import kpi_report_link, target_set
from programmes.models import Programme, ReportFigure
from programmes.part_services import kpi_create
from schools.models import School

# (measure, value, set on): the programme's targets, the first replaced by the second. Figures
# in percent at the expected standard, the gap in percentage points.
PROGRAMME_TARGETS = (
    (ReportFigure.EXPECTED_ALL, "75.0", datetime(2025, 9, 8, 10, 0, tzinfo=UTC)),
    (ReportFigure.EXPECTED_ALL, "70.0", datetime(2025, 10, 13, 16, 30, tzinfo=UTC)),
    (ReportFigure.EXPECTED_DISADVANTAGED, "62.0", datetime(2025, 10, 13, 16, 30, tzinfo=UTC)),
    (ReportFigure.DISADVANTAGED_GAP, "8.0", datetime(2025, 10, 13, 16, 30, tzinfo=UTC)),
)
SCHOOL_URN = 100100  # the school of the demo's headteacher login (demo.loader.demo_logins)
SCHOOL_TARGETS = (
    (ReportFigure.EXPECTED_ALL, "72.0", datetime(2025, 10, 20, 15, 45, tzinfo=UTC)),
    (ReportFigure.DISADVANTAGED_GAP, "10.0", datetime(2025, 10, 20, 15, 45, tzinfo=UTC)),
)


def load(programme: Programme, users: dict) -> None:
    window = AssessmentWindow.objects.get(programme=programme, slug="end-2026")
    school = School.objects.get(urn=SCHOOL_URN)
    hub_lead, head = users["hub.lead@example.org"], users[f"head.{SCHOOL_URN}@example.org"]
    for rows, set_by, whose in (
        (PROGRAMME_TARGETS, hub_lead, None),
        (SCHOOL_TARGETS, head, school),
    ):
        for measure, value, set_at in rows:
            target = target_set(window=window, measure=measure, value=Decimal(value),
                                set_by=set_by, school=whose)  # fmt: skip
            # When it was set, not when the demo was loaded: the history reads in order.
            Target.objects.filter(pk=target.pk).update(set_at=set_at)
    kpi = kpi_create(
        programme=programme,
        name="Disadvantaged pupils at the expected standard",
        target=Decimal(65),
        notes="From the evaluation report, at its latest window.",
    )
    kpi_report_link(kpi=kpi, report_figure=ReportFigure.EXPECTED_DISADVANTAGED)
