"""Which schools may be shown only as a group is read from the report a page shows (each
school entry says whether the school was a comparison school), never from today's list."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import ReportEntry
from programmes.models import ComparisonSchool
from tests.factories import ProgrammeFactory
from tests.pdfs import pdf_html
from tests.stored_reports import stored_school_report


def _text(client, url: str) -> str:
    if url.endswith("format=pdf"):
        return pdf_html(client, url)
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.content.decode("utf-8-sig")


def _programme_pages(programme) -> list[str]:
    slug = programme.slug
    dashboard = reverse("dashboards:programme", args=[slug])
    attainment = reverse("evaluation:report_csv", args=[slug])
    funder = reverse("dashboards:funder_report", args=[slug])
    return [
        dashboard,
        f"{dashboard}?export=attention&format=csv",
        f"{dashboard}?export=attainment&format=xlsx",
        attainment,
        f"{attainment}?format=xlsx",
        funder,
        f"{funder}?format=pdf",
        reverse("dashboards:enrolments", args=[slug]),
        reverse("dashboards:enrolments", args=[slug]) + "?export=schools&format=csv",
        reverse("programmes:comparison", args=[slug]),
        reverse("workgroups:list", args=[slug]),
        reverse("workgroups:cpd_coverage", args=[slug]),
        reverse("dashboards:coverage_programme", args=[slug]),
    ]


def test_a_removed_comparison_school_is_on_no_page_or_download_of_the_programme(
    client, world, reported, comparison, django_capture_on_commit_callbacks
):
    assert ReportEntry.objects.filter(scope_type="school", scope_id=comparison.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programmes:comparison_remove", args=[reported.slug, comparison.urn]))
    reported.refresh_from_db()
    assert reported.reports.get().data_version == reported.data_version  # recomputed
    for persona in ("hub_lead", "admin"):
        client.force_login(getattr(world, persona))
        for url in _programme_pages(reported):
            assert comparison.name not in _text(client, url), f"{url} as {persona}"


def test_until_its_report_is_recomputed_a_removed_comparison_school_shows_only_as_a_group(
    client, world, reported, comparison
):
    # Removed, but its report not yet recomputed (the worker is busy): the stored report
    # still has the school as a comparison school, whatever today's list says.
    client.post(reverse("programmes:comparison_remove", args=[reported.slug, comparison.urn]))
    assert not reported.comparison_schools.exists()
    attainment = reverse("evaluation:report_csv", args=[reported.slug])
    text = _text(client, attainment)
    assert "comparison," in text  # the group as a whole
    assert comparison.name not in text
    client.force_login(world.admin)
    assert comparison.name in _text(client, attainment)


def test_a_schools_figures_as_a_comparison_school_elsewhere_are_for_its_own_people(
    client, world, reported
):
    """School A is enrolled in the hub lead's programme and compares for another: the hub
    lead sees school A's figures in their own programme only."""
    other = ProgrammeFactory(name="Another Programme")
    ComparisonSchool.objects.create(programme=other, school=world.school_a)
    stored_school_report(other, world.school_a, comparison=True)
    url = reverse("dashboards:school", args=[world.school_a.urn])
    page = _text(client, url)  # the hub lead
    assert f"Attainment and gaps: {reported.name}" in page
    assert "Another Programme" not in page
    client.force_login(world.head_a)
    assert "Attainment and gaps: Another Programme" in _text(client, url)
