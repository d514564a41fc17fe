"""The Record of Visit form as the server renders and checks it (issue 20, "The form")."""

import re
import uuid

from django.urls import reverse
from django.utils import timezone

from programmes.models import FocusArea
from schools.models import StaffRole
from tests.factories import (
    ProgrammeFactory,
    RecordOfVisitFactory,
    StaffMemberFactory,
    WorkGroupFactory,
)
from tests.queries import queries_for
from visits.models import ActionStatus, RecordOfVisit
from workgroups.models import WorkGroupParticipant

JSON = {"Accept": "application/json"}


def _page(client, world) -> str:
    client.force_login(world.sle)
    return client.get(reverse("visits:new", args=[world.school_a.urn])).content.decode()


def _offered_years(page: str) -> list[str]:
    return re.findall(r'name="year_groups" value="(\d+)"', page)


def _send(client, world, **fields):
    data = {
        "client_id": str(uuid.uuid4()),
        "programme": world.programme.pk,
        "visit_date": "2025-11-12",
        "kind": "coaching",
        "length": "half_day",
        **fields,
    }
    client.force_login(world.sle)
    url = reverse("visits:new", args=[world.school_a.urn])
    return client.post(url, data, headers=JSON)


def _ks1_work_group(world, school):
    """A work group of the programme whose teachers teach Reception to Year 2."""
    group = WorkGroupFactory(programme=world.programme)
    for year in (0, 1, 2):
        teacher = StaffMemberFactory(school=school, year_group=year)
        WorkGroupParticipant.objects.create(work_group=group, staff_member=teacher)
    return group


def test_it_opens_on_today_in_the_form_a_date_input_shows(client, world):
    page = _page(client, world)
    today = timezone.localdate()
    # A date input shows only YYYY-MM-DD; 02/12/2026 would leave it empty.
    assert f'name="visit_date" value="{today:%Y-%m-%d}"' in page


def test_it_asks_the_basics_then_what_was_seen_then_next_steps(client, world):
    StaffMemberFactory(school=world.school_a)
    FocusArea.objects.create(programme=world.programme, name="Variation")
    world.school_a.actions.create(description="Daily fluency sessions")
    page = _page(client, world)
    order = [
        'name="visit_date"',
        'name="length"',
        'name="staff_worked_with"',
        'name="year_groups"',
        'name="focus_areas"',
        'name="activities"',
        'name="strengths"',
        "Daily fluency sessions",
        'name="next_steps"',
        "Save the record",
    ]
    assert [page.index(mark) for mark in order] == sorted(page.index(mark) for mark in order)


def test_a_ks1_programme_offers_reception_to_year_2_only(client, world):
    # The teachers taking part sit in another of the programme's schools: it is the
    # programme's phase that counts, not the staff list of this school.
    _ks1_work_group(world, world.school_b)
    StaffMemberFactory(school=world.school_a, year_group=5)  # in no work group
    assert _offered_years(_page(client, world)) == ["0", "1", "2"]
    response = _send(client, world, year_groups=["4"])
    assert response.status_code == 400
    assert "year_groups" in response.json()["errors"]


def test_another_programmes_teachers_do_not_shape_this_one(client, world):
    other = WorkGroupFactory(programme=ProgrammeFactory())
    teacher = StaffMemberFactory(school=world.school_a, year_group=5)
    WorkGroupParticipant.objects.create(work_group=other, staff_member=teacher)
    # Nothing known of this programme: the primary school's whole phase, Reception to Year 6.
    assert _offered_years(_page(client, world)) == [str(n) for n in range(7)]


def test_year_groups_earlier_visits_covered_are_offered_too(client, world):
    _ks1_work_group(world, world.school_b)
    RecordOfVisitFactory(programme=world.programme, school=world.school_a, year_groups=[3])
    assert _offered_years(_page(client, world)) == ["0", "1", "2", "3"]


def test_hours_are_asked_only_for_a_visit_logged_in_hours(client, world):
    page = _page(client, world)
    assert re.search(r'id="hours-row"[^>]*\bhidden\b', page)
    response = _send(client, world, length="half_day", hours="3")
    assert response.status_code == 201
    visit = RecordOfVisit.objects.get()
    # Hours typed before the length changed to a half day are not kept: half a day is 0.5.
    assert (visit.hours, float(visit.days)) == (None, 0.5)
    assert _send(client, world, length="hours", hours="3").status_code == 201
    assert float(RecordOfVisit.objects.get(length="hours").days) == 0.5  # 3 h of a 6 h day


def test_an_action_raised_at_three_visits_is_asked_about_once(client, world):
    same = [world.school_a.actions.create(description="Daily fluency sessions") for _ in range(3)]
    other = world.school_a.actions.create(description="Manipulatives in every class")
    page = _page(client, world)
    assert page.count(">Daily fluency sessions<") == 1
    assert page.count('value="in_progress"') == 2
    first = same[0]
    response = _send(
        client,
        world,
        **{f"action_{first.pk}_progress": "done", f"action_{first.pk}_comment": "Every day now"},
    )
    assert response.status_code == 201
    for action in same:
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert action.updates.get().comment == "Every day now"
    other.refresh_from_db()
    assert (other.status, other.updates.count()) == (ActionStatus.GREEN, 0)


def test_every_choice_is_drawn_as_a_button_sized_label(client, world):
    StaffMemberFactory(school=world.school_a, full_name="Ada Okoro", role=StaffRole.CLASS_TEACHER)
    FocusArea.objects.create(programme=world.programme, name="Variation")
    world.school_a.actions.create(description="Daily fluency sessions")
    page = _page(client, world)
    inputs = re.findall(r'<input type="(?:radio|checkbox)"[^>]*>', page)
    assert len(inputs) == 3 + 1 + 7 + 1 + 3  # lengths, staff, year groups, focus, progress
    for tag in inputs:
        assert 'class="btn-check"' in tag
        field_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert re.search(rf'<label class="btn [^"]+" for="{field_id}">', page)
    assert 'class="visit-savebar"' in page


def test_the_form_keeps_to_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    group = _ks1_work_group(world, world.school_b)
    url = reverse("visits:new", args=[world.school_a.urn])
    client.force_login(world.sle)
    before = queries_for(client, url)
    for n in range(6):
        world.school_a.actions.create(description=f"Action {n % 3}")
        RecordOfVisitFactory(programme=world.programme, school=world.school_a, year_groups=[n % 3])
        WorkGroupParticipant.objects.create(work_group=group, staff_member=StaffMemberFactory())
        StaffMemberFactory(school=world.school_a)
        FocusArea.objects.create(programme=world.programme, name=f"Area {n}")
    with django_assert_max_num_queries(before):
        client.get(url)
