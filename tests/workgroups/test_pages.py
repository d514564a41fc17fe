from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from schools.models import StaffRole
from tests.factories import (
    EnrolmentFactory,
    EventFactory,
    StaffMemberFactory,
    WorkGroupFactory,
)
from tests.queries import queries_for
from workgroups.models import Attendance, Event, EventKind, WorkGroup, WorkGroupType


@pytest.fixture
def delivery(world):
    """A work group of school A with one participant, and a cluster workshop."""
    teacher = StaffMemberFactory(school=world.school_a, full_name="Ada Okoro")
    work_group = WorkGroupFactory(programme=world.programme, lead=world.sle, name="MR Thames")
    work_group.schools.add(world.school_a)
    work_group.participants.create(staff_member=teacher)
    event = EventFactory(programme=world.programme, title="Cluster workshop 1")
    return work_group, event, teacher


def _urls(world, work_group, event):
    slug = world.programme.slug
    return [
        reverse("workgroups:list", args=[slug]),
        reverse("workgroups:create", args=[slug]),
        reverse("workgroups:detail", args=[slug, work_group.pk]),
        reverse("workgroups:edit", args=[slug, work_group.pk]),
        reverse("workgroups:events", args=[slug]),
        reverse("workgroups:event_create", args=[slug]),
        reverse("workgroups:event", args=[slug, event.pk]),
        reverse("workgroups:event_edit", args=[slug, event.pk]),
        reverse("workgroups:cpd_coverage", args=[slug]),
    ]


def test_it_shows_work_group_pages_to_the_hub_lead_only(client, world, delivery):
    for url in _urls(world, *delivery[:2]):
        for persona in ["sle", "head_a", "governor_a", "outsider"]:
            client.force_login(getattr(world, persona))
            assert client.get(url).status_code == 404, (persona, url)
        client.force_login(world.hub_lead)
        assert client.get(url).status_code == 200, url


def test_it_keeps_work_group_pages_to_a_constant_number_of_queries(client, world, delivery):
    work_group, event, _ = delivery
    client.force_login(world.hub_lead)
    urls = _urls(world, work_group, event)
    before = [queries_for(client, url) for url in urls]
    for n in range(25):
        school = EnrolmentFactory(cohort=world.cohort).school
        staff = StaffMemberFactory(school=school)
        work_group.schools.add(school)
        work_group.participants.create(staff_member=staff)
        Attendance.objects.create(event=event, staff_member=staff, present=n % 2 == 0)
        EventFactory(programme=world.programme, work_group=work_group)
        WorkGroupFactory(programme=world.programme).schools.add(school)
    assert [queries_for(client, url) for url in urls] == before


def test_it_sets_up_a_work_group_with_schools_and_participants(client, world):
    head = StaffMemberFactory(school=world.school_a, role=StaffRole.MATHS_LEAD, full_name="Jo Lee")
    client.force_login(world.hub_lead)
    slug = world.programme.slug
    mastery_readiness = WorkGroupType.objects.get(name="Mastery Readiness")
    response = client.post(
        reverse("workgroups:create", args=[slug]),
        {
            "type": mastery_readiness.pk,
            "name": "MR Lea Valley",
            "academic_year": 2026,
            "lead": world.sle.pk,
            "schools": [world.school_a.pk],
        },
    )
    work_group = WorkGroup.objects.get(name="MR Lea Valley")
    assert response["Location"] == reverse("workgroups:detail", args=[slug, work_group.pk])
    client.post(
        reverse("workgroups:participant_add", args=[slug, work_group.pk]),
        {"staff_member": head.pk, "role": "maths_lead"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Jo Lee" in page
    assert "Schools (1 of about 7)" in page
    participant = work_group.participants.get()
    client.post(
        reverse("workgroups:participant_remove", args=[slug, work_group.pk, participant.pk])
    )
    assert not work_group.participants.exists()


def test_it_only_takes_participants_from_the_groups_schools(client, world, delivery):
    work_group, _, _ = delivery
    elsewhere = StaffMemberFactory(school=world.school_b)
    client.force_login(world.hub_lead)
    url = reverse("workgroups:participant_add", args=[world.programme.slug, work_group.pk])
    response = client.post(url, {"staff_member": elsewhere.pk, "role": "participant"}, follow=True)
    assert (
        "Choose a member of staff from the work group&#x27;s schools." in response.content.decode()
    )
    assert not work_group.participants.filter(staff_member=elsewhere).exists()


def test_it_schedules_events_and_refuses_a_headcount_for_teachers(client, world, delivery):
    work_group, _, _ = delivery
    client.force_login(world.hub_lead)
    url = reverse("workgroups:event_create", args=[world.programme.slug])
    assert (
        f'<option value="{work_group.pk}" selected>'
        in client.get(url + f"?work_group={work_group.pk}").content.decode()
    )
    form = {
        "kind": "workshop",
        "title": "Workshop 2",
        "starts_at": "2025-11-12T13:00",
        "work_group": work_group.pk,
    }
    page = client.post(url, {**form, "parent_headcount": "30"}).content.decode()
    assert "Only parent workshops have a headcount." in page
    client.post(url, form)
    event = Event.objects.get(title="Workshop 2")
    assert (event.work_group, event.programme) == (work_group, world.programme)


def test_it_takes_a_register_and_exports_it(client, world, delivery):
    work_group, _, teacher = delivery
    absent = StaffMemberFactory(school=world.school_a, full_name="Ben Ali")
    work_group.participants.create(staff_member=absent)
    event = EventFactory(
        programme=world.programme, work_group=work_group, kind=EventKind.WORK_GROUP_WORKSHOP
    )
    client.force_login(world.hub_lead)
    url = reverse("workgroups:event", args=[world.programme.slug, event.pk])
    response = client.post(url, {"present": [str(teacher.pk)]}, follow=True)
    assert "Register saved: 1 present." in response.content.decode()
    assert dict(event.register.values_list("staff_member__full_name", "present")) == {
        "Ada Okoro": True,
        "Ben Ali": False,
    }
    client.post(url, {"present": [str(teacher.pk), str(absent.pk)]})  # taken again: replaced
    assert event.register.filter(present=True).count() == 2
    assert event.register.count() == 2
    assert "export=register&amp;format=csv" in client.get(url).content.decode()
    rows = client.get(url + "?export=register&format=csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Name,Role,School,URN,Attendance"
    assert f"Ada Okoro,Class teacher,{world.school_a.name},{world.school_a.urn},present" in rows


def test_it_expects_current_staff_of_invited_schools(client, world):
    StaffMemberFactory(school=world.school_a, full_name="Stayed")
    StaffMemberFactory(school=world.school_a, full_name="Left", end_date=date(2025, 7, 20))
    StaffMemberFactory(school=world.school_a, full_name="Head", role=StaffRole.HEADTEACHER)
    StaffMemberFactory(school=world.school_b, full_name="Not invited")
    event = EventFactory(programme=world.programme, starts_at=datetime(2025, 9, 20, 9, tzinfo=UTC))
    client.force_login(world.hub_lead)
    page = client.get(
        reverse("workgroups:event", args=[world.programme.slug, event.pk])
    ).content.decode()
    assert "Stayed" in page
    for name in ["Left", "Head", "Not invited"]:
        assert f">{name}<" not in page


def test_it_lists_staff_who_still_need_the_core_cpd(client, world):
    launch = EventFactory(
        programme=world.programme,
        kind=EventKind.LAUNCH_TRAINING,
        starts_at=datetime(2025, 9, 17, 9, tzinfo=UTC),
    )
    trained = StaffMemberFactory(school=world.school_a, full_name="Trained Teacher")
    StaffMemberFactory(school=world.school_a, full_name="Missed Launch")
    StaffMemberFactory(school=world.school_a, full_name="New Starter", start_date=date(2026, 1, 5))
    StaffMemberFactory(school=world.school_a, full_name="Long Gone", end_date=date(2025, 12, 19))
    StaffMemberFactory(school=world.school_b, full_name="Not In Programme")
    Attendance.objects.create(event=launch, staff_member=trained, present=True)
    client.force_login(world.hub_lead)
    url = reverse("workgroups:cpd_coverage", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "1 of 3 current teachers" in page
    assert "Missed Launch" in page
    assert "New Starter" in page
    assert "joined after launch" in page
    # Everyone at the school, those still to train first (tests/workgroups/
    # test_cpd_coverage_by_school.py has the grouping and the filters).
    assert page.index("Missed Launch") < page.index("New Starter") < page.index("Trained Teacher")
    for name in ["Long Gone", "Not In Programme"]:
        assert name not in page
    assert "Trained Teacher" not in client.get(url, {"trained": "no"}).content.decode()
    assert "export=catch-up-cpd&amp;format=csv" in page
    download = client.get(url + "?export=catch-up-cpd&format=csv")
    rows = download.content.decode("utf-8-sig").splitlines()
    assert [row.split(",")[0] for row in rows] == ["Name", "Missed Launch", "New Starter"]
    # The dashboard and the funder report give the same figures, counted in the database.
    dashboard = client.get(reverse("dashboards:programme", args=[world.programme.slug]))
    assert "Core CPD: 1 of 3 current staff trained" in dashboard.content.decode()
    funder = client.get(reverse("dashboards:funder_report", args=[world.programme.slug]))
    assert "1 of 3 current teachers" in funder.content.decode()


def test_it_lets_site_admins_edit_the_catalogue(client, world):
    client.force_login(world.hub_lead)
    assert "Mastery Readiness" in client.get(reverse("work_group_types")).content.decode()
    assert client.get(reverse("work_group_type_create")).status_code == 404
    client.force_login(world.admin)
    client.post(
        reverse("work_group_type_create"),
        {"name": "Secondary Mastery", "description": "KS3", "target_audience": "Teachers"},
    )
    assert WorkGroupType.objects.filter(name="Secondary Mastery").exists()
