"""Numbers and names as people read them: thousands separators ("7,200" beside "14,400"),
"1 school" not "1 schools", the windows by their names ("Baseline"), never their slugs
("baseline-2025"), and the funder report's charts under its title."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from evaluation.models import AssessmentWindow, ReportEntry, ReportSnapshot
from tests.factories import BudgetLineFactory, RecordOfVisitFactory

from .test_programme_summary import WINDOWS, stored_report

SLUGS = [slug for slug, _, _ in WINDOWS]


def _page(client, name: str, *args) -> str:
    return " ".join(client.get(reverse(name, args=args)).content.decode().split())


def _headline_tables(page: str) -> str:
    """The attainment and progress tables and the sentences under them."""
    start = page.index('id="attainment-heading"')
    end = page.index("</ul>", page.index('aria-label="What the progress figures mean"'))
    return page[start:end]


def test_the_headline_tables_name_the_windows(client, world):
    stored_report(world.programme)
    client.force_login(world.hub_lead)
    for url in ("dashboards:programme", "dashboards:funder_report"):
        tables = _headline_tables(_page(client, url, world.programme.slug))
        # In the order of their dates (Baseline, Spring check, End of year), by their names.
        rows = [tables.index(f'<th scope="row">{name}</th>') for name in
                ("Baseline", "Spring check", "End of year")]  # fmt: skip
        assert rows == sorted(rows), url
        assert '<th scope="row">Baseline → End of year</th>' in tables
        assert "<li>Baseline → End of year, programme schools: the disadvantaged gap" in tables
        assert not [slug for slug in SLUGS if slug in tables], url


def test_the_downloads_name_the_windows_as_the_page_does(client, world):
    stored_report(world.programme)
    client.force_login(world.hub_lead)
    url = reverse("dashboards:programme", args=[world.programme.slug])
    attainment = client.get(f"{url}?export=attainment&format=csv").content.decode()
    progress = client.get(f"{url}?export=progress&format=csv").content.decode()
    assert "End of year,Programme,7200" in attainment
    assert "Baseline,End of year,Programme,6400" in progress
    assert not [slug for slug in SLUGS if slug in attainment + progress]


def test_a_renamed_window_shows_its_new_name(client, world):
    stored_report(world.programme)
    client.force_login(world.hub_lead)
    _page(client, "dashboards:programme", world.programme.slug)  # the report, now cached
    world.programme.assessment_windows.filter(slug="summer-2026").update(name="Summer 2026")
    tables = _headline_tables(_page(client, "dashboards:programme", world.programme.slug))
    assert '<th scope="row">Summer 2026</th>' in tables
    assert "End of year" not in tables


def test_the_school_dashboard_names_the_windows_it_was_lost_between(client, world):
    for slug, name, when in [("baseline-2025", "Baseline", date(2025, 9, 22)),
                             ("summer-2026", "End of year", date(2026, 6, 22))]:  # fmt: skip
        AssessmentWindow.objects.create(
            programme=world.programme, slug=slug, name=name, kind="end", date=when
        )
    snapshot = ReportSnapshot.objects.create(programme=world.programme, data_version=0)
    scope = {"type": "school", "id": world.school_a.pk, "name": world.school_a.name}
    groups = {g: {"n": 30, "pct_expected": 50.0} for g in ("all", "disadvantaged", "other")}
    for window in ("baseline-2025", "summer-2026"):
        ReportEntry.objects.create(
            snapshot=snapshot, kind="attainment", scope_type="school",
            scope_id=world.school_a.pk, window=window,
            figures={"scope": scope, "year_group": None, "window": window, "groups": groups,
                     "gap": {}},
        )  # fmt: skip
    # 10 of 20 disadvantaged pupils lost (50%) against 4 of 40 others (10%).
    attrition = {"disadvantaged": {"lost": 10, "of": 20}, "other": {"lost": 4, "of": 40}}
    ReportEntry.objects.create(
        snapshot=snapshot, kind="progress", scope_type="school", scope_id=world.school_a.pk,
        window="summer-2026", from_window="baseline-2025",
        figures={"scope": scope, "year_group": None, "from": "baseline-2025",
                 "to": "summer-2026", "n_matched": 46, "groups": {"all": {"mean_gain": 1.5}},
                 "gap_change": {}, "attrition": attrition},
    )  # fmt: skip
    client.force_login(world.head_a)
    page = _page(client, "dashboards:school", world.school_a.urn)
    assert (
        "Baseline to End of year: 50% of the disadvantaged pupils assessed at Baseline have "
        "no result at End of year, against 10% of other pupils"
    ) in page
    assert not [slug for slug in SLUGS if slug in page]


def test_large_numbers_have_thousands_separators(client, world):
    stored_report(world.programme, results=7200)
    BudgetLineFactory(programme=world.programme, amount=Decimal(14400))
    client.force_login(world.hub_lead)
    page = _page(client, "dashboards:programme", world.programme.slug)
    assert "from 7,200 results" in page
    # End of year: 7,200 pupils of the programme's, 14,400 of its comparison schools'.
    assert '<td class="text-end">7,200</td>' in page
    assert '<td class="text-end">14,400</td>' in page
    assert '<td class="text-end">6,400</td>' in page  # matched pupils
    assert "£14,400.00 budgeted" in page
    assert "7200" not in page.replace("7200 of 7200", "")  # pupils' coverage: helper D's
    funder = _page(client, "dashboards:funder_report", world.programme.slug)
    assert "from 7,200 results" in funder
    assert "£14,400.00" in funder


def test_one_of_a_thing_is_said_in_the_singular(client, world):
    RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    ReportSnapshot.objects.create(programme=world.programme, data_version=0, results=1)
    client.force_login(world.hub_lead)
    funder = _page(client, "dashboards:funder_report", world.programme.slug)
    assert "1 school in 1 local authority." in funder
    assert "SLEs made 1 visit (0.50 of 4 SLE days allocated)" in funder
    assert "0 training events" in funder
    assert "from 1 result." in funder
    for _ in range(8):  # 4.5 days of visits against the 4 allocated
        RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    page = _page(client, "dashboards:programme", world.programme.slug)
    assert "1 school</a> has had more SLE days than allocated." in page
    assert "The programme has used 4.50 SLE days of the 4 allocated." in page
    budget = _page(client, "dashboards:budget", world.programme.slug)
    assert "1 school over its allocation</a>" in budget


def test_the_funder_reports_charts_come_under_its_title(client, world):
    stored_report(world.programme)
    client.force_login(world.hub_lead)
    page = _page(client, "dashboards:funder_report", world.programme.slug)
    title, impact = page.index("<h1"), page.index('id="impact-heading"')
    assert title < impact < page.index("<canvas") < page.index('id="attainment-heading"')
    assert page.count("<canvas") == 2
    # The PDF leaves the charts out, as before: their figures are in its tables.
    pdf = client.get(
        reverse("dashboards:funder_report", args=[world.programme.slug]) + "?format=pdf"
    )
    assert pdf.content.startswith(b"%PDF")
    drawn = [template.name for template in pdf.templates]
    assert "dashboards/_headlines.html" in drawn
    assert "dashboards/_chart.html" not in drawn
