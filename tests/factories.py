from datetime import date
from decimal import Decimal

import factory

from accounts.models import Role, RoleAssignment, User
from programmes.models import Cohort, Enrolment, Programme
from schools.models import LocalAuthority, School, StaffMember, StaffRole


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
