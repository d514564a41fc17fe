from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from accounts.models import Role, RoleAssignment, User
from programmes.models import (
    BudgetCategory,
    BudgetLine,
    Cohort,
    Enrolment,
    Kpi,
    Programme,
    SpendEntry,
)
from schools.models import LocalAuthority, School, StaffMember, StaffRole
from visits.models import RecordOfVisit, VisitKind, VisitLength
from workgroups.models import Event, EventKind, WorkGroup, WorkGroupType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: 800 + n % 100)
    name = factory.LazyAttribute(lambda la: f"Authority {la.code}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 200000 + n)
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    phase = "Primary"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    number_on_roll = 300
    percentage_fsm = Decimal("20.0")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Mastery Programme {n}")
    slug = factory.Sequence(lambda n: f"mastery-{n}")
    funder = "Test Funder"
    value = Decimal("100000")
    start_date = date(2025, 9, 1)
    end_date = date(2026, 7, 31)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = date(2025, 9, 1)
    end_date = date(2026, 7, 31)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.SelfAttribute("cohort.programme")
    school = factory.SubFactory(SchoolFactory)
    sle_days_allocated = Decimal("4.0")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    school = factory.SubFactory(SchoolFactory)
    full_name = factory.Sequence(lambda n: f"Teacher {n}")
    role = StaffRole.CLASS_TEACHER
    year_group = 1
    start_date = date(2020, 9, 1)


def give_role(user: User, role: Role, *, programme=None, school=None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, programme=programme, school=school)


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    target = Decimal("100")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Budget line {n}")
    category = BudgetCategory.CPD
    amount = Decimal("1000")


class SpendEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendEntry

    budget_line = factory.SubFactory(BudgetLineFactory)
    spent_on = date(2025, 10, 1)
    amount = Decimal("100")
    description = "Room hire"


class RecordOfVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordOfVisit

    programme = factory.SubFactory(ProgrammeFactory)
    school = factory.SubFactory(SchoolFactory)
    sle = factory.SubFactory(UserFactory)
    visit_date = date(2025, 10, 1)
    kind = VisitKind.COACHING
    length = VisitLength.HALF_DAY


class WorkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkGroup

    programme = factory.SubFactory(ProgrammeFactory)
    type = factory.LazyFunction(lambda: WorkGroupType.objects.get(name="Mastery Readiness"))
    name = factory.Sequence(lambda n: f"Work group {n}")
    academic_year = 2025
    lead = factory.SubFactory(UserFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    kind = EventKind.CLUSTER_WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = datetime(2025, 10, 1, 9, tzinfo=UTC)
