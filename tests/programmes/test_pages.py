"""Every programme page: the hub lead sees it, nobody else does, and it runs the same number
of queries with 3 schools as with 40."""

import csv
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from programmes.models import (
    AllocationBand,
    ComparisonSchool,
    Enrolment,
    EnrolmentInvitation,
    Kpi,
    SpendEntry,
)
from tests.factories import (
    BudgetLineFactory,
    CohortFactory,
    EnrolmentFactory,
    KpiFactory,
    RecordOfVisitFactory,
    SchoolFactory,
    SpendEntryFactory,
    give_role,
)
from tests.queries import queries_for

PAGES = [
    ("dashboards:programme", {}),
    ("programmes:edit", {}),
    ("dashboards:enrolments", {}),
    ("programmes:enrol", {}),
    ("programmes:comparison", {}),
    ("programmes:strands", {}),
    ("programmes:strand_create", {}),
    ("dashboards:budget", {}),
    ("programmes:budget_line_create", {}),
    ("programmes:spend_create", {}),
    ("programmes:cohort_create", {}),
    ("programmes:kpi_create", {}),
    ("programmes:band_create", {}),
]


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"slug": world.programme.slug, **kwargs})


def _grow(world, schools: int) -> None:
    for _ in range(schools):
        enrolment = EnrolmentFactory(cohort=world.cohort)
        RecordOfVisitFactory(programme=world.programme, school=enrolment.school)
        ComparisonSchool.objects.create(programme=world.programme, school=SchoolFactory())
        SpendEntryFactory(budget_line=BudgetLineFactory(programme=world.programme))
        KpiFactory(programme=world.programme)
    strand = world.programme.strands.create(name=f"Strand {schools}")
    for enrolment in world.programme.enrolments.all():
        strand.uptakes.create(school=enrolment.school)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_it_shows_programme_pages_to_the_hub_lead_only(client, world, name, kwargs):
    url = _url(world, name, **kwargs)
    for persona in ["sle", "head_a", "maths_lead_a", "governor_a", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
    for persona in ["hub_lead", "admin"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 200, persona


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_it_keeps_programme_pages_to_a_constant_number_of_queries(client, world, name, kwargs):
    client.force_login(world.hub_lead)
    url = _url(world, name, **kwargs)
    _grow(world, 3)
    small = queries_for(client, url)
    _grow(world, 37)
    # 26: the programme dashboard's, the most of these (its summary, what is overdue and the
    # trends over years).
    assert queries_for(client, url) == small <= 26


def test_it_lets_a_hub_lead_set_up_a_programme(client, world):
    client.force_login(world.hub_lead)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Mastery Readiness 2026/27",
            "slug": "mastery-readiness-2026",
            "funder": "Maths Hubs",
            "value": "42000",
            "start_date": "2026-09-01",
            "end_date": "2027-07-21",
        },
    )
    assert response["Location"] == "/programmes/mastery-readiness-2026/"
    assert client.get(response["Location"]).status_code == 200
    client.force_login(world.head_a)
    assert client.get(reverse("programmes:create")).status_code == 404


def test_it_shows_form_errors_without_saving(client, world):
    client.force_login(world.hub_lead)
    url = _url(world, "programmes:cohort_create")
    response = client.post(url, {"name": "", "start_date": "2026-09-01", "end_date": "2026-01-01"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert world.programme.cohorts.count() == 1


def test_it_records_a_kpi_and_its_achieved_value(client, world):
    client.force_login(world.hub_lead)
    client.post(
        _url(world, "programmes:kpi_create"), {"name": "KS1 teachers trained", "target": "480"}
    )
    kpi = Kpi.objects.get(name="KS1 teachers trained")
    client.post(
        _url(world, "programmes:kpi_edit", pk=kpi.pk),
        {
            "name": kpi.name,
            "target": "480",
            "achieved": "312",
            "achieved_on": "2026-07-20",
            "notes": "Registers of launch and catch-up sessions",
        },
    )
    kpi.refresh_from_db()
    assert (kpi.achieved, kpi.percent_of_target) == (312, 65)
    page = client.get(_url(world, "dashboards:programme")).content.decode()
    assert "65%" in page


@pytest.mark.parametrize(
    ("persona", "made"), [("hub_lead", EnrolmentInvitation), ("admin", Enrolment)]
)
def test_it_bulk_invites_pasted_urns_scaled_by_size(client, world, persona, made):
    """A hub lead invites (the schools accept); a site admin enrols at once."""
    AllocationBand.objects.create(
        programme=world.programme, up_to_pupils=250, sle_days=3, funding=1
    )
    AllocationBand.objects.create(programme=world.programme, sle_days=5, funding=2)
    small, large = SchoolFactory(number_on_roll=200), SchoolFactory(number_on_roll=600)
    client.force_login(getattr(world, persona))
    response = client.post(
        _url(world, "programmes:enrol"),
        {
            "cohort": world.cohort.pk,
            "schools": f"{small.urn}\r\n{large.urn}, ",
            "allocation": "by_size",
        },
    )
    assert response["Location"] == _url(world, "dashboards:enrolments")
    offers = made.objects.exclude(school=world.school_a).values_list("school", "sle_days_allocated")
    assert dict(offers) == {small.pk: 3, large.pk: 5}
    assert Enrolment.objects.count() == (1 if made is EnrolmentInvitation else 3)


def test_it_names_unknown_or_enrolled_urns_and_enrols_none(client, world):
    newcomer = SchoolFactory()
    client.force_login(world.hub_lead)
    url = _url(world, "programmes:enrol")
    form = {"cohort": world.cohort.pk, "allocation": "uniform", "sle_days": "2"}
    page = client.post(url, {**form, "schools": f"{newcomer.urn} 999999 12ab"}).content.decode()
    assert "Not a 6-digit URN: 12ab." in page
    page = client.post(url, {**form, "schools": f"{newcomer.urn} 999999"}).content.decode()
    assert "No school with URN 999999." in page
    page = client.post(
        url, {**form, "schools": f"{newcomer.urn} {world.school_a.urn}"}
    ).content.decode()
    assert f"URN {world.school_a.urn} is already enrolled in this programme." in page
    assert not Enrolment.objects.filter(school=newcomer).exists()
    assert not EnrolmentInvitation.objects.exists()


def test_it_exports_the_schools_as_csv_safe_for_spreadsheets(client, world):
    world.school_a.name = '=HYPERLINK("http://evil.example")'
    world.school_a.save()
    RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    client.force_login(world.hub_lead)
    response = client.get(_url(world, "dashboards:enrolments") + "?export=schools&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "URN,School,Local authority,Cohort,SLE days allocated,SLE days used,Funding allocated (£)"
    )
    assert lines[1].startswith(f'{world.school_a.urn},"\'=HYPERLINK(""http://evil.example"")"')
    row = next(csv.reader(lines[1:2]))
    assert [Decimal(row[4]), Decimal(row[5])] == [Decimal(4), Decimal("0.5")]


def test_it_adds_and_removes_comparison_schools(client, world):
    """A site admin adds them at once; a hub lead invites them (tests/programmes/
    test_invitations.py), and removes them."""
    other = SchoolFactory()
    client.force_login(world.admin)
    url = _url(world, "programmes:comparison")
    client.post(url, {"schools": str(other.urn)})
    assert list(world.programme.comparison_schools.values_list("school", flat=True)) == [other.pk]
    client.force_login(world.hub_lead)
    page = client.post(url, {"schools": str(world.school_a.urn)}).content.decode()
    assert "is enrolled in the programme, so it cannot compare" in page
    client.post(_url(world, "programmes:comparison_remove", urn=other.urn))
    assert not world.programme.comparison_schools.exists()


def test_it_records_strand_uptake_from_ticks(client, world):
    strand = world.programme.strands.create(name="Mastery lesson design")
    client.force_login(world.hub_lead)
    url = _url(world, "programmes:strand_uptake", pk=strand.pk)
    assert world.school_a.name in client.get(url).content.decode()
    school = str(world.school_a.pk)
    client.post(url, {"taken_up": [school], "continued": [school]})
    assert strand.uptakes.get().continued_after_programme
    page = client.get(_url(world, "programmes:strands")).content.decode()
    assert "✓ continued" in page


def test_it_records_spend_and_warns_when_over_budget(client, world):
    line = BudgetLineFactory(programme=world.programme, amount=Decimal("500"))
    client.force_login(world.hub_lead)
    response = client.post(
        _url(world, "programmes:spend_create"),
        {
            "budget_line": line.pk,
            "spent_on": "2025-11-03",
            "amount": "620.00",
            "description": "Supply cover for launch day",
            "school": world.school_a.pk,
        },
    )
    assert response.status_code == 302
    entry = SpendEntry.objects.get()
    assert (entry.recorded_by, entry.school) == (world.hub_lead, world.school_a)
    page = client.get(_url(world, "dashboards:budget")).content.decode()
    assert "Spend is £620.00, over the £500.00 budget." in page
    assert "Over: £-120.00" in page


def test_it_warns_when_schools_have_had_more_sle_days_than_allocated(client, world):
    for _ in range(9):  # 4.5 days against 4 allocated
        RecordOfVisitFactory(programme=world.programme, school=world.school_a)
    client.force_login(world.hub_lead)
    page = client.get(_url(world, "dashboards:programme")).content.decode()
    assert "1 school</a> has had more SLE days than allocated." in page
    page = client.get(_url(world, "dashboards:enrolments") + "?over_allocation=on").content.decode()
    assert "Over</span> 4.50 / 4<" in page


def test_it_refuses_another_programmes_parts(client, world):
    other = EnrolmentFactory()
    kpi = KpiFactory(programme=other.programme)
    client.force_login(world.hub_lead)
    assert client.get(_url(world, "programmes:kpi_edit", pk=kpi.pk)).status_code == 404
    url = _url(world, "programmes:enrolment_edit", urn=other.school.urn)
    assert client.get(url).status_code == 404
    give_role(world.hub_lead, Role.HUB_LEAD, programme=other.programme)
    assert (
        client.get(reverse("programmes:kpi_edit", args=[other.programme.slug, kpi.pk])).status_code
        == 200
    )


def test_it_lists_only_programmes_in_scope(client, world):
    other = CohortFactory(name="Elsewhere").programme
    client.force_login(world.hub_lead)
    page = client.get(reverse("programmes:list")).content.decode()
    assert world.programme.name in page
    assert other.name not in page
    client.force_login(world.admin)
    page = client.get(reverse("programmes:list")).content.decode()
    assert other.name in page
