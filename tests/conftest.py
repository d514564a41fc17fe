"""Fixed personas (see STYLE.md): a programme with school A enrolled, school B outside it, and
one person in each role."""

from types import SimpleNamespace

import pytest

from accounts.models import Role

from .factories import EnrolmentFactory, SchoolFactory, UserFactory, give_role


@pytest.fixture
def world(db):
    enrolment = EnrolmentFactory()
    programme = enrolment.cohort.programme
    school_a = enrolment.school
    school_b = SchoolFactory(name="Outside Primary School")
    people = SimpleNamespace(
        admin=UserFactory(email="admin@example.org"),
        hub_lead=UserFactory(email="lead@example.org"),
        sle=UserFactory(email="sle@example.org"),
        head_a=UserFactory(email="head.a@example.org"),
        head_b=UserFactory(email="head.b@example.org"),
        maths_lead_a=UserFactory(email="mathslead.a@example.org"),
        governor_a=UserFactory(email="governor.a@example.org"),
        outsider=UserFactory(email="outsider@example.org"),
    )
    give_role(people.admin, Role.SITE_ADMIN)
    give_role(people.hub_lead, Role.HUB_LEAD, programme=programme)
    give_role(people.sle, Role.SLE, programme=programme, school=school_a)
    give_role(people.head_a, Role.HEADTEACHER, school=school_a)
    give_role(people.head_b, Role.HEADTEACHER, school=school_b)
    give_role(people.maths_lead_a, Role.MATHS_LEAD, school=school_a)
    give_role(people.governor_a, Role.GOVERNOR, school=school_a)
    return SimpleNamespace(
        programme=programme,
        cohort=enrolment.cohort,
        school_a=school_a,
        school_b=school_b,
        **vars(people),
    )
