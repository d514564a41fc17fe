from datetime import UTC, date, datetime
from unittest import mock

import weasyprint
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from mathsprog import pdf
from tests.factories import EventFactory, RecordOfVisitFactory, StaffMemberFactory
from tests.queries import queries_for
from workgroups.models import Attendance


def _url(world, **period):
    query = "&".join(f"{k}={v}" for k, v in period.items())
    return reverse("dashboards:governor_report", args=[world.school_a.urn]) + (
        f"?{query}" if query else ""
    )


def test_it_reports_a_period_of_work_in_the_school(client, world):
    inside = RecordOfVisitFactory(
        programme=world.programme,
        school=world.school_a,
        sle=world.sle,
        visit_date=date(2025, 10, 8),
        year_groups=[1, 2],
        strengths="Confident use of stem sentences",
    )
    RecordOfVisitFactory(
        programme=world.programme,
        school=world.school_a,
        sle=world.sle,
        visit_date=date(2025, 6, 1),
        strengths="Before the period",
    )
    world.school_a.actions.create(description="Plan fluency sessions", raised_at_visit=inside)
    teacher = StaffMemberFactory(school=world.school_a)
    launch = EventFactory(
        programme=world.programme,
        title="Launch training",
        starts_at=datetime(2025, 9, 17, 9, tzinfo=UTC),
    )
    Attendance.objects.create(event=launch, staff_member=teacher, present=True)
    client.force_login(world.governor_a)
    page = " ".join(
        client.get(_url(world, start="2025-09-01", end="2026-07-31")).content.decode().split()
    )
    assert "made <strong>1</strong> visit (0.50 days), working with Year 1, Year 2" in page
    assert "Confident use of stem sentences" in page
    assert "Before the period" not in page
    assert "Plan fluency sessions" in page
    assert "Launch training" in page
    page = client.get(_url(world, start="2026-07-31", end="2025-09-01")).content.decode()
    assert "The end of the period is before its start." in page


def test_it_downloads_as_a_pdf(client, world):
    client.force_login(world.governor_a)
    response = client.get(_url(world, format="pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, school=world.school_a).exists()


def test_pdfs_parse_the_stylesheets_once_a_process(client, world):
    client.force_login(world.governor_a)
    pdf.stylesheets.cache_clear()
    with mock.patch.object(weasyprint, "CSS", wraps=weasyprint.CSS) as parse:
        for _ in range(2):
            assert client.get(_url(world, format="pdf")).content.startswith(b"%PDF")
    assert parse.call_count == len(pdf.STYLESHEETS)


def test_it_keeps_to_a_constant_number_of_queries(client, world):
    client.force_login(world.governor_a)
    url = _url(world, start="2025-09-01", end="2026-07-31")
    RecordOfVisitFactory(
        programme=world.programme,
        school=world.school_a,
        sle=world.sle,
        visit_date=date(2025, 9, 20),
    )
    before = queries_for(client, url)
    for n in range(10):
        visit = RecordOfVisitFactory(
            programme=world.programme,
            school=world.school_a,
            sle=world.sle,
            visit_date=date(2025, 10, 1 + n),
        )
        world.school_a.actions.create(description=f"Action {n}", raised_at_visit=visit)
        event = EventFactory(
            programme=world.programme, starts_at=datetime(2025, 11, 1 + n, tzinfo=UTC)
        )
        Attendance.objects.create(
            event=event, staff_member=StaffMemberFactory(school=world.school_a), present=True
        )
    assert queries_for(client, url) == before
