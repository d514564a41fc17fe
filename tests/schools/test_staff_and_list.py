from datetime import date

from django.urls import reverse

from schools.models import StaffMember
from tests.factories import EnrolmentFactory, SchoolFactory, StaffMemberFactory
from tests.queries import queries_for


def test_it_keeps_former_staff_on_record(client, world):
    StaffMemberFactory(school=world.school_a, full_name="Current Teacher")
    StaffMemberFactory(
        school=world.school_a, full_name="Left Last Year", end_date=date(2025, 7, 18)
    )
    client.force_login(world.governor_a)
    page = client.get(reverse("schools:staff", args=[world.school_a.urn])).content.decode()
    assert "Current staff (1)" in page
    assert "Current Teacher" in page
    assert "Former roles (1)" in page
    assert "Left Last Year" in page
    assert reverse("schools:staff_create", args=[world.school_a.urn]) not in page


def test_it_lets_school_leaders_and_hub_leads_keep_staff_records(client, world):
    url = reverse("schools:staff_create", args=[world.school_a.urn])
    form = {
        "full_name": "New Teacher",
        "role": "class_teacher",
        "year_group": "1",
        "start_date": "2026-09-01",
    }
    for persona in ["head_a", "maths_lead_a", "hub_lead", "admin"]:
        client.force_login(getattr(world, persona))
        response = client.post(url, {**form, "full_name": f"New Teacher ({persona})"})
        assert response["Location"] == reverse("schools:staff", args=[world.school_a.urn])
    assert world.school_a.staff.count() == 4
    for persona in ["governor_a", "sle", "head_b", "outsider"]:
        client.force_login(getattr(world, persona))
        assert client.post(url, form).status_code == 404, persona
    assert world.school_a.staff.count() == 4


def test_it_records_a_leaving_date(client, world):
    staff = StaffMemberFactory(school=world.school_a)
    client.force_login(world.head_a)
    url = reverse("schools:staff_edit", args=[world.school_a.urn, staff.pk])
    form = {"full_name": staff.full_name, "role": "class_teacher", "start_date": "2020-09-01"}
    page = client.post(url, {**form, "end_date": "2019-01-01"}).content.decode()
    assert "The end date must not be before the start date." in page
    client.post(url, {**form, "end_date": "2026-07-22"})
    assert StaffMember.objects.get(pk=staff.pk).end_date == date(2026, 7, 22)
    other = StaffMemberFactory(school=world.school_b)
    assert (
        client.get(reverse("schools:staff_edit", args=[world.school_a.urn, other.pk])).status_code
        == 404
    )


def test_it_lists_and_searches_the_schools_a_user_may_see(client, world):
    client.force_login(world.hub_lead)
    page = client.get(reverse("schools:list")).content.decode()
    assert world.school_a.name in page
    assert world.school_b.name not in page
    client.force_login(world.admin)
    page = client.get(reverse("schools:list") + f"?search={world.school_b.urn}").content.decode()
    assert world.school_b.name in page
    assert world.school_a.name not in page
    closed = SchoolFactory(name="Shut Primary", is_open=False)
    page = client.get(reverse("schools:list") + "?open_only=on").content.decode()
    assert closed.name not in page


def test_it_keeps_school_pages_to_a_constant_number_of_queries(client, world):
    client.force_login(world.hub_lead)
    urls = [reverse("schools:list"), reverse("schools:staff", args=[world.school_a.urn])]
    before = [queries_for(client, url) for url in urls]
    for _ in range(30):
        EnrolmentFactory(cohort=world.cohort)
        StaffMemberFactory(school=world.school_a)
    assert [queries_for(client, url) for url in urls] == before


def test_it_shows_a_school_which_of_its_staff_need_catch_up_cpd(client, world):
    from datetime import UTC, datetime

    from tests.factories import EventFactory
    from workgroups.models import Attendance, EventKind

    launch = EventFactory(
        programme=world.programme,
        kind=EventKind.LAUNCH_TRAINING,
        starts_at=datetime(2025, 9, 17, 9, tzinfo=UTC),
    )
    trained = StaffMemberFactory(school=world.school_a, full_name="Had Launch")
    StaffMemberFactory(
        school=world.school_a, full_name="Joined In January", start_date=date(2026, 1, 5)
    )
    Attendance.objects.create(event=launch, staff_member=trained, present=True)
    client.force_login(world.head_a)
    page = client.get(reverse("dashboards:school", args=[world.school_a.urn])).content.decode()
    assert "1 of 2 current teachers" in page
    assert "Joined In January, Class teacher (joined after the launch)" in page
    assert "Had Launch" not in page


def test_it_lets_site_admins_add_and_correct_schools(client, world):
    form = {
        "urn": "123456",
        "name": "New Free School",
        "local_authority": world.school_a.local_authority_id,
        "is_open": "on",
    }
    client.force_login(world.hub_lead)
    assert client.post(reverse("schools:create"), form).status_code == 404
    client.force_login(world.admin)
    response = client.post(reverse("schools:create"), form)
    assert response["Location"] == reverse("dashboards:school", args=[123456])
    page = client.post(reverse("schools:create"), {**form, "urn": "12345"}).content.decode()
    assert "A URN is a 6-digit number." in page
    client.post(reverse("schools:edit", args=[123456]), {**form, "name": "Renamed Free School"})
    assert SchoolFactory._meta.model.objects.get(urn=123456).name == "Renamed Free School"
