import uuid
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from programmes.models import FocusArea
from tests.factories import RecordOfVisitFactory, StaffMemberFactory
from tests.queries import queries_for
from visits.models import Action, ActionStatus, PhotoStatus, RecordOfVisit

JSON = {"Accept": "application/json"}


@pytest.fixture
def form_data(world):
    teacher = StaffMemberFactory(school=world.school_a, full_name="Ada Okoro")
    area = FocusArea.objects.create(programme=world.programme, name="Variation")
    return {
        "client_id": str(uuid.uuid4()),
        "programme": world.programme.pk,
        "visit_date": "2025-11-12",
        "kind": "coaching",
        "length": "half_day",
        "year_groups": ["1", "2"],
        "staff_worked_with": [teacher.pk],
        "focus_areas": [area.pk],
        "activities": "Co-planned a lesson on number bonds.",
        "strengths": "Confident use of stem sentences.",
        "next_steps": "Plan the next unit together\nObserve a Year 2 lesson",
    }


def _send(client, world, data):
    return client.post(reverse("visits:new", args=[world.school_a.urn]), data, headers=JSON)


def test_an_sle_records_a_visit_and_next_steps_become_actions(client, world, form_data):
    client.force_login(world.sle)
    response = _send(client, world, form_data)
    assert response.status_code == 201
    visit = RecordOfVisit.objects.get()
    assert response.json() == {"id": visit.pk, "url": reverse("visits:detail", args=[visit.pk])}
    assert (visit.sle, visit.school, visit.days, visit.year_groups) == (
        world.sle,
        world.school_a,
        0.5,
        [1, 2],
    )
    assert [a.name for a in visit.focus_areas.all()] == ["Variation"]
    actions = list(Action.objects.order_by("pk"))
    assert [a.description for a in actions] == [
        "Plan the next unit together",
        "Observe a Year 2 lesson",
    ]
    assert {a.raised_at_visit for a in actions} == {visit}
    assert actions[0].due_date == date(2025, 12, 24)  # six weeks on
    event = AuditEvent.objects.exclude(action=AuditAction.SIGNED_IN).get()
    assert event.action == AuditAction.VISIT_CREATED


def test_a_retried_send_never_makes_a_second_record(client, world, form_data):
    client.force_login(world.sle)
    first = _send(client, world, form_data)
    again = _send(client, world, form_data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert RecordOfVisit.objects.count() == 1
    assert Action.objects.count() == 2


def test_a_refused_record_says_why(client, world, form_data):
    client.force_login(world.sle)
    response = _send(client, world, {**form_data, "length": "hours", "visit_date": ""})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["hours"][0]["message"] == "Give the number of hours."
    assert errors["visit_date"][0]["message"] == "This field is required."
    assert not RecordOfVisit.objects.exists()


def test_the_form_shows_open_actions_and_records_their_progress(client, world, form_data):
    done = world.school_a.actions.create(description="Daily fluency sessions")
    going = world.school_a.actions.create(description="Manipulatives in every class")
    world.school_a.actions.create(description="Finished long ago", status=ActionStatus.DONE)
    world.school_b.actions.create(description="Another school's action")
    client.force_login(world.sle)
    page = client.get(reverse("visits:new", args=[world.school_a.urn])).content.decode()
    assert "Daily fluency sessions" in page
    assert "Manipulatives in every class" in page
    assert "Finished long ago" not in page
    assert "Another school" not in page
    _send(
        client,
        world,
        {
            **form_data,
            f"action_{done.pk}_progress": "done",
            f"action_{going.pk}_progress": "in_progress",
            f"action_{going.pk}_comment": "Year 1 started",
        },
    )
    done.refresh_from_db()
    going.refresh_from_db()
    assert (done.status, going.status) == (ActionStatus.DONE, ActionStatus.GREEN)
    assert going.updates.get().comment == "Year 1 started"


def test_an_sle_records_visits_only_to_their_schools(client, world, form_data):
    client.force_login(world.sle)
    url = reverse("visits:new", args=[world.school_b.urn])
    assert client.post(url, form_data, headers=JSON).status_code == 404
    client.force_login(world.head_a)
    assert _send(client, world, form_data).status_code == 404
    assert not RecordOfVisit.objects.exists()


def test_school_leaders_read_and_acknowledge_their_own_schools_records(client, world):
    mine = RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    theirs = RecordOfVisitFactory(programme=world.programme, school=world.school_b, sle=world.sle)
    client.force_login(world.head_a)
    page = client.get(reverse("visits:list")).content.decode()
    assert reverse("visits:detail", args=[mine.pk]) in page
    assert reverse("visits:detail", args=[theirs.pk]) not in page
    assert client.get(reverse("visits:detail", args=[theirs.pk])).status_code == 404
    client.post(reverse("visits:acknowledge", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.acknowledged_by == world.head_a
    client.force_login(world.governor_a)
    assert client.get(reverse("visits:detail", args=[mine.pk])).status_code == 200
    assert (
        "Acknowledge this record"
        not in client.get(reverse("visits:detail", args=[mine.pk])).content.decode()
    )


def test_only_the_schools_leaders_may_acknowledge_a_record_the_rest_get_404(client, world):
    visit = RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    url = reverse("visits:acknowledge", args=[visit.pk])
    for reader in (world.governor_a, world.sle, world.hub_lead, world.admin):
        client.force_login(reader)
        assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 200
        assert client.post(url).status_code == 404, reader
    visit.refresh_from_db()
    assert visit.acknowledged_at is None


def test_the_action_plan_is_kept_by_the_school_and_read_by_its_governors(client, world):
    visit = RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    world.school_a.actions.create(
        description="Use bar models in Year 2", raised_at_visit=visit, status=ActionStatus.AMBER
    )
    client.force_login(world.maths_lead_a)
    url = reverse("visits:action_plan", args=[world.school_a.urn])
    client.post(
        reverse("visits:risk_create", args=[world.school_a.urn]),
        {"description": "Staff turnover in KS1", "mitigation": "Catch-up CPD", "is_open": "on"},
    )
    page = client.get(url).content.decode()
    assert "Use bar models in Year 2" in page
    assert "Amber: at risk" in page
    assert "Staff turnover in KS1" in page
    assert "Catch-up CPD" in page
    client.force_login(world.governor_a)
    page = client.get(url).content.decode()
    assert "Use bar models in Year 2" in page
    assert reverse("visits:action_create", args=[world.school_a.urn]) not in page
    assert client.get(reverse("visits:action_create", args=[world.school_a.urn])).status_code == 404


def test_visit_pages_keep_to_a_constant_number_of_queries(client, world, form_data):
    client.force_login(world.sle)
    visit = RecordOfVisitFactory(programme=world.programme, school=world.school_a, sle=world.sle)
    world.school_a.actions.create(description="First action", raised_at_visit=visit)
    urls = [
        reverse("visits:list"),
        reverse("visits:detail", args=[visit.pk]),
        reverse("visits:new", args=[world.school_a.urn]),
        reverse("visits:action_plan", args=[world.school_a.urn]),
        reverse("dashboards:coverage_mine", args=[world.programme.slug]),
    ]
    before = [queries_for(client, url) for url in urls]
    for n in range(15):
        other = RecordOfVisitFactory(
            programme=world.programme, school=world.school_a, sle=world.sle, year_groups=[n % 3]
        )
        world.school_a.actions.create(description=f"Action {n}", raised_at_visit=other)
        world.school_a.risks.create(description=f"Risk {n}")
        StaffMemberFactory(school=world.school_a)
        visit.photos.create(image="visits/x.jpg", status=PhotoStatus.READY)
        visit.photos.create(original="visits/originals/x", status=PhotoStatus.PROCESSING)
    assert [queries_for(client, url) for url in urls] == before
