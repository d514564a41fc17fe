"""The CPD coverage page: the programme's CPD staff grouped by school, the schools with the most
staff still to train first and the untrained first within each, with a filter."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from schools.models import StaffRole
from tests.factories import EnrolmentFactory, EventFactory, StaffMemberFactory
from tests.queries import queries_for
from workgroups.models import Attendance, EventKind

TA = StaffRole.TEACHING_ASSISTANT


@pytest.fixture
def staff(world):
    """Two schools of the programme, each with trained and untrained staff:
    Ashburton: Ada (trained), Ben, Cleo (TA)          -> 1 of 3 trained, 2 to train
    Brookside: Dev (maths lead, trained), Eve, Finn, Gus (TA) -> 1 of 4 trained, 3 to train
    and people who are not counted: a headteacher, someone marked absent only (untrained)."""
    launch = EventFactory(
        programme=world.programme,
        kind=EventKind.LAUNCH_TRAINING,
        starts_at=datetime(2025, 9, 17, 9, tzinfo=UTC),
    )
    ashburton = EnrolmentFactory(cohort=world.cohort, school__name="Ashburton Primary").school
    brookside = EnrolmentFactory(cohort=world.cohort, school__name="Brookside Primary").school
    people = {}
    for school, name, role in [
        (ashburton, "Ada Trained", StaffRole.CLASS_TEACHER),
        (ashburton, "Ben Untrained", StaffRole.CLASS_TEACHER),
        (ashburton, "Cleo Assistant", TA),
        (ashburton, "Hal Headteacher", StaffRole.HEADTEACHER),
        (brookside, "Dev Trained", StaffRole.MATHS_LEAD),
        (brookside, "Eve Untrained", StaffRole.CLASS_TEACHER),
        (brookside, "Finn Absent", StaffRole.CLASS_TEACHER),
        (brookside, "Gus Assistant", TA),
    ]:
        people[name] = StaffMemberFactory(school=school, full_name=name, role=role)
    for name in ["Ada Trained", "Dev Trained"]:
        Attendance.objects.create(event=launch, staff_member=people[name], present=True)
    Attendance.objects.create(event=launch, staff_member=people["Finn Absent"], present=False)
    return ashburton, brookside


def _page(client, world, **query) -> str:
    client.force_login(world.hub_lead)
    url = reverse("workgroups:cpd_coverage", args=[world.programme.slug])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _names(page: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', page)


def _summaries(page: str) -> list[str]:
    """Each school's summary line, its markup removed and its spaces collapsed."""
    found = re.findall(r"<summary>(.*?)</summary>", page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", summary).split()) for summary in found]


def test_it_lists_the_schools_with_most_to_train_first_and_their_untrained_first(
    client, world, staff
):
    ashburton, brookside = staff
    page = _page(client, world)
    # Brookside has 3 to train, Ashburton 2; in each, the untrained by name, then the trained.
    assert _names(page) == [
        "Eve Untrained", "Finn Absent", "Gus Assistant", "Dev Trained",
        "Ben Untrained", "Cleo Assistant", "Ada Trained",
    ]  # fmt: skip
    assert _summaries(page) == [
        f"Brookside Primary (URN {brookside.urn}, {brookside.local_authority.name})"
        " 3 to train 1 of 4 trained",
        f"Ashburton Primary (URN {ashburton.urn}, {ashburton.local_authority.name})"
        " 2 to train 1 of 3 trained",
    ]
    assert "2 of 7 current teachers" in page  # Ada and Dev of the seven
    assert "Hal Headteacher" not in page
    assert page.count("<details") == 2
    assert not re.search(r"<details[^>]* open>", page)  # two schools: both closed


def test_it_filters_by_school_and_opens_it(client, world, staff):
    ashburton, _ = staff
    page = _page(client, world, school=ashburton.pk)
    assert _names(page) == ["Ben Untrained", "Cleo Assistant", "Ada Trained"]
    assert re.search(r"<details[^>]* open>", page)  # one school: open
    assert "2 of 7 current teachers" in page  # the programme's figure, whatever the filter


def test_it_filters_by_role_and_counts_that_role(client, world, staff):
    page = _page(client, world, role=TA)
    assert _names(page) == ["Cleo Assistant", "Gus Assistant"]
    # Each school has one TA, untrained: 0 of 1 trained; the same count, so by name.
    assert [s.split(" (")[0] + s.split(")")[1] for s in _summaries(page)] == [
        "Ashburton Primary 1 to train 0 of 1 trained",
        "Brookside Primary 1 to train 0 of 1 trained",
    ]


def test_it_filters_by_training_and_keeps_the_schools_counts(client, world, staff):
    trained = _page(client, world, trained="yes")
    assert _names(trained) == ["Dev Trained", "Ada Trained"]
    # The counts are still of everyone in the school: Brookside 1 of 4, Ashburton 1 of 3.
    assert ["1 of 4 trained" in s for s in _summaries(trained)] == [True, False]
    assert ["1 of 3 trained" in s for s in _summaries(trained)] == [False, True]
    untrained = _page(client, world, trained="no")
    assert _names(untrained) == [
        "Eve Untrained",
        "Finn Absent",
        "Gus Assistant",
        "Ben Untrained",
        "Cleo Assistant",
    ]


def test_it_says_when_nobody_matches(client, world, staff):
    ashburton, _ = staff
    page = _page(client, world, school=ashburton.pk, role=StaffRole.MATHS_LEAD)
    assert _names(page) == []
    assert "No current teachers, teaching assistants or maths leads match these filters" in page


def test_it_refuses_a_school_outside_the_programme(client, world, staff):
    StaffMemberFactory(school=world.school_b, full_name="Outside Person")
    page = _page(client, world, school=world.school_b.pk)
    assert "Select a valid choice" in page
    assert "Outside Person" not in page
    assert len(_names(page)) == 7  # the form is wrong, so nothing is filtered


def test_the_download_lists_those_still_to_train_in_the_school_and_role_chosen(
    client, world, staff
):
    ashburton, _ = staff
    page = _page(client, world, school=ashburton.pk, role=TA)
    assert f"school={ashburton.pk}&amp;role={TA}&amp;export=catch-up-cpd&amp;format=csv" in page
    assert "still to train in the school and role chosen" in page
    assert "in the school and role chosen" not in _page(client, world)
    rows = _csv(client, world, school=ashburton.pk, role=TA)
    assert [row.split(",")[0] for row in rows] == ["Name", "Cleo Assistant"]
    # Unfiltered: everyone untrained, by school then name (Ashburton's before Brookside's).
    rows = _csv(client, world)
    assert [row.split(",")[0] for row in rows[1:]] == [
        "Ben Untrained",
        "Cleo Assistant",
        "Eve Untrained",
        "Finn Absent",
        "Gus Assistant",
    ]


def _csv(client, world, **query) -> list[str]:
    url = reverse("workgroups:cpd_coverage", args=[world.programme.slug])
    response = client.get(url, {**query, "export": "catch-up-cpd", "format": "csv"})
    return response.content.decode("utf-8-sig").splitlines()


def test_it_refuses_people_who_do_not_lead_the_programme(client, world, staff):
    url = reverse("workgroups:cpd_coverage", args=[world.programme.slug])
    for persona in ["sle", "head_a", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona


def test_it_keeps_to_a_constant_number_of_queries(
    client, world, staff, django_assert_max_num_queries
):
    client.force_login(world.hub_lead)
    url = reverse("workgroups:cpd_coverage", args=[world.programme.slug])
    before = queries_for(client, url)
    launch = world.programme.events.get(kind=EventKind.LAUNCH_TRAINING)
    for _ in range(10):
        school = EnrolmentFactory(cohort=world.cohort).school
        trained = StaffMemberFactory(school=school)
        StaffMemberFactory(school=school, role=TA)
        Attendance.objects.create(event=launch, staff_member=trained, present=True)
    with django_assert_max_num_queries(before):
        page = client.get(url).content.decode()
    assert page.count("<details") == 12
