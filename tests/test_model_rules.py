"""The rules that must always hold are enforced by the database, whatever writes the row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluation.models import AssessmentWindow
from programmes.models import AllocationBand, ComparisonSchool, Enrolment, Kpi
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    EventFactory,
    ProgrammeFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
)
from visits.models import RecordOfVisit, VisitKind, VisitLength
from workgroups.models import EventKind

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_programme_and_cohort_end_after_they_start():
    _refused(lambda: ProgrammeFactory(start_date=date(2026, 9, 1), end_date=date(2026, 8, 1)))
    _refused(lambda: CohortFactory(start_date=date(2026, 9, 1), end_date=date(2026, 8, 1)))
    _refused(lambda: ProgrammeFactory(value=Decimal(-1)))


def test_a_school_has_a_six_digit_urn_and_a_sane_fsm_share():
    _refused(lambda: SchoolFactory(urn=12345))
    _refused(lambda: SchoolFactory(percentage_fsm=Decimal("100.1")))


def test_a_school_is_enrolled_in_a_programme_once():
    enrolment = EnrolmentFactory()
    other_cohort = CohortFactory(programme=enrolment.programme)
    _refused(
        lambda: Enrolment.objects.create(
            programme=enrolment.programme, cohort=other_cohort, school=enrolment.school
        )
    )
    _refused(lambda: EnrolmentFactory(sle_days_allocated=Decimal(-1)))


def test_comparison_schools_kpis_and_bands_are_unique_in_a_programme():
    programme, school = ProgrammeFactory(), SchoolFactory()
    ComparisonSchool.objects.create(programme=programme, school=school)
    _refused(lambda: ComparisonSchool.objects.create(programme=programme, school=school))
    Kpi.objects.create(programme=programme, name="Teachers trained", target=10)
    _refused(lambda: Kpi.objects.create(programme=programme, name="Teachers trained", target=5))
    AllocationBand.objects.create(programme=programme, up_to_pupils=None, sle_days=1, funding=0)
    _refused(
        lambda: AllocationBand.objects.create(
            programme=programme, up_to_pupils=None, sle_days=2, funding=0
        )
    )


def test_staff_roles_end_after_they_start():
    _refused(lambda: StaffMemberFactory(start_date=date(2025, 9, 1), end_date=date(2025, 1, 1)))
    _refused(lambda: StaffMemberFactory(year_group=14))


def test_an_hourly_visit_says_how_many_hours_and_counts_in_sle_days():
    school, programme, sle = SchoolFactory(), ProgrammeFactory(), UserFactory()
    visit = {
        "programme": programme,
        "school": school,
        "sle": sle,
        "visit_date": date(2025, 10, 1),
        "kind": VisitKind.COACHING,
    }
    _refused(lambda: RecordOfVisit.objects.create(length=VisitLength.HOURS, **visit))
    hourly = RecordOfVisit.objects.create(length=VisitLength.HOURS, hours=Decimal(4), **visit)
    full = RecordOfVisit.objects.create(length=VisitLength.FULL_DAY, **visit)
    assert (hourly.days, full.days) == (Decimal("0.67"), Decimal(1))


def test_only_parent_workshops_have_a_headcount():
    _refused(lambda: EventFactory(kind=EventKind.CLUSTER_WORKSHOP, parent_headcount=12))
    EventFactory(kind=EventKind.PARENT_WORKSHOP, parent_headcount=12)


def test_an_assessment_scale_runs_in_order():
    programme = ProgrammeFactory()
    window = {
        "programme": programme,
        "name": "Baseline",
        "kind": "baseline",
        "date": timezone.localdate(),
    }
    AssessmentWindow.objects.create(slug="ok", **window)
    _refused(lambda: AssessmentWindow.objects.create(slug="ok", **window))
    _refused(
        lambda: AssessmentWindow.objects.create(
            slug="upside-down", scale_min=120, scale_max=80, **window
        )
    )
    _refused(
        lambda: AssessmentWindow.objects.create(
            slug="higher-below-expected", expected_threshold=105, higher_threshold=101, **window
        )
    )
