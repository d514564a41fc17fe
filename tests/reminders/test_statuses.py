"""Statuses follow the calendar: an action past due and not done is overdue whatever RAG was
last entered, and a school not visited within its programme's interval is overdue a visit."""

from datetime import date

from django.urls import reverse

from programmes.models import Enrolment
from visits.models import Action, ActionStatus
from visits.selectors import next_visits, next_visits_of_sle, schools_overdue_for_visit

from ..factories import EnrolmentFactory, RecordOfVisitFactory
from .conftest import TODAY


def test_it_shows_a_green_action_past_its_due_date_as_overdue(term, client):
    client.force_login(term.hub_lead)
    page = client.get(reverse("visits:action_plan", args=[term.school_a.urn])).content.decode()
    assert 'status-red">Overdue</span>' in page  # the one due on 20 February
    assert 'status-green">Green: on track</span>' in page  # the one due on 6 March


def test_it_counts_only_open_actions_past_due_as_overdue(term):
    Action.objects.create(
        school=term.school_a, description="Done late", due_date=date(2026, 1, 9),
        status=ActionStatus.DONE,
    )  # fmt: skip
    assert list(Action.objects.overdue_on(TODAY)) == [term.overdue]
    assert term.overdue.is_overdue
    assert not term.due_soon.is_overdue


def test_it_dates_the_next_visit_one_interval_after_the_last(term):
    (visit,) = next_visits(enrolments=Enrolment.objects.all(), today=TODAY)
    # 5 January + 42 days = 16 February, before 3 March.
    assert visit.due_on == date(2026, 2, 16)
    assert visit.overdue
    assert [n.enrolment.school for n in next_visits_of_sle(sle=term.sle, today=TODAY)] == [
        term.school_a
    ]


def test_it_dates_a_first_visit_from_the_cohorts_start(term, django_assert_max_num_queries):
    never = EnrolmentFactory(cohort=term.cohort).school
    for _n in range(20):
        school = EnrolmentFactory(cohort=term.cohort).school
        RecordOfVisitFactory(programme=term.programme, school=school, visit_date=date(2026, 2, 20))
    with django_assert_max_num_queries(1):
        overdue = schools_overdue_for_visit(programmes=[term.programme], today=TODAY)
    # The cohort started 1 September 2025: due by 13 October 2025. Visited on 20 February,
    # the others are due by 3 April.
    assert [(n.enrolment.school, n.due_on) for n in overdue] == [
        (never, date(2025, 10, 13)),
        (term.school_a, date(2026, 2, 16)),
    ]


def test_it_sets_no_due_date_without_an_interval_or_after_the_programme(term):
    term.programme.visit_interval_days = None
    term.programme.save()
    assert next_visits(enrolments=Enrolment.objects.all(), today=TODAY) == []
    term.programme.visit_interval_days = 42
    term.programme.end_date = date(2026, 3, 1)
    term.programme.save()
    assert next_visits(enrolments=Enrolment.objects.all(), today=TODAY) == []
