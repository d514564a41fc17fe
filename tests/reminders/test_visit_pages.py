"""The visit list shows when each of the SLE's schools is next due a visit, overdue first.
(The view passes `next_visits`; rendered here with what it passes.)"""

from datetime import date

from django.template.loader import render_to_string
from django.test import RequestFactory

from visits.models import RecordOfVisit
from visits.selectors import next_visits_of_sle
from visits.tables import VisitTable

from ..factories import EnrolmentFactory, RecordOfVisitFactory, give_role
from .conftest import TODAY


def _page(world, django_assert_max_num_queries) -> str:
    request = RequestFactory().get("/visits/")
    request.user = world.sle
    with django_assert_max_num_queries(2):
        due = next_visits_of_sle(sle=world.sle, today=TODAY)
    context = {"table": VisitTable(RecordOfVisit.objects.none()), "schools": [], "next_visits": due}
    return render_to_string("visits/visit_list.html", context, request=request)


def test_it_shows_overdue_schools_first(term, django_assert_max_num_queries):
    on_time = EnrolmentFactory(cohort=term.cohort, school__name="Birch Infant School").school
    give_role(term.sle, "sle", programme=term.programme, school=on_time)
    RecordOfVisitFactory(programme=term.programme, school=on_time, visit_date=date(2026, 2, 27))
    page = _page(term, django_assert_max_num_queries)
    # School A: last visited 5 January, due by 16 February. Birch: 27 February + 42 days.
    overdue = page.index("16 Feb 2026</td>")
    assert overdue < page.index("10 Apr 2026</td>")
    assert 'status-red">Overdue</span>' in page[overdue:]
    assert 'status-green">On schedule</span>' in page
    assert '<th scope="row"><a href="/visits/new/' in page
