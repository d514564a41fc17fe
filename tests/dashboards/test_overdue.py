"""Overdue first, everywhere (issue 22): an action past its due date and not done shows as
"Overdue" on every page and download, whatever RAG was last entered; the SLE's home, the hub
lead's dashboard and the coverage page list what is overdue first. Frozen on Tuesday 3 March
2026, the programme visiting every six weeks."""

import datetime
import re
from datetime import UTC, date

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role, User
from demo.loader import load_demo
from tests.downloads import xlsx_rows
from tests.factories import EnrolmentFactory, RecordOfVisitFactory, give_role
from visits.models import Action, ActionStatus

NOW = datetime.datetime(2026, 3, 3, 9, tzinfo=UTC)
GREEN = 'status-green">Green: on track</span>'
OVERDUE = 'status-red">Overdue</span>'


@pytest.fixture
def late(world):
    """School A last visited on 5 January (due again by 16 February: overdue); at that visit
    two actions were agreed and are overdue though marked green and amber, one is due on
    Friday, and one was done late (so not overdue)."""
    with time_machine.travel(NOW, tick=False):
        world.programme.visit_interval_days = 42
        world.programme.save()
        visit = RecordOfVisitFactory(
            programme=world.programme, school=world.school_a, sle=world.sle,
            visit_date=date(2026, 1, 5),
        )  # fmt: skip
        world.visit = visit

        def action(description, due, status):
            return Action.objects.create(
                school=world.school_a, description=description, due_date=due, status=status,
                raised_at_visit=visit,
            )  # fmt: skip

        world.overdue = action("Review the calculation policy", date(2026, 2, 20), "green")
        world.overdue_amber = action("Audit the Y6 arithmetic papers", date(2026, 2, 1), "amber")
        world.in_time = action("Use bar models in Y4", date(2026, 3, 6), "green")
        action("Buy place-value counters", date(2026, 1, 9), ActionStatus.DONE)
        yield world


def _get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _row_of(page: str, text: str) -> str:
    """The table row or list item that holds `text` (its first)."""
    at = page.index(text)
    start = max(page.rfind("<tr", 0, at), page.rfind("<li", 0, at))
    ends = [page.find(tag, at) for tag in ("</tr>", "</li>")]
    return page[start : min(end for end in ends if end != -1)]


def test_it_shows_an_overdue_action_as_overdue_in_the_governor_report(client, late):
    url = reverse("dashboards:governor_report", args=[late.school_a.urn])
    page = _get(client, late.governor_a, url)
    for overdue in (late.overdue, late.overdue_amber):
        row = _row_of(page, f"<td>{overdue.description}</td>")
        assert OVERDUE in row
        assert "on track" not in row
        assert "at risk" not in row
    assert GREEN in _row_of(page, f"<td>{late.in_time.description}</td>")
    # Open: two past due (one green, one amber), one green in time; the done one is not open.
    assert (
        "Open actions now: 2 overdue; 0 red: off track; 0 amber: at risk; 1 green: on track."
        in page
    )


def test_it_downloads_an_overdue_action_as_overdue(client, late):
    client.force_login(late.governor_a)
    url = reverse("dashboards:governor_report", args=[late.school_a.urn])
    rows = xlsx_rows(client, url + "?start=2025-09-01&end=2026-03-03", "report-actions")
    status = {row[0]: row[3] for row in rows[1:]}
    assert rows[0][3] == "Status"
    assert status[late.overdue.description] == "Overdue"
    assert status[late.overdue_amber.description] == "Overdue"
    assert status[late.in_time.description] == "Green: on track"
    assert status["Buy place-value counters"] == "Done"


def test_the_sles_home_lists_what_is_overdue_first(client, late, django_assert_max_num_queries):
    for n in range(8):  # more schools, each overdue for a visit with an overdue action
        school = EnrolmentFactory(cohort=late.cohort, school__name=f"Birch {n} School").school
        give_role(late.sle, Role.SLE, programme=late.programme, school=school)
        Action.objects.create(school=school, description=f"Plan {n}", due_date=date(2026, 2, 2))
    client.force_login(late.sle)
    with django_assert_max_num_queries(13):
        page = client.get(reverse("dashboards:mine")).content.decode()
    overdue = page[page.index('id="overdue-heading"') : page.index(">Your schools</h2>")]
    # School A: 5 January + 42 days = 16 February. The others, never visited: their cohort
    # started on 1 September 2025, so due by 13 October 2025.
    assert "9 schools overdue for a visit" in overdue
    assert "due by 16 Feb 2026, last visited 5 Jan 2026" in overdue
    assert "due by 13 Oct 2025, last visited never" in overdue
    assert overdue.count(reverse("visits:new", args=[late.school_a.urn])) == 1
    assert "10 actions overdue" in overdue  # two at school A, one at each of the eight
    assert late.overdue.description in overdue
    assert late.in_time.description not in overdue
    rest = page[page.index(">Your schools</h2>") :]
    assert late.overdue.description not in rest  # listed once, as overdue
    assert GREEN in _row_of(rest, late.in_time.description)
    assert GREEN not in _row_of(page, late.overdue.description)


def test_the_hub_leads_dashboard_lists_what_is_overdue_after_the_summary(
    client, late, django_assert_max_num_queries
):
    for n in range(6):
        school = EnrolmentFactory(cohort=late.cohort).school
        Action.objects.create(school=school, description=f"Plan {n}", due_date=date(2026, 2, 2))
    client.force_login(late.hub_lead)
    url = reverse("dashboards:programme", args=[late.programme.slug])
    with django_assert_max_num_queries(26):  # with trends over years (one query)
        page = client.get(url).content.decode()
    assert page.index('id="summary-heading"') < page.index('id="overdue-heading"')
    assert page.index('id="overdue-heading"') < page.index('id="evaluation-heading"')
    overdue = page[page.index('id="overdue-heading"') : page.index('id="evaluation-heading"')]
    assert "7 schools overdue for a visit" in overdue  # school A and the six never visited
    assert "8 actions overdue" in overdue  # two at school A, one at each of the six
    # The five most overdue of each: the six never visited (due 13 October) before school A.
    assert overdue.count('<span class="status status-red">Overdue</span>') == 10
    school_a = reverse("dashboards:school", args=[late.school_a.urn])
    assert f'href="{school_a}"' not in overdue.split("actions overdue")[0]
    assert late.overdue_amber.description in overdue  # due 1 February, before the others
    assert late.overdue.description not in overdue  # due 20 February: sixth of eight
    assert "The 5 most overdue are shown" in overdue
    coverage = reverse("dashboards:coverage_programme", args=[late.programme.slug])
    assert f'href="{coverage}"' in overdue


def test_the_dashboard_says_when_nothing_is_overdue(client, world):
    page = _get(
        client, world.hub_lead, reverse("dashboards:programme", args=[world.programme.slug])
    )
    assert "Nothing is overdue" in page


def test_the_coverage_page_lists_schools_overdue_for_a_visit_first(client, late):
    on_time = EnrolmentFactory(cohort=late.cohort, school__name="Aardvark Infant School").school
    RecordOfVisitFactory(programme=late.programme, school=on_time, visit_date=date(2026, 2, 27))
    client.force_login(late.hub_lead)
    url = reverse("dashboards:coverage_programme", args=[late.programme.slug])
    page = client.get(url).content.decode()
    rows = xlsx_rows(client, url, "coverage")
    assert "1 school is overdue for a visit" in page
    # Aardvark comes first by name, but school A is overdue: due by 16 February.
    assert page.index(f"URN {late.school_a.urn}") < page.index(f"URN {on_time.urn}")
    assert f"{OVERDUE} a visit was due by 16 Feb 2026" in page
    assert "Next visit due by 10 Apr 2026" in page  # 27 February + 42 days
    by_school = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == [late.school_a.name, on_time.name]
    assert by_school[late.school_a.name]["Next visit due"] == datetime.datetime(2026, 2, 16)
    assert by_school[late.school_a.name]["Overdue for a visit"] == "Yes"
    assert by_school[on_time.name]["Overdue for a visit"] == "No"
    # Schools of one name are told apart in the download too.
    school_a = by_school[late.school_a.name]
    assert (school_a["URN"], school_a["Local authority"]) == (
        late.school_a.urn,
        late.school_a.local_authority.name,
    )


def test_the_school_dashboard_says_how_many_actions_are_overdue(client, late):
    page = _get(client, late.head_a, reverse("dashboards:school", args=[late.school_a.urn]))
    assert "2 actions on the action plan are past their due date and not done." in page


def test_the_visit_pages_mark_overdue_actions(client, late):
    form = _get(client, late.sle, reverse("visits:new", args=[late.school_a.urn]))
    detail = _get(client, late.sle, reverse("visits:detail", args=[late.visit.pk]))
    assert f"{OVERDUE} {late.overdue.description}</p>" in form
    assert f'<p class="fw-semibold mb-1">{late.in_time.description}</p>' in form
    assert f'{late.overdue.description} <span class="status {OVERDUE}' in detail
    assert f"{late.in_time.description}<br>" in detail


def test_the_demo_shows_no_overdue_action_as_on_track(client, db):
    """On 1 December 2026 the demo's actions due in December 2025 showed "Green: on track"."""
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False):
        load_demo()
        late = Action.objects.filter(due_date__lt=date(2026, 12, 1)).exclude(status="done")
        school = late.order_by("school__urn").first().school
        sle = User.objects.get(email="sle01@example.org")
        url = reverse("dashboards:governor_report", args=[school.urn])
        report = _get(client, sle, url + "?start=2025-09-01&end=2026-12-01")
        home = _get(client, sle, reverse("dashboards:mine"))
    table = report[report.index('id="actions-heading"') : report.index('id="cpd-heading"')]
    rows = re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    past_due = [
        status
        for due, status in rows
        if due != "–"
        and datetime.datetime.strptime(due, "%d %b %Y").date() < date(2026, 12, 1)
        and ">Done<" not in status
    ]
    assert len(past_due) == late.filter(school=school, raised_at_visit__isnull=False).count() > 0
    assert all(OVERDUE in status for status in past_due)
    mine = late.filter(school__role_assignments__user=sle).distinct().count()
    assert f"{mine} action{'s' if mine != 1 else ''} overdue" in home
    assert "on track" not in home[: home.index(">Your schools</h2>")]
