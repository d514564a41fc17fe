from decimal import Decimal

import pytest

from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    LocalAuthorityFactory,
    RecordOfVisitFactory,
)
from visits import selectors
from visits.models import VisitLength

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_with_visits():
    """School A: 4 days allocated, visits of 0.5 + 1 + 3 hours (0.5) = 2 days.
    School B: 1 day allocated, visits of 1 + 0.5 = 1.5 days: over.
    A visit to A in another programme does not count."""
    a = EnrolmentFactory(sle_days_allocated=4, school__name="Alpha Primary")
    programme = a.programme
    b = EnrolmentFactory(
        cohort=a.cohort,
        sle_days_allocated=1,
        school__name="Beta Primary",
        school__local_authority=LocalAuthorityFactory(code=202, name="Camden"),
    )
    visit = {"programme": programme}
    RecordOfVisitFactory(school=a.school, length=VisitLength.HALF_DAY, **visit)
    RecordOfVisitFactory(school=a.school, length=VisitLength.FULL_DAY, **visit)
    RecordOfVisitFactory(school=a.school, length=VisitLength.HOURS, hours=3, **visit)
    RecordOfVisitFactory(school=b.school, length=VisitLength.FULL_DAY, **visit)
    RecordOfVisitFactory(school=b.school, length=VisitLength.HALF_DAY, **visit)
    RecordOfVisitFactory(school=a.school, length=VisitLength.FULL_DAY)
    return programme, a, b


def test_it_counts_sle_days_used_per_school(programme_with_visits):
    programme, a, b = programme_with_visits
    rows = {
        e.school_id: e.sle_days_used
        for e in selectors.enrolments_with_days_used(programme=programme)
    }
    assert rows == {a.school_id: Decimal("2.0"), b.school_id: Decimal("1.5")}
    over = selectors.enrolments_with_days_used(programme=programme, over_allocation=True)
    assert [e.school_id for e in over] == [b.school_id]


def test_it_totals_sle_days_for_the_programme(programme_with_visits):
    programme, _, _ = programme_with_visits
    days = selectors.sle_days(programme=programme)
    assert (days.allocated, days.used, days.schools_over) == (5, Decimal("3.5"), 1)
    assert not days.over


def test_it_filters_enrolments(programme_with_visits):
    programme, a, b = programme_with_visits
    other = CohortFactory(programme=programme)
    c = EnrolmentFactory(cohort=other, school__name="Gamma Primary")

    def names(**criteria):
        return [
            e.school.name
            for e in selectors.enrolments_with_days_used(programme=programme, **criteria)
        ]

    assert names() == ["Alpha Primary", "Beta Primary", "Gamma Primary"]
    assert names(cohort=other) == ["Gamma Primary"]
    assert names(local_authority=b.school.local_authority) == ["Beta Primary"]
    assert names(search="alp") == ["Alpha Primary"]
    assert names(search=str(c.school.urn)) == ["Gamma Primary"]
