"""Fixed personas (see STYLE.md): a programme with school A enrolled, school B outside it, and
one person in each role."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import must_use_two_factor
from accounts.models import Role, User
from accounts.two_factor import confirmed_app
from evaluation.models import AssessmentWindow
from programmes.models import ComparisonSchool

from .factories import EnrolmentFactory, SchoolFactory, UserFactory, give_role


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a freshly started portal would."""
    cache.clear()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "password_only_login: force_login stops at the password, as Django's own does, and "
        "leaves the second step of two-factor sign-in to the test",
    )


_django_force_login = Client.force_login


def _force_login_past_second_step(self, user, backend=None):
    """Django's force_login, then the second step passed as django_otp.login passes it: with a
    real confirmed device (made if the person has none) named in the real session."""
    # A fresh copy: the roles read here are cached on the object, which the test may change.
    fresh = User.objects.get(pk=user.pk)
    device = confirmed_app(fresh)
    if device is None and must_use_two_factor(fresh):
        device = TOTPDevice.objects.create(user=fresh, name="Test app")
    _django_force_login(self, user, backend)
    if device is not None:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(request):
    """Tests that sign in as a site admin or hub lead test their pages, not two-factor sign-in
    (tests/accounts/test_two_factor.py does): force_login signs them in fully. Patched on
    Client itself, since some tests make their own clients (the permission matrix), and by
    a MonkeyPatch of its own, which a test's `monkeypatch.undo()` leaves in place."""
    if request.node.get_closest_marker("password_only_login") is not None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", _force_login_past_second_step)
        yield


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


def pytest_collection_modifyitems(items):
    """Let every test use the second connection too ("progress", a mirror of the default one
    in tests), on which imports report their progress."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            item.add_marker(pytest.mark.django_db(databases="__all__"))
        elif "databases" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, databases="__all__", **marker.kwargs)
            )


@pytest.fixture(scope="session", autouse=True)
def _close_connections_before_teardown(django_db_setup, django_db_blocker):
    """The progress connection is opened outside the test's own; close every connection so
    the test database can be dropped."""
    yield
    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture
def window(world):
    return AssessmentWindow.objects.create(
        programme=world.programme,
        slug="baseline",
        name="Baseline",
        kind="baseline",
        date=date(2025, 9, 22),
    )


@pytest.fixture
def school_c(world):
    """A second enrolled school, and (below) a comparison school."""
    return EnrolmentFactory(cohort=world.cohort, school__urn=100003).school


@pytest.fixture
def comparison(world):
    school = SchoolFactory(urn=100009)
    ComparisonSchool.objects.create(programme=world.programme, school=school)
    return school
